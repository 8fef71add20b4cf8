"""Symbols a claim is written in: distributions, bounded scalars and the dimension ``K``.

A distribution symbol stands for a point of the closed simplex ``Δ_K``; every distribution in
one claim shares the same ``K``. A scalar symbol stands for a real number in a closed interval
``[low, high]`` (an infinite bound leaves that side open).
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Real

import sympy as sp

from .errors import InvalidName, InvalidScalarRange

RESERVED = frozenset({"K"})


def _check_name(kind: str, name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidName(f"{kind} name={name!r} must be a non-empty string")
    if name in RESERVED:
        raise InvalidName(f"{kind} name={name!r} is reserved for the dimension")
    return name


class DistributionSymbol(sp.Symbol):
    """A distribution on ``{1..K}``: a point of the simplex, not a number."""

    is_distribution = True

    def __new__(cls, name: str, latex: str | None = None):
        obj = sp.Symbol.__xnew__(cls, name, commutative=True)
        obj._latex_name = latex
        return obj

    def __getnewargs_ex__(self):
        return (self.name, self._latex_name), {}

    def _hashable_content(self):
        # "" rather than None: SymPy orders equal symbols by comparing this content with >.
        return super()._hashable_content() + (self._latex_name or "",)

    def _latex(self, printer):
        return self._latex_name or printer._print(sp.Symbol(self.name))


class ScalarSymbol(sp.Symbol):
    """A real parameter ranging over the closed interval ``[low, high]``."""

    is_distribution = False

    def __new__(cls, name: str, low, high, latex: str | None = None):
        assumptions = {"real": True}
        if low.is_nonnegative:
            assumptions["nonnegative"] = True
        if low.is_positive:
            assumptions["positive"] = True
        if high.is_nonpositive:
            assumptions["nonpositive"] = True
        obj = sp.Symbol.__xnew__(cls, name, **assumptions)
        obj.low, obj.high, obj._latex_name = low, high, latex
        return obj

    def __getnewargs_ex__(self):
        return (self.name, self.low, self.high, self._latex_name), {}

    def _hashable_content(self):
        return super()._hashable_content() + (self.low, self.high, self._latex_name or "")

    def _latex(self, printer):
        return self._latex_name or printer._print(sp.Symbol(self.name))

    def contains(self, value) -> bool:
        """Whether the concrete number ``value`` lies in ``[low, high]``."""
        v = sp.Rational(Fraction(value)) if not isinstance(value, sp.Basic) else value
        return bool(self.low <= v) and bool(v <= self.high)


class DimensionSymbol(sp.Symbol):
    """The number of outcomes ``K`` shared by every distribution of a claim."""

    is_distribution = False

    def __new__(cls):
        return sp.Symbol.__xnew__(cls, "K", integer=True, positive=True)

    def __getnewargs_ex__(self):
        return (), {}


K = DimensionSymbol()


def dist(name: str, *, latex: str | None = None) -> DistributionSymbol:
    """A distribution symbol. ``latex`` overrides how the name is typeset (e.g. ``"p^*"``)."""
    return DistributionSymbol(_check_name("distribution", name), latex)


def _bound(which: str, name: str, value) -> sp.Expr:
    if isinstance(value, bool):
        raise InvalidScalarRange(f"scalar {name!r}: {which}={value!r} is not a real number")
    if isinstance(value, float):
        if value != value:
            raise InvalidScalarRange(f"scalar {name!r}: {which}=nan is not a real number")
        if value in (float("inf"), float("-inf")):
            return sp.oo if value > 0 else -sp.oo
        return sp.Rational(repr(value))
    if isinstance(value, (Real, Fraction)) and not isinstance(value, sp.Basic):
        return sp.Rational(Fraction(value))
    try:
        expr = sp.sympify(value)
    except (sp.SympifyError, TypeError):
        raise InvalidScalarRange(f"scalar {name!r}: {which}={value!r} is not a real number") from None
    if expr in (sp.oo, -sp.oo):
        return expr
    if not (expr.is_number and expr.is_extended_real):
        raise InvalidScalarRange(f"scalar {name!r}: {which}={value!r} is not a real number")
    return expr


def scalar(name: str, low=0, high=1, *, latex: str | None = None) -> ScalarSymbol:
    """A scalar symbol over the closed interval ``[low, high]``; ``low < high`` is required."""
    _check_name("scalar", name)
    lo, hi = _bound("low", name, low), _bound("high", name, high)
    if not bool(lo < hi):
        raise InvalidScalarRange(f"scalar {name!r}: low={low!r} must be below high={high!r}")
    return ScalarSymbol(name, lo, hi, latex)
