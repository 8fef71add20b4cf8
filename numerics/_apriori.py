"""The fast float64 filter: one error bound per row, not per entry.

Every value is a :class:`Est`: float64 entries ``v`` (shape ``(n, K)``, ``(n, 1)`` or scalar)
and row-level numbers (Python floats or ``(n, 1)`` arrays) such that, for every entry whose
computed value is finite,

- ``|true − v| ≤ a·|v| + b`` (a relative and an absolute part),
- ``|v| ≤ m`` and, for non-zero entries, ``|v| ≥ low``: a product or quotient whose ``low``
  falls below the normal range may be subnormal, where rounding errs by up to ``2^-1075``
  absolutely, so ``b`` grows by that much,
- ``sign`` is +1 (all entries ``≥ 0``), −1 (all ``≤ 0``) or 0 (unknown).

A non-finite entry means "unknown" (a logarithm of 0, a division by 0, an overflow); it
poisons its row's sum, and the row is left to the careful filter of :mod:`numerics._filter`.
So are rows whose bounds cannot be kept (``bad``). Anything this backend does not handle
raises :class:`GiveUp`, and the whole batch goes to the careful filter.

The bounds cost a handful of operations on ``(n, 1)`` arrays per node, so the filter runs at
close to the speed of the bare float64 evaluation. Rounding follows the model of
:mod:`numerics._filter` (the same constants).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ._filter import _SLACK, LIBM_ULPS, _up

_EPS = 2.0 ** -52
_TINY = 2.0 ** -1020  # products and quotients at least this large are not subnormal
#: Non-zero |log x| for a double x ≠ 1 is at least about 2^-54.
_LOG_FLOOR = 2.0 ** -56


class GiveUp(Exception):
    """The fast filter does not handle this expression or these values."""


def _or(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a | b


class Est:
    __slots__ = ("v", "a", "b", "m", "low", "sign", "bad")

    def __init__(self, v, a=0.0, b=0.0, m=np.inf, low=0.0, sign=0, bad=None):
        self.v, self.a, self.b, self.m, self.low, self.sign, self.bad = v, a, b, m, low, sign, bad

    @property
    def row(self) -> bool:
        """Whether the value is one number per row (so its bounds can be exact per row)."""
        return np.ndim(self.v) == 0 or np.shape(self.v)[-1] == 1

    def exact(self) -> bool:
        return np.all(self.a == 0) and np.all(self.b == 0)


def _row_est(v, a, b, bad=None):
    """An :class:`Est` of a per-row value, its magnitude bounds read off ``v`` itself and its
    absolute error folded into the relative one (``a + b/|v|``); rows where that fails
    (``v = 0`` with ``b > 0``, or a relative error of 1/2 or more) are marked bad."""
    with np.errstate(all="ignore"):
        av = np.abs(v)
        low = np.where(av > 0, av, np.inf) if np.ndim(v) else (av if av > 0 else np.inf)
        sign = 1 if np.all(v >= 0) else (-1 if np.all(v <= 0) else 0)
        # A subnormal result may carry a large relative error: its rows go elsewhere.
        if np.ndim(v):
            bad = _or(bad, (av > 0) & (av < _TINY))
        elif 0 < av < _TINY:
            raise GiveUp("a subnormal value")
        if np.any(b != 0):
            a = np.where(b == 0, a, _up(a + b / av))
        if np.ndim(a) or np.ndim(v):
            lost = np.logical_not(np.asarray(a) < 0.5)
            if np.any(lost):
                bad = _or(bad, np.broadcast_to(lost, np.shape(lost) if np.ndim(lost) else (1, 1)))
                a = np.where(lost, 0.0, a)
        elif not a < 0.5:
            raise GiveUp("relative error too large")
    return Est(v, a, 0.0, av, low, sign, bad)


def _relative(x: Est):
    if np.any(x.b != 0):
        raise GiveUp("absolute error on a vector")
    return x.a, x.bad


class AprioriBackend:
    """Backend of :func:`numerics._compile.compile_expr` for :class:`Est` values.

    :attr:`unsure` collects the rows where a comparison of inexact per-row values was left
    open (reset it before an evaluation)."""

    vectorised = True

    def __init__(self):
        self.unsure = False

    def const(self, c):
        if c is sp.oo or c is -sp.oo:
            return Est(np.inf if c is sp.oo else -np.inf, low=np.inf)
        v = float(c)
        exact = bool(c.is_Rational and sp.Rational(*v.as_integer_ratio()) == c)
        return _row_est(v, 0.0 if exact else _EPS, 0.0)

    def add(self, x, y):
        if np.ndim(y.v) == 0 and y.v == 0 and y.exact():
            return x
        if np.ndim(x.v) == 0 and x.v == 0 and x.exact():
            return y
        v = x.v + y.v
        bad = _or(x.bad, y.bad)
        if x.row and y.row:
            # TwoSum: the rounding error of x + y, exactly.
            with np.errstate(all="ignore"):
                z = v - x.v
                t = np.abs((x.v - (v - z)) + (y.v - z))
            e = _up(x.a * np.abs(x.v) + x.b + y.a * np.abs(y.v) + y.b) + t * (1 + _EPS)
            return _row_est(v, 0.0, e, bad)
        m = _up(x.m + y.m)
        if x.sign == y.sign != 0:
            # Same signs: |x| + |y| = |x + y|, so relative errors stay relative.
            a = _up(np.maximum(x.a, y.a) * (1 + _EPS) + _EPS)
            b = _up(x.b + y.b) if np.any(x.b != 0) or np.any(y.b != 0) else 0.0
            return Est(v, a, b, m, np.minimum(x.low, y.low), x.sign, bad)
        b = _up(x.a * x.m + y.a * y.m + x.b + y.b)
        # A difference is exact when subnormal, but may be arbitrarily small: low is 0.
        return Est(v, _EPS * (1 + _SLACK), b, m, 0.0, 0, bad)

    def mul(self, x, y):
        if np.ndim(x.v) == 0 and x.v == 1 and x.exact():
            return y
        if np.ndim(y.v) == 0 and y.v == 1 and y.exact():
            return x
        v = x.v * y.v
        bad = _or(x.bad, y.bad)
        a = _up(x.a + y.a + x.a * y.a + _EPS)
        b = 0.0
        if np.any(x.b != 0) or np.any(y.b != 0):
            b = _up(x.b * y.m * (1 + y.a) + y.b * x.m * (1 + x.a) + x.b * y.b)
        if x.row and y.row:
            return _row_est(v, a, b, _or(bad, (v == 0) & (x.v != 0) & (y.v != 0)))
        b, low = _underflow(b, x.low * y.low * (1 - 2 * _EPS))
        return Est(v, a, b, _up(x.m * y.m), low, x.sign * y.sign, bad)

    def div(self, x, y):
        ay, bad_y = _relative(y)
        if np.any(ay >= 0.5):
            raise GiveUp("divisor too uncertain")
        with np.errstate(all="ignore"):
            v = x.v / y.v
        bad = _or(_or(x.bad, y.bad), bad_y)
        a = _up((x.a + ay) / (1 - ay) + _EPS)
        b = 0.0
        if np.any(x.b != 0):
            with np.errstate(all="ignore"):
                b = _up(x.b / (y.low * (1 - ay)))
        if x.row and y.row:
            return _row_est(v, a, b, _or(bad, (v == 0) & (x.v != 0)))
        with np.errstate(all="ignore"):
            b, low = _underflow(b, x.low / y.m * (1 - 2 * _EPS))
            m = _up(x.m / y.low)
        return Est(v, a, b, m, low, x.sign * y.sign, bad)

    def log(self, x):
        ax, bad = _relative(x) if x.row else (x.a, x.bad)
        if x.sign < 0 or np.any(ax >= 0.5) or (not x.row and np.any(x.b != 0)):
            raise GiveUp("log of an uncertain value")
        with np.errstate(all="ignore"):
            v = np.log(x.v)
            # |log X − log x| ≤ a/(1 − a) when |X − x| ≤ a·x.
            b = _up(ax / (1 - ax))
            a = LIBM_ULPS * _EPS
            if x.row:
                return _row_est(v, a, b, bad)
            m = _up(np.maximum(np.abs(np.log(x.m)), np.abs(np.log(np.maximum(x.low, 5e-324)))))
        return Est(v, a, b, m + b, _LOG_FLOOR, 0, bad)

    def exp(self, x):
        e = x.a * x.m + x.b
        with np.errstate(all="ignore"):
            v = np.exp(np.where(np.isfinite(x.v), x.v, np.nan))
            a = _up((np.expm1(e) * (1 + LIBM_ULPS * _EPS) + LIBM_ULPS * _EPS) * (1 + _SLACK))
            if x.row:
                return _row_est(v, a, 0.0, _or(x.bad, v == 0))
            b, low = _underflow(0.0, np.exp(-x.m - e) * (1 - LIBM_ULPS * _EPS), LIBM_ULPS)
            m = _up(np.exp(x.m + e))
        return Est(v, a, b, m, low, 1, x.bad)

    def pow(self, x, k):
        if np.ndim(k.v) == 0 and k.exact():
            kv = float(k.v)
            if kv == 0:
                return self.const(sp.Integer(1))
            if kv.is_integer() and 0 < kv <= 8:
                out = x
                for _ in range(int(kv) - 1):
                    out = self.mul(out, x)
                return out
            if kv == 0.5 and x.sign > 0 and np.all(x.b == 0):
                with np.errstate(all="ignore"):
                    v = np.sqrt(x.v)
                a = _up(x.a / 2 + x.a * x.a + _EPS)  # 1 − √(1 − a) ≤ a/2 + a² for a < 1/2
                if x.row:
                    return _row_est(v, a, 0.0, x.bad)
                return Est(v, a, 0.0, _up(np.sqrt(x.m)), np.sqrt(x.low) * (1 - _EPS), 1, x.bad)
        if x.sign <= 0:
            raise GiveUp("power of a value of unknown sign")
        # x^k = exp(k·log x); at x = 0, log gives −∞ and exp makes the entry unknown.
        return self.exp(self.mul(k, self.log(x)))

    def abs(self, x):
        return Est(np.abs(x.v), x.a, x.b, x.m, x.low, 1, x.bad)

    def minimum(self, x, y):
        raise GiveUp("min")

    maximum = minimum

    def compare(self, op, x, y):
        """``x op y`` as booleans, certain for exact values and for the sign of a value with
        a pure relative error; for per-row values with errors, the rows where the bounds
        leave the answer open are added to :attr:`unsure`. Anything else gives up."""
        out = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
               "==": np.equal, "!=": np.not_equal}[op](x.v, y.v)
        self._doubt(x, y)
        if x.exact() and y.exact():
            return out
        # With a pure relative error (a < 1), v has the sign of the true value.
        zero = np.ndim(y.v) == 0 and y.v == 0 and y.exact()
        if zero and np.all(x.b == 0) and np.all(x.a < 1):
            return out
        if not (x.row and y.row):
            raise GiveUp("comparison of inexact vectors")
        with np.errstate(all="ignore"):
            d = x.v - y.v
            e = _up(x.a * np.abs(x.v) + x.b + y.a * np.abs(y.v) + y.b + _EPS * np.abs(d))
            self.unsure = self.unsure | ~(np.abs(d) > e)
        return out

    def _doubt(self, x, y):
        """Rows where either operand is marked bad or is not finite hold a placeholder, not
        the value: no comparison there is certain, whatever the placeholder says."""
        with np.errstate(invalid="ignore"):
            doubt = (~np.isfinite(np.asarray(x.v, dtype=float))
                     | ~np.isfinite(np.asarray(y.v, dtype=float)))
        bad = _or(x.bad, y.bad)
        if bad is not None:
            doubt = doubt | np.asarray(bad)
        if np.ndim(doubt) == 2 and np.shape(doubt)[1] != 1:
            doubt = doubt.any(axis=1, keepdims=True)
        if np.any(doubt):
            self.unsure = self.unsure | doubt

    def piecewise(self, pieces, env):
        conds, values = [], []
        for cond, value in pieces:
            c = cond(env)
            if isinstance(c, (bool, np.bool_)) and not c:
                continue
            if isinstance(c, (bool, np.bool_)) or np.all(c):
                values.append(value(env))
                conds.append(True)
                break
            if not np.any(c):
                continue
            conds.append(c)
            values.append(value(env))
        if not values or conds[-1] is not True:
            raise GiveUp("no Piecewise branch certainly applies")
        if len(values) == 1:
            return values[0]
        shape = np.broadcast_shapes(*(np.shape(x.v) for x in values), *(np.shape(c) for c in conds[:-1]))
        v = np.select([np.broadcast_to(c, shape) for c in conds[:-1]],
                      [np.broadcast_to(x.v, shape) for x in values[:-1]], np.broadcast_to(values[-1].v, shape))
        finite = [x for x in values if np.all(np.isfinite(x.m)) or np.ndim(x.v) > 0]
        signs = {x.sign for x in values}
        bad = None
        for x in values:
            bad = _or(bad, x.bad)
        return Est(v, max_of(x.a for x in values), max_of(x.b for x in values),
                   max_of(x.m for x in finite), min_of(x.low for x in values),
                   signs.pop() if len(signs) == 1 else 0, bad)

    def logic_and(self, parts, env):
        out = True
        for p in parts:
            out = out & p(env)
        return out

    def logic_or(self, parts, env):
        out = False
        for p in parts:
            out = out | p(env)
        return out

    def logic_not(self, value):
        return ~value if isinstance(value, np.ndarray) else not value

    def coordinate_sum(self, summand, vectors, key=None):
        t = summand(*vectors)
        K = np.broadcast_shapes(*(np.shape(x.v) for x in vectors))[-1]
        tv = np.broadcast_to(t.v, np.broadcast_shapes(np.shape(t.v), (1, K)))
        s = tv.sum(axis=1, keepdims=True)
        # Σ|t_i| ≤ |Σ t_i| for terms of one sign, else ≤ K·max|t_i|.
        spread = np.abs(s) if t.sign != 0 else K * t.m
        e = _up((t.a * spread + K * t.b + K * _EPS * spread) * (1 + 2 * K * _EPS))
        bad = _or(t.bad, ~np.isfinite(s) | ~np.isfinite(e))
        return _row_est(np.where(np.isfinite(s), s, 0.0), 0.0, np.where(np.isfinite(e), e, 0.0), bad)

    def normalize(self, x):
        return self.div(x, self.coordinate_sum(lambda t: t, [x]))

    def require_nonnegative(self, w):
        if not np.all(w.v - (w.a * np.abs(w.v) + w.b) >= 0):
            raise GiveUp("a mixture weight may be negative")
        return w


def _underflow(b, low, ulps=1.0):
    """``(b, low)`` allowing for results that may be subnormal (``|v| < low`` below
    :data:`_TINY`): there the rounding error is absolute, at most ``ulps·2^-1074``."""
    small = ~(low >= _TINY)
    if not np.any(small):
        return b, low
    return _up(b + np.where(small, ulps * 2.0 ** -1074, 0.0)), np.where(small, 0.0, low)


def max_of(xs):
    out = 0.0
    for x in xs:
        out = np.maximum(out, x)
    return out


def min_of(xs):
    out = np.inf
    for x in xs:
        out = np.minimum(out, x)
    return out


def _flat(z, n):
    z = np.asarray(z)
    return np.broadcast_to(z.reshape(-1) if z.ndim else z, (n,))


def side(x: Est, n: int):
    """A per-row value as ``(v, e)`` arrays of shape ``(n,)``, ``e = inf`` on unknown rows."""
    if not x.row:
        raise GiveUp("a side is not a number")
    with np.errstate(all="ignore"):
        v = _flat(x.v, n).astype(float)
        e = _flat(_up(x.a * np.abs(x.v) + x.b), n).astype(float)
    bad = ~np.isfinite(v) | ~np.isfinite(e)
    if x.bad is not None:
        bad |= _flat(x.bad, n).astype(bool)
    return v, np.where(bad, np.inf, e)
