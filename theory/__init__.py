"""The symbolic layer: distributions, scalars, divergences, operators and claims.

Pure SymPy; imports nothing from ``numerics`` or ``proofs``.
"""
from .claims import Claim
from .divergences import chi2, entropy, hellinger, js, kl, renyi, tv
from .errors import (DimensionMismatch, InvalidDistribution, InvalidName, InvalidScalarRange,
                     MalformedClaim, MetadistillError, MissingValue, NegativeEntry,
                     NonFiniteEntry, NotNormalized, ScalarOutOfRange)
from .errors import BatchShapeMismatch
from .operators import geometric_anchor, geometric_mixture, linear_anchor, mixture, soften
from .printing import latex
from .symbols import K, dist, scalar

__all__ = [
    "Claim", "dist", "scalar", "K",
    "kl", "tv", "chi2", "hellinger", "renyi", "js", "entropy",
    "linear_anchor", "geometric_anchor", "soften", "mixture", "geometric_mixture",
    "latex",
    "MetadistillError", "MalformedClaim", "InvalidName", "InvalidScalarRange",
    "InvalidDistribution", "NegativeEntry", "NonFiniteEntry", "DimensionMismatch",
    "NotNormalized", "MissingValue", "ScalarOutOfRange",
    "BatchShapeMismatch",
]
