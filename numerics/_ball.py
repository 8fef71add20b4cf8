"""Rigorous evaluation: exact rationals where the value is rational, arb balls elsewhere.

Values are ``fmpq`` (exact), ``arb`` (a ball certainly containing the true value) or one of the
signed infinities :data:`INF`, :data:`NEG_INF`. Exact zeros stay exact, so the boundary
conventions (``0·log 0 = 0``, ``0·∞ = 0``, ``0^0 = 1``) are decided exactly rather than guessed
from a small number.

Two exceptions stop an evaluation: :class:`Undefined` when the value does not exist at the
point (``∞ − ∞``, ``0/0``, the log of a negative number), and :class:`Undecided` when the
working precision cannot settle a sign the next step depends on (raise the precision).
"""
from __future__ import annotations

import math

from flint import arb, ctx, fmpq, fmpz


class Undefined(ArithmeticError):
    """The expression has no value at this point."""


class Undecided(ArithmeticError):
    """The working precision cannot decide a sign or an equality."""


class _Inf:
    __slots__ = ("sign",)

    def __init__(self, sign: int):
        self.sign = sign

    def __repr__(self):
        return "inf" if self.sign > 0 else "-inf"


INF, NEG_INF = _Inf(1), _Inf(-1)
ZERO, ONE = fmpq(0), fmpq(1)


def is_inf(v) -> bool:
    return isinstance(v, _Inf)


def exact(v) -> bool:
    return isinstance(v, fmpq)


def sign(v) -> int:
    """-1, 0 or 1, certainly; raises Undecided for a ball that straddles zero."""
    if isinstance(v, fmpq):
        return (v > 0) - (v < 0)
    if isinstance(v, _Inf):
        return v.sign
    if v > 0:
        return 1
    if v < 0:
        return -1
    if v.is_zero():
        return 0
    raise Undecided(f"sign of {v} at {ctx.prec} bits")


def _ball(v):
    return v if isinstance(v, arb) else arb(v)


def add(a, b):
    if isinstance(b, fmpq) and b == 0:
        return a  # keep identity: x + 0 is x itself (see compare)
    if isinstance(a, fmpq) and a == 0:
        return b
    if isinstance(a, _Inf) or isinstance(b, _Inf):
        if isinstance(a, _Inf) and isinstance(b, _Inf) and a.sign != b.sign:
            raise Undefined("inf - inf")
        return a if isinstance(a, _Inf) else b
    return a + b


def neg(a):
    if isinstance(a, _Inf):
        return NEG_INF if a.sign > 0 else INF
    return -a


def mul(a, b):
    if isinstance(a, fmpq) and a == 1:
        return b  # keep identity: 1·x is x itself (see compare)
    if isinstance(b, fmpq) and b == 1:
        return a
    if isinstance(a, _Inf) or isinstance(b, _Inf):
        s = sign(a) * sign(b)
        return ZERO if s == 0 else (INF if s > 0 else NEG_INF)
    if (isinstance(a, fmpq) and a == 0) or (isinstance(b, fmpq) and b == 0):
        return ZERO  # an exact zero times a ball stays exact (faces of the simplex)
    return a * b


def div(a, b):
    if a is b and not isinstance(a, _Inf) and sign(a) != 0:
        return ONE
    if isinstance(b, _Inf):
        if isinstance(a, _Inf):
            raise Undefined("inf / inf")
        return ZERO
    sb = sign(b)
    if sb == 0:
        sa = sign(a)
        if sa == 0:
            raise Undefined("0 / 0")
        return INF if sa > 0 else NEG_INF
    if isinstance(a, _Inf):
        return a if sb > 0 else neg(a)
    if isinstance(a, fmpq) and a == 0:
        return ZERO
    return a / b


def _exact_root(x: fmpq, n: int):
    """The exact ``n``-th root of a non-negative rational, or None when it is irrational."""
    rp, rq = fmpz(x.p).root(n), fmpz(x.q).root(n)
    if rp ** n == x.p and rq ** n == x.q:
        return fmpq(rp, rq)
    return None


#: Exact rational powers are kept only while the result stays this small (bits).
EXACT_POWER_BITS = 4096


def _small_power(a, n: int) -> bool:
    size = int(a.p).bit_length() + int(a.q).bit_length() if isinstance(a, fmpq) else 0
    return size * abs(n) <= EXACT_POWER_BITS


