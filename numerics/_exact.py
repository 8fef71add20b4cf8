"""Exact symbolic evaluation at a rational point, for equalities ball arithmetic cannot settle.

A ball can show that two values differ, never that they are equal. Where a strict relation
meets an exact tie between transcendental values (the entropy of the uniform distribution equals
``log K``), the claim fails exactly there, and only exact arithmetic can say so. This backend
evaluates the claim's tree with SymPy numbers (rationals, ``log(2)``, …) under the same
conventions as the other backends, and :func:`exact_difference` asks SymPy whether
``lhs − rhs`` simplifies to zero.
"""
from __future__ import annotations

import sympy as sp

from ._ball import Undecided, Undefined

#: Largest numerator or denominator (in bits) for which an exact tie test is attempted: the
#: test factors the integers inside logarithms, cheap below this size and hopeless far above it.
TIE_TEST_BITS = 64


#: Largest numerator or denominator of a rational exponent evaluated exactly.
MAX_EXACT_EXPONENT = 64


def _map(f, *xs):
    n = next((len(x) for x in xs if isinstance(x, list)), None)
    if n is None:
        return f(*xs)
    return [f(*(x[i] if isinstance(x, list) else x for x in xs)) for i in range(n)]


def _sign(v) -> int:
    if v is sp.oo:
        return 1
    if v is -sp.oo:
        return -1
    if v.is_zero:
        return 0
    if v.is_positive:
        return 1
    if v.is_negative:
        return -1
    v = sp.simplify(v)
    if v.is_zero:
        return 0
    if v.is_positive:
        return 1
    if v.is_negative:
        return -1
    raise Undecided(f"sign of {v}")


def _add(a, b):
    r = a + b
    if r is sp.nan:
        raise Undefined("inf - inf")
    return r


def _mul(a, b):
    if (a == 0 and b.is_infinite) or (b == 0 and a.is_infinite):
        return sp.Integer(0)
    return a * b


def _div(a, b):
    if b.is_infinite:
        if a.is_infinite:
            raise Undefined("inf / inf")
        return sp.Integer(0)
    sb = _sign(b)
    if sb == 0:
        sa = _sign(a)
        if sa == 0:
            raise Undefined("0 / 0")
        return sp.oo if sa > 0 else -sp.oo
    return a / b


def _pow(a, e):
    if _sign(e) == 0:
        return sp.Integer(1)
    sa = _sign(a)
    if sa == 0:
        return sp.Integer(0) if _sign(e) > 0 else sp.oo
    if sa < 0 and not e.is_integer:
        raise Undefined("negative base with a non-integer exponent")
    if e.is_Rational and (abs(e.p) > MAX_EXACT_EXPONENT or e.q > MAX_EXACT_EXPONENT):
        # SymPy would expand a**p exactly before taking the q-th root: give the tie test up.
        raise Undecided(f"exact power with exponent {e}")
    return a ** e


def _log(a):
    s = _sign(a)
    if s < 0:
        raise Undefined("log of a negative number")
    if s == 0:
        return -sp.oo
    return sp.log(a)


class SymPyBackend:
    """Backend of the compiler for one exact point; values are SymPy numbers."""

    vectorised = False

    def const(self, c):
        return c

    def add(self, a, b):
        return _map(_add, a, b)

    def mul(self, a, b):
        return _map(_mul, a, b)

    def div(self, a, b):
        return _map(_div, a, b)

    def pow(self, a, b):
        return _map(_pow, a, b)

    def log(self, a):
        return _map(_log, a)

    def exp(self, a):
        return _map(sp.exp, a)

    def abs(self, a):
        return _map(sp.Abs, a)

    def minimum(self, a, b):
        return _map(lambda x, y: x if self.compare("<=", x, y) else y, a, b)

    def maximum(self, a, b):
        return _map(lambda x, y: x if self.compare(">=", x, y) else y, a, b)

    def compare(self, op, a, b):
        if a.is_infinite or b.is_infinite:
            if a == b:
                s = 0
            else:
                s = 1 if (a is sp.oo or b is -sp.oo) else -1
        else:
            s = _sign(a - b)
        return {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0, "!=": s != 0}[op]

    def piecewise(self, pieces, env):
        for cond, value in pieces:
            if cond(env):
                return value(env)
        raise Undefined("no Piecewise branch applies")

    def logic_and(self, parts, env):
        return all(p(env) for p in parts)

    def logic_or(self, parts, env):
        return any(p(env) for p in parts)

    def logic_not(self, value):
        return not value

    def coordinate_sum(self, summand, vectors, key=None):
        total = sp.Integer(0)
        for entries in zip(*vectors):
            total = _add(total, summand(*entries))
        return total

    def normalize(self, v):
        total = sp.Integer(0)
        for x in v:
            total = _add(total, x)
        if total.is_infinite or _sign(total) == 0:
            raise Undefined("normalising a vector of total mass 0 or inf")
        return [x / total for x in v]

    def require_nonnegative(self, w):
        if _sign(w) < 0:
            raise Undefined("a mixture weight is negative")
        return w


def exact_sides(lhs_f, rhs_f, env):
    """Both sides as exact SymPy values (``env`` maps symbols to SymPy rationals)."""
    return lhs_f(env), rhs_f(env)


def _too_big(r) -> bool:
    return max(abs(r.p), r.q).bit_length() > TIE_TEST_BITS


def fits_tie_test(values) -> bool:
    """True when every rational of a point (scalars or vectors of them) has at most
    :data:`TIE_TEST_BITS` bits: larger points are never sent to SymPy, whose sign and
    simplification routines factor such integers or build minimal polynomials of their roots."""
    for v in values:
        for r in (v if isinstance(v, list) else [v]):
            if _too_big(r):
                return False
    return True


def is_exact_tie(lhs, rhs) -> bool:
    """True when SymPy proves ``lhs = rhs`` exactly (both infinite of one sign included).

    ``False`` means "not shown equal": either the sides differ or the proof would need
    integers larger than :data:`TIE_TEST_BITS` to be factored inside logarithms.
    """
    if lhs.is_infinite or rhs.is_infinite:
        return lhs == rhs
    diff = lhs - rhs
    if diff == 0:
        return True
    if any(_too_big(r) for r in diff.atoms(sp.Rational)):
        return False
    diff = sp.expand(sp.expand_log(diff, force=True, factor=True))
    return diff == 0
