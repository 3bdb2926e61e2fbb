"""Values are frozen slotted dataclasses whose mapping fields are read-only and pickle (FrozenMap)."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

import igfnet
from igfnet.formats import load_model
from igfnet.formats.bnet import write_bnet
from igfnet.formats.sbml import write_sbml
from igfnet.perturb import Perturbation
from igfnet.rules import Rule
from igfnet.types import EMPTY, Attractor, Attractors, FrozenMap

mappings = st.dictionaries(st.sampled_from("ABCD"), st.integers(0, 1), max_size=4)


@given(mappings, mappings)
def test_a_frozen_map_compares_and_hashes_as_the_dict_it_holds(first, second):
    ours = FrozenMap(first)
    assert ours == first and (ours == FrozenMap(second)) == (first == second)
    assert (hash(ours) == hash(FrozenMap(second))) >= (first == second)
    assert dict(ours) == first and len(ours) == len(first) and list(ours) == list(first)
    assert repr(ours) == repr(first)
    for other in (pickle.loads(pickle.dumps(ours)), copy.copy(ours), copy.deepcopy(ours)):
        assert type(other) is FrozenMap and other == ours


def test_a_frozen_map_refuses_changes_and_its_source_dict_cannot_reach_it():
    source = {"A": 1}
    fixed = FrozenMap(source)
    source["A"] = 0
    assert fixed["A"] == 1
    with pytest.raises(TypeError):
        fixed["A"] = 0  # type: ignore[index]
    with pytest.raises(AttributeError):
        fixed.update({"B": 1})  # type: ignore[attr-defined]
    assert EMPTY == {} and Perturbation().context is EMPTY


def _value_classes() -> list[type]:
    """Every dataclass igfnet defines, module by module."""
    found = []
    for module in pkgutil.walk_packages(igfnet.__path__, "igfnet."):
        if module.name.startswith(("igfnet.cli", "igfnet.__main__")):
            continue
        loaded = importlib.import_module(module.name)
        for _, kind in inspect.getmembers(loaded, inspect.isclass):
            if kind.__module__ == loaded.__name__ and dataclasses.is_dataclass(kind):
                found.append(kind)
    return found


def test_every_frozen_value_is_a_slotted_dataclass():
    frozen = [kind for kind in _value_classes() if kind.__dataclass_params__.frozen]  # type: ignore[attr-defined]
    assert {Rule, Perturbation, Attractor, Attractors} <= set(frozen)
    not_slotted = [kind.__qualname__ for kind in frozen if "__slots__" not in kind.__dict__]
    assert not not_slotted
    assert not hasattr(igfnet.types, "Frozen")


def test_values_refuse_assignment():
    rule = Rule("A", "A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.target = "B"  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        rule.other = 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "value",
    [
        Rule("A", ("not", "B"), annotations=FrozenMap({"evidence": ("[12]",)}), source="m.rules:1", text="not B"),
        Perturbation(EMPTY, FrozenMap({"IGF1R": 0}), EMPTY, ("knockout IGF1R",)),
        Attractor(FrozenMap({"A": "1", "B": "*"}), 2),
        Attractors((Attractor(FrozenMap({"A": "1"}), 1),), ("A",), FrozenMap({"model": "m"})),
    ],
)
def test_pickle_and_copy_give_an_equal_value(value):
    for other in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
        assert type(other) is type(value) and other == value


def _round_trip(value: object) -> object:
    return pickle.loads(pickle.dumps(value))


def test_the_values_the_parsers_make_pickle_and_stay_read_only(tmp_path):
    model = load_model()
    perturbations = [model.perturbation(context=name) for name in model.contexts] + [
        model.perturbation(drugs=[name]) for name in model.drugs
    ]
    values = [*model.rules.values(), *model.drugs.values(), *model.contexts.values(), *perturbations]
    values.append(model.attractors(knockout=["IGF1R"]))
    for value in values:
        copied = _round_trip(value)
        assert copied == value
        for field in dataclasses.fields(value):  # type: ignore[arg-type]
            if isinstance(getattr(value, field.name), FrozenMap):
                assert isinstance(getattr(copied, field.name), FrozenMap), field.name
    # The same from the other readers: .bnet and SBML-qual write and read back the same rules.
    for write, suffix in ((write_bnet, ".bnet"), (write_sbml, ".sbml")):
        path = tmp_path / f"model{suffix}"
        path.write_text(write(model))
        loaded = load_model(path)
        assert _round_trip(list(loaded.rules.values())) == list(loaded.rules.values())


def test_the_model_itself_pickles_with_its_drugs_contexts_and_graph():
    model = load_model()
    copied = _round_trip(model)
    assert isinstance(copied, type(model))
    assert copied.rules == model.rules and copied.drugs == model.drugs and copied.contexts == model.contexts
    assert copied.name == model.name and set(copied.graph.edges) == set(model.graph.edges)
    assert copied.attractors(knockout=["IGF1R"]) == model.attractors(knockout=["IGF1R"])
