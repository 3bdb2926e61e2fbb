"""A small fuzzing budget over every model format (scripts/fuzz_formats.py runs the large one).

Every mutant of igfnet's own exports must be answered or refused in one line with exit
status 2: no traceback, no other status, no run past the bound.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz_formats.py"


@pytest.fixture(scope="module")
def fuzz_formats():
    spec = importlib.util.spec_from_file_location("fuzz_formats", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_formats"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules["fuzz_formats"]


@pytest.fixture(scope="module")
def seeds(fuzz_formats):
    return fuzz_formats.seeds()


def test_mutants_of_every_format_are_answered_or_refused_in_one_line(fuzz_formats, seeds, tmp_path):
    assert {seed.suffix for seed in seeds} == {".rules", ".bnet", ".sbml", ".booleannet"}
    outcomes = {}
    failures = []
    # A fresh start each run (the large script keeps its seed fixed): the budget explores.
    start = random.randrange(10**6)
    for mutant in fuzz_formats.mutants(seeds, 60, seed=start):
        outcome, detail = fuzz_formats.check(mutant, tmp_path, bound=30.0)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome in fuzz_formats.FAILURES:
            failures.append(f"seed {start} mutant {mutant.number} ({mutant.seed.name}, {mutant.mutation}): {detail}")
    assert not failures, failures
    assert outcomes.get("refused", 0) > 0


def test_the_unmutated_seeds_are_answered(fuzz_formats, seeds, tmp_path):
    # The oracle must be able to say "answered": each seed itself is a valid model.
    for seed in seeds:
        mutant = fuzz_formats.Mutant(0, seed, "none", seed.text, seed.suffix)
        assert fuzz_formats.check(mutant, tmp_path, bound=60.0) == ("answered", ""), seed.name


@pytest.mark.parametrize("mutation", ["nesting", "long", "truncate", "flip", "xml"])
def test_each_mutation_changes_its_seed(fuzz_formats, seeds, mutation):
    rng = random.Random(mutation)
    changed = [fuzz_formats.MUTATIONS[mutation](seed.text, rng, seeds) != seed.text for seed in seeds]
    assert all(changed)


def test_a_traceback_is_reported_as_a_failure(fuzz_formats, seeds, tmp_path, monkeypatch):
    # The oracle itself can fail: a reader that raises something other than IgfnetError.
    import igfnet.formats.bnet

    seed = next(seed for seed in seeds if seed.suffix == ".bnet")

    def broken(text, source="<bnet>"):
        raise KeyError("boom")

    monkeypatch.setattr(igfnet.formats.bnet, "parse_bnet", broken)
    outcome, detail = fuzz_formats.check(fuzz_formats.Mutant(0, seed, "none", seed.text, ".bnet"), tmp_path, 30.0)
    assert (outcome, detail.split(":")[0]) == ("traceback", "list")
