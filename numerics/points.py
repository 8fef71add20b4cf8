"""Concrete points: validated inputs, exact rational forms and simplified witnesses.

A point maps every distribution symbol of a claim to a vector of length ``K`` and every scalar
symbol to a number. :func:`validate_point` is the one place where user-given values are
checked; it raises an :class:`~theory.errors.InvalidDistribution` subclass or
:class:`~theory.errors.ScalarOutOfRange` naming the offending ``name=value``.
"""
from __future__ import annotations

import math
from fractions import Fraction
from numbers import Real

import numpy as np
from flint import fmpq

from theory.errors import (DimensionMismatch, MissingValue, NegativeEntry, NonFiniteEntry,
                           NotNormalized, ScalarOutOfRange)
from theory.symbols import DistributionSymbol, ScalarSymbol

from ._ball import from_rational

#: Largest ``|Σ p_i − 1|`` accepted for a distribution given in floating point.
SUM_TOLERANCE = 1e-9


def _entry(name, i, x):
    """One entry as an exact rational; floats are taken exactly as given."""
    if isinstance(x, (bool, np.bool_)):
        raise NonFiniteEntry(f"{name}[{i}]={x!r} is not a number")
    if isinstance(x, str):
        try:
            x = Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            raise NonFiniteEntry(f"{name}[{i}]={x!r} is not a number") from None
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(x):
            raise NonFiniteEntry(f"{name}[{i}]={x!r} is not finite")
        return from_rational(float(x))
    if isinstance(x, (Real, Fraction, fmpq, np.integer)) or hasattr(x, "p"):
        try:
            return from_rational(x)
        except (TypeError, ValueError, OverflowError):
            pass
    try:
        f = float(x)
    except (TypeError, ValueError):
        raise NonFiniteEntry(f"{name}[{i}]={x!r} is not a number") from None
    if not math.isfinite(f):
        raise NonFiniteEntry(f"{name}[{i}]={x!r} is not finite")
    return from_rational(f)


def validate_distribution(name: str, values, K: int | None = None, tolerance=SUM_TOLERANCE):
    """``values`` as a list of exact rationals after checking it is a point of ``Δ_K``."""
    try:
        seq = list(values)
    except TypeError:
        raise DimensionMismatch(f"{name}={values!r} is not a sequence of probabilities") from None
    if any(isinstance(v, (list, tuple, np.ndarray)) for v in seq):
        raise DimensionMismatch(f"{name} must be one-dimensional, got nested entries")
    if not seq:
        raise DimensionMismatch(f"{name}=[] is empty; K must be at least 1")
    if K is not None and len(seq) != K:
        raise DimensionMismatch(f"{name} has length={len(seq)}, expected K={K}")
    entries = [_entry(name, i, x) for i, x in enumerate(seq)]
    for i, x in enumerate(entries):
        if x < 0:
            raise NegativeEntry(f"{name}[{i}]={seq[i]!r} is negative")
    total = sum(entries, fmpq(0))
    if abs(float(total) - 1.0) > tolerance and total != 1:
        raise NotNormalized(
            f"{name} sums to {float(total)!r}, off 1 by more than tolerance={tolerance!r}")
    return entries


def validate_point(symbols, values, K: int | None = None):
    """Exact values for ``symbols`` from a mapping keyed by symbol or by name.

    Returns ``(env, K)`` where ``env`` maps each symbol to a list of ``fmpq`` (a distribution)
    or an ``fmpq`` (a scalar).
    """
    by_name = {getattr(k, "name", k): v for k, v in values.items()}
    env, dims = {}, {}
    for s in symbols:
        if s.name not in by_name:
            raise MissingValue(f"no value for {s.name}; values given for {sorted(by_name)}")
        v = by_name[s.name]
        if isinstance(s, DistributionSymbol):
            env[s] = validate_distribution(s.name, v, K)
            dims[s.name] = len(env[s])
        elif isinstance(s, ScalarSymbol):
            env[s] = _scalar(s, v)
    if len(set(dims.values())) > 1:
        detail = ", ".join(f"{n} has K={k}" for n, k in dims.items())
        raise DimensionMismatch(f"distributions disagree on K: {detail}")
    k = K if K is not None else next(iter(dims.values()), None)
    return env, k


def _scalar(s: ScalarSymbol, v):
    if isinstance(v, (list, tuple, np.ndarray)):
        raise ScalarOutOfRange(f"{s.name}={v!r} must be a single number")
    x = _entry(s.name, 0, v)
    if not s.contains(Fraction(int(x.p), int(x.q))):
        raise ScalarOutOfRange(f"{s.name}={v!r} lies outside [{s.low}, {s.high}]")
    return x


def exact_simplex(row) -> list:
    """Float entries taken exactly, then divided by their exact total: a point of ``Δ_K``."""
    entries = [from_rational(float(x)) for x in row]
    total = sum(entries, fmpq(0))
    return [x / total for x in entries]


def simplest_simplex(row, max_denominator: int):
    """Nearby fractions with denominators at most ``max_denominator``, summing exactly to 1.

    The largest entry absorbs the rounding; None when that would make it negative.
    """
    fr = [Fraction(float(x)).limit_denominator(max_denominator) for x in row]
    j = int(np.argmax(row))
    rest = sum(fr[:j] + fr[j + 1:], Fraction(0))
    fr[j] = 1 - rest
    if fr[j] < 0:
        return None
    return [fmpq(f.numerator, f.denominator) for f in fr]


def _decimal(x: float, digits: int) -> Fraction:
    """``x`` rounded to ``digits`` significant decimal digits, as an exact fraction."""
    if x == 0:
        return Fraction(0)
    e = math.floor(math.log10(abs(x))) - digits + 1
    m = round(x / 10.0 ** e) if -300 < e < 300 else round(Fraction(x) / Fraction(10) ** e)
    return Fraction(int(m)) * Fraction(10) ** e


def decimal_simplex(row, digits: int):
    """Entries rounded to ``digits`` significant decimal digits (tiny entries stay tiny), the
    largest entry absorbing the difference so that the sum is exactly 1; None if impossible."""
    fr = [_decimal(float(x), digits) for x in row]
    j = int(np.argmax(row))
    fr[j] = 1 - sum(fr[:j] + fr[j + 1:], Fraction(0))
    if fr[j] < 0 or any(f < 0 for f in fr):
        return None
    return [fmpq(f.numerator, f.denominator) for f in fr]


def decimal_scalar(x: float, s: ScalarSymbol, digits: int):
    f = _decimal(float(x), digits)
    return fmpq(f.numerator, f.denominator) if s.contains(f) else None


def simplest_scalar(x: float, s: ScalarSymbol, max_denominator: int):
    f = Fraction(float(x)).limit_denominator(max_denominator)
    return fmpq(f.numerator, f.denominator) if s.contains(f) else None
