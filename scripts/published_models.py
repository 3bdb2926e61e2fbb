"""Four published Boolean models of IGF-1R signalling side by side with igfnet's bundled model.

The models (Biodivine Boolean Models, ../shared/models/bbm, inputs written ``x, x``):

* bbm140: Zanudo, Scaltriti & Albert 2017, ER+ PIK3CA-mutant breast cancer, alpelisib resistance;
* bbm231: Taoma et al. 2024, breast cancer signalling (BoolSyn), 117 nodes;
* bbm071: Arshad & Datta 2017, castration-resistant prostate cancer, with cixutumumab;
* bbm096: Sahin et al. 2009, ERBB-regulated G1/S transition (HER2 / IGF-1R / ERalpha).

A small table of claims that these models can share (IGF-1R blockade, PI3K/PTEN
resistance, mTORC1 feedback release, HER2 and ER crosstalk, proliferation and
apoptosis readouts) is written once in igfnet's vocabulary; a mapping per model
translates node names, contexts and treatments. A claim is "not expressible"
(n.a.) in a model that lacks the species, context or drug it needs.

Semantics, the same for every model: fully asynchronous attractors reachable
from the untreated cell, i.e. ``model.attractors(settings=<context>, knockout=...,
initial="untreated")``. A readout "agrees" when it takes the value that igfnet
gives (which is also the review's expectation) in every reachable attractor.
``agree*`` marks an agreement that is not specific: the model gives the same
value in the claim's control, where the opposite is expected (e.g. AKT stays on
under IGF-1R blockade with PTEN loss, but also without it). Treatments are node
knockouts (the drug's target fixed at 0), so that all models are perturbed
alike; only the mAb claims use a model's own antibody (igfnet figitumumab,
bbm071 Cixutumumab). Every input of a published model is fixed in every context
(the choices are documented in MODELS below); free inputs would mix thousands
of unrelated attractors.

    python scripts/published_models.py [--models DIR] [--format table|csv]

Exit status 0 (differences are findings, not failures); 2 if a model file is missing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import igfnet

# ------------------------------------------------------------------ claims


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    ref: str  # expectation ids of biology-notes.md; igfnet claim ids of rules/claims.csv in brackets
    context: str  # key of Model.contexts
    treatment: tuple[str, ...]  # atoms: "NODE=0" (canonical node name) or "mAb"
    readout: str  # canonical node name
    expected: str  # "0", "1", or "a>b": untreated value a, treated value b
    control: str | None = None  # claim whose expected readout is the opposite; same observed value -> not specific


# fmt: off
# id, description, biology-notes expectation [igfnet claims.csv id], context, treatment, readout, expected, control
CLAIMS = [
    Claim("base_akt", "AKT on in the IGF-1-driven cell", "E1 [base_akt]", "igf", (), "AKT", "1"),
    Claim("base_erk", "ERK on in the IGF-1-driven cell", "E1 [base_erk]", "igf", (), "ERK", "1"),
    Claim("base_prolif", "IGF-1-driven cell proliferates", "E1 [base_prolif]", "igf", (), "Proliferation", "1"),
    Claim("noligand_akt", "no IGF ligand: AKT off", "E2 [noligand_akt]", "igf", ("IGF=0",), "AKT", "0"),
    Claim("ko_igf1r_akt", "IGF-1R blockade: AKT off", "E3 [ko_igf1r_akt]", "igf", ("IGF1R=0",), "AKT", "0"),
    Claim("ko_igf1r_erk", "IGF-1R blockade: ERK off", "E3 [ko_igf1r_erk]", "igf", ("IGF1R=0",), "ERK", "0"),
    Claim("ko_igf1r_prolif", "IGF-1R blockade: no proliferation", "E3 [mab_prolif]", "igf",
          ("IGF1R=0",), "Proliferation", "0"),
    Claim("ko_igf1r_p27", "p27 low; IGF-1R blockade restores it", "E25 [base_p27, mab_p27]", "igf",
          ("IGF1R=0",), "p27", "0>1"),
    Claim("ko_igf1r_apopt", "IGF-1R blockade induces apoptosis", "E3 [base_apoptosis, ko_igf1r_apoptosis]", "igf",
          ("IGF1R=0",), "Apoptosis", "0>1"),
    Claim("mab_akt", "model's anti-IGF-1R mAb: AKT off", "E3 [mab_akt]", "igf", ("mAb",), "AKT", "0"),
    Claim("mab_erk", "model's anti-IGF-1R mAb: ERK off", "E3 [mab_erk]", "igf", ("mAb",), "ERK", "0"),
    Claim("pi3k_ko_akt", "PI3K inhibition: AKT off", "E4 [pi3k_ko_akt]", "igf", ("PI3K=0",), "AKT", "0"),
    Claim("pten_igf1r_akt", "PTEN loss: AKT on despite IGF-1R block", "E18 [pten_ko_akt]", "pten",
          ("IGF1R=0",), "AKT", "1", control="ko_igf1r_akt"),
    Claim("pi3k_igf1r_akt", "active PI3K: AKT on despite IGF-1R block", "E18 [pik3ca_mab_akt]", "pi3k",
          ("IGF1R=0",), "AKT", "1", control="ko_igf1r_akt"),
    Claim("mtori_s6k", "mTORC1 inhibition: S6K off", "E7 [mtori_s6k]", "igf", ("MTORC1=0",), "S6K", "0"),
    Claim("mtori_irs1", "mTORC1 inhibition releases IRS-1", "E7 [base_feedback, mtori_irs1]", "igf",
          ("MTORC1=0",), "IRS1fb", "0>1"),
    Claim("mtori_akt", "mTORC1 inhibition: AKT stays on", "E7 [mtori_akt]", "igf",
          ("MTORC1=0",), "AKT", "1", control="mtori_igf1r_akt"),
    Claim("mtori_igf1r_akt", "mTORC1 + IGF-1R blockade: AKT off", "E8 [mtori_mab_akt]", "igf",
          ("MTORC1=0", "IGF1R=0"), "AKT", "0"),
    Claim("mtori_igf1r_irs1", "mTORC1+IGF-1R blockade: no IRS-1 rebound", "E8 [mtori_mab_akt_high]", "igf",
          ("MTORC1=0", "IGF1R=0"), "IRS1fb", "0"),
    Claim("her2_igf1r_akt", "IGF-1R blockade alone: AKT on (HER2)", "E28 [her2_mab_akt]", "her2",
          ("IGF1R=0",), "AKT", "1", control="her2_dual_akt"),
    Claim("her2_her2_akt", "HER2 blockade alone: AKT on (IGF-1R)", "E22 [her2_tras_akt]", "her2",
          ("HER2=0",), "AKT", "1", control="her2_dual_akt"),
    Claim("her2_dual_akt", "HER2 + IGF-1R blockade: AKT off", "E23 [her2_dual_akt]", "her2",
          ("HER2=0", "IGF1R=0"), "AKT", "0"),
    Claim("her2_dual_prolif", "HER2 + IGF-1R blockade: no proliferation", "E23 [her2_dual_prolif]", "her2",
          ("HER2=0", "IGF1R=0"), "Proliferation", "0"),
    Claim("er_esr1_prolif", "ER antagonist alone: proliferation on", "E27 [er_fulv_prolif]", "er",
          ("ESR1=0",), "Proliferation", "1", control="er_dual_prolif"),
    Claim("er_igf1r_prolif", "IGF-1R blockade alone: proliferation on", "E27 [er_mab_prolif]", "er",
          ("IGF1R=0",), "Proliferation", "1", control="er_dual_prolif"),
    Claim("er_dual_prolif", "ER + IGF-1R blockade: no proliferation", "E27 [er_fulv_mab_prolif]", "er",
          ("ESR1=0", "IGF1R=0"), "Proliferation", "0"),
]
# fmt: on

CONTEXTS = {
    "igf": "IGF-1-driven, ER-negative, HER2-normal, PTEN/PI3K wild type, no drug",
    "pten": "igf + PTEN loss",
    "pi3k": "igf + constitutively active PI3K (PIK3CA mutation)",
    "her2": "HER2-amplified (HER2-family signalling on) + IGF-1",
    "er": "ER-positive with estrogen + IGF-1",
}

READOUTS = {
    "IGF": "IGF ligand",
    "IGF1R": "active IGF-1R",
    "IRS1fb": "IRS-1 (the S6K/mTORC1 feedback target)",
    "PI3K": "PI3K",
    "PTEN": "PTEN",
    "AKT": "AKT",
    "MTORC1": "mTORC1",
    "S6K": "S6K",
    "ERK": "ERK",
    "HER2": "HER2",
    "ESR1": "ER activity",
    "p27": "p27 (CDKN1B)",
    "Proliferation": "proliferation",
    "Apoptosis": "apoptosis",
}

# ------------------------------------------------------------------ models


@dataclass
class Model:
    key: str
    label: str
    file: str | None  # glob in the models directory; None = igfnet's bundled model
    nodes: dict[str, str | None]  # canonical -> model node; None: species absent. "~" prefix: a proxy.
    contexts: dict[str, dict | str]  # canonical context -> {"set", "context", "initial"}; str: why not expressible
    drugs: dict[str, dict] = field(default_factory=dict)  # "mAb" -> attractors() keyword arguments
    absent: dict[str, str] = field(default_factory=dict)  # canonical node (None in nodes) -> what the model has instead
    reasons: dict[str, str] = field(default_factory=dict)  # reason key -> explanation
    why: dict[str, str] = field(default_factory=dict)  # claim id -> reason key (used when the claim differs)


# fmt: off
IGFNET = Model(
    key="igfnet",
    label="igfnet bundled model (rules/)",
    file=None,
    nodes={
        "IGF": "IGF1", "IGF1R": "IGF1R", "IRS1fb": "IRS1_high", "PI3K": "PI3K", "PTEN": "PTEN", "AKT": "AKT",
        "MTORC1": "MTORC1", "S6K": "S6K", "ERK": "ERK", "HER2": "HER2", "ESR1": "ESR1", "p27": "CDKN1B",
        "Proliferation": "Proliferation", "Apoptosis": "Apoptosis",
    },
    # the model's own named contexts (rules/contexts.txt); "default" is the IGF-1-driven cell
    contexts={
        "igf": {"context": "default"},
        "pten": {"context": "pten_loss"},
        "pi3k": {"context": "pik3ca_mutant"},
        "her2": {"context": "her2_trastuzumab_resistant"},
        "er": {"context": "er_luminal_b"},
    },
    drugs={"mAb": {"drugs": ["figitumumab"]}},
)

# Zanudo 2017. Inputs as in the authors' initial conditions
# (jgtz/BreastCancerModelv2, BreastCancerModel_ZanudoEtAl2017_InitialConditions.txt): IGF1R_T=1,
# HER2=0, HER3_T=0, PDK1=0, SGK1_T=0, PIM=0, PTEN=0, PBX1=1, every drug 0; BCL2_T and BIM_T (random
# there) are 0 so that apoptosis follows signalling. ER (estrogen-bound ER) is 0 in the ER-negative
# IGF cell and 1 in the ER+ context. PIP3 = PI3K & !PTEN: PTEN=1 abolishes PIP3 whatever PI3K
# does, so PTEN=0 is the authors' setting for PTEN-wild-type cells and PTEN loss cannot be represented. The latches Apoptosis* (x = ... | x) and mTORC2
# (mTORC2 = mTORC2 & !Everolimus) start as in the authors' initial state (alive, mTORC2 on);
# otherwise the untreated attractors would include already-dead cells.
_BBM140_INPUTS = {
    "Alpelisib": 0, "BCL2_T": 0, "BIM_T": 0, "ER": 0, "Everolimus": 0, "Fulvestrant": 0, "HER2": 0, "HER3_T": 0,
    "IGF1R_T": 1, "Ipatasertib": 0, "Neratinib": 0, "PBX1": 1, "PDK1": 0, "PIM": 0, "PTEN": 0, "Palbociclib": 0,
    "SGK1_T": 0, "Trametinib": 0,
}
_BBM140_INITIAL = {"Apoptosis": 0, "Apoptosis_2": 0, "Apoptosis_3": 0, "mTORC2": 1}

BBM140 = Model(
    key="bbm140",
    label="Zanudo 2017, ER+ breast cancer drug resistance",
    file="bbm140-*.bnet",
    nodes={
        "IGF": None, "IGF1R": "IGF1R", "IRS1fb": "IGF1R_2", "PI3K": "PI3K", "PTEN": "PTEN", "AKT": "AKT",
        "MTORC1": "mTORC1", "S6K": "S6K", "ERK": "MAPK", "HER2": "HER2", "ESR1": "ESR1", "p27": "p21_p27",
        "Proliferation": "Proliferation", "Apoptosis": "Apoptosis",
    },
    absent={"IGF": "no IGF ligand node (IGF1R_T is the receptor level)"},
    # IRS is lumped into the receptor: IGF1R_2 is its feedback-sensitive high level (IGF1R_2 = ... & !S6K & IGF1R)
    contexts={
        "igf": {"set": _BBM140_INPUTS, "initial": _BBM140_INITIAL},
        "pten": "PTEN loss not representable: PTEN can only abolish PIP3 (PIP3 = PI3K & !PTEN), never make it "
        "PI3K-independent; PTEN=0 is already the authors' PTEN-wild-type setting",
        "pi3k": {"set": {**_BBM140_INPUTS, "PI3K": 1}, "initial": _BBM140_INITIAL},
        # HER3_T=1: HER2-amplified cells express HER3; with HER3_T=0 HER3 exists only when FOXO3 is on, and
        # the AKT -| FOXO3 -> HER3 -> HER2_3 -> PI3K -> AKT negative loop oscillates under IGF-1R knockout
        "her2": {"set": {**_BBM140_INPUTS, "HER2": 1, "HER3_T": 1}, "initial": _BBM140_INITIAL},
        "er": {"set": {**_BBM140_INPUTS, "ER": 1}, "initial": _BBM140_INITIAL},
    },
    reasons={
        "p27": "p21_p27 = (!AKT & !PIM) | p21_p27_T, and p21_p27_T = FOXO3 | !(MYC | MYC_2): only "
        "ER-driven MYC represses p21/p27 transcription, so the ER-negative IGF cell has p21/p27 on "
        "although AKT is on (p21_p27 is 0 in the ER+ context). IGF-1R blockade still leaves it on.",
    },
    why={"ko_igf1r_p27": "p27"},
)

# Taoma 2024. Inputs: IGF1=1, every other ligand 0 (INS, EGF, NRG1, ES estrogen, PG progesterone,
# DLL_i Notch ligand); ES=1 in the ER+ context. HER2 = HER3 | EGF and HER3 = NRG1 | HER2 form a
# self-sustaining loop, so without EGF/NRG1 the untreated cell has HER2-on and HER2-off attractors;
# the HER2-normal contexts start it off (initial HER2=HER3=0), the HER2 context fixes HER2=1
# (amplification). PTEN is not an input (PTEN = S6K1 & !SRC); PTEN loss fixes it at 0.
_BBM231_INPUTS = {"DLL_i": 0, "EGF": 0, "ES": 0, "IGF1": 1, "INS": 0, "NRG1": 0, "PG": 0}
_BBM231_HER2_OFF = {"HER2": 0, "HER3": 0}

BBM231 = Model(
    key="bbm231",
    label="Taoma 2024, breast cancer signalling pathways",
    file="bbm231-*.bnet",
    nodes={
        "IGF": "IGF1", "IGF1R": "IGF1R", "IRS1fb": "IRS1", "PI3K": "PI3K_c", "PTEN": "PTEN", "AKT": "AKT_i",
        "MTORC1": "MTORC1_c", "S6K": "S6K1", "ERK": "ERK_i", "HER2": "HER2", "ESR1": "ESR1", "p27": None,
        "Proliferation": "~CYCLIN_D_c", "Apoptosis": "~CASP3",
    },
    absent={"p27": "no p27 node (only P21)"},
    contexts={
        "igf": {"set": _BBM231_INPUTS, "initial": _BBM231_HER2_OFF},
        "pten": {"set": {**_BBM231_INPUTS, "PTEN": 0}, "initial": _BBM231_HER2_OFF},
        "pi3k": {"set": {**_BBM231_INPUTS, "PI3K_c": 1}, "initial": _BBM231_HER2_OFF},
        "her2": {"set": {**_BBM231_INPUTS, "HER2": 1}},
        "er": {"set": {**_BBM231_INPUTS, "ES": 1}, "initial": _BBM231_HER2_OFF},
    },
    reasons={
        "akt": "IGF1 activates AKT_i directly (AKT_i = (MTORC2_c & PDPK1 & PIP3 & (IRS1 | IGF1R)) | NRG1 | "
        "IGF1), so with IGF-1 present AKT_i is 1 whatever IGF1R, PI3K_c, mTORC1_c or HER2 do. The "
        "receptor route is shut in the untreated cell anyway (S6K1 -| IRS1, S6K1 -| MTORC2_c); only "
        "removing the ligand (noligand_akt) turns AKT_i off.",
        "erk": "IGF1 also feeds RAS directly (RAS_i = SOS1 | PI3K_c | IGF1; HRAS = ... | IGF1), so "
        "ERK_i stays on without IGF1R.",
        "cycd": "The proliferation proxy CYCLIN_D_c = (TCF4 | TEAD1 | ESR1 | MYC) & !(GSK3B | CDKN2A | P21) "
        "stays on because the IGF1 shortcuts keep ERK_i -> MYC on and GSK3B, P21 off; ER is not "
        "needed (and ESR1 = AKT_i | FOXO3 | ... with FOXO3 = !AKT_i is on in every state unless "
        "knocked out).",
        "casp": "The apoptosis proxy CASP3 needs CASP9, which AKT_i and ERK_i inhibit; the IGF1 "
        "shortcuts keep both on.",
    },
    why={
        "ko_igf1r_akt": "akt", "pi3k_ko_akt": "akt", "mtori_igf1r_akt": "akt", "her2_dual_akt": "akt",
        "pten_igf1r_akt": "akt", "pi3k_igf1r_akt": "akt", "mtori_akt": "akt", "her2_igf1r_akt": "akt",
        "her2_her2_akt": "akt", "ko_igf1r_erk": "erk", "ko_igf1r_prolif": "cycd", "her2_dual_prolif": "cycd",
        "er_dual_prolif": "cycd", "er_esr1_prolif": "cycd", "er_igf1r_prolif": "cycd", "ko_igf1r_apopt": "casp",
    },
)

# Arshad & Datta 2017. Inputs: IGF=1; EGF, HBEGF, NRG1 0; every drug 0; Androgens=0 (castrate
# level; AR does not feed back on the pathway); NKX3_1=1 (expressed). PTEN=0: as in bbm140 the
# PTEN input abolishes PIP3 (PIP3 = PIK3CA & !PTEN), and CRPC is commonly PTEN-null. With PTEN=1
# (and NKX3_1=1) AKT, mTOR and p21 are fixed whatever IGF does; see the reasons below.
_BBM071_INPUTS = {
    "AZD5363": 0, "AZD6244": 0, "Androgens": 0, "BKM120": 0, "Cixutumumab": 0, "EGF": 0, "Enzalutamide": 0,
    "HBEGF": 0, "IGF": 1, "Lapatinib": 0, "NKX3_1": 1, "NRG1": 0, "PTEN": 0, "Temsirolimus": 0,
}

BBM071 = Model(
    key="bbm071",
    label="Arshad 2017, castration-resistant prostate cancer",
    file="bbm071-*.bnet",
    nodes={
        "IGF": "IGF", "IGF1R": "IGFR1A_B", "IRS1fb": "IRS1", "PI3K": "PIK3CA", "PTEN": "PTEN", "AKT": "AKT",
        "MTORC1": "mTOR", "S6K": "RP6SKB1", "ERK": "ERK1_2", "HER2": None, "ESR1": None, "p27": None,
        "Proliferation": None, "Apoptosis": "~BAD",
    },
    absent={"HER2": "no HER2 node (only the ligand-driven dimers EGFR_ERBB2, ERBB2_3)", "ESR1": "no ER (prostate)",
            "p27": "no p27 node (only p21)", "Proliferation": "no proliferation node"},
    contexts={
        "igf": {"set": _BBM071_INPUTS},
        "pten": "PTEN loss not representable: PTEN can only abolish PIP3 (PIP3 = PIK3CA & !PTEN), never make "
        "it PI3K-independent; PTEN=0 is the baseline",
        "pi3k": {"set": {**_BBM071_INPUTS, "PIK3CA": 1}},
        "her2": "no HER2 node (only the ligand-driven dimers EGFR_ERBB2, ERBB2_3)",
        "er": "no ER (prostate)",
    },
    drugs={"mAb": {"overexpress": ["Cixutumumab"]}},
    reasons={
        "akt": "AKT = (NKX3_1 & !PTEN & !PDPK1) | PDPK1 | (PTEN & !PDPK1 & !NKX3_1) | !(PTEN | PDPK1 | "
        "NKX3_1) (an import artefact) is constant 1 when PTEN=0; with PTEN=1 PIP3 = PIK3CA & !PTEN "
        "is 0 and AKT follows NKX3_1. No input setting makes AKT depend on IGF. Upstream, PIK3CA, PIP3 "
        "and PDPK1 do follow IGF-1R (all off under IGFR1A_B knockout).",
        "cix": "Cixutumumab only cuts IGFR1A_B -> IRS1 (IRS1 = IGFR1A_B & !Cixutumumab); the receptor "
        "still drives GRB2_SOS -> Ras -> Raf -> MEK1 -> ERK1_2 (and Ras -> PIK3CA).",
        "cix_akt": "AKT is constant (see the AKT rule above); besides, Cixutumumab only cuts IGFR1A_B -> "
        "IRS1, and Ras (from IGFR1A_B -> GRB2_SOS) keeps PIK3CA, PIP3 and PDPK1 on.",
        "s6k": "RP6SKB1 = (mTOR & !Temsirolimus) | ERK1_2 | PDPK1: ERK and PDK1 keep S6K on without mTOR.",
        "nofb": "No feedback on IRS-1 (IRS1 = IGFR1A_B & !Cixutumumab): IRS-1 is already on before mTOR "
        "inhibition, so there is nothing to release.",
        "bad": "The apoptosis proxy BAD = !(RP6SKB1 | AKT) cannot turn on, because AKT is constant.",
    },
    why={
        "noligand_akt": "akt", "ko_igf1r_akt": "akt", "mab_akt": "cix_akt", "pi3k_ko_akt": "akt",
        "mtori_igf1r_akt": "akt", "pi3k_igf1r_akt": "akt", "mtori_akt": "akt", "mab_erk": "cix",
        "mtori_s6k": "s6k", "mtori_irs1": "nofb", "ko_igf1r_apopt": "bad",
    },
)

# Sahin 2009. The only input is EGF. The IGF-1-driven cell is EGF=0 with the positive loop
# IGF1R -> AKT1/MEK1 -> ERalpha -> IGF1R switched on (the model has no IGF ligand; without EGF the
# loop is bistable, so the untreated cell starts with the loop on). ERalpha has no estrogen input
# (ERalpha = AKT1 | MEK1), so the ER+ context is the same cell. HER2 has no ligand-independent
# activity (ERBB2 = EGF), so the HER2 context is EGF=1 (ERBB dimers on).
_BBM096_LOOP_ON = {"IGF1R": 1, "AKT1": 1, "MEK1": 1, "ERalpha": 1}

BBM096 = Model(
    key="bbm096",
    label="Sahin 2009, ERBB-regulated G1/S transition",
    file="bbm096-*.bnet",
    nodes={
        "IGF": None, "IGF1R": "IGF1R", "IRS1fb": None, "PI3K": None, "PTEN": None, "AKT": "AKT1", "MTORC1": None,
        "S6K": None, "ERK": "~MEK1", "HER2": "ERBB2", "ESR1": "ERalpha", "p27": "p27",
        "Proliferation": "~pRB1", "Apoptosis": None,
    },
    absent={"IGF": "no IGF ligand node", "IRS1fb": "no IRS node", "PI3K": "no PI3K node", "PTEN": "no PTEN node",
            "MTORC1": "no mTOR node", "S6K": "no S6K node", "Apoptosis": "no apoptosis node"},
    contexts={
        "igf": {"set": {"EGF": 0}, "initial": _BBM096_LOOP_ON},
        "pten": "no PTEN node",
        "pi3k": "no PI3K node",
        "her2": {"set": {"EGF": 1}},
        "er": {"set": {"EGF": 0}, "initial": _BBM096_LOOP_ON},
    },
    reasons={
        "egfr": "HER2 is active only with EGF (ERBB2 = EGF), so the HER2 context is EGF=1, which also "
        "switches on ERBB1 (EGFR). AKT1 and MEK1 take ERBB1 directly (... | (!IGF1R & ERBB1) | IGF1R), "
        "so ERBB2 + IGF1R knockout leaves EGFR signalling on. IGF1R is already off in this context "
        "(IGF1R = ... & !ERBB2_3), so IGF-1R blockade alone changes nothing.",
        "cycd_needs_er": "Cyclin D1 requires ERalpha (CyclinD1 = ((!MEK1 & ERalpha & AKT1) | (MEK1 & "
        "ERalpha)) & MYC), so the ER antagonist alone stops G1/S (pRB1): IGF-1R signalling cannot bypass ER.",
        "er_downstream": "ERalpha has no estrogen input (ERalpha = AKT1 | MEK1): ER activity is "
        "downstream of IGF-1R, so IGF-1R blockade in the IGF-driven cell also turns ER off and stops G1/S.",
    },
    why={
        "her2_dual_akt": "egfr", "her2_dual_prolif": "egfr", "her2_igf1r_akt": "egfr", "her2_her2_akt": "egfr",
        "er_esr1_prolif": "cycd_needs_er", "er_igf1r_prolif": "er_downstream",
    },
)

# fmt: on

MODELS = [IGFNET, BBM140, BBM231, BBM071, BBM096]

# ------------------------------------------------------------------ evaluation


@dataclass
class Cell:
    model: str
    claim: str
    node: str = ""  # the model's readout node (a proxy is marked "~")
    observed: str = ""  # e.g. "1", "0/1", "0>1"
    verdict: str = "n.a."  # agree, agree*, differ, n.a.
    note: str = ""  # why n.a. / why it differs
    seconds: float = 0.0


def values_text(result, node: str) -> str:
    return "/".join(sorted(result.values(node)))


def translate(model: Model, claim: Claim) -> tuple[dict | None, str | None, str]:
    """The attractors() keyword arguments and the readout node of a claim in a model, or why it is not expressible."""
    context = model.contexts.get(claim.context)
    if isinstance(context, str):
        return None, None, context
    readout = model.nodes.get(claim.readout)
    if readout is None:
        return None, None, model.absent.get(claim.readout, f"no {READOUTS[claim.readout]} node")
    kwargs: dict = {"knockout": [], "overexpress": [], "drugs": []}
    for atom in claim.treatment:
        if atom in model.drugs:
            for key, names in model.drugs[atom].items():
                kwargs[key] += names
            continue
        if "=" not in atom:
            return None, None, "no anti-IGF-1R antibody in the model"
        canonical, value = atom.split("=")
        node = model.nodes.get(canonical)
        if node is None:
            return None, None, model.absent.get(canonical, f"no {READOUTS[canonical]} node")
        kwargs["knockout" if value == "0" else "overexpress"].append(node.lstrip("~"))
    if "context" in context:
        kwargs["context"] = context["context"]
    kwargs["set"] = dict(context.get("set", {}))
    kwargs["initial"] = dict(context["initial"]) if context.get("initial") else "untreated"
    return kwargs, readout, ""


def evaluate(model: Model, network, claim: Claim) -> Cell:
    kwargs, readout, why = translate(model, claim)
    cell = Cell(model.key, claim.id)
    if kwargs is None:
        cell.note = why
        return cell
    cell.node = readout
    node = readout.lstrip("~")
    start = time.perf_counter()
    treated = values_text(network.attractors(**kwargs), node)
    if ">" in claim.expected:
        untreated_kwargs = {key: kwargs[key] for key in ("set", "initial", "context") if key in kwargs}
        before = values_text(network.attractors(**untreated_kwargs), node)
        cell.observed = f"{before}>{treated}"
    else:
        cell.observed = treated
    cell.seconds = time.perf_counter() - start
    cell.verdict = "agree" if cell.observed == claim.expected else "differ"
    return cell


def check_inputs(model: Model, network) -> None:
    """Every input of a published model must be fixed in every context (free inputs mix unrelated cells)."""
    if model.file is None:
        return
    for name, context in model.contexts.items():
        if isinstance(context, dict):
            free = sorted(set(network.inputs) - set(context.get("set", {})))
            if free:
                raise SystemExit(f"{model.key}, context {name}: inputs left free: {', '.join(free)}")
        named = {n.lstrip("~") for n in model.nodes.values() if n}
        if isinstance(context, dict):
            named |= set(context.get("set", {})) | set(context.get("initial", {}))
        unknown = sorted(named - set(network.nodes))
        if unknown:
            raise SystemExit(f"{model.key}: no node named {', '.join(unknown)} (check the mapping)")


def load(model: Model, directory: Path):
    if model.file is None:
        return igfnet.load_model()
    matches = sorted(directory.glob(model.file))
    if not matches:
        raise FileNotFoundError(f"{model.file} not found in {directory} (use --models DIR)")
    return igfnet.load_model(matches[0])


def run(directory: Path) -> tuple[list[Cell], dict[str, object]]:
    cells: list[Cell] = []
    networks = {}
    for model in MODELS:
        network = load(model, directory)
        check_inputs(model, network)
        networks[model.key] = network
        by_claim: dict[str, Cell] = {}
        for claim in CLAIMS:
            by_claim[claim.id] = evaluate(model, network, claim)
        # a resistance / bypass claim is specific only if its control gives the opposite value
        for claim in CLAIMS:
            cell = by_claim[claim.id]
            control = by_claim.get(claim.control) if claim.control else None
            if cell.verdict == "agree" and control and control.observed.split(">")[-1] == cell.observed:
                cell.verdict = "agree*"
                cell.note = f"same value in the control {claim.control}"
        cells.extend(by_claim.values())
    return cells, networks


# ------------------------------------------------------------------ output

WIDTH = 100
PUBLISHED = [model.key for model in MODELS if model.file is not None]


def treatment_text(claim: Claim) -> str:
    return "+".join(claim.treatment) or "none"


def explain(cells: list[Cell]) -> dict[tuple[str, str], str]:
    """(model, claim) -> the explanation of a difference or a non-specific agreement."""
    by_key = {model.key: model for model in MODELS}
    text = {}
    for cell in cells:
        if cell.verdict in ("differ", "agree*"):
            model = by_key[cell.model]
            reason = model.reasons.get(model.why.get(cell.claim, ""))
            text[(cell.model, cell.claim)] = reason or "no explanation recorded: inspect the model"
    return text


def write_table(cells: list[Cell], networks: dict, seconds: float, out) -> None:
    import textwrap

    grid = {(cell.model, cell.claim): cell for cell in cells}
    explanations = explain(cells)
    numbers: dict[tuple[str, str], int] = {}  # (model, explanation) -> footnote number
    notes: list[tuple[int, str, list[str], str]] = []

    def footnote(model: str, claim: str) -> str:
        reason = explanations[(model, claim)]
        key = (model, reason)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            notes.append((numbers[key], model, [], reason))
        notes[numbers[key] - 1][2].append(claim)
        return f"[{numbers[key]}]"

    def wrap(text: str, indent: str) -> str:
        return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent))

    print("Shared claims: igfnet's bundled model vs four published Boolean models", file=out)
    print(
        wrap(
            "Fully asynchronous attractors reachable from the untreated cell of each context. A value holds "
            "in every reachable attractor; 0/1 = differs between attractors; a>b = untreated>treated. "
            "Verdicts compare each published model with igfnet (= the review's expectation). agree* = "
            "agrees, but the model gives the same value in the claim's control (not specific).",
            "",
        ),
        file=out,
    )
    print(file=out)
    for model in MODELS:
        network = networks[model.key]
        print(f"  {model.key:<7} {model.label} ({len(network.nodes)} nodes, {len(network.inputs)} inputs)", file=out)
    print(file=out)
    print("Contexts (ctx):", file=out)
    for key, text in CONTEXTS.items():
        print(f"  {key:<5} {text}", file=out)
    print(file=out)
    print(f"{'claim':<17} {'ctx':<5} {'treatment':<16} {'readout exp.':<15} {'E':<4} description", file=out)
    for claim in CLAIMS:
        readout = f"{claim.readout} {claim.expected}"
        head = f"{claim.id:<17} {claim.context:<5} {treatment_text(claim):<16} {readout:<15} {claim.ref.split()[0]:<4} "
        print(wrap(claim.text, head), file=out)
    print(file=out)

    columns = ["igfnet", *PUBLISHED]
    print(f"{'claim':<17} {'exp.':<5} " + "".join(f"{c:<14}" for c in columns).rstrip(), file=out)
    print("-" * (23 + 14 * len(columns)), file=out)
    for claim in CLAIMS:
        row = f"{claim.id:<17} {claim.expected:<5} "
        for key in columns:
            cell = grid[(key, claim.id)]
            if cell.verdict == "n.a.":
                text = "n.a."
            elif key == "igfnet":
                text = cell.observed if cell.verdict == "agree" else f"{cell.observed} (!exp)"
            else:
                text = {"agree": "ok", "agree*": "ok*", "differ": "DIFF"}[cell.verdict] + f" {cell.observed}"
                if cell.verdict != "agree":
                    text += " " + footnote(key, claim.id)
            row += f"{text:<14}"
        print(row.rstrip(), file=out)
    print(file=out)

    print(f"Per model, over {len(CLAIMS)} claims: agree / agree* (not specific) / differ / not expressible", file=out)
    for key in columns:
        mine = [cell for cell in cells if cell.model == key]
        counts = {v: sum(cell.verdict == v for cell in mine) for v in ("agree", "agree*", "differ", "n.a.")}
        expressible = len(mine) - counts["n.a."]
        print(
            f"  {key:<7} {counts['agree']:>2} / {counts['agree*']:>2} / {counts['differ']:>2} / {counts['n.a.']:>2}"
            f"   ({expressible} of {len(mine)} claims expressible)",
            file=out,
        )
    print(file=out)

    print("Why they differ (and why some agreements are not specific):", file=out)
    for number, model, claims, reason in notes:
        print(wrap(f"{model} {', '.join(claims)}: {reason}", f"[{number}] "), file=out)
    print(file=out)

    print("Not expressible (n.a.):", file=out)
    for key in PUBLISHED:
        reasons: dict[str, list[str]] = {}
        for cell in cells:
            if cell.model == key and cell.verdict == "n.a.":
                reasons.setdefault(cell.note, []).append(cell.claim)
        for reason, claims in reasons.items():
            print(wrap(f"{reason}: {', '.join(claims)}", f"  {key}: "), file=out)
    print(file=out)

    print("Node mapping (igfnet name = model name; ~ = proxy). Per context: the inputs at 1 (all other", file=out)
    print("inputs 0), other nodes fixed, and the values the untreated cell starts from:", file=out)
    for model in MODELS[1:]:
        mapping = " ".join(f"{IGFNET.nodes[c]}={n}" for c, n in model.nodes.items() if n and IGFNET.nodes[c] != n)
        same = [n for c, n in model.nodes.items() if n and IGFNET.nodes[c] == n]
        print(wrap(f"{mapping}; same name: {' '.join(same)}", f"  {model.key}: "), file=out)
        for name, context in model.contexts.items():
            if isinstance(context, dict):
                inputs = set(networks[model.key].inputs)
                on = " ".join(f"{k}=1" for k, v in context["set"].items() if v and k in inputs) or "(no input on)"
                other = " ".join(f"{k}={v}" for k, v in context["set"].items() if k not in inputs)
                on += f"; fixed {other}" if other else ""
                start = context.get("initial")
                start_text = "; start " + " ".join(f"{k}={v}" for k, v in start.items()) if start else ""
                print(wrap(f"{on}{start_text}", f"    {name:<5} "), file=out)
    print(file=out)
    print(f"{len(CLAIMS)} claims x {len(MODELS)} models in {seconds:.1f} s", file=out)


CSV_FIELDS = [
    *("claim", "description", "ref", "context", "treatment", "readout", "expected"),
    *("model", "model_node", "observed", "verdict", "note"),
]


def write_csv(cells: list[Cell], out) -> None:
    claims = {claim.id: claim for claim in CLAIMS}
    explanations = explain(cells)
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for cell in cells:
        claim = claims[cell.claim]
        note = cell.note if cell.verdict == "n.a." else explanations.get((cell.model, cell.claim), "")
        writer.writerow(
            [
                claim.id,
                claim.text,
                claim.ref,
                claim.context,
                treatment_text(claim),
                claim.readout,
                claim.expected,
                cell.model,
                cell.node,
                cell.observed,
                cell.verdict,
                note,
            ]
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--models",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "models" / "bbm",
        help="directory of the BBM .bnet files (default: ../shared/models/bbm beside the repository)",
    )
    parser.add_argument("--format", choices=["table", "csv"], default="table")
    arguments = parser.parse_args()
    start = time.perf_counter()
    try:
        cells, networks = run(arguments.models)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    if arguments.format == "csv":
        write_csv(cells, sys.stdout)
        print(f"{len(CLAIMS)} claims x {len(MODELS)} models in {seconds:.1f} s", file=sys.stderr)
    else:
        write_table(cells, networks, seconds, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
