"""Ball arithmetic on a batch of draws at once: NumPy object arrays of arb balls.

A value is a :class:`Balls` ``(v, bad)``: ``v`` an object array (shape ``(n, K)``, ``(n, 1)``)
or a single ``arb``, every entry a ball certainly containing the true value wherever ``bad``
is False. ``bad`` marks entries this backend does not follow: a value that may be infinite or
undefined (a logarithm or division whose argument is not certainly away from 0, an infinite
constant, a branch condition it cannot settle). A row touched by a ``bad`` entry that reaches
the result is left to the exact evaluator of :mod:`numerics._ball`, one draw at a time, which
handles infinities, exact ties and the boundary conventions; this backend decides only rows
whose every step is a finite ball operation, where the two evaluators compute the same
numbers.

Each node is one NumPy loop over all entries calling arb's own (rigorous) operations, so the
interpreter's cost is paid once per node, not once per entry and draw. Evaluate under
``flint.ctx.workprec(bits)``; constants are made at the precision the backend was built for.
"""
from __future__ import annotations

import operator

import numpy as np
from flint import arb

from ._ball import BallBackend, is_inf
from ._filter import Tri

_to_arb = np.frompyfunc(arb, 1, 1)


class Balls:
    """Balls ``v`` (object array or one ``arb``) and the mask ``bad`` of unfollowed entries."""

    __slots__ = ("v", "bad")

    def __init__(self, v, bad=False):
        self.v, self.bad = v, np.asarray(bad, dtype=bool)


def from_floats(x) -> Balls:
    """The exact balls of a float array (every binary64 number is an exact ``arb``)."""
    return Balls(_to_arb(np.asarray(x, dtype=float)))


#: For each relation, the relation whose certain truth makes it certainly false. arb's
#: comparisons are certain: ``a < b`` is True only if it holds for every point of both balls.
_OPPOSITE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_RELATIONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
              "==": operator.eq, "!=": operator.ne}


def _certain(op, a, b):
    """Entries where ``a op b`` certainly holds (a boolean array)."""
    return np.asarray(_RELATIONS[op](np.asarray(a, dtype=object), b), dtype=bool)


# Elementwise arb methods (frompyfunc calls the method directly: about twice as fast as
# numpy.log on an object array, which looks the method up on every entry).
_log, _exp = np.frompyfunc(arb.log, 1, 1), np.frompyfunc(arb.exp, 1, 1)


