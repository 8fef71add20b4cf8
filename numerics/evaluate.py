"""Evaluating claims and expressions at concrete points.

:class:`CompiledClaim` holds one claim compiled for both backends: float64 batches for
searching, exact/ball arithmetic for deciding. :func:`evaluate` and :func:`check_point` are the
public entry points for a single user-given point.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp
from flint import ctx, fmpq

from theory import Claim, MalformedClaim
from theory.errors import integer_setting
from theory._structure import kind_of, symbols_of
from theory.symbols import K as K_SYMBOL

from . import _ball
from ._ball import BallBackend, Undecided, Undefined, digits_to_bits
from ._compile import compile_expr
from ._float import FloatBackend
from .points import validate_point

#: The relation that, holding, contradicts the claim's relation.
VIOLATION = {"<=": ">", "<": ">=", ">=": "<", ">": "<=", "==": "!="}


class UndefinedValue(ArithmeticError):
    """The expression has no value at the given point (``∞ − ∞``, ``0/0``, ...)."""


@dataclass(frozen=True)
class PointCheck:
    """The decided outcome of a claim at one exact point.

    ``status`` is ``"violation"`` (the relation certainly fails), ``"holds"`` (it certainly
    holds), ``"agrees"`` (an identity whose sides agree to the working precision),
    ``"undecided"`` (precision exhausted), ``"undefined"`` (a side has no value) or
    ``"outside"`` (an assumption certainly fails).
    """

    status: str
    lhs: object = None
    rhs: object = None
    digits: int = 0
    #: True when the status rests on an exact SymPy proof that the two sides are equal.
    exact_tie: bool = False

    def decimal(self, side: str, digits: int | None = None) -> str | None:
        v = getattr(self, side)
        return None if v is None else _ball.to_decimal(v, digits or self.digits)

    @property
    def margin(self) -> float:
        """``lhs − rhs`` oriented so that a positive value means a violation (as a float)."""
        if self.lhs is None or self.rhs is None:
            return math.nan
        a, b = _ball.to_float(self.lhs), _ball.to_float(self.rhs)
        if a == b:
            return 0.0
        return a - b


class CompiledClaim:
    """A claim compiled once for float64 batches and for exact/ball points."""

    def __init__(self, claim: Claim):
        self.claim = claim
        self.op = claim.op
        self.dists, self.scalars = claim.distributions, claim.scalars
        fb = FloatBackend()
        self._lhs_f = compile_expr(claim.lhs, fb)
        self._rhs_f = compile_expr(claim.rhs, fb)
        self._assume_f = [compile_expr(c, fb) for c in claim.assume.values()]
        self._ball, self._backends = {}, {}
        self._exact, self._exact_budget = None, self.EXACT_TIE_BUDGET

    # -- float64 batches ------------------------------------------------------------------
    def float_sides(self, values: dict, K: int):
        """``(lhs, rhs, in_domain)`` arrays of shape ``(n,)`` for a batch of points.

        ``values`` maps each symbol to an array ``(n, K)`` or ``(n,)``. ``in_domain`` is False
        where an assumption fails or cannot be evaluated in float64.
        """
        env = {K_SYMBOL: float(K)}
        n = None
        for s in self.dists:
            env[s] = np.asarray(values[s], dtype=float)
            n = env[s].shape[0]
        for s in self.scalars:
            env[s] = np.asarray(values[s], dtype=float).reshape(-1, 1)
            n = env[s].shape[0]
        with np.errstate(all="ignore"):
            lhs = _column(self._lhs_f(env), n)
            rhs = _column(self._rhs_f(env), n)
            ok = np.ones(n, dtype=bool)
            for f in self._assume_f:
                ok &= np.broadcast_to(np.asarray(f(env), dtype=bool).reshape(-1), (n,))
        return lhs, rhs, ok

    #: Absolute size below which a float64 difference of the two sides is noise.
    FLOOR = 1e-12

    def score(self, lhs, rhs):
        """Relative violation in ``[-1, 1]``: positive means the relation fails (float64).

        ``(lhs − rhs) / (|lhs| + |rhs| + FLOOR)``, oriented by the relation, so that rounding
        noise around a tie (both sides near 0) scores near 0 rather than ±1. For ``==`` the
        score is the absolute value. NaN where unknown.
        """
        a, b = (lhs, rhs) if self.op in ("<=", "<", "==") else (rhs, lhs)
        with np.errstate(all="ignore"):
            d = a - b
            scale = np.abs(a) + np.abs(b) + self.FLOOR
            s = d / scale
            both_inf = np.isinf(a) & np.isinf(b)
            s = np.where(both_inf & (np.sign(a) == np.sign(b)), 0.0, s)
            s = np.where(np.isinf(a) & ~np.isinf(b), np.sign(a), s)
            s = np.where(np.isinf(b) & ~np.isinf(a), -np.sign(b), s)
            s = np.where(both_inf & (np.sign(a) != np.sign(b)), np.sign(a), s)
            s = np.where(np.isnan(a) | np.isnan(b), np.nan, s)
        return np.abs(s) if self.op == "==" else s

    # -- exact / ball points --------------------------------------------------------------
    def _compiled(self, bits: int):
        c = self._ball.get(bits)
        if c is None:
            b = self._backends[bits] = BallBackend(bits)
            c = self._ball[bits] = (compile_expr(self.claim.lhs, b), compile_expr(self.claim.rhs, b),
                                    [compile_expr(a, b) for a in self.claim.assume.values()])
        return c

    #: How many exact (SymPy) tie tests one compiled claim may spend; each costs a simplify.
    EXACT_TIE_BUDGET = 48

    def check(self, env: dict, K: int, digits: int, escalations: int = 2) -> PointCheck:
        """Decide the claim at an exact point (``fmpq`` values), raising the precision up to
        ``escalations`` times (doubling) when a sign is undecided.

        For a strict relation, a point still undecided may be an exact tie between
        transcendental values, which violates the claim: SymPy then evaluates both sides
        exactly and tests ``lhs − rhs = 0`` (within a budget of such tests per claim).
        """
        env = dict(env)
        env[K_SYMBOL] = fmpq(K)
        d = digits
        for _ in range(escalations + 1):
            try:
                return self._check_at(env, d)
            except Undecided:
                d *= 2
        if self.op in ("<", ">") and self._exact_budget > 0:
            self._exact_budget -= 1
            if self._exact_tie(env):
                value = _sympy_to_ball(self._tie_value, digits)
                return PointCheck("violation", value, value, digits, exact_tie=True)
        return PointCheck("undecided", digits=d // 2)

    def _exact_tie(self, env) -> bool:
        from ._exact import SymPyBackend, fits_tie_test, is_exact_tie

        if self._exact is None:
            b = SymPyBackend()
            self._exact = (compile_expr(self.claim.lhs, b), compile_expr(self.claim.rhs, b))
        point = {s: ([sp.Rational(int(x.p), int(x.q)) for x in v] if isinstance(v, list)
                     else sp.Rational(int(v.p), int(v.q))) for s, v in env.items()}
        if not fits_tie_test(point.values()):
            return False
        try:
            lhs, rhs = self._exact[0](point), self._exact[1](point)
            tie = is_exact_tie(lhs, rhs)
        except (Undefined, Undecided):
            return False
        self._tie_value = lhs
        return tie

    def _check_at(self, env, digits):
        bits = digits_to_bits(digits)
        lhs_f, rhs_f, assume_f = self._compiled(bits)
        self._backends[bits].reset()
        with ctx.workprec(bits):
            try:
                for f in assume_f:
                    if not f(env):
                        return PointCheck("outside", digits=digits)
            except Undefined:
                return PointCheck("outside", digits=digits)
            try:
                lhs, rhs = lhs_f(env), rhs_f(env)
            except Undefined:
                return PointCheck("undefined", digits=digits)
            if self.op == "==":
                try:
                    bad = _ball.compare("!=", lhs, rhs)
                except Undecided:
                    if _agree(lhs, rhs, digits):
                        return PointCheck("agrees", lhs, rhs, digits)
                    raise
                return PointCheck("violation" if bad else "holds", lhs, rhs, digits)
            bad = _ball.compare(VIOLATION[self.op], lhs, rhs)
            return PointCheck("violation" if bad else "holds", lhs, rhs, digits)


def _sympy_to_ball(v, digits: int):
    """An exact SymPy value as a ball (or infinity) accurate to ``digits``, for reporting."""
    if v is sp.oo:
        return _ball.INF
    if v is -sp.oo:
        return _ball.NEG_INF
    if v.is_Rational:
        return fmpq(int(v.p), int(v.q))
    from flint import arb

    with ctx.workprec(digits_to_bits(digits + 10)):
        return arb(str(sp.N(v, digits + 10)))


def _agree(a, b, digits) -> bool:
    if _ball.is_inf(a) or _ball.is_inf(b):
        return False
    return _ball.discrepancy(a, b) <= 10.0 ** (-(digits - 2))


def _column(v, n):
    return np.broadcast_to(np.asarray(v, dtype=float), (n, 1)).reshape(-1) if np.ndim(v) else np.full(n, float(v))


# -- public entry points ------------------------------------------------------------------

def _mp_context(digits: int):
    c = mpmath.MPContext()
    c.dps = digits
    return c


def evaluate(expr, values: dict, *, precision: int = 50, K: int | None = None):
    """The value of a number-valued expression at a concrete point, as an ``mpf`` carrying
    ``precision`` significant digits (``+inf`` where a divergence is infinite).

    ``values`` maps each distribution (symbol or name) to a sequence of probabilities and
    each scalar to a number; floats are taken exactly as given. The value is computed with
    exact rationals and rigorous ball arithmetic, so every printed digit is correct.

    Raises an :class:`~theory.errors.InvalidDistribution` subclass for a bad distribution,
    :class:`~theory.errors.ScalarOutOfRange`, :class:`~theory.errors.MissingValue`, or
    :class:`UndefinedValue` where the expression has no value.
    """
    integer_setting("precision", precision, 1)
    kind_of(expr)
    dists, scalars = symbols_of(expr)
    env, k = validate_point(dists + scalars, values, K)
    env[K_SYMBOL] = fmpq(k if k is not None else 1)
    d = precision
    for _ in range(4):
        bits = digits_to_bits(d + 5)
        with ctx.workprec(bits):
            try:
                v = compile_expr(expr, BallBackend(bits))(env)
            except Undefined as exc:
                raise UndefinedValue(f"{expr} has no value at this point ({exc})") from None
            except Undecided:
                d *= 2
                continue
            c = _mp_context(precision)
            if _ball.is_inf(v):
                return c.inf if v.sign > 0 else -c.inf
            return c.mpf(_ball.to_decimal(v, precision + 5))
    raise UndefinedValue(f"{expr}: precision exhausted at {d} digits")


def evaluate_distribution(expr, values: dict, *, precision: int = 50, K: int | None = None):
    """The entries of a distribution-valued expression (an operator applied to concrete
    distributions) as a list of ``mpf``; see :func:`evaluate` for ``values`` and errors."""
    from theory._structure import DIST

    integer_setting("precision", precision, 1)
    if kind_of(expr) != DIST:
        raise MalformedClaim(f"expr={expr} is a number, not a distribution; use evaluate()")
    dists, scalars = symbols_of(expr)
    env, k = validate_point(dists + scalars, values, K)
    env[K_SYMBOL] = fmpq(k if k is not None else 1)
    bits = digits_to_bits(precision + 5)
    c = _mp_context(precision)
    with ctx.workprec(bits):
        try:
            v = compile_expr(expr, BallBackend(bits))(env)
        except Undefined as exc:
            raise UndefinedValue(f"{expr} has no value at this point ({exc})") from None
        except Undecided as exc:
            raise UndefinedValue(f"{expr}: undecided at {precision} digits ({exc})") from None
        return [c.mpf(_ball.to_decimal(x, precision + 5)) for x in v]


def check_point(claim: Claim, values: dict, *, precision: int = 50, K: int | None = None) -> PointCheck:
    """Decide ``claim`` at one concrete point (validated as in :func:`evaluate`)."""
    integer_setting("precision", precision, 1)
    env, k = validate_point(claim.distributions + claim.scalars, values, K)
    return CompiledClaim(claim).check(env, k if k is not None else 1, precision)
