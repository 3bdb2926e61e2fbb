"""Hypothesis strategies for random Boolean networks."""

from __future__ import annotations

from hypothesis import strategies as st

from igfnet.model import BooleanNetwork
from igfnet.rules import Rule


def expressions(names: list[str], depth: int = 3):
    leaves = st.sampled_from(names)
    if depth == 0:
        return leaves
    smaller = expressions(names, depth - 1)
    return st.one_of(
        leaves,
        leaves,
        st.tuples(st.just("not"), smaller),
        st.builds(lambda a, b: ("and", a, b), smaller, smaller),
        st.builds(lambda a, b: ("or", a, b), smaller, smaller),
    )


@st.composite
def networks(draw, min_nodes: int = 1, max_nodes: int = 8, max_regulators: int = 3):
    """A dict node -> expression; some nodes are inputs (f(X) = X) or constants."""
    count = draw(st.integers(min_nodes, max_nodes))
    nodes = [f"n{index}" for index in range(count)]
    functions = {}
    for node in nodes:
        kind = draw(st.sampled_from(["rule", "rule", "rule", "rule", "input", "constant"]))
        if kind == "input":
            functions[node] = node
        elif kind == "constant":
            functions[node] = draw(st.booleans())
        else:
            regulators = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=max_regulators, unique=True))
            functions[node] = draw(expressions(regulators, depth=2))
    return functions


@st.composite
def partial_states(draw, nodes: list[str]):
    chosen = draw(st.lists(st.sampled_from(nodes), unique=True, max_size=len(nodes)))
    return {node: draw(st.integers(0, 1)) for node in chosen}


@st.composite
def random_models(draw, max_nodes: int = 7):
    """A BooleanNetwork of random rules; inputs have a random default (or none)."""
    functions = draw(networks(max_nodes=max_nodes))
    rules = []
    for node, function in functions.items():
        if function == node:
            rules.append(Rule(node, node, True, draw(st.sampled_from([None, 0, 1]))))
        else:
            rules.append(Rule(node, function))
    return BooleanNetwork(rules, name="random")
