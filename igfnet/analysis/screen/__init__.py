"""Combination screens: which added perturbation turns a resistant tumour context into a responding one.

Every combination (a knockout, an overexpression or a drug, alone, in pairs,
or in triples) is added to a base treatment (by default IGF-1R blockade,
``IGF1R=0``) and applied, in every tumour context, to a cell sitting in the
context's untreated attractors, as in ``igfnet compare``. A *hit* turns a
context in which the base alone does not respond into one that responds; a
hit is *synergistic* when no part of the combination (neither single, on top
of the base) responds there. Each hit comes with its mechanism: the readouts
that change against the base alone and, for each, a shortest signed path in
the regulatory graph from a perturbed node.

>>> from igfnet.formats import load_model
>>> model = load_model()
>>> plan = plan_screen(model, contexts=["pten_loss"], combinations=["PI3K=0", "AKT=0"])
>>> [(row.combination, row.verdict, row.base_verdict) for row in run_screen(model, plan, jobs=1).rows]
[('PI3K=0', 'resists', 'resists'), ('AKT=0', 'responds', 'resists')]

Combination syntax (strict, checked before any work starts): items joined
by ``+``; an item is ``NODE=0`` (knockout), ``NODE=1`` (overexpression) or a
drug name of the model. Spaces around ``+`` are allowed; any other separator
(``,`` ``;`` a space inside an item), an empty item, an unknown node or drug,
a repeated item or a node fixed at both 0 and 1 is an error naming the item.

The package follows a screen's seams: :mod:`.plan` (what is asked),
:mod:`.solver` (one row's answer), :mod:`.mechanism` (signed paths),
:mod:`.results` (rows, synergy, ranking, tables), :mod:`.journal` (rows that
survive an interrupt) and :mod:`.run` (chunks, workers, resume).
"""

from __future__ import annotations

from igfnet.analysis.outcome import READOUTS, VERDICTS
from igfnet.analysis.parallel import default_jobs
from igfnet.analysis.screen.journal import (
    JOURNAL_FORMAT,
    JOURNAL_SUFFIX,
    Journal,
    JournalChoice,
    JournalContents,
    choose_journal,
    describe_selection,
    fallback_journal_path,
    inspect_journal,
    journal_path,
    read_journal,
)
from igfnet.analysis.screen.mechanism import Mechanism, ReadoutChange, SignedPath, describe_path, mechanism, signed_path
from igfnet.analysis.screen.plan import (
    SCORES,
    Question,
    ScreenPlan,
    close_under_parts,
    combinations_of,
    model_fingerprint,
    parse_base,
    perturbation_universe,
    plan_screen,
    read_combinations,
)
from igfnet.analysis.screen.results import (
    GradedCombination,
    RankedHit,
    ScreenResult,
    ScreenRow,
    columns,
    graded_synergy,
    rank_graded,
    rank_hits,
    with_synergy,
)
from igfnet.analysis.screen.run import Task, run_screen, solve_task
from igfnet.analysis.screen.solver import ScreenSolver
from igfnet.perturb import Treatment, parse_combination

__all__ = [
    "JournalChoice",
    "choose_journal",
    "Treatment",
    "GradedCombination",
    "JOURNAL_FORMAT",
    "JOURNAL_SUFFIX",
    "Journal",
    "JournalContents",
    "Mechanism",
    "Question",
    "READOUTS",
    "RankedHit",
    "ReadoutChange",
    "SCORES",
    "ScreenPlan",
    "ScreenResult",
    "ScreenRow",
    "ScreenSolver",
    "SignedPath",
    "Task",
    "VERDICTS",
    "close_under_parts",
    "columns",
    "combinations_of",
    "default_jobs",
    "describe_path",
    "describe_selection",
    "fallback_journal_path",
    "graded_synergy",
    "inspect_journal",
    "journal_path",
    "mechanism",
    "model_fingerprint",
    "parse_base",
    "parse_combination",
    "perturbation_universe",
    "plan_screen",
    "rank_graded",
    "rank_hits",
    "read_combinations",
    "read_journal",
    "run_screen",
    "signed_path",
    "solve_task",
    "with_synergy",
]
