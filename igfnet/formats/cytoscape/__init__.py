"""The regulatory graph for Cytoscape and other graph tools: SIF, GraphML, Cytoscape.js JSON (cyjs), CX2, vizmap styles.

Every format carries the same tables, built once by :func:`annotated_graph`:

- per node: ``name`` (the node's identifier, Cytoscape's key column),
  ``full_name``, ``kind``, ``module``, ``rule``, ``evidence``, ``is_input``,
  ``default`` and any other annotation of the rule;
- per edge: ``interaction`` and ``sign`` (activation, inhibition or dual, from
  the rule's logic) and ``evidence`` (the target rule's evidence: the bundled
  rules cite evidence per rule, not per regulator);
- given attractors: per node ``attractor_1`` ... ``attractor_k`` (``0``,
  ``1``, ``*``) and ``state`` (``0``/``1``/``*`` when the same in every
  attractor, ``mixed`` otherwise), ``perturbed`` (``knockout``,
  ``overexpress``, ``context`` or empty) and ``perturbed_by``; per edge
  ``cut``; on the network the perturbation and each attractor's size.

Every value is a string, so the columns have the same type in every
format. The graph is the model's own (a cut interaction is kept and marked
``cut``, a knocked-out node keeps its rule), so networks exported under
different perturbations share one layout and line up in Cytoscape.

Examples
--------
>>> from igfnet.formats import load_model
>>> model = load_model()
>>> graph = annotated_graph(model, model.attractors(knockout=["IGF1R"]), model.perturbation(knockout=["IGF1R"]))
>>> graph.nodes["IGF1R"]["perturbed"], graph.nodes["AKT"]["state"], graph.edges["PDK1", "AKT"]["sign"]
('knockout', '0', 'activation')
>>> "PTEN inhibition PIP3" in write_sif(graph).splitlines()
True

The package keeps the parts apart: :mod:`.annotation` (the graph's tables; the
caller computes the attractors and passes them in), :mod:`.writers` (one text
format each) and :mod:`.styles` (colours and Cytoscape styles).
"""

from __future__ import annotations

from igfnet.formats.cytoscape.annotation import MAX_ATTRACTOR_COLUMNS, annotated_graph
from igfnet.formats.cytoscape.styles import (
    PERTURBED_COLOURS,
    SIGN_COLOURS,
    STATE_COLOURS,
    kind_colours,
    write_styles_xml,
)
from igfnet.formats.cytoscape.writers import write_cx2, write_cyjs, write_graphml, write_sif

__all__ = [
    "MAX_ATTRACTOR_COLUMNS",
    "PERTURBED_COLOURS",
    "SIGN_COLOURS",
    "STATE_COLOURS",
    "annotated_graph",
    "kind_colours",
    "write_cx2",
    "write_cyjs",
    "write_graphml",
    "write_sif",
    "write_styles_xml",
]