def power(a, e):
    if isinstance(e, _Inf):
        raise Undefined("power with an infinite exponent")
    se = sign(e)
    if se == 0:
        return ONE  # x^0 = 1, including 0^0 = 1
    if isinstance(e, fmpq) and e.q == 1:
        n = int(e.p)
        if isinstance(a, _Inf):
            if n < 0:
                return ZERO
            return INF if a.sign > 0 or n % 2 == 0 else NEG_INF
        if sign(a) == 0:
            return ZERO if n > 0 else INF
        if isinstance(a, fmpq) and not _small_power(a, n):
            return _ball(a) ** n
        return a ** n
    sa = sign(a)
    if sa < 0:
        raise Undefined("negative base with a non-integer exponent")
    if isinstance(a, _Inf):
        return INF if se > 0 else ZERO
    if sa == 0:
        return ZERO if se > 0 else INF
    if isinstance(a, fmpq) and isinstance(e, fmpq) and e.q <= 64 and _small_power(a, int(e.p)):
        root = _exact_root(a, int(e.q))
        if root is not None:
            return root ** int(e.p)
    if a == 1:
        return ONE
    return _ball(a) ** _ball(e)


def log(a):
    if isinstance(a, _Inf):
        if a.sign < 0:
            raise Undefined("log of -inf")
        return INF
    s = sign(a)
    if s < 0:
        raise Undefined("log of a negative number")
    if s == 0:
        return NEG_INF
    if isinstance(a, fmpq) and a == 1:
        return ZERO
    return _ball(a).log()


def exp(a):
    if isinstance(a, _Inf):
        return INF if a.sign > 0 else ZERO
    if isinstance(a, fmpq) and a == 0:
        return ONE
    return _ball(a).exp()


def absolute(a):
    if isinstance(a, _Inf):
        return INF
    return abs(a)


def compare(op: str, a, b) -> bool:
    """The truth of ``a op b`` for ``op`` in <, <=, >, >=, ==, !=; Undecided when unsure.

    Two references to the same ball are equal: the evaluator shares the value of a repeated
    sub-expression at the same exact arguments, so ``KL(p‖q) ≤ 1·KL(p‖q)`` is decided.
    """
    if a is b:
        s = 0
    elif isinstance(a, _Inf) and isinstance(b, _Inf):
        d = a.sign - b.sign
        s = (d > 0) - (d < 0)
    elif isinstance(a, _Inf):
        s = a.sign
    elif isinstance(b, _Inf):
        s = -b.sign
    else:
        diff = a - b
        if op in ("==", "!=") and not isinstance(diff, fmpq):
            if diff > 0 or diff < 0:
                s = 1
            elif diff.is_zero():
                s = 0
            else:
                raise Undecided(f"equality at {ctx.prec} bits")
        else:
            s = sign(diff)
    return {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0, "!=": s != 0}[op]


def digits_to_bits(digits: int) -> int:
    """Binary precision carrying ``digits`` decimal digits, with guard bits."""
    return int(math.ceil(digits * math.log2(10))) + 8


def to_decimal(v, digits: int) -> str:
    """The value as a decimal string with ``digits`` significant digits."""
    if isinstance(v, _Inf):
        return "inf" if v.sign > 0 else "-inf"
    if isinstance(v, fmpq):
        if v == 0:
            return "0"
        # An exact value is rounded at the precision asked for, not the context's 53 bits.
        with ctx.workprec(digits_to_bits(digits)):
            return arb(v).str(digits, radius=False)
    return _ball(v).str(digits, radius=False)


def to_float(v) -> float:
    if isinstance(v, _Inf):
        return math.inf * v.sign
    return float(v if isinstance(v, fmpq) else v.mid())


def from_rational(x) -> fmpq:
    """An exact ``fmpq`` from an int, Fraction, fmpq, finite float or SymPy Rational."""
    if isinstance(x, fmpq):
        return x
    if isinstance(x, float):
        n, d = x.as_integer_ratio()
        return fmpq(n, d)
    if hasattr(x, "numerator") and hasattr(x, "denominator"):
        return fmpq(int(x.numerator), int(x.denominator))
    if hasattr(x, "p") and hasattr(x, "q"):
        return fmpq(int(x.p), int(x.q))
    return fmpq(int(x))


def _map(f, *xs):
    """Apply ``f`` elementwise; lists are vectors, anything else broadcasts."""
    n = next((len(x) for x in xs if isinstance(x, list)), None)
    if n is None:
        return f(*xs)
    return [f(*(x[i] if isinstance(x, list) else x for x in xs)) for i in range(n)]


