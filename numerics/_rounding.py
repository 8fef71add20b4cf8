"""Exact numbers written as decimal strings rounded in a stated direction.

A certified lower bound stays a lower bound only if its decimal form is rounded down; these
helpers work on exact ``Fraction`` values (never through a float, so ``1e-400`` is not 0).
"""
from __future__ import annotations

import math
from fractions import Fraction

from flint import fmpq


def as_fraction(x) -> Fraction:
    """An exact ``Fraction`` from a Fraction, int, ``fmpq`` or exact ``arb`` (radius 0)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, fmpq):
        return Fraction(int(x.p), int(x.q))
    if hasattr(x, "man_exp"):
        man, exp = (int(v) for v in x.man_exp())
        return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** -exp)
    return Fraction(x)


def exact_fmpq(a) -> fmpq:
    """An exact ``arb`` (a midpoint, radius 0) as an ``fmpq``."""
    man, exp = a.man_exp()
    exp = int(exp)
    return fmpq(man * 2 ** exp) if exp >= 0 else fmpq(man, 2 ** -exp)


def decimal_down(x, digits: int) -> str:
    """``x`` with ``digits`` significant digits, rounded towards −∞ (never above ``x``);
    ``±inf`` for an infinite float."""
    return _positional(x, digits, math.floor)


def decimal_up(x, digits: int) -> str:
    """``x`` with ``digits`` significant digits, rounded towards +∞ (never below ``x``)."""
    return _positional(x, digits, math.ceil)


def scientific(x, digits: int, rnd=round) -> str:
    """``x`` with ``digits`` significant digits rounded by ``rnd`` (``math.floor``,
    ``math.ceil`` or ``round``): positional between 1e-4 and 1e6, ``m.mmme±x`` outside."""
    if isinstance(x, float):
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        x = Fraction(x)
    x = as_fraction(x)
    if x == 0 or Fraction(1, 10 ** 4) <= abs(x) < 10 ** 6:
        return _positional(x, digits, rnd)
    e = _floor_log10(abs(x))
    mantissa = _positional(x / Fraction(10) ** e, digits, rnd)
    if mantissa.lstrip("-").startswith("10"):  # rounding carried into the next power of ten
        mantissa, e = _positional(x / Fraction(10) ** (e + 1), digits, rnd), e + 1
    return f"{mantissa}e{e:+d}"


def _positional(x, digits, rnd) -> str:
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    x = as_fraction(x)
    if x == 0:
        return "0"
    e = _floor_log10(abs(x))
    shift = digits - 1 - e
    m = int(rnd(x * Fraction(10) ** shift))
    sign, s = ("-" if m < 0 else ""), str(abs(m))
    point = len(s) - shift  # where the decimal point falls within s
    if point <= 0:
        text = "0." + "0" * (-point) + s
    elif point >= len(s):
        text = s + "0" * (point - len(s))
    else:
        text = s[:point] + "." + s[point:]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return sign + text


def _floor_log10(x: Fraction) -> int:
    """``⌊log10 x⌋`` for ``x > 0``, exactly."""
    e = len(str(x.numerator)) - len(str(x.denominator))
    while Fraction(10) ** e > x:
        e -= 1
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    return e
