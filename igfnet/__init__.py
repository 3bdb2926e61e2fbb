"""igfnet: Boolean network models of IGF-1R signalling in cancer.

Exact attractors of fully asynchronous dynamics, under knockouts,
overexpression, named drugs and tumour contexts.

>>> import igfnet
>>> model = igfnet.load_model()                     # the bundled IGF-1R model
>>> untreated = model.attractors()
>>> blocked = model.attractors(knockout=["IGF1R"])  # IGF-1R blockade
>>> frame = blocked.to_frame()                      # one row per attractor
"""

from typing import Any

__version__ = "0.1.0"

# The public names load on first use (PEP 562), so the command line imports
# only the modules its command needs.
_EXPORTS = {
    "Attractor": "igfnet.types",
    "Attractors": "igfnet.types",
    "BooleanNetwork": "igfnet.model",
    "IgfnetError": "igfnet.errors",
    "InputFileError": "igfnet.errors",
    "Perturbation": "igfnet.perturb",
    "PerturbationError": "igfnet.errors",
    "RuleSyntaxError": "igfnet.errors",
    "Treatment": "igfnet.perturb",
    "UnknownInterventionError": "igfnet.errors",
    "UnknownNodeError": "igfnet.errors",
    "biomarkers": "igfnet.api",
    "compare": "igfnet.api",
    "load_model": "igfnet.formats",
    "screen": "igfnet.api",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'igfnet' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
