"""The exceptions igfnet raises for a user's mistake.

The library raises these; only the command line turns them into a one-line
message and exit status 2.
"""

from __future__ import annotations


def excerpt(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: a message quotes the start of a long rule, not all of it.

    Examples
    --------
    >>> excerpt("A and " * 100, limit=12)
    'A and A and ...'
    """
    return text if len(text) <= limit else text[:limit] + "..."


class IgfnetError(Exception):
    """Base class of every error that a user's input can cause."""


class InputFileError(IgfnetError):
    """An input file (a model, drugs, contexts, claims, biomarkers, a mapping) that cannot be read, as ``file:line: message``."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        where = ""
        if source is not None:
            where = f"{source}:{line}: " if line is not None else f"{source}: "
        super().__init__(where + message)


class RuleSyntaxError(InputFileError):
    """A model's rules (or a block of key: value lines) that do not parse."""


class UnknownNodeError(IgfnetError):
    """A perturbation, readout or option names a node the model does not have."""


class UnknownInterventionError(IgfnetError):
    """A drug or tumour context that the model does not define."""


class PerturbationError(IgfnetError):
    """Perturbations that contradict each other or cannot be applied."""


class TooLargeError(IgfnetError):
    """A question the engine cannot answer exactly within its limits."""
