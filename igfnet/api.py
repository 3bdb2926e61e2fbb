"""The analyses as functions returning pandas DataFrames: ``igfnet.compare()``, ``igfnet.screen()``, ``igfnet.biomarkers()``.

Each takes a model (a BooleanNetwork, a path, or None for the bundled one)
and the command's options as keyword arguments; each delegates to
:mod:`igfnet.analysis`, as the command does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas

    from igfnet.model import BooleanNetwork


def _model(model: BooleanNetwork | str | os.PathLike[str] | None) -> BooleanNetwork:
    from igfnet.formats import load_model
    from igfnet.model import BooleanNetwork

    return model if isinstance(model, BooleanNetwork) else load_model(None if model is None else os.fspath(model))


def _listed(names: Sequence[str] | str | None) -> list[str] | None:
    """None, or a list; one string is one name, not its letters."""
    if names is None:
        return None
    return [names] if isinstance(names, str) else list(names)


def _response(response: str) -> tuple[str, str]:
    from igfnet.perturb import parse_setting

    node, value = parse_setting(response)
    return node, str(value)


def compare(
    model: BooleanNetwork | str | os.PathLike[str] | None = None,
    contexts: Sequence[str] | str | None = None,
    treatments: Sequence[str] | str | None = None,
    *,
    readouts: Sequence[str] | None = None,
    response: str = "Proliferation=0",
    score: str = "share",
    set: Mapping[str, int] | None = None,
    free_inputs: bool = False,
) -> pandas.DataFrame:
    """Which contexts respond to which treatments: one row per (context, treatment), as ``igfnet compare --format csv``.

    Examples
    --------
    >>> import igfnet
    >>> frame = igfnet.compare(contexts="pten_loss", treatments=["figitumumab"])
    >>> list(frame[["context", "treatment"]].iloc[0])
    ['pten_loss', 'figitumumab']
    """
    from igfnet.analysis.compare import cells_to_frame
    from igfnet.analysis.compare import compare as compare_cells
    from igfnet.analysis.outcome import READOUTS

    network = _model(model)
    cells = compare_cells(
        network,
        _listed(contexts),
        _listed(treatments),
        READOUTS if readouts is None else _listed(readouts) or [],
        _response(response),
        score,
        set,
        free_inputs,
    )
    return cells_to_frame(cells)


def screen(
    model: BooleanNetwork | str | os.PathLike[str] | None = None,
    *,
    base: str | None = None,
    contexts: Sequence[str] | str | None = None,
    combinations: Sequence[str] | str | None = None,
    size: int = 2,
    knockouts_only: bool = False,
    candidates: Sequence[str] | str | None = None,
    response: str = "Proliferation=0",
    score: str = "share",
    jobs: int | None = 1,
) -> pandas.DataFrame:
    """Every combination added to a base treatment in every context: one row each, as ``igfnet screen --output``.

    ``base`` defaults to the base of ``rules/screen.txt`` (IGF1R=0) where the model has IGF1R, else none.
    """
    from igfnet.analysis.outcome import READOUTS
    from igfnet.analysis.screen import plan_screen, run_screen

    network = _model(model)
    plan = plan_screen(
        network,
        base=base,
        contexts=_listed(contexts),
        combinations=_listed(combinations),
        size=size,
        knockouts_only=knockouts_only,
        candidates=_listed(candidates),
        readouts=READOUTS,
        response=_response(response),
        score=score,
    )
    return run_screen(network, plan, jobs=jobs).to_frame()


def biomarkers(
    model: BooleanNetwork | str | os.PathLike[str] | None = None,
    treatments: Sequence[str] | str | None = None,
    *,
    response: str = "Proliferation=0",
    sample: int | None = None,
    seed: int = 0,
    jobs: int | None = 1,
) -> pandas.DataFrame:
    """Biomarker statistics on the virtual cohort: one row per (treatment, biomarker), as ``igfnet biomarkers --format csv``."""
    import pandas

    from igfnet.analysis.biomarkers import (
        BIOMARKERS,
        DEFAULT_TREATMENTS,
        biomarker_cohort,
        biomarker_statistics,
        statistics_rows,
    )

    network = _model(model)
    chosen = _listed(treatments) or list(DEFAULT_TREATMENTS)
    cohort = biomarker_cohort(network, BIOMARKERS, chosen, _response(response), sample=sample, seed=seed, jobs=jobs)
    return pandas.DataFrame(statistics_rows(biomarker_statistics(cohort)))
