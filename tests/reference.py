"""A brute-force reference: the explicit asynchronous state graph and networkx's attracting components.

Deliberately naive and independent of igfnet's engine (no percolation, no
BDDs): only for small networks.
"""

from __future__ import annotations

import itertools

import networkx

from igfnet.logic import evaluate


def state_graph(functions: dict) -> networkx.DiGraph:
    nodes = list(functions)
    graph = networkx.DiGraph()
    for values in itertools.product((0, 1), repeat=len(nodes)):
        state = dict(zip(nodes, values))
        graph.add_node(values)
        for index, node in enumerate(nodes):
            target = int(evaluate(functions[node], state))
            if target != values[index]:
                graph.add_edge(values, values[:index] + (target,) + values[index + 1 :])
    return graph


def summarize(nodes: list[str], component) -> tuple[str, int]:
    pattern = ""
    for index in range(len(nodes)):
        seen = {state[index] for state in component}
        pattern += "*" if len(seen) == 2 else str(seen.pop())
    return pattern, len(component)


def brute_force_attractors(functions: dict, initial: dict | None = None) -> list[tuple[str, int]]:
    """Sorted (pattern, number of states) of every attractor (reachable from ``initial``, if given)."""
    nodes = list(functions)
    graph = state_graph(functions)
    components = list(networkx.attracting_components(graph))
    if initial is not None:
        starts = [s for s in graph if all(s[nodes.index(n)] == v for n, v in initial.items())]
        reachable = set()
        for start in starts:
            reachable |= networkx.descendants(graph, start) | {start}
        components = [c for c in components if next(iter(c)) in reachable]
    return sorted(summarize(nodes, component) for component in components)


def brute_force_treated(untreated: dict, treated: dict, treatment: dict) -> list[tuple[str, int]]:
    """Attractors of ``treated`` reachable from every state of ``untreated``'s attractors, with ``treatment`` written over them."""
    nodes = list(untreated)
    starts = set()
    for component in networkx.attracting_components(state_graph(untreated)):
        for state in component:
            starts.add(tuple(treatment.get(node, value) for node, value in zip(nodes, state)))
    graph = state_graph(treated)
    reachable = set()
    for start in starts:
        reachable |= networkx.descendants(graph, start) | {start}
    return sorted(
        summarize(nodes, component)
        for component in networkx.attracting_components(graph)
        if next(iter(component)) in reachable
    )


def reachable_states(functions: dict, start: dict) -> list[dict]:
    """Every state reachable from one complete state (itself included), each as node -> 0/1."""
    nodes = list(functions)
    graph = state_graph(functions)
    origin = tuple(int(start[node]) for node in nodes)
    return [dict(zip(nodes, state)) for state in networkx.descendants(graph, origin) | {origin}]
