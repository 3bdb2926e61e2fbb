"""Perturbations: knockouts, overexpression, edge cuts, named drugs and tumour contexts.

- :mod:`.grammar`: the notations as text (``NODE=0|1``, ``SOURCE:TARGET``, ``A+B``), syntax only;
- :mod:`.perturbation`: the values (:class:`Treatment`, :class:`Perturbation`), checked
  against a model and applied to it;
- :mod:`.interventions`: named drugs and tumour contexts (``drugs.txt``, ``contexts.txt``).

The names below are the package's public API; import them from here.
"""

from __future__ import annotations

from igfnet.perturb.grammar import match_cut, match_setting, parse_setting
from igfnet.perturb.interventions import INTERVENTION_FILES, Intervention, parse_interventions, read_interventions
from igfnet.perturb.perturbation import (
    Cut,
    Item,
    Perturbation,
    Treatment,
    apply_perturbation,
    build_perturbation,
    canonical_combination,
    conflicting_items,
    parse_combination,
    parse_item,
    parse_items,
    parse_treatment,
    resolve_cut,
)

__all__ = [
    "INTERVENTION_FILES",
    "Cut",
    "Intervention",
    "Item",
    "Perturbation",
    "Treatment",
    "apply_perturbation",
    "build_perturbation",
    "canonical_combination",
    "conflicting_items",
    "match_cut",
    "match_setting",
    "parse_combination",
    "parse_interventions",
    "parse_item",
    "parse_items",
    "parse_setting",
    "parse_treatment",
    "read_interventions",
    "resolve_cut",
]
