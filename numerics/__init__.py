"""Numerics: evaluation (float64, exact/ball), samplers and the counterexample search.

Imports ``theory``; never ``proofs``.
"""
from .evaluate import (CompiledClaim, PointCheck, UndefinedValue, check_point, evaluate,
                       evaluate_distribution)
from .points import SUM_TOLERANCE
from .certificates import Certificate, certify, sweep

__all__ = ["evaluate", "evaluate_distribution", "check_point", "CompiledClaim", "PointCheck", "UndefinedValue",
           "SUM_TOLERANCE", "certify", "Certificate", "sweep"]