class BallArrayBackend:
    """Backend of :func:`numerics._compile.compile_expr` for :class:`Balls` batches."""

    vectorised = True

    def __init__(self, prec_bits: int):
        self.prec = int(prec_bits)
        self.suspect = False  # rows where a mixture weight is not certainly ≥ 0

    def const(self, c):
        v = BallBackend.const(self, c)
        if is_inf(v):
            return Balls(arb(0), True)
        return Balls(arb(v))

    def add(self, a, b):
        return Balls(a.v + b.v, a.bad | b.bad)

    def mul(self, a, b):
        return Balls(a.v * b.v, a.bad | b.bad)

    # Where the result is marked bad, arb still returns a ball (an indeterminate one for x/0
    # or log 0), never an exception; its value is not used.
    def div(self, a, b):
        return Balls(a.v / b.v, a.bad | b.bad | ~_certain("!=", b.v, 0))

    def log(self, a):
        return Balls(_log(a.v), a.bad | ~_certain(">", a.v, 0))

    def exp(self, a):
        return Balls(_exp(a.v), a.bad)

    def pow(self, a, b):
        if not isinstance(b.v, np.ndarray) and not b.bad and b.v.is_exact() and b.v.is_integer():
            n = int(b.v.unique_fmpz())
            if n >= 0:
                return Balls(a.v ** n if n else arb(1), a.bad)
        # a^b for a certainly positive; 0^b = 0 for b certainly positive, x^0 = 1 (as in
        # numerics._ball.power); anything else is not followed.
        pos = _certain(">", a.v, 0)
        zero_base = _certain("==", a.v, 0) & _certain(">", b.v, 0)
        zero_exp = _certain("==", b.v, 0)
        v = np.where(pos, a.v, arb(1)) ** b.v
        v = np.where(zero_exp, arb(1), np.where(zero_base, arb(0), v))
        return Balls(v, a.bad | b.bad | ~(pos | zero_base | zero_exp))

    def abs(self, a):
        return Balls(np.abs(a.v), a.bad)

    def _choose(self, first_if, a, b):
        c = self.compare(first_if, a, b)
        known = c.t | c.f
        return Balls(np.where(c.t, a.v, b.v), a.bad | b.bad | ~known)

    def minimum(self, a, b):
        return self._choose("<=", a, b)

    def maximum(self, a, b):
        return self._choose(">=", a, b)

    def compare(self, op, a, b):
        """``a op b`` as a :class:`~numerics._filter.Tri`, unknown on ``bad`` entries; the
        same object on both sides is equal to itself."""
        known = ~(a.bad | b.bad)
        if a is b:
            t = np.full(np.shape(a.v), op in ("<=", ">=", "=="))
            return Tri(t & known, ~t & known)
        return Tri(_certain(op, a.v, b.v) & known, _certain(_OPPOSITE[op], a.v, b.v) & known)

    def piecewise(self, pieces, env):
        branches, pending = [], True
        for cond, value in pieces:
            c = _tri(cond(env))
            branches.append((pending & c.t, value(env)))
            # An entry whose condition is unknown is not followed: no later branch is taken.
            pending = pending & c.f
        shape = np.broadcast_shapes(*(np.shape(x) for t, val in branches
                                      for x in (t, val.v, val.bad)))
        # Start from the branch most entries take; write the others' entries over it.
        branches.sort(key=lambda b: -np.count_nonzero(b[0]))
        (take, val), rest = branches[0], [b for b in branches[1:] if np.any(b[0])]
        v = np.broadcast_to(np.asarray(val.v, dtype=object), shape)
        bad = np.where(take, val.bad, True)  # an entry no branch takes stays bad
        if rest:
            v, bad = v.copy(), np.broadcast_to(bad, shape).copy()
            for take, val in rest:
                take = np.broadcast_to(take, shape)
                v[take] = np.broadcast_to(np.asarray(val.v, dtype=object), shape)[take]
                bad[take] = np.broadcast_to(val.bad, shape)[take]
        return Balls(v, np.broadcast_to(bad, shape))

    def logic_and(self, parts, env):
        t, f = True, False
        for p in parts:
            c = _tri(p(env))
            t, f = t & c.t, f | c.f
        return Tri(t, f)

    def logic_or(self, parts, env):
        t, f = False, True
        for p in parts:
            c = _tri(p(env))
            t, f = t | c.t, f & c.f
        return Tri(t, f)

    def logic_not(self, value):
        c = _tri(value)
        return Tri(c.f, c.t)

    def coordinate_sum(self, summand, vectors, key=None):
        terms = summand(*vectors)
        shape = np.broadcast_shapes(*(np.shape(x.v) for x in vectors))
        v = np.broadcast_to(np.asarray(terms.v, dtype=object), shape)
        bad = np.broadcast_to(terms.bad, shape)
        return Balls(v.sum(axis=1, keepdims=True), bad.any(axis=1, keepdims=True))

    def normalize(self, x):
        bad = np.broadcast_to(x.bad, np.shape(x.v))
        s = Balls(x.v.sum(axis=1, keepdims=True), bad.any(axis=1, keepdims=True))
        return self.div(x, s)

    def require_nonnegative(self, w):
        """Rows where a mixture weight is not certainly ``≥ 0`` are noted in :attr:`suspect`
        (the compiler ignores the returned value)."""
        self.suspect = self.suspect | w.bad | ~_certain(">=", w.v, 0)
        return w


def _tri(c):
    return c if isinstance(c, Tri) else Tri(bool(c), not bool(c))
