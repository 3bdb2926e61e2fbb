"""igfnet: Boolean network models of IGF-1R signalling in cancer.

Exact attractors of fully asynchronous dynamics, under knockouts,
overexpression, named drugs and tumour contexts.

>>> import igfnet
>>> model = igfnet.load_model()                     # the bundled IGF-1R model
>>> untreated = model.attractors()
>>> blocked = model.attractors(knockout=["IGF1R"])  # IGF-1R blockade
>>> frame = blocked.to_frame()                      # one row per attractor
"""

from igfnet.errors import IgfnetError, PerturbationError, RuleSyntaxError, UnknownNodeError
from igfnet.model import BooleanNetwork, load_model
from igfnet.perturb import Perturbation
from igfnet.types import Attractor, Attractors

__version__ = "0.1.0"

__all__ = [
    "Attractor",
    "Attractors",
    "BooleanNetwork",
    "IgfnetError",
    "Perturbation",
    "PerturbationError",
    "RuleSyntaxError",
    "UnknownNodeError",
    "load_model",
    "__version__",
]
