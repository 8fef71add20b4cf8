"""Independent high-precision definitions, written from THEORY.md with mpmath only.

Nothing here imports the project's evaluators: these are the yardsticks the tests hold them to.
Inputs are sequences of Fractions (or strings "a/b"); outputs are mpf at the caller's context.
"""
from fractions import Fraction

import mpmath

mp = mpmath.MPContext()
mp.dps = 80


def _v(xs):
    return [mp.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in xs]


def kl(a, b):
    a, b = _v(a), _v(b)
    total = mp.mpf(0)
    for x, y in zip(a, b):
        if x == 0:
            continue
        if y == 0:
            return mp.inf
        total += x * mp.log(x / y)
    return total


def tv(a, b):
    a, b = _v(a), _v(b)
    return sum(abs(x - y) for x, y in zip(a, b)) / 2


def chi2(a, b):
    a, b = _v(a), _v(b)
    total = mp.mpf(0)
    for x, y in zip(a, b):
        if x == y:
            continue
        if y == 0:
            return mp.inf
        total += (x - y) ** 2 / y
    return total


def hellinger(a, b):
    a, b = _v(a), _v(b)
    return mp.sqrt(sum((mp.sqrt(x) - mp.sqrt(y)) ** 2 for x, y in zip(a, b)) / 2)


def renyi(a, b, alpha):
    alpha = mp.mpf(Fraction(alpha).numerator) / Fraction(alpha).denominator
    if alpha == 1:
        return kl(a, b)
    a, b = _v(a), _v(b)
    s = mp.mpf(0)
    for x, y in zip(a, b):
        if x == 0:
            continue
        if y == 0:
            if alpha > 1:
                return mp.inf
            continue
        s += x ** alpha * y ** (1 - alpha)
    if s == 0:
        return mp.inf
    return mp.log(s) / (alpha - 1)


def js(a, b):
    m = [(Fraction(x) + Fraction(y)) / 2 for x, y in zip(a, b)]
    return (kl(a, m) + kl(b, m)) / 2


def entropy(a):
    return -sum(x * mp.log(x) for x in _v(a) if x != 0)


def linear_anchor(q, anchor, lam):
    lam = Fraction(lam)
    return [(1 - lam) * Fraction(x) + lam * Fraction(y) for x, y in zip(q, anchor)]


def geometric_anchor(q, anchor, lam):
    lam = mp.mpf(Fraction(lam).numerator) / Fraction(lam).denominator
    raw = [mp.power(x, 1 - lam) * mp.power(y, lam) for x, y in zip(_v(q), _v(anchor))]
    z = sum(raw)
    return [r / z for r in raw]


def soften(p, T):
    T = mp.mpf(Fraction(T).numerator) / Fraction(T).denominator
    raw = [mp.power(x, 1 / T) for x in _v(p)]
    z = sum(raw)
    return [r / z for r in raw]


def close(x, y, digits=40):
    """Equal to ``digits`` significant digits (absolutely, near zero); infinities equal."""
    x, y = [_v([v])[0] if isinstance(v, (Fraction, int)) else mp.mpf(v) for v in (x, y)]
    if mp.isinf(x) or mp.isinf(y):
        return x == y
    return abs(x - y) <= mp.mpf(10) ** (-digits) * max(1, abs(x), abs(y))
