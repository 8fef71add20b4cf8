"""Divergences between distributions on ``{1..K}``, natural logarithm throughout.

Conventions (THEORY.md): ``0·log 0 = 0``; a divergence is ``+∞`` where its first argument puts
mass on an outcome its second argument lacks. Each class states its formula once, in
``definition()``; the evaluators, the LaTeX and the derivations all read it from there.
"""
from __future__ import annotations

import sympy as sp

from ._nodes import CoordinateSum, ScalarValued

_x, _y = sp.Dummy("x", nonnegative=True), sp.Dummy("y", nonnegative=True)


def _args(printer, *args):
    return [printer._print(a) for a in args]


def _power(s, exp):
    return s if exp is None else rf"{s}^{{{exp}}}"


class KL(ScalarValued):
    r"""``KL(a‖b) = Σ a_i log(a_i / b_i)``."""

    def definition(self):
        a, b = self.args
        term = sp.Piecewise((0, sp.Eq(_x, 0)), (sp.oo, sp.Eq(_y, 0)), (_x * sp.log(_x / _y), True))
        return CoordinateSum(sp.Lambda((_x, _y), term), a, b)

    def _latex(self, printer, exp=None):
        a, b = _args(printer, *self.args)
        return _power(rf"\mathrm{{KL}}\left({a} \,\|\, {b}\right)", exp)


class TV(ScalarValued):
    r"""``TV(a, b) = ½ Σ |a_i − b_i|``."""

    def definition(self):
        a, b = self.args
        return CoordinateSum(sp.Lambda((_x, _y), sp.Abs(_x - _y)), a, b) / 2

    def _latex(self, printer, exp=None):
        a, b = _args(printer, *self.args)
        return _power(rf"\mathrm{{TV}}\left({a}, {b}\right)", exp)


class ChiSquare(ScalarValued):
    r"""``χ²(a‖b) = Σ (a_i − b_i)² / b_i``."""

    def definition(self):
        a, b = self.args
        term = sp.Piecewise((0, sp.Eq(_x, _y)), (sp.oo, sp.Eq(_y, 0)), ((_x - _y) ** 2 / _y, True))
        return CoordinateSum(sp.Lambda((_x, _y), term), a, b)

    def _latex(self, printer, exp=None):
        a, b = _args(printer, *self.args)
        return _power(rf"\chi^{{2}}\left({a} \,\|\, {b}\right)", exp)


class Hellinger(ScalarValued):
    r"""``H(a, b) = sqrt(½ Σ (√a_i − √b_i)²)``."""

    def definition(self):
        a, b = self.args
        s = CoordinateSum(sp.Lambda((_x, _y), (sp.sqrt(_x) - sp.sqrt(_y)) ** 2), a, b)
        return sp.sqrt(s / 2)

    def _latex(self, printer, exp=None):
        a, b = _args(printer, *self.args)
        return _power(rf"\mathrm{{H}}\left({a}, {b}\right)", exp)


class Renyi(ScalarValued):
    r"""``D_α(a‖b) = log(Σ a_i^α b_i^{1−α}) / (α − 1)`` for ``α > 0``; ``D_1 = KL``.

    Outcomes with ``a_i = 0`` contribute nothing, for every ``α`` (so ``D_0(a‖b) =
    −log Σ_{a_i>0} b_i``).
    """

    dist_arity = 2

    def definition(self):
        a, b, alpha = self.args
        term = sp.Piecewise((0, sp.Eq(_x, 0)), (_x ** alpha * _y ** (1 - alpha), True))
        s = CoordinateSum(sp.Lambda((_x, _y), term), a, b)
        return sp.Piecewise((KL(a, b), sp.Eq(alpha, 1)), (sp.log(s) / (alpha - 1), True))

    def _latex(self, printer, exp=None):
        a, b, alpha = _args(printer, *self.args)
        return _power(rf"D_{{{alpha}}}\left({a} \,\|\, {b}\right)", exp)


class JensenShannon(ScalarValued):
    r"""``JS(a, b) = ½ KL(a‖m) + ½ KL(b‖m)`` with ``m = (a + b)/2``."""

    def definition(self):
        a, b = self.args
        m = a / 2 + b / 2
        return KL(a, m) / 2 + KL(b, m) / 2

    def _latex(self, printer, exp=None):
        a, b = _args(printer, *self.args)
        return _power(rf"\mathrm{{JS}}\left({a}, {b}\right)", exp)


class Entropy(ScalarValued):
    r"""``H(a) = −Σ a_i log a_i``."""

    dist_arity = 1

    def definition(self):
        (a,) = self.args
        term = sp.Piecewise((0, sp.Eq(_x, 0)), (-_x * sp.log(_x), True))
        return CoordinateSum(sp.Lambda((_x,), term), a)

    def _latex(self, printer, exp=None):
        (a,) = _args(printer, *self.args)
        return _power(rf"\mathrm{{H}}\left({a}\right)", exp)


def kl(a, b) -> KL:
    """Kullback–Leibler divergence ``KL(a‖b)``; reverse KL is ``kl(b, a)``."""
    return KL(a, b)


def tv(a, b) -> TV:
    """Total variation distance ``½ Σ |a_i − b_i|``."""
    return TV(a, b)


def chi2(a, b) -> ChiSquare:
    """Pearson chi-square divergence ``Σ (a_i − b_i)² / b_i``."""
    return ChiSquare(a, b)


def hellinger(a, b) -> Hellinger:
    """Hellinger distance ``sqrt(½ Σ (√a_i − √b_i)²)``."""
    return Hellinger(a, b)


def renyi(a, b, alpha) -> Renyi:
    """Rényi divergence of order ``alpha > 0``: ``log(Σ a^α b^(1−α)) / (α − 1)``."""
    return Renyi(a, b, alpha)


def js(a, b) -> JensenShannon:
    """Jensen–Shannon divergence, natural log."""
    return JensenShannon(a, b)


def entropy(a) -> Entropy:
    """Shannon entropy ``−Σ a_i log a_i``, natural log."""
    return Entropy(a)
