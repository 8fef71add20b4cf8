"""Operators that build distributions: anchoring, softening and multi-teacher aggregation.

All operators return distribution-valued nodes; they nest and compose. Each states its formula
once in ``definition()``; :class:`~theory._nodes.Normalize` divides by the total mass.
"""
from __future__ import annotations

import sympy as sp

from ._nodes import DistributionValued, Normalize


def _p(printer, e):
    return printer._print(e)


class LinearAnchor(DistributionValued):
    r"""``Φ^lin_λ(q; a) = (1 − λ) q + λ a``."""

    dist_arity = 2

    def mixture_weights(self):
        """``(1 − λ, λ)``: the result is a distribution only where both are ``≥ 0``."""
        lam = self.args[2]
        return (1 - lam, lam)

    def definition(self):
        q, a, _ = self.args
        w_q, w_a = self.mixture_weights()
        return w_q * q + w_a * a

    def _latex(self, printer, exp=None):
        q, a, lam = self.args
        return rf"\Phi^{{\mathrm{{lin}}}}_{{{_p(printer, lam)}}}\left({_p(printer, q)}; {_p(printer, a)}\right)"


class GeometricAnchor(DistributionValued):
    r"""``Φ^geo_λ(q; a) ∝ q^{1−λ} a^λ`` (with ``0^0 = 1``)."""

    dist_arity = 2

    def definition(self):
        q, a, lam = self.args
        return Normalize(q ** (1 - lam) * a ** lam)

    def _latex(self, printer, exp=None):
        q, a, lam = self.args
        return rf"\Phi^{{\mathrm{{geo}}}}_{{{_p(printer, lam)}}}\left({_p(printer, q)}; {_p(printer, a)}\right)"


class Soften(DistributionValued):
    r"""``S_T(p) ∝ p^{1/T}``, ``T > 0``."""

    dist_arity = 1

    def definition(self):
        p, T = self.args
        return Normalize(p ** (1 / T))

    def _latex(self, printer, exp=None):
        p, T = self.args
        return rf"S_{{{_p(printer, T)}}}\left({_p(printer, p)}\right)"


class _Aggregate(DistributionValued):
    """Shared argument layout: ``Aggregate(Tuple(p_1..p_m), Tuple(w_1..w_m))``."""

    def dist_args(self):
        return tuple(self.args[0])

    def scalar_args(self):
        return tuple(self.args[1])

    def mixture_weights(self):
        return self.scalar_args()


class ArithmeticMixture(_Aggregate):
    r"""``A^ari_w(p_1..p_m) = Σ_j w_j p_j`` for weights ``w`` on the simplex."""

    def definition(self):
        ps, ws = self.args
        return sp.Add(*[w * p for p, w in zip(ps, ws)])

    def _latex(self, printer, exp=None):
        ps, ws = self.args
        return r"\left(" + printer._print(sp.Add(*[w * p for p, w in zip(ps, ws)])) + r"\right)"


class GeometricMixture(_Aggregate):
    r"""``A^geo_w(p_1..p_m) ∝ Π_j p_j^{w_j}``."""

    def definition(self):
        ps, ws = self.args
        return Normalize(sp.Mul(*[p ** w for p, w in zip(ps, ws)]))

    def _latex(self, printer, exp=None):
        ps, ws = self.args
        sub = ", ".join(_p(printer, w) for w in ws)
        arg = ", ".join(_p(printer, p) for p in ps)
        return rf"A^{{\mathrm{{geo}}}}_{{{sub}}}\left({arg}\right)"


def linear_anchor(q, anchor, lam) -> LinearAnchor:
    """Linear anchoring ``(1 − λ) q + λ·anchor``."""
    return LinearAnchor(q, anchor, lam)


def geometric_anchor(q, anchor, lam) -> GeometricAnchor:
    """Geometric anchoring ``∝ q^(1−λ)·anchor^λ``."""
    return GeometricAnchor(q, anchor, lam)


def soften(p, T) -> Soften:
    """Probability-domain softening ``∝ p^(1/T)``."""
    return Soften(p, T)


def _aggregate(cls, teachers, weights):
    teachers, weights = tuple(teachers), tuple(weights)
    if len(teachers) != len(weights) or not teachers:
        from .errors import MalformedClaim

        raise MalformedClaim(
            f"{cls.__name__}: teachers={len(teachers)} and weights={len(weights)} "
            "must be non-empty and of equal length")
    return cls(sp.Tuple(*teachers), sp.Tuple(*weights))


def mixture(teachers, weights) -> ArithmeticMixture:
    """Arithmetic aggregate anchor ``Σ_j w_j p_j`` (weights must lie on the simplex)."""
    return _aggregate(ArithmeticMixture, teachers, weights)


def geometric_mixture(teachers, weights) -> GeometricMixture:
    """Geometric aggregate anchor ``∝ Π_j p_j^(w_j)`` (weights must lie on the simplex)."""
    return _aggregate(GeometricMixture, teachers, weights)
