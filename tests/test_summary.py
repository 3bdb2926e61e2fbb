"""Reading an attractor's pattern and state count off its BDD: the subspace shortcut against the general walk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import partial_states

from igfnet.dynamics._symbolic import SymbolicSpace

NODES = [f"n{index}" for index in range(8)]
SPACE = SymbolicSpace(NODES)


def brute_force_summary(states) -> tuple[dict[str, str], int]:
    members = [assignment for assignment in SPACE.bdd.pick_iter(states, care_vars=set(SPACE._names.values()))]
    pattern = {}
    for node in NODES:
        seen = {members_value[SPACE.name(node)] for members_value in members}
        pattern[node] = "*" if len(seen) == 2 else "1" if True in seen else "0"
    return pattern, len(members)


@settings(max_examples=100, deadline=None)
@given(partial_states(NODES))
def test_a_subspace_is_read_by_its_single_path(cube):
    states = SPACE.cube(cube)
    assert SPACE._cube_pattern(states) == brute_force_summary(states)
    assert SPACE.summary(states) == brute_force_summary(states)


@settings(max_examples=100, deadline=None)
@given(st.lists(partial_states(NODES), min_size=2, max_size=4))
def test_other_sets_take_the_general_walk_and_agree_with_brute_force(cubes):
    states = SPACE.false
    for cube in cubes:
        states |= SPACE.cube(cube)
    shortcut = SPACE._cube_pattern(states)
    assert shortcut is None or shortcut == brute_force_summary(states)  # a union of cubes may be a cube
    assert SPACE.summary(states) == brute_force_summary(states)
