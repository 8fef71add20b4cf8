"""A floating-point filter: float64 batches that carry a rigorous bound on their error.

A value is an :class:`Approx` ``(v, e)`` of broadcastable arrays with ``|true − v| ≤ e`` on every
row. ``e = inf`` (``v`` possibly NaN) means *unknown*: overflow, an undecidable branch, an
undefined operation; such rows are decided by ball arithmetic instead. ``v = ±inf`` with
``e = 0`` is an exact infinity (a divergence where the first argument has mass the second
lacks). Exact zeros (``v = 0``, ``e = 0``) keep the conventions of :mod:`numerics._ball`:
``0·∞ = 0``, ``0^0 = 1``, ``0·log 0 = 0``.

The bounds follow the standard model of IEEE 754 arithmetic (binary64, or x87 extended for
``longdouble``): ``+ − × / sqrt`` are correctly rounded, so one operation errs by at most half
an ulp of its result, plus an absolute amount in the subnormal range. Elementary functions
(``log``, ``log1p``, ``exp``, ``expm1``) are not correctly rounded; the bounds allow them
:data:`LIBM_ULPS` units in the last place, several times the errors their implementations
document. That is an assumption about the math library, not a proof. Every bound computed in
floating point is inflated by :func:`_up`, which covers the rounding of its own computation.

Comparisons and branch conditions are three-valued (:class:`Tri`): certainly true, certainly
false, or unknown.

Near a tie, ``log(a/b)`` with ``a/b ∈ [1/2, 2]`` is evaluated as ``log1p((a − b)/b)``: the
difference of two nearby floats is exact (Sterbenz), so the logarithm keeps its full relative
accuracy instead of an absolute error of one ulp of 1. This is what lets ``Σ a log(a/b)`` be
decided in float64 at ``b = a(1 + 1e-8 z)``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

#: ulps allowed to ``log``, ``log1p``, ``exp``, ``expm1`` (their documented errors are a few).
LIBM_ULPS = 16.0
_ETA = 2.0 ** -1060  # covers a few absolute subnormal roundings
_SLACK = 2.0 ** -40  # relative slack for rounding inside a bound's own computation


def _up(x):
    """An upper bound of a non-negative quantity computed with a few roundings."""
    return x * (1.0 + _SLACK) + _ETA




class Approx:
    """``v`` with ``|true − v| ≤ e`` (arrays); ``quotient`` remembers ``(a, b)`` of ``a/b``."""

    __slots__ = ("v", "e", "quotient")

    def __init__(self, v, e, quotient=None):
        self.v, self.e, self.quotient = v, e, quotient


class Tri:
    """A three-valued truth: ``t`` certainly true, ``f`` certainly false, else unknown."""

    __slots__ = ("t", "f")

    def __init__(self, t, f):
        self.t, self.f = np.asarray(t, dtype=bool), np.asarray(f, dtype=bool)


def _exact(a):
    return a.e == 0


def _zero(a):
    return (a.v == 0) & (a.e == 0)


def _inf(a):
    """Rows holding an exact infinity."""
    return np.isinf(a.v) & (a.e == 0)


def _known(a):
    return np.isfinite(a.e)


def _finite(a):
    return np.isfinite(a.v) & np.isfinite(a.e)


def _positive(a):
    """Rows certainly > 0 (exact +inf included)."""
    return (a.v > a.e) & _known(a)


def _negative(a):
    return (a.v < -a.e) & _known(a)


def _nonzero_sign(a):
    """+1 / −1 where the sign is certain and nonzero, 0 elsewhere."""
    return np.where(_positive(a), 1.0, np.where(_negative(a), -1.0, 0.0))


def _finish(v, e, unknown):
    """Mark rows unknown (and the finite-looking overflows: inf from finite operands)."""
    if not np.any(unknown):
        return Approx(v, e)
    e = np.where(unknown, np.inf, e)
    return Approx(np.where(unknown, np.nan, v), e)


def _is_const(a, value):
    return np.ndim(a.v) == 0 and a.v == value and a.e == 0


class FilterBackend:
    """Backend of :func:`numerics._compile.compile_expr` for :class:`Approx` batches.

    ``dtype`` is ``numpy.float64`` or ``numpy.longdouble`` (x87 extended precision where the
    platform has it: eleven more bits, the same vectorised code); its machine epsilon sets the
    rounding bounds.
    """

    vectorised = True

    def __init__(self, dtype=np.float64):
        self.dtype = np.dtype(dtype).type
        self.eps = float(np.finfo(self.dtype).eps)  # twice the unit roundoff
        self.suspect = False

    def _rnd(self, v, ulps=1.0):
        """A bound on the error of rounding a result ``v`` (``ulps`` units in the last place)."""
        return (ulps * self.eps) * np.abs(v) + ulps * _ETA

    def const(self, c):
        if c is sp.oo:
            return Approx(self.dtype(np.inf), 0.0)
        if c is -sp.oo:
            return Approx(self.dtype(-np.inf), 0.0)
        if c.is_Rational:
            v = self.dtype(int(c.p)) / self.dtype(int(c.q))
            exact = sp.Rational(*float(v).as_integer_ratio()) == c
        else:
            v, exact = self.dtype(str(sp.N(c, 30))), False
        return Approx(v, 0.0 if exact else float(_up(self._rnd(v, 2.0))))

    def add(self, a, b):
        if _is_const(b, 0):
            return a
        if _is_const(a, 0):
            return b
        v = a.v + b.v
        e = _up(a.e + b.e + self._rnd(v))
        ia, ib = _inf(a), _inf(b)
        # An exact infinity absorbs anything finite; inf − inf is undefined.
        fin_a, fin_b = _finite(a), _finite(b)
        e = np.where((ia & fin_b) | (ib & fin_a) | (ia & ib & (v == a.v)), 0.0, e)
        overflow = np.isinf(v) & fin_a & fin_b
        unknown = ~(_known(a) & _known(b)) | overflow | np.isnan(v)
        return _finish(v, e, unknown)

    def mul(self, a, b):
        if _is_const(a, 1):
            return b  # keep identity: 1·x is x itself (see compare)
        if _is_const(b, 1):
            return a
        v = a.v * b.v
        e = _up(np.abs(a.v) * b.e + np.abs(b.v) * a.e + a.e * b.e + self._rnd(v))
        za, zb = _zero(a), _zero(b)
        ia, ib = _inf(a), _inf(b)
        fin_a, fin_b = _finite(a), _finite(b)
        # ∞ times a number of certain nonzero sign is an exact infinity.
        sa, sb = _nonzero_sign(a), _nonzero_sign(b)
        inf_ok = (ia & (sb != 0)) | (ib & (sa != 0))
        v = np.where(inf_ok, np.inf * sa * sb, v)
        e = np.where(inf_ok, 0.0, e)
        unknown = ~(_known(a) & _known(b)) | ((ia | ib) & ~inf_ok) | (np.isinf(v) & fin_a & fin_b)
        zero = (za & _known(b)) | (zb & _known(a))  # 0·∞ = 0
        out = _finish(v, e, unknown & ~zero)
        out.v = np.where(zero, 0.0, out.v)
        out.e = np.where(zero, 0.0, out.e)
        return out

    def div(self, a, b):
        if a is b:
            return _finish(np.ones_like(a.v), np.zeros_like(a.e),
                           ~((_positive(a) | _negative(a)) & _finite(a)))
        with np.errstate(all="ignore"):
            v = a.v / b.v
            margin = np.abs(b.v) - b.e  # a lower bound of |b| (after _up on the numerator)
            e = _up((a.e + np.abs(v) * b.e) / (margin * (1 - _SLACK)) + self._rnd(v))
        fin_a, fin_b = _finite(a), _finite(b)
        ok = fin_a & fin_b & (margin > 0) & np.isfinite(v) & np.isfinite(e)
        za, zb = _zero(a), _zero(b)
        ia, ib = _inf(a), _inf(b)
        sa, sb = _nonzero_sign(a), _nonzero_sign(b)
        # x/0 = ±∞ for x of certain sign; 0/y = 0 and x/∞ = 0; ∞/y = ±∞.
        to_inf = (zb & (sa != 0) & ~ia) | (ia & (sb != 0) & ~ib)
        to_zero = (za & (sb != 0)) | (ib & fin_a)
        v = np.where(to_inf, np.inf * sa * np.where(zb, 1.0, sb), v)
        v = np.where(to_zero, 0.0, v)
        e = np.where(to_inf | to_zero, 0.0, e)
        out = _finish(v, e, ~(ok | to_inf | to_zero))
        if np.shape(a.v) == np.shape(b.v):
            out.quotient = (a, b)
        return out

    def log(self, a):
        pos_finite = _positive(a) & _finite(a)
        ratio = self._log_ratio(a) if a.quotient is not None else None
        if ratio is not None and np.all(ratio[2] | ~pos_finite):
            v, e = ratio[0], np.where(ratio[2], ratio[1], np.inf)  # no log(x/y) needed
        else:
            with np.errstate(all="ignore"):
                v = np.log(a.v)
                e = _up(a.e / ((a.v - a.e) * (1 - _SLACK)) + self._rnd(v, LIBM_ULPS))
            e = np.where(pos_finite, e, np.inf)
            if ratio is not None:
                w, we, near = ratio
                better = near & (we < e)
                v, e = np.where(better, w, v), np.where(better, we, e)
        special_zero, special_inf = _zero(a), _inf(a) & (a.v > 0)
        v = np.where(special_zero, -np.inf, v)
        e = np.where(special_zero | special_inf, 0.0, e)
        return _finish(v, e, ~(pos_finite | special_zero | special_inf) | np.isnan(e))

    def _log_ratio(self, a):
        """``(w, we, near)``: ``log(x/y)`` as ``log1p((x − y)/y)`` with its error bound, valid
        where ``near`` (``x/y ∈ [1/2, 2]`` and the bound keeps ``1 + t`` positive)."""
        x, y = a.quotient
        with np.errstate(all="ignore"):
            d = x.v - y.v
            de = _up(x.e + y.e + self._rnd(d))
            t = d / y.v
            te = _up((de + np.abs(t) * y.e) / ((np.abs(y.v) - y.e) * (1 - _SLACK)) + self._rnd(t))
            w = np.log1p(t)
            # |d log1p(s)/ds| = 1/(1 + s) ≤ 1/(1 + t − te) on [t − te, t + te].
            we = _up(te / ((1 + t - te) * (1 - _SLACK)) + self._rnd(w, LIBM_ULPS))
        near = (a.v >= 0.5) & (a.v <= 2) & _finite(x) & _finite(y) & (y.v > y.e) & (1 + t - te > 0)
        return w, we, near

    def exp(self, a):
        with np.errstate(all="ignore"):
            v = np.exp(a.v)
            top = np.abs(v) * (1 + LIBM_ULPS * self.eps)
            e = _up(top * np.expm1(a.e) * (1 + LIBM_ULPS * self.eps) + self._rnd(v, LIBM_ULPS))
        ia = _inf(a)
        v = np.where(ia & (a.v < 0), 0.0, v)
        e = np.where(ia, 0.0, e)
        return _finish(v, e, ~(_known(a)) | (np.isinf(v) & ~ia) | ~np.isfinite(e))

    def pow(self, a, b):
        bv = np.asarray(b.v)
        if bv.ndim == 0 and b.e == 0:
            k = float(bv)
            if k == 0:
                return Approx(1.0, 0.0)  # x^0 = 1, including 0^0
            if k == 1:
                return a
            if k.is_integer() and 0 < k <= 64:
                return self._int_power(a, int(k))
            if k == 0.5:
                return self._sqrt(a)
        # a^b = exp(b·log a) for a certainly positive; 0^b by the sign of b.
        out = self.exp(self.mul(b, self.log(Approx(a.v, a.e))))
        za = _zero(a)
        sb = _nonzero_sign(b)
        v = np.where(za, np.where(sb > 0, 0.0, np.inf), out.v)
        v = np.where(za & _zero(b), 1.0, v)
        e = np.where(za & ((sb != 0) | _zero(b)), 0.0, out.e)
        unknown = (za & (sb == 0) & ~_zero(b)) | (~za & ~_positive(a)) | ~np.isfinite(e)
        return _finish(v, e, unknown)

    def _int_power(self, a, n):
        result, base = None, a
        while n:
            if n & 1:
                result = base if result is None else self.mul(result, base)
            n >>= 1
            if n:
                base = self.mul(base, base)
        return result

    def _sqrt(self, a):
        with np.errstate(all="ignore"):
            v = np.sqrt(np.maximum(a.v, 0.0))
            low = a.v - a.e
            # |√A − √a| ≤ e/(√(a − e) + √a) when a − e ≥ 0; else √A ∈ [0, √(a + e)].
            tight = _up(a.e / ((np.sqrt(np.maximum(low, 0.0)) + v) * (1 - _SLACK)) + self._rnd(v))
            loose = _up(np.sqrt(_up(np.maximum(a.v, 0.0) + a.e)) * (1 + self.eps))
        e = np.where(low > 0, np.minimum(tight, loose), loose)
        e = np.where(_zero(a), 0.0, e)
        inf = _inf(a) & (a.v > 0)
        e = np.where(inf, 0.0, e)
        return _finish(v, e, ~_known(a) | _negative(a) | (np.isinf(a.v) & ~inf))

    def abs(self, a):
        return Approx(np.abs(a.v), a.e)

    def minimum(self, a, b):
        return Approx(np.minimum(a.v, b.v), np.maximum(a.e, b.e))

    def maximum(self, a, b):
        return Approx(np.maximum(a.v, b.v), np.maximum(a.e, b.e))

    def compare(self, op, a, b):
        """``a op b`` as a :class:`Tri`; the same object on both sides is equal to itself."""
        if a is b:
            s_pos = s_neg = np.zeros(np.shape(a.v), dtype=bool)
            s_zero = _known(a)
        else:
            with np.errstate(all="ignore"):
                d = a.v - b.v
                de = _up(a.e + b.e + self._rnd(d))
            ia, ib = _inf(a), _inf(b)
            both = ia & ib
            fin = _finite(a) & _finite(b) & np.isfinite(d) & np.isfinite(de)
            s_pos = (fin & (d > de)) | (ia & (a.v > 0) & _known(b) & ~(both & (b.v > 0))) | (
                ib & (b.v < 0) & _known(a) & ~(both & (a.v < 0)))
            s_neg = (fin & (d < -de)) | (ia & (a.v < 0) & _known(b) & ~(both & (b.v < 0))) | (
                ib & (b.v > 0) & _known(a) & ~(both & (a.v > 0)))
            # Two exact operands are equal iff their floats are (x − y = 0 iff x = y in IEEE
            # arithmetic with gradual underflow); ``de`` is never 0, so it cannot say so.
            s_zero = (fin & (d == 0) & _exact(a) & _exact(b)) | (both & (a.v == b.v))
        t = {"<": s_neg, "<=": s_neg | s_zero, ">": s_pos, ">=": s_pos | s_zero, "==": s_zero,
             "!=": s_pos | s_neg}[op]
        f = {"<": s_pos | s_zero, "<=": s_pos, ">": s_neg | s_zero, ">=": s_neg,
             "==": s_pos | s_neg, "!=": s_zero}[op]
        return Tri(t, f)

    def piecewise(self, pieces, env):
        v = e = None
        pending = None  # rows not yet settled by an earlier branch
        for cond, value in pieces:
            c = cond(env)
            c = c if isinstance(c, Tri) else Tri(bool(c), not bool(c))
            val = value(env)
            if v is None:
                shape = np.broadcast_shapes(np.shape(c.t), np.shape(val.v), np.shape(val.e))
                v, e = np.full(shape, np.nan), np.full(shape, np.inf)
                pending = np.ones(shape, dtype=bool)
            take = pending & c.t
            v = np.where(take, val.v, v)
            e = np.where(take, val.e, e)
            # Rows whose condition is unknown stay unknown: no later branch may be taken.
            pending = pending & c.f
        return Approx(v, e)

    def logic_and(self, parts, env):
        t, f = True, False
        for p in parts:
            c = p(env)
            t, f = t & c.t, f | c.f
        return Tri(t, f)

    def logic_or(self, parts, env):
        t, f = False, True
        for p in parts:
            c = p(env)
            t, f = t | c.t, f & c.f
        return Tri(t, f)

    def logic_not(self, value):
        return Tri(value.f, value.t)

    def coordinate_sum(self, summand, vectors, key=None):
        terms = summand(*vectors)
        shape = np.broadcast_shapes(*(np.shape(x.v) for x in vectors))
        return total(Approx(np.broadcast_to(terms.v, shape), np.broadcast_to(terms.e, shape)),
                     self.eps)

    def normalize(self, x):
        return self.div(x, total(x, self.eps))

    def require_nonnegative(self, w):
        """Mixture weights: rows where a weight is not certainly ``≥ 0`` are noted in
        :attr:`suspect` (the compiler ignores the returned value), for the caller to escalate."""
        doubtful = ~(_known(w) & (w.v >= w.e))
        self.suspect = self.suspect | doubtful
        return _finish(w.v, w.e, doubtful)


def total(x: Approx, eps: float) -> Approx:
    """``Σ_i x_i`` along axis 1, keeping dimensions; any summation order is covered by the
    bound ``(K − 1)·u·Σ|x_i|``."""
    K = x.v.shape[1]
    x = Approx(x.v, np.broadcast_to(x.e, np.shape(x.v)))  # an input vector carries e = 0.0
    fin = np.isfinite(x.v) & np.isfinite(x.e)
    with np.errstate(all="ignore"):
        vf = np.where(fin, x.v, 0.0)
        v = vf.sum(axis=1, keepdims=True)
        spread = np.abs(vf).sum(axis=1, keepdims=True)
        err = np.where(fin, x.e, 0.0).sum(axis=1, keepdims=True)
        e = _up((err + K * eps * spread) * (1 + 2 * K * eps) + K * _ETA)
    unknown = (~np.isfinite(x.e)).any(axis=1, keepdims=True)
    pos = (_inf(x) & (x.v > 0)).any(axis=1, keepdims=True)
    neg = (_inf(x) & (x.v < 0)).any(axis=1, keepdims=True)
    v = np.where(pos & ~neg, np.inf, np.where(neg & ~pos, -np.inf, v))
    e = np.where(pos ^ neg, 0.0, e)
    bad = unknown | (pos & neg) | ((~(pos | neg)) & (np.isinf(v) | ~np.isfinite(e)))
    return _finish(v, e, bad)
