"""Candidate biomarkers of the review's Table 3 on a virtual cohort of tumours.

Each virtual tumour is one combination of biomarker states (every
combination, or a seeded random sample of them). Each is treated the way
``igfnet compare`` treats a context: the treatment acts on the tumour's
untreated attractors and the fully asynchronous dynamics is followed to every
attractor it can reach. A tumour *responds* when every reached attractor
meets the response criterion (Proliferation=0 by default). Tumours that
already meet the criterion untreated (they do not grow) are not evaluable,
as a trial enrols only growing tumours.

Per biomarker and treatment: the 2x2 table (present/absent x
responder/non-responder), the odds ratio with a 95% confidence interval,
Fisher's exact test, and whether the model's direction agrees with the
review's. Because the cohort is every combination of states (not a sample of
patients), a p-value measures how strongly the model's structure ties the
biomarker to response, not evidence from patients.

Examples
--------
>>> from igfnet.formats import load_model
>>> model = load_model()
>>> chosen = [b for b in BIOMARKERS if b.key in ("igf2_high", "pten_loss")]
>>> result = biomarker_cohort(model, chosen, ["figitumumab", "osi906"], jobs=1)
>>> [(row.states, row.responds) for row in result.rows]  # (IGF-2 high, PTEN loss): (antibody, TKI)
[((False, False), (True, True)), ((False, True), (False, False)), ((True, False), (False, True)), ((True, True), (False, False))]
>>> [(s.treatment, s.biomarker.key, s.agreement) for s in biomarker_statistics(result)]
[('figitumumab', 'igf2_high', 'disagrees'), ('figitumumab', 'pten_loss', 'agrees'), ('osi906', 'igf2_high', 'disagrees'), ('osi906', 'pten_loss', 'agrees')]

The package follows the analysis: :mod:`.definitions` (the biomarkers, read
from ``rules/biomarkers.txt``), :mod:`.cohort` (the virtual tumours, solved),
:mod:`.statistics` (per biomarker and treatment) and :mod:`.rules` (smallest
predictive combinations).
"""

from __future__ import annotations

from igfnet.analysis.biomarkers.cohort import (
    DEFAULT_TREATMENTS,
    MAX_FULL_COHORT,
    Cohort,
    TumourResult,
    biomarker_cohort,
    cohort_indices,
    states_of,
    tumour_settings,
)
from igfnet.analysis.biomarkers.definitions import (
    BIOMARKER_FILE,
    BIOMARKERS,
    CLASSES,
    DIRECTIONS,
    Biomarker,
    check_biomarkers,
    parse_biomarkers,
    read_biomarkers,
    treatment_class,
)
from igfnet.analysis.biomarkers.rules import PredictiveRule, predictive_rules
from igfnet.analysis.biomarkers.statistics import (
    BiomarkerStatistic,
    OddsRatio,
    biomarker_statistics,
    odds_ratio,
    statistics_rows,
)
from igfnet.analysis.review import OTHER

__all__ = [
    "BIOMARKERS",
    "BIOMARKER_FILE",
    "Biomarker",
    "BiomarkerStatistic",
    "CLASSES",
    "Cohort",
    "DEFAULT_TREATMENTS",
    "DIRECTIONS",
    "MAX_FULL_COHORT",
    "OTHER",
    "OddsRatio",
    "PredictiveRule",
    "TumourResult",
    "biomarker_cohort",
    "biomarker_statistics",
    "check_biomarkers",
    "cohort_indices",
    "odds_ratio",
    "parse_biomarkers",
    "predictive_rules",
    "read_biomarkers",
    "states_of",
    "statistics_rows",
    "treatment_class",
    "tumour_settings",
]
