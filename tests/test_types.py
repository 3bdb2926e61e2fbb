"""Frozen values behave as frozen dataclasses do, for everything igfnet and its users rely on."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from igfnet.perturb import Perturbation
from igfnet.rules import Rule
from igfnet.types import EMPTY, Attractor, Attractors, Frozen


class Point(Frozen):
    x: int
    label: str = ""
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class DataclassPoint:
    x: int
    label: str = ""
    tags: tuple[str, ...] = ()


points = st.builds(
    lambda *values: values,
    st.integers(-3, 3),
    st.sampled_from(["", "a", "b"]),
    st.lists(st.sampled_from("xy"), max_size=2).map(tuple),
)


@given(points, points)
def test_equality_hashing_and_repr_are_those_of_a_frozen_dataclass(first, second):
    ours, theirs = (Point(*first), Point(*second)), (DataclassPoint(*first), DataclassPoint(*second))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (hash(ours[0]) == hash(ours[1])) >= (theirs[0] == theirs[1])
    assert repr(ours[0]) == repr(theirs[0]).replace("DataclassPoint", "Point")
    assert ours[0].replace(label="z") == Point(first[0], "z", first[2])
    assert dataclasses.replace(theirs[0], label="z") == DataclassPoint(first[0], "z", first[2])


def test_arguments_by_position_keyword_and_default():
    assert Point(1) == Point(x=1) == Point(1, "", ()) == Point(1, tags=())
    assert Point(1) != DataclassPoint(1)
    with pytest.raises(TypeError, match="missing the argument 'x'"):
        Point()
    with pytest.raises(TypeError, match="unexpected argument 'y'"):
        Point(1, y=2)
    with pytest.raises(TypeError, match="repeated argument 'x'"):
        Point(1, x=2)
    with pytest.raises(TypeError, match="takes 3 arguments, got 4"):
        Point(1, "", (), 4)


def test_fields_cannot_be_assigned_or_deleted():
    point = Point(1)
    with pytest.raises(AttributeError, match="frozen"):
        point.x = 2
    with pytest.raises(AttributeError, match="frozen"):
        del point.label
    with pytest.raises(AttributeError, match="frozen"):
        point.other = 0
    assert point == Point(1)


def test_a_mapping_field_is_unhashable_as_in_a_dataclass():
    with pytest.raises(TypeError, match="unhashable"):
        hash(Rule("A", "A", annotations={"evidence": ("x",)}))


@pytest.mark.parametrize(
    "value",
    [
        Point(2, "a", ("x",)),
        Rule("A", ("not", "B"), annotations={"evidence": ("[12]",)}, source="m.rules:1", text="not B"),
        Perturbation({}, {"IGF1R": 0}, {}, ("knockout IGF1R",)),
        Attractor({"A": "1", "B": "*"}, 2),
        Attractors((Attractor({"A": "1"}, 1),), ("A",), {"model": "m"}),
    ],
)
def test_pickle_and_copy_give_an_equal_value(value):
    for other in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
        assert type(other) is type(value) and other == value


def test_values_the_parsers_make_pickle_with_their_mappings_read_only():
    from types import MappingProxyType

    from igfnet.model import load_model

    model = load_model()
    perturbation = model.perturbation(context=next(iter(model.contexts)), drugs=[next(iter(model.drugs))])
    values = [*model.rules.values(), *model.drugs.values(), *model.contexts.values(), perturbation]
    for value in values:
        copied = pickle.loads(pickle.dumps(value))
        assert copied == value
        for field in value._fields:
            if isinstance(getattr(value, field), MappingProxyType):
                assert isinstance(getattr(copied, field), MappingProxyType), field
    assert pickle.loads(pickle.dumps(Perturbation(treatment=MappingProxyType({})))).treatment is EMPTY


def test_the_defaults_are_shared_read_only_mappings():
    assert Perturbation().context is Perturbation().treatment is EMPTY
    with pytest.raises(TypeError):
        EMPTY["A"] = 1  # type: ignore[index]
    assert Perturbation().is_empty and Rule("A", "A").annotations == {}


def test_a_subclass_adds_its_fields_after_its_parents_as_a_dataclass_does():
    class Labelled(Point):
        label: str = "default"
        weight: float = 1.0

    @dataclasses.dataclass(frozen=True)
    class DataclassLabelled(DataclassPoint):
        label: str = "default"
        weight: float = 1.0

    assert repr(Labelled(1)) == repr(DataclassLabelled(1)).replace("DataclassLabelled", "Labelled")
    assert Labelled(1, "a", ("x",), 2.0).weight == 2.0
    assert Point._fields == ("x", "label", "tags")
