"""Resistance states across tumour contexts and treatments.

Each cell of the comparison applies a treatment to a cell that sits in its
context's untreated attractors and follows the asynchronous dynamics to every
attractor it can reach. The verdict reads one response criterion (by
default Proliferation=0) in each reached attractor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from igfnet.analysis import outcome
from igfnet.analysis.outcome import READOUTS
from igfnet.analysis.response import ResponseSolver
from igfnet.errors import IgfnetError
from igfnet.model import BooleanNetwork
from igfnet.perturb.grammar import treatment_items

if TYPE_CHECKING:
    import pandas

    from igfnet.dynamics.markov import ResponseProbability


@dataclass(frozen=True, slots=True)
class Cell:
    """One context under one treatment.

    Attributes
    ----------
    readouts : dict
        Each readout's value over the reached attractors: '0'/'1' when all
        agree and hold it fixed, '*' otherwise.
    reached : int
        How many distinct attractors the treated cell can reach.
    responding : int
        How many of them meet the response criterion.
    untreated_responding : bool
        Whether the untreated cell already meets it (then "responds" says little).
    probability : ResponseProbability or None
        The probability of response, when asked for (``score="probability"``).
    """

    context: str
    treatment: str
    readouts: dict[str, str]
    reached: int
    responding: int
    untreated_responding: bool
    probability: ResponseProbability | None = None

    @property
    def share(self) -> float:
        """Share of the reachable attractors that respond.

        Not a probability: asynchronous dynamics has no rates. A share of
        1/2 says that, from the untreated state, some orders of events lead
        to a responding attractor and others escape to a resistant one.
        """
        return self.responding / self.reached if self.reached else 0.0

    @property
    def verdict(self) -> str:
        return outcome.verdict(self.responding, self.reached)


def default_treatments(model: BooleanNetwork) -> list[str]:
    """Every single drug, then the review's combinations (``rules/screen.txt``) that the model can express."""
    from igfnet.analysis.review import review_defaults

    combinations = [
        c for c in review_defaults().combinations if all(part in model.drugs for part in treatment_items(c))
    ]
    return [*model.drugs, *combinations]


def default_contexts(model: BooleanNetwork) -> list[str]:
    return ["default", *model.contexts]


def compare(
    model: BooleanNetwork,
    contexts: Sequence[str] | None = None,
    treatments: Sequence[str] | None = None,
    readouts: Sequence[str] = READOUTS,
    response: tuple[str, str] = ("Proliferation", "0"),
    score: str = "share",
    settings: Mapping[str, int] | None = None,
    free_inputs: bool = False,
) -> list[Cell]:
    """Every context under every treatment, from the untreated attractors.

    Parameters
    ----------
    contexts, treatments : sequence of str, optional
        Context names ("default" for the model's default context) and
        treatments ("figitumumab", "dalotuzumab+ridaforolimus", "MTORC1=0",
        "none"); by default every context, every drug and the review's
        combinations.
    readouts : sequence of str
        Nodes to report (those the model lacks are skipped).
    response : (node, value)
        The criterion of a responding attractor.
    score : str
        "share" (each cell counts its responding attractors) or "probability"
        (each cell also gets the probability of response; see
        :meth:`ResponseSolver.probability`).
    settings : mapping of str to 0 or 1, optional
        Nodes (usually inputs) fixed in every context, on top of it (like
        ``--set``): a model whose inputs have no default needs them.
    free_inputs : bool
        Inputs that neither the context nor ``settings`` fix take every value
        (their defaults are ignored): the untreated cell sits in any of
        those contexts' attractors.

    Examples
    --------
    >>> from igfnet.formats import load_model
    >>> cells = compare(load_model(), ["default", "pten_loss"], ["figitumumab"])
    >>> [(cell.context, cell.verdict) for cell in cells]
    [('default', 'responds'), ('pten_loss', 'resists')]
    """
    contexts = list(contexts or default_contexts(model))
    treatments = list(treatments or default_treatments(model))
    if not treatments:
        raise IgfnetError(
            f"model {model.name!r} has no drugs, so there is nothing to compare by default: "
            "name the treatments, e.g. 'NODE=0' or 'A=0+B=1'"
        )
    readouts = [node for node in readouts if node in model.rules]
    node, value = response
    model.check_nodes([node], what="response node")
    if score not in ("share", "probability"):
        raise IgfnetError(f"score {score!r}: choose share or probability")
    model.perturbation(settings=settings or {})  # unknown nodes and bad values, before any work
    solver = ResponseSolver(model, free_inputs=free_inputs)
    solver.check(contexts, treatments)
    cells = []
    for context in contexts:
        for treatment in treatments:
            result = solver.response(context, treatment, settings)
            probability = None
            if score == "probability":
                probability = solver.probability(context, treatment, settings, response={node: int(value)})
            cells.append(
                Cell(
                    context,
                    treatment,
                    {readout: result.readout(readout) for readout in readouts},
                    len(result.reached),
                    sum(attractor.pattern[node] == value for attractor in result.reached),
                    all(attractor.pattern[node] == value for attractor in result.untreated),
                    probability,
                )
            )
    return cells


def cells_to_frame(cells: list[Cell]) -> pandas.DataFrame:
    """A pandas DataFrame with one row per (context, treatment)."""
    import pandas

    rows = []
    for cell in cells:
        rows.append(
            {
                "context": cell.context,
                "treatment": cell.treatment,
                "verdict": cell.verdict,
                "responding_share": round(cell.share, 4),
                "reached_attractors": cell.reached,
                "untreated_responding": cell.untreated_responding,
                **_probability_columns(cell.probability),
                **cell.readouts,
            }
        )
    return pandas.DataFrame(rows)


def _probability_columns(probability: ResponseProbability | None) -> dict[str, object]:
    """The probability of response and how it was obtained (no columns when it was not asked for)."""
    if probability is None:
        return {}
    return {
        "response_probability": probability.value,
        "probability_method": probability.method,
        "probability_low": probability.low,
        "probability_high": probability.high,
        "probability_states": probability.states,
        "probability_samples": probability.samples,
    }
