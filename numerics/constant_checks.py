"""Each constant of :mod:`theory.constants` against an independent mpmath computation.

The derived expression is evaluated at exact points; the yardstick is computed from the
definitions alone, without the derivation: the recursion iterated generation by generation,
the factors multiplied, the divergence ratio evaluated at points approaching the limit, the
supremum family of result 1 followed toward its limit. Tolerances follow each comparison:
identities agree to most of the working digits, limits within the distance the approach leaves.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from theory.constants import Constant, constants


@dataclass(frozen=True)
class ConstantCheck:
    constant: Constant
    ok: bool
    detail: str


def check_constants(precision: int = 50) -> list:
    """One :class:`ConstantCheck` per derived constant (``ok`` False when the derived value
    and the independent computation disagree, or when no independent check exists)."""
    return [check_constant(c, precision) for c in constants()]


def check_constant(c: Constant, precision: int = 50) -> ConstantCheck:
    mp = mpmath.MPContext()
    mp.dps = precision

    def value(**values):
        v = _value(c, precision + 10, values)
        return mp.inf if v == sp.oo else mp.mpf(str(v))

    check = _CHECKS.get((c.result, c.name))
    if check is None:
        return ConstantCheck(c, False, "no independent check for this constant")
    ok, detail = check(value, mp)
    return ConstantCheck(c, bool(ok), detail)


def _value(c, digits, values):
    """``c.expr`` with symbols (by name) set to exact values, to ``digits`` digits."""
    expr = c.expr
    symbols = {s.name: s for s in expr.free_symbols}
    e = expr.subs({symbols[k]: _exact(v, digits) for k, v in values.items() if k in symbols})
    return sp.N(e, digits)


def _exact(v, digits):
    if isinstance(v, (int, Fraction)):
        return sp.Rational(Fraction(v))
    return sp.Float(mpmath.nstr(v, digits, strip_zeros=False), digits)  # an mpf yardstick input


# -- independent computations -------------------------------------------------------------

def _kl(mp, a, b):
    return mp.fsum(x * mp.log(x / y) for x, y in zip(a, b) if x != 0)


def _renyi(mp, a, b, alpha):
    return mp.log(mp.fsum(x ** alpha * y ** (1 - alpha) for x, y in zip(a, b))) / (alpha - 1)


def _linear(mp, q, p, lam):
    return [(1 - lam) * x + lam * y for x, y in zip(q, p)]


def _points(mp, k, n, seed=7):
    """Deterministic interior distributions (a linear congruential sequence, not the search's
    sampler, so that the yardstick shares no code with what it measures)."""
    state, out = seed, []
    for _ in range(n):
        w = []
        for _ in range(k):
            state = (1103515245 * state + 12345) % 2 ** 31
            w.append(mp.mpf(state % 1000 + 1))
        total = mp.fsum(w)
        out.append([x / total for x in w])
    return out


def _close(mp, a, b, rel):
    return abs(a - b) <= rel * (1 + abs(b))


LAMBDAS = (Fraction(1, 10), Fraction(1, 2), Fraction(9, 10))


def _contraction_forward(value, mp):
    """Result 1: the ratio stays below c(λ) at interior points and approaches it along
    p* = (1−ε, ε), q = (1−ε−δ, ε+δ), ε → 0 then δ → 0."""
    worst = mp.mpf(0)
    for lam in LAMBDAS:
        c, l = value(**{"lambda": lam}), mp.mpf(lam.numerator) / lam.denominator
        pts = _points(mp, 4, 12)
        for p, q in zip(pts, pts[1:]):
            if _kl(mp, p, _linear(mp, q, p, l)) > c * _kl(mp, p, q):
                return False, f"ratio above c at lambda={lam}"
        eps, dlt = mp.mpf(10) ** -30, mp.mpf(10) ** -8
        p, q = [1 - eps, eps], [1 - eps - dlt, eps + dlt]
        ratio = _kl(mp, p, _linear(mp, q, p, l)) / _kl(mp, p, q)
        worst = max(worst, abs(ratio - c))
        if abs(ratio - c) > mp.mpf(10) ** -3:
            return False, f"supremum family ratio {mp.nstr(ratio, 10)} far from c={mp.nstr(c, 10)}"
    return True, f"ratio <= c at 33 interior points; supremum family within {mp.nstr(worst, 3)} of c"


def _contraction_reverse(value, mp):
    """Result 2: reverse ratio below c(λ), approaching it at q a vertex, p* → the other vertex."""
    for lam in LAMBDAS:
        c, l = value(**{"lambda": lam}), mp.mpf(lam.numerator) / lam.denominator
        pts = _points(mp, 4, 12, seed=11)
        for p, q in zip(pts, pts[1:]):
            if _kl(mp, _linear(mp, q, p, l), p) > c * _kl(mp, q, p):
                return False, f"reverse ratio above c at lambda={lam}"
        eps = mp.mpf(10) ** -(mp.dps // 2)
        p, q = [1 - eps, eps], [mp.mpf(0), mp.mpf(1)]
        ratio = _kl(mp, _linear(mp, q, p, l), p) / _kl(mp, q, p)
        if abs(ratio - c) > mp.mpf(0.05):
            return False, f"vertex family ratio {mp.nstr(ratio, 10)} far from c={mp.nstr(c, 10)}"
    return True, "reverse ratio <= c at 33 interior points and tends to c at a vertex"


def _geometric_identity(value, mp):
    lam = Fraction(2, 7)
    l = mp.mpf(2) / 7
    for p, q in zip(_points(mp, 5, 4), _points(mp, 5, 4, seed=3)):
        z = mp.fsum(x ** (1 - l) * y ** l for x, y in zip(q, p))
        phi = [x ** (1 - l) * y ** l / z for x, y in zip(q, p)]
        got = value(**{"lambda": lam, "KL_0": _kl(mp, p, q), "D": _renyi(mp, q, p, 1 - l)})
        if not _close(mp, _kl(mp, p, phi), got, mp.mpf(10) ** -(mp.dps - 10)):
            return False, "KL(p*||Phi_geo) differs from the identity"
    return True, f"identity agrees to {mp.dps - 10} digits at 4 points (K = 5)"


def _geometric_contraction(value, mp):
    """Result 3: the ratio KL(p*‖Φ^geo(q))/KL(p*‖q) stays below c(λ) at interior points, and
    approaches it from below along p* = (½, ½), q = (1−δ, δ), δ → 0: there KL(p*‖q) grows like
    ½ log(1/δ) while the Rényi gap D_{1−λ}(q‖p*) stays below log 2, so ratio = c − λ D/KL → c.
    A constant too small fails the first test, one too large the second."""
    worst = mp.mpf(0)
    for lam in LAMBDAS:
        c, l = value(**{"lambda": lam}), mp.mpf(lam.numerator) / lam.denominator

        def ratio(p, q):
            z = mp.fsum(x ** (1 - l) * y ** l for x, y in zip(q, p))
            return _kl(mp, p, [x ** (1 - l) * y ** l / z for x, y in zip(q, p)]) / _kl(mp, p, q)

        for p, q in zip(_points(mp, 3, 8), _points(mp, 3, 8, seed=5)):
            if ratio(p, q) > c:
                return False, f"geometric ratio above c at lambda={lam}"
        half, previous = mp.mpf(1) / 2, None
        for k in (2, 4, 6):
            dlt = mp.mpf(10) ** -(10 ** k)
            r = ratio([half, half], [1 - dlt, dlt])
            if r > c or (previous is not None and r <= previous):
                return False, f"vertex family ratio {mp.nstr(r, 10)} not rising toward c at lambda={lam}"
            previous = r
        worst = max(worst, c - previous)
        if c - previous > mp.mpf(10) ** -5:
            return False, (f"vertex family ratio {mp.nstr(previous, 10)} far below "
                           f"c={mp.nstr(c, 10)} at lambda={lam}")
    return True, (f"geometric ratio <= c at 24 interior points; rises toward c along q -> a vertex, "
                  f"within {mp.nstr(worst, 3)} at delta = 1e-1000000")


def _local_rate(value, mp):
    lam = Fraction(3, 10)
    l = mp.mpf(3) / 10
    p = [mp.mpf(1) / 5, mp.mpf(3) / 10, mp.mpf(1) / 2]
    d = [1, -3, 2]
    eps = mp.mpf(10) ** -(mp.dps // 3)
    q = [x + eps * y for x, y in zip(p, d)]
    ratio = _kl(mp, p, _linear(mp, q, p, l)) / _kl(mp, p, q)
    ok = abs(ratio - value(**{"lambda": lam})) < 100 * eps
    return ok, f"KL ratio at distance {mp.nstr(eps, 3)} from p* (K = 3) within {mp.nstr(100 * eps, 3)}"


def _iterate_check(step, closed, x0, n, mp, what):
    x = x0
    for t in range(1, n + 1):
        x = step(x, t)
        want = closed(t)
        if not _close(mp, want, x, mp.mpf(10) ** -(mp.dps - 15)):
            return False, f"{what}: closed form {mp.nstr(want, 15)} != iterate {mp.nstr(x, 15)} at t={t}"
    return True, f"{what}: closed form equals the iterate for t = 1..{n}"


def _linear_iterate(value, mp):
    lam, p0, q0 = Fraction(1, 4), Fraction(1, 3), Fraction(9, 10)
    l = mp.mpf(1) / 4
    return _iterate_check(lambda x, t: (1 - l) * x + l * mp.mpf(1) / 3,
                          lambda t: value(**{"lambda": lam, "t": t, "pstar": p0, "q_0": q0}),
                          mp.mpf(9) / 10, 40, mp, "coordinate recursion")


def _bound_along_iterates(bound, measure, seed, steps, mp, what):
    """``measure(p*, q_t) <= bound(t, KL_0)`` along ``q_t`` iterated by linear anchoring (λ = 1/3)."""
    l = mp.mpf(1) / 3
    p, q0 = _points(mp, 4, 2, seed=seed)
    q, kl0 = q0, _kl(mp, p, q0)
    for t in range(1, steps + 1):
        q = _linear(mp, q, p, l)
        if measure(p, q) > bound(t, kl0):
            return False, f"{what} above the bound at t={t}"
    return True, f"{what} <= the bound along {steps} iterated generations (K = 4)"


def _iterated_weight(mp, l, t):
    """The weight ``w_t`` with ``q_t − p* = w_t (q_0 − p*)``, read off ``t`` linear anchoring
    steps of one coordinate (p* = 1/3, q_0 = 9/10)."""
    p, q0 = mp.mpf(1) / 3, mp.mpf(9) / 10
    x = q0
    for _ in range(t):
        x = (1 - l) * x + l * p
    return (x - p) / (q0 - p)


def _kl_factor(value, mp):
    """Result 5: the factor is the weight of ``q_0 − p*`` in the iterate, KL(p*‖q_t) stays below
    it times KL_0, and along p* = (1−ε, ε), q_0 = (1−ε−δ, ε+δ) (result 1's supremum family)
    KL(p*‖q_t)/KL_0 reaches it: so a factor too large fails as well as one too small."""
    third = mp.mpf(1) / 3
    for t in (1, 2, 7, 29):
        got, want = value(**{"lambda": Fraction(1, 3), "t": t}), _iterated_weight(mp, third, t)
        if not _close(mp, got, want, mp.mpf(10) ** -(mp.dps - 10)):
            return False, f"factor {mp.nstr(got, 15)} != iterated weight {mp.nstr(want, 15)} at t={t}"
    eps, dlt = mp.mpf(10) ** -30, mp.mpf(10) ** -8
    p, q = [1 - eps, eps], [1 - eps - dlt, eps + dlt]
    kl0 = _kl(mp, p, q)
    for t in range(1, 6):
        q = _linear(mp, q, p, third)
        got, ratio = value(**{"lambda": Fraction(1, 3), "t": t}), _kl(mp, p, q) / kl0
        if abs(ratio - got) > mp.mpf(10) ** -3:
            return False, f"supremum family ratio {mp.nstr(ratio, 10)} far from {mp.nstr(got, 10)} at t={t}"
    ok, detail = _bound_along_iterates(lambda t, kl0: value(**{"lambda": Fraction(1, 3), "t": t}) * kl0,
                                       lambda p, q: _kl(mp, p, q), 13, 29, mp, "KL(p*||q_t)")
    return ok, ("equals the iterated weight of q_0 - p* (t = 1, 2, 7, 29); supremum family ratio "
                "within 1e-3 for t = 1..5; " + detail)


def _generations(value, mp):
    for lam, kl0, eps in ((Fraction(1, 4), 2, Fraction(1, 1000)), (Fraction(1, 20), 5, Fraction(1, 10 ** 6))):
        l = mp.mpf(lam.numerator) / lam.denominator
        bound, t = mp.mpf(kl0), 0
        while bound > mp.mpf(eps.numerator) / eps.denominator:
            bound *= 1 - l
            t += 1
        got = value(**{"lambda": lam, "KL_0": kl0, "epsilon": eps})
        if int(mp.ceil(got)) != t:
            return False, f"ceil(t_eps)={mp.ceil(got)} but the bound first reaches epsilon at t={t}"
    return True, "ceil of the solution equals the first generation where (1-lambda)^t KL_0 <= epsilon"


def _asymptotic_decay(value, mp):
    lam = Fraction(1, 5)
    l = mp.mpf(1) / 5
    p, q = _points(mp, 3, 2, seed=17)
    kls = []
    with mp.workdps(2 * mp.dps):  # KL_t ~ ε_t² from terms ~ ε_t: the cancellation costs digits
        for _ in range(200):  # the ratio approaches (1-λ)^2 like (1-λ)^t
            q = _linear(mp, q, p, l)
            kls.append(_kl(mp, p, q))
        ratio = kls[-1] / kls[-2]
    per_step = value(**{"lambda": lam, "t": 1})
    ok = abs(ratio - per_step) < mp.mpf(10) ** -12
    return ok, (f"KL_{{t+1}}/KL_t at t = 199 is {mp.nstr(ratio, 15)}; the constant at t = 1 is "
                f"{mp.nstr(per_step, 15)}")


def _first_order(value, mp):
    """The ε-derivative at 0 of p* log(p*/(p* + ε d)), by a central difference at twice the
    working digits (error O(h²)), per coordinate; and the sum over a direction with Σ d = 0."""
    p = [Fraction(1, 7), Fraction(2, 7), Fraction(4, 7)]
    d = [Fraction(3, 10), Fraction(-1, 2), Fraction(1, 5)]
    h = mp.mpf(10) ** -(mp.dps // 2)  # truncation ~h², rounding ~10^(-2 dps)/h
    for x, y in zip(p, d):
        with mp.workdps(2 * mp.dps):
            xm, ym = mp.mpf(x.numerator) / x.denominator, mp.mpf(y.numerator) / y.denominator
            f = [xm * mp.log(xm / (xm + e * ym)) for e in (h, -h)]
            slope = (f[0] - f[1]) / (2 * h)
        if abs(value(pstar=x, d=y) - slope) > mp.mpf(10) ** -(mp.dps - 5):
            return False, f"coefficient {mp.nstr(value(pstar=x, d=y), 15)} != derivative {mp.nstr(slope, 15)}"
    total = mp.fsum(value(pstar=x, d=y) for x, y in zip(p, d))
    return abs(total) < mp.mpf(10) ** -(mp.dps - 5), ("equals the central-difference derivative per "
                                                       "coordinate; summed over a direction with sum 0 "
                                                       "it vanishes")


def _prefactor(value, mp):
    p = [Fraction(1, 7), Fraction(2, 7), Fraction(4, 7)]
    d = [Fraction(3, 10), Fraction(-1, 2), Fraction(1, 5)]
    c2 = mp.fsum(value(pstar=x, d=y) for x, y in zip(p, d))
    eps = mp.mpf(10) ** -(mp.dps // 3)
    pm = [mp.mpf(x.numerator) / x.denominator for x in p]
    q = [x + eps * (mp.mpf(y.numerator) / y.denominator) for x, y in zip(pm, d)]
    ratio = _kl(mp, pm, q) / eps ** 2
    return abs(ratio - c2) < 10 * eps, f"KL(p*||p* + eps d)/eps^2 within {mp.nstr(10 * eps, 3)} of the sum"


def _pinsker(value, mp):
    """Result 6: the constant equals sqrt(w_t KL_0 / 2) with ``w_t`` the iterated weight, and
    TV(p*, q_t) stays below it along iterated generations."""
    third = mp.mpf(1) / 3
    for t, kl0 in ((1, Fraction(3, 4)), (5, Fraction(2)), (24, Fraction(1, 9))):
        want = mp.sqrt(_iterated_weight(mp, third, t) * (mp.mpf(kl0.numerator) / kl0.denominator) / 2)
        got = value(**{"lambda": Fraction(1, 3), "t": t, "KL_0": kl0})
        if not _close(mp, got, want, mp.mpf(10) ** -(mp.dps - 10)):
            return False, f"bound {mp.nstr(got, 15)} != sqrt(w_t KL_0/2) = {mp.nstr(want, 15)} at t={t}"
    ok, detail = _bound_along_iterates(
        lambda t, kl0: value(**{"lambda": Fraction(1, 3), "t": t, "KL_0": kl0}),
        lambda p, q: mp.fsum(abs(x - y) for x, y in zip(p, q)) / 2, 19, 24, mp, "TV(p*, q_t)")
    return ok, "equals sqrt(w_t KL_0/2) with w_t iterated (t = 1, 5, 24); " + detail


def _product(value, mp):
    prod = mp.mpf(1)
    for t in range(1, 80):
        prod *= 1 - mp.mpf(1) / (t + 1)
        if not _close(mp, value(t=t), prod, mp.mpf(10) ** -(mp.dps - 10)):
            return False, f"product of the factors differs at t={t}"
    return True, "equals the product of the factors 1 - 1/(s+2) for t = 1..79"


def _divergent_sum(value, mp):
    c = value()
    partial = mp.fsum(mp.mpf(1) / (s + 2) for s in range(100000))
    ok = c == mp.inf and partial > mp.log(100001) - 1
    return ok, f"the constant is {c}; the partial sum to s = 99999 is {mp.nstr(partial, 8)} (grows like log t)"


def _error_bound(value, mp):
    lam, delta, kl0 = Fraction(1, 5), Fraction(1, 100), Fraction(3)
    l, dl = mp.mpf(1) / 5, mp.mpf(1) / 100
    return _iterate_check(lambda x, t: (1 - l) * x + dl,
                          lambda t: value(**{"lambda": lam, "delta": delta, "KL_0": kl0, "t": t}),
                          mp.mpf(3), 60, mp, "KL_{t+1} = (1-lambda) KL_t + delta")


def _error_floor(value, mp):
    lam, delta = Fraction(1, 5), Fraction(1, 100)
    x = mp.mpf(3)
    for _ in range(3000):
        x = (1 - mp.mpf(1) / 5) * x + mp.mpf(1) / 100
    floor = value(**{"lambda": lam, "delta": delta})
    return abs(x - floor) < mp.mpf(10) ** -(mp.dps - 10), f"the recursion after 3000 steps is {mp.nstr(x, 15)}"


def _drift(value, mp):
    delta, kl0 = Fraction(1, 100), Fraction(3)
    return _iterate_check(lambda x, t: x + mp.mpf(1) / 100, lambda t: value(delta=delta, KL_0=kl0, t=t),
                          mp.mpf(3), 50, mp, "KL_{t+1} = KL_t + delta")


def _moments(value, mp):
    lam, m0, ms = Fraction(1, 3), Fraction(-2), Fraction(5, 7)
    l, s = mp.mpf(1) / 3, mp.mpf(5) / 7
    return _iterate_check(lambda m, t: s + (1 - l) * (m - s),
                          lambda t: value(**{"lambda": lam, "m_0": m0, "m_star": ms, "t": t}),
                          mp.mpf(-2), 40, mp, "m_{t+1} = m* + (1-lambda)(m_t - m*)")


def _moment_fixed(value, mp):
    m = mp.mpf(-2)
    for _ in range(400):
        m = mp.mpf(5) / 7 + (1 - mp.mpf(1) / 3) * (m - mp.mpf(5) / 7)
    got = value(m_star=Fraction(5, 7))
    return abs(m - got) < mp.mpf(10) ** -(mp.dps - 10), \
        f"the recursion after 400 steps is {mp.nstr(m, 15)}"


_CHI = dict(lam=Fraction(1, 10), N=50, K=4, c0=Fraction(3, 2), x0=Fraction(5, 4))


def _chi_step(mp, lam, N, K, c0):
    l = mp.mpf(lam.numerator) / lam.denominator
    a = (1 - l) ** 2 * (1 - mp.mpf(1) / N)
    return lambda x, t: a * x + mp.mpf(K - 1) / N + (1 - l) ** t * (mp.mpf(c0.numerator) / c0.denominator) / N


def _chi_closed(value, mp):
    g = _CHI
    return _iterate_check(_chi_step(mp, g["lam"], g["N"], g["K"], g["c0"]),
                          lambda t: value(**{"lambda": g["lam"], "N": g["N"], "K": g["K"], "c_0": g["c0"],
                                             "chi2_0": g["x0"], "t": t}),
                          mp.mpf(5) / 4, 60, mp, "E chi2 recursion")


def _chi_stationary(value, mp):
    for lam, N, K in ((Fraction(1, 10), 50, 4), (Fraction(1, 2), 7, 10)):
        step, x = _chi_step(mp, lam, N, K, Fraction(3, 2)), mp.mpf(5) / 4
        for t in range(1, 4000):
            x = step(x, t)
        got = value(**{"lambda": lam, "N": N, "K": K})
        if abs(x - got) > mp.mpf(10) ** -20:
            return False, f"the recursion after 4000 steps is {mp.nstr(x, 15)}, not {mp.nstr(got, 15)}"
    return True, "equals the E chi2 recursion iterated 4000 steps (two settings)"


def _chi_collapse(value, mp):
    """At λ = 0 the forcing ``(1−λ)^t c_0/N`` no longer decays, so the recursion tends to
    ``K − 1 + c_0``: the constant (the limit λ → 0+ of the stationary value) is the λ = 0
    stationary value exactly when ``c_0 = 0`` (e.g. ``q_0 = p*``), the case checked here."""
    N, K = 20, 3
    step, x = _chi_step(mp, Fraction(0), N, K, Fraction(0)), mp.mpf(5) / 4
    for t in range(1, 4000):
        x = step(x, t)
    got = value(K=K)
    return abs(x - got) < mp.mpf(10) ** -20, (f"the lambda = 0 recursion with c_0 = 0 after 4000 "
                                              f"steps is {mp.nstr(x, 15)} (with c_0 != 0 it tends "
                                              "to K - 1 + c_0)")


_CHECKS = {
    (1, "contraction constant c(lambda)"): _contraction_forward,
    (2, "contraction constant c(lambda)"): _contraction_reverse,
    (3, "geometric anchoring: KL(p*||Phi) in terms of KL_0 and the Renyi gap D"): _geometric_identity,
    (3, "geometric contraction constant c(lambda)"): _geometric_contraction,
    (1, "local contraction rate near p*"): _local_rate,
    (1, "local contraction rate near p* (series, any K)"): _local_rate,
    (5, "linear iterate q_t (coordinatewise)"): _linear_iterate,
    (5, "KL bound factor after t generations"): _kl_factor,
    (5, "generations to reach epsilon"): _generations,
    (5, "asymptotic KL decay factor"): _asymptotic_decay,
    (5, "first-order KL coefficient per coordinate"): _first_order,
    (5, "asymptotic KL prefactor per coordinate"): _prefactor,
    (6, "TV to the anchor after t generations"): _pinsker,
    (7, "product of (1-lambda_s), lambda_s = 1/(s+2)"): _product,
    (7, "sum of lambda_s, lambda_s = 1/(s+2)"): _divergent_sum,
    (8, "KL bound with per-generation error delta"): _error_bound,
    (8, "error floor"): _error_floor,
    (8, "unanchored drift (lambda = 0)"): _drift,
    (9, "moment recursion E_{q_t}[phi]"): _moments,
    (9, "fixed point of the moment recursion"): _moment_fixed,
    (10, "expected chi-square after t generations"): _chi_closed,
    (10, "stationary expected chi-square"): _chi_stationary,
    (10, "stationary expected chi-square without anchoring (lambda = 0)"): _chi_collapse,
}