class BallBackend:
    """Backend of the compiler for one point: vectors are lists of exact or ball entries."""

    vectorised = False

    def __init__(self, prec_bits: int):
        self.prec = int(prec_bits)
        self._memo, self._negations = {}, {}

    def reset(self):
        """Forget shared values; call before evaluating at a new point."""
        self._memo.clear()
        self._negations.clear()

    def const(self, c):
        import sympy as sp

        if c is sp.oo:
            return INF
        if c is -sp.oo:
            return NEG_INF
        if c.is_Rational:
            return fmpq(int(c.p), int(c.q))
        if c is sp.pi:
            return arb.pi()
        if c is sp.E:
            return arb(1).exp()
        if c.is_Float:
            return from_rational(float(c)) if c._prec <= 53 else arb(str(c))
        raise Undefined(f"constant {c}")

    # Exact cancellation: the same transcendental value computed twice is one shared object
    # (memoised on exact arguments), and x + (-x) is recognised as an exact zero. This lets
    # ties such as sqrt(1/2) - sqrt(1/2) in the Hellinger distance evaluate to exactly 0.
    def _shared(self, name, f, *args):
        if not all(isinstance(x, fmpq) for x in args):
            return f(*args)
        key = (name,) + args
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = f(*args)
        return hit

    def _add1(self, a, b):
        if self._negations.get(id(b)) is a or self._negations.get(id(a)) is b:
            return ZERO
        return add(a, b)

    def _mul1(self, a, b):
        if isinstance(a, fmpq) and a == -1 and not isinstance(b, (fmpq, _Inf)):
            out = neg(b)
            self._negations[id(out)] = b
            self._memo[("neg", id(out))] = out  # keep it alive while its id is a key
            return out
        return mul(a, b)

    def add(self, a, b):
        return _map(self._add1, a, b)

    def mul(self, a, b):
        return _map(self._mul1, a, b)

    def div(self, a, b):
        return _map(div, a, b)

    def pow(self, a, b):
        return _map(lambda x, e: self._shared("pow", power, x, e), a, b)

    def log(self, a):
        return _map(lambda x: self._shared("log", log, x), a)

    def exp(self, a):
        return _map(lambda x: self._shared("exp", exp, x), a)

    def abs(self, a):
        return _map(absolute, a)

    def minimum(self, a, b):
        return _map(lambda x, y: x if compare("<=", x, y) else y, a, b)

    def maximum(self, a, b):
        return _map(lambda x, y: x if compare(">=", x, y) else y, a, b)

    def compare(self, op, a, b):
        return compare(op, a, b)

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
        if key is not None and all(isinstance(x, fmpq) for v in vectors for x in v):
            key = (key, tuple(tuple(v) for v in vectors))
            hit = self._memo.get(key)
            if hit is None:
                hit = self._memo[key] = self.coordinate_sum(summand, vectors)
            return hit
        total = ZERO
        for entries in zip(*vectors):
            total = add(total, summand(*entries))
        return total

    def normalize(self, v):
        total = ZERO
        for x in v:
            total = add(total, x)
        if isinstance(total, _Inf) or sign(total) == 0:
            raise Undefined("normalising a vector of total mass 0 or inf")
        return [div(x, total) for x in v]

    def require_nonnegative(self, w):
        if sign(w) < 0:
            raise Undefined("a mixture weight is negative")
        return w


def discrepancy(a, b) -> float:
    """An upper bound of ``|a − b| / max(1, |a|, |b|)`` for finite values (a float)."""
    if a is b:
        return 0.0
    d = _ball(a - b)
    scale = max(1.0, abs(to_float(a)), abs(to_float(b)))
    return float(d.abs_upper()) / scale


def relative_difference(a, b) -> float:
    """``(a − b) / (|a| + |b|)`` as a float, computed in ball arithmetic (0 when both vanish;
    ±1 when exactly one side is infinite)."""
    if a is b:
        return 0.0
    if isinstance(a, _Inf) or isinstance(b, _Inf):
        if isinstance(a, _Inf) and isinstance(b, _Inf):
            return 0.0 if a.sign == b.sign else float(a.sign)
        return float(a.sign) if isinstance(a, _Inf) else float(-b.sign)
    scale = absolute(a) + absolute(b)
    if isinstance(scale, fmpq) and scale == 0:
        return 0.0
    return to_float(_ball(a - b) / _ball(scale))
