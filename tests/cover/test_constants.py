"""Each constant SymPy derives in theory/constants.py, against an independent mpmath computation."""
import random
from fractions import Fraction

import pytest
import sympy as sp

import reference as ref
from theory import constants as C

mp = ref.mp
rng = random.Random(20261128)


def value(name, result=None, **subs):
    expr = C.constant(name, result).expr
    symbols = {sym.name: sym for sym in expr.free_symbols}
    return mp.mpf(sp.N(expr.subs({symbols[k]: v for k, v in subs.items() if k in symbols}), 60))


def fr(x):
    return mp.mpf(Fraction(x).numerator) / Fraction(x).denominator


@pytest.mark.parametrize("lam", [Fraction(1, 10), Fraction(1, 2), Fraction(9, 10)])
def test_contraction_constant_bounds_the_ratio(lam):
    c = value("contraction constant c(lambda)", 1, **{"lambda": lam})
    assert ref.close(c, 1 - fr(lam), 55)
    for _ in range(20):
        p = _random_dist(4)
        q = _random_dist(4)
        ratio = ref.kl(p, ref.linear_anchor(q, p, lam)) / ref.kl(p, q)
        assert ratio <= c


def test_geometric_identity_with_renyi_gap():
    lam = Fraction(2, 7)
    p, q = _random_dist(5), _random_dist(5)
    phi = ref.geometric_anchor(q, p, lam)
    lhs = sum(a * mp.log(a / b) for a, b in zip(ref._v(p), phi))
    rhs = value("geometric anchoring: KL(p*||Phi) in terms of KL_0 and the Renyi gap D", 3,
                **{"lambda": lam, "KL_0": ref.kl(p, q), "D": ref.renyi(q, p, 1 - lam)})
    assert ref.close(lhs, rhs, 60)


def test_local_rate_is_the_limit_ratio():
    lam = Fraction(3, 10)
    rate = value("local contraction rate near p*", 1, **{"lambda": lam})
    p = [Fraction(1, 5), Fraction(3, 10), Fraction(1, 2)]
    d = [Fraction(1), Fraction(-3), Fraction(2)]
    for k in (6, 10, 15):  # the ratio approaches the rate linearly in epsilon
        eps = Fraction(1, 10 ** k)
        q = [a + eps * b for a, b in zip(p, d)]
        ratio = ref.kl(p, ref.linear_anchor(q, p, lam)) / ref.kl(p, q)
        assert abs(ratio - rate) < 10 * fr(eps)
    assert ref.close(rate, (1 - fr(lam)) ** 2, 60)


def test_linear_iterate_and_generations():
    lam, p0, q0 = Fraction(1, 4), Fraction(1, 3), Fraction(9, 10)
    x = q0
    for step in range(1, 31):
        x = (1 - lam) * x + lam * p0
        closed = value("linear iterate q_t (coordinatewise)", 5,
                       **{"lambda": lam, "t": step, "pstar": p0, "q_0": q0})
        assert ref.close(closed, x, 60)
    t_eps = value("generations to reach epsilon", 5, **{"lambda": lam, "KL_0": 2, "epsilon": Fraction(1, 1000)})
    assert ref.close((1 - fr(lam)) ** t_eps * 2, mp.mpf(1) / 1000, 50)


def test_asymptotic_prefactor_is_the_second_order_term():
    """Σ_i c2_i is the limit of KL(p*‖p* + ε d)/ε² (Σ d_i = 0), and Σ_i c1_i vanishes."""
    p = [Fraction(1, 7), Fraction(2, 7), Fraction(4, 7)]
    d = [Fraction(3, 10), Fraction(-1, 2), Fraction(1, 5)]
    c1 = sum(value("first-order KL coefficient per coordinate", 5, pstar=x, d=y) for x, y in zip(p, d))
    c2 = sum(value("asymptotic KL prefactor per coordinate", 5, pstar=x, d=y) for x, y in zip(p, d))
    assert abs(c1) < mp.mpf(10) ** -50
    for k in (8, 12, 16):  # the ratio approaches c2 linearly in epsilon
        eps = Fraction(1, 10 ** k)
        q = [x + eps * y for x, y in zip(p, d)]
        assert abs(ref.kl(p, q) / fr(eps) ** 2 - c2) < 10 * fr(eps)


def test_time_varying_product_and_sum():
    prod = mp.mpf(1)
    for t in range(1, 60):
        prod *= 1 - mp.mpf(1) / (t + 1)
        assert ref.close(value("product of (1-lambda_s), lambda_s = 1/(s+2)", 7, t=t), prod, 60)
    assert C.constant("sum of lambda_s, lambda_s = 1/(s+2)", 7).expr == sp.oo
    assert sum(mp.mpf(1) / (s + 2) for s in range(20000)) > 9  # partial sums grow like log t


def test_error_floor_and_drift():
    lam, delta, kl0 = Fraction(1, 5), Fraction(1, 100), Fraction(3)
    x = fr(kl0)
    for t in range(1, 200):
        x = (1 - fr(lam)) * x + fr(delta)
        if t % 37 == 0:
            got = value("KL bound with per-generation error delta", 8,
                        **{"lambda": lam, "delta": delta, "KL_0": kl0, "t": t})
            assert ref.close(got, x, 50)
    assert abs(x - value("error floor", 8, **{"lambda": lam, "delta": delta})) < mp.mpf(10) ** -15
    assert value("unanchored drift (lambda = 0)", 8, delta=delta, KL_0=kl0, t=50) == fr(kl0) + 50 * fr(delta)


def test_moment_recursion():
    lam, m0, ms = Fraction(1, 3), Fraction(-2), Fraction(5, 7)
    m = fr(m0)
    for t in range(1, 40):
        m = fr(ms) + (1 - fr(lam)) * (m - fr(ms))
        assert ref.close(value("moment recursion E_{q_t}[phi]", 9,
                               **{"lambda": lam, "m_0": m0, "m_star": ms, "t": t}), m, 50)
    assert C.constant("fixed point of the moment recursion", 9).expr == C.m_star


@pytest.mark.parametrize("lam, N, K", [(Fraction(1, 10), 50, 4), (Fraction(1, 2), 7, 10),
                                       (Fraction(0), 20, 3)])
def test_finite_sample_chi_square(lam, N, K):
    c0, x0 = Fraction(3, 2), Fraction(5, 4)
    a = (1 - fr(lam)) ** 2 * (1 - mp.mpf(1) / N)
    x = fr(x0)
    for t in range(1, 61):
        x = a * x + mp.mpf(K - 1) / N + (1 - fr(lam)) ** t * fr(c0) / N
        if lam and t % 20 == 0:
            got = value("expected chi-square after t generations", 10,
                        **{"lambda": lam, "N": N, "K": K, "c_0": c0, "chi2_0": x0, "t": t})
            assert ref.close(got, x, 40)
    for _ in range(3000):
        x = a * x + mp.mpf(K - 1) / N
    stationary = value("stationary expected chi-square", 10, **{"lambda": lam, "N": N, "K": K})
    assert abs(stationary - x) < mp.mpf(10) ** -20
    u = (1 - fr(lam)) ** 2
    assert ref.close(stationary, (K - 1) / (N * (1 - u) + u), 50)  # THEORY.md's form
    assert C.constant("stationary expected chi-square without anchoring (lambda = 0)", 10).expr == C.K - 1


def _random_dist(k):
    w = [rng.randint(1, 1000) for _ in range(k)]
    return [Fraction(x, sum(w)) for x in w]
