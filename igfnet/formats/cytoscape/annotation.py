"""The regulatory graph with string attributes for export: rules, signs, evidence, and the attractors the caller passes in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    import networkx

    from igfnet.model import BooleanNetwork
    from igfnet.perturb import Perturbation
    from igfnet.types import Attractors


MAX_ATTRACTOR_COLUMNS = 64
"""Above this many attractors (e.g. with --free-inputs), only the summary ``state`` column is written."""


def annotated_graph(
    model: BooleanNetwork,
    attractors: Attractors | None = None,
    perturbation: Perturbation | None = None,
    *,
    max_attractor_columns: int = MAX_ATTRACTOR_COLUMNS,
    free_inputs: bool = False,
    initial: Mapping[str, int] | str | None = None,
) -> networkx.DiGraph:
    """The model's regulatory graph with string attributes for export, and the attractor states if given.

    Parameters
    ----------
    model : BooleanNetwork
    attractors : Attractors, optional
        The attractors to write per node (``attractor_1`` ... and ``state``).
    perturbation : Perturbation, optional
        What was applied: perturbed nodes and cut edges are marked.
    max_attractor_columns : int
        With more attractors than this, only ``state`` is written per node.
    free_inputs, initial
        How the attractors were asked for (as in :meth:`BooleanNetwork.attractors`), written on the network.
        The formats layer runs no dynamics: the caller computes the attractors and passes them in.

    Returns
    -------
    networkx.DiGraph
        A new graph; ``graph.graph`` holds the network attributes.
    """
    import networkx

    source = model.graph
    graph = networkx.DiGraph()
    from igfnet import __version__

    graph.graph.update(name=model.name, generated_by=f"igfnet {__version__}", semantics="fully asynchronous")
    for node, data in source.nodes(data=True):
        rule = model.rules[node]
        attributes = {
            "name": node,
            "full_name": rule.annotation("name"),
            "kind": rule.annotation("kind"),
            "module": rule.annotation("module"),
            "rule": rule.text,
            "evidence": data.get("evidence", ""),
            "is_input": "true" if rule.is_input else "false",
            "default": "" if not rule.is_input else "free" if rule.default is None else str(rule.default),
        }
        for key, value in data.items():
            if key not in attributes and key not in ("is_input", "default") and key != "name":
                attributes[key] = str(value)
        graph.add_node(node, **attributes)
    for head, tail, data in source.edges(data=True):
        graph.add_edge(head, tail, interaction=data["sign"], sign=data["sign"], evidence=graph.nodes[tail]["evidence"])
    if perturbation is not None:
        _mark_perturbation(graph, perturbation)
    if attractors is not None:
        _add_states(graph, attractors, max_attractor_columns)
        if initial is not None:
            graph.graph["initial"] = (
                initial if isinstance(initial, str) else ",".join(f"{k}={v}" for k, v in initial.items())
            )
    if free_inputs:
        graph.graph["inputs"] = "free"
    return graph


def _mark_perturbation(graph: networkx.DiGraph, perturbation: Perturbation) -> None:
    graph.graph["perturbation"] = ", ".join(perturbation.labels) or "none"
    for node, data in graph.nodes(data=True):
        if node in perturbation.treatment:
            data["perturbed"] = "knockout" if perturbation.treatment[node] == 0 else "overexpress"
        elif node in perturbation.context:
            data["perturbed"] = "context"
        else:
            data["perturbed"] = ""
        data["perturbed_by"] = ", ".join(perturbation.fixed_by.get(node, ()))
    for head, tail, data in graph.edges(data=True):
        data["cut"] = "true" if (head, tail) in perturbation.cuts else "false"


def _add_states(graph: networkx.DiGraph, attractors: Attractors, max_columns: int) -> None:
    count = len(attractors)
    graph.graph["attractors"] = str(count)
    columns = count <= max_columns
    if not columns:
        graph.graph["attractor_columns"] = f"omitted: {count} attractors, more than {max_columns}"
    for index, attractor in enumerate(attractors, 1):
        if columns:
            graph.graph[f"attractor_{index}_states"] = str(attractor.states)
    for node, data in graph.nodes(data=True):
        values = [attractor.pattern[node] for attractor in attractors]
        if columns:
            for index, value in enumerate(values, 1):
                data[f"attractor_{index}"] = value
        data["state"] = values[0] if len(set(values)) == 1 else "mixed"
