"""The tightness estimator: certified lower bounds never above the true ratio (re-checked here
with an independent mpmath computation at 400 digits), verdicts on tight, loose, edge-only and
false constants, and result 1's boundary/tie structure against theory/constants.py."""
import math
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from numerics._rounding import decimal_down, decimal_up, scientific
from numerics.tightness import TightnessSettings, tightness
from proofs.catalog import catalog_claims
from theory import Claim, dist, geometric_anchor, kl, linear_anchor, renyi, scalar, tv
from theory import constants as C

p, q = dist("p_star"), dist("q")
lam = scalar("lambda", 0, 1)
FAST = TightnessSettings(dims=(2,), samples=400, seed=1, refine_steps=40, tie_points=2)
#: Loose constants never come close to 1, so the exact climb runs its whole budget: keep it small.
SHORT = TightnessSettings(dims=(2,), samples=400, seed=1, refine_steps=20, starts=2, tie_points=1)

mp = mpmath.MPContext()
mp.dps = 400


def _v(xs):
    return [mp.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in xs]


def _f(x):
    x = Fraction(x)
    return mp.mpf(x.numerator) / x.denominator


def _kl(a, b):
    total = mp.mpf(0)
    for x, y in zip(a, b):
        if x == 0:
            continue
        if y == 0:
            return mp.inf
        total += x * mp.log(x / y)
    return total


def r1_ratio(w):
    """KL(p*‖(1−λ)q + λp*) / ((1−λ) KL(p*‖q)) at a witness, independently at 400 digits."""
    P, Q, L = _v(w["p_star"]), _v(w["q"]), _v([w["lambda"]])[0]
    M = [(1 - L) * x + L * y for x, y in zip(Q, P)]
    return _kl(P, M) / ((1 - L) * _kl(P, Q))


def _exact_witness(w, claim):
    for d in claim.distributions:
        entries = [Fraction(x) for x in w[d.name]]
        assert len(entries) == w["K"] and sum(entries) == 1 and min(entries) >= 0
    for s in claim.scalars:
        assert s.contains(Fraction(w[s.name]))


@pytest.fixture(scope="module")
def r1():
    claim = next(c for c in catalog_claims() if c.name.startswith("R1 "))
    return claim, tightness(claim, FAST)


def test_result_1_is_tight_and_never_overestimated(r1):
    claim, report = r1
    assert report.verdict == "tight"
    _exact_witness(report.best.witness(), claim)
    sup = Fraction(report.sup_ratio)
    assert 1 - Fraction(1, 10 ** 6) <= sup < 1
    true = r1_ratio(report.best.witness())
    assert _f(sup) <= true < 1
    for sl in report.slices:  # every slice's bound is below its witness's true ratio, too
        w = sl.boundary.witness()
        assert _f(sl.boundary.lower) <= r1_ratio(w)


def test_result_1_supremum_needs_the_boundary(r1):
    """The witness has p* losing an entry (or nearly) and q close to p*; kept away from the
    boundary (entries >= 1/100) the best ratio found stays well below 1."""
    _, report = r1
    for sl in report.slices:
        w = sl.boundary.witness()
        P, Q = [Fraction(x) for x in w["p_star"]], [Fraction(x) for x in w["q"]]
        assert min(P) < Fraction(1, 10 ** 12)
        assert sum(abs(a - b) for a, b in zip(P, Q)) / 2 < Fraction(1, 10 ** 6)
        assert sl.interior.lower < Fraction(99, 100)
        assert min(Fraction(x) for x in sl.interior.witness()["p_star"]) >= Fraction(1, 100)
    half = next(sl for sl in report.slices if sl.scalars["lambda"] == Fraction(1, 2))
    assert half.interior.lower < Fraction(9, 10)


def test_result_1_ratio_at_ties_is_the_local_rate(r1):
    """Near p* (interior) KL(p*‖Φ)/KL(p*‖q) → (1−λ)², i.e. lhs/rhs → (1−λ)²/(1−λ): the
    constants SymPy derived in theory/constants.py, evaluated at each slice's λ."""
    _, report = r1
    rate = C.constant("local contraction rate near p*", 1).expr
    c = C.constant("contraction constant c(lambda)", 1).expr
    for sl in report.slices:
        value = sl.scalars["lambda"]
        expected = float((rate / c).subs(C.lam, sp.Rational(value)))
        assert sl.tie is not None
        for v in sl.tie.values:
            assert v == pytest.approx(expected, abs=1e-15)


def test_loose_constant_reports_the_factor():
    claim = Claim("contraction by 2(1-lambda)",
                  kl(p, linear_anchor(q, p, lam)) <= 2 * (1 - lam) * kl(p, q),
                  assume={"anchoring": lam > 0})
    report = tightness(claim, SHORT)
    sup = Fraction(report.sup_ratio)
    assert Fraction(1, 2) - Fraction(1, 10 ** 6) <= sup <= Fraction(1, 2)
    assert report.verdict == "loose"


def test_constant_tight_only_as_lambda_vanishes():
    claim = Claim("contraction by 1-lambda/2",
                  kl(p, linear_anchor(q, p, lam)) <= (1 - lam / 2) * kl(p, q),
                  assume={"anchoring": lam > 0})
    report = tightness(claim, SHORT)
    assert report.verdict == "tight at an edge"
    for sl in report.slices:  # on a slice the supremum is (1-λ)/(1-λ/2) < 1
        value = sl.scalars["lambda"]
        assert sl.boundary.lower <= (1 - value) / (1 - value / 2)
    assert Fraction(report.best.witness()["lambda"]) < Fraction(1, 10)


def test_false_claim_is_violated_with_exact_witness():
    claim = Claim("geometric reverse contraction", kl(geometric_anchor(q, p, lam), p)
                  <= (1 - lam) * kl(q, p), assume={"anchoring": lam > 0}, expect="fails")
    report = tightness(claim, FAST)
    assert report.verdict == "violated" and report.ok
    w = report.best.witness()
    _exact_witness(w, claim)
    P, Q, L = _v(w["p_star"]), _v(w["q"]), _v([w["lambda"]])[0]
    raw = [mp.power(x, 1 - L) * mp.power(y, L) for x, y in zip(Q, P)]
    G = [r / sum(raw) for r in raw]
    assert _kl(G, P) / ((1 - L) * _kl(Q, P)) >= _f(report.sup_ratio) > 1


def test_identity_and_reversed_relation():
    ident = Claim("Renyi gap", sp.Eq(kl(p, geometric_anchor(q, p, lam)),
                                     (1 - lam) * kl(p, q) - lam * renyi(q, p, 1 - lam)))
    assert tightness(ident, FAST).verdict == "identity"
    pinsker = Claim("Pinsker, written >=", kl(p, q) >= 2 * tv(p, q) ** 2)
    report = tightness(pinsker, FAST)
    assert report.ratio_name == "rhs/lhs" and report.verdict == "tight"
    w = report.best.witness()
    P, Q = _v(w["p_star"]), _v(w["q"])
    ratio = 2 * (sum(abs(a - b) for a, b in zip(P, Q)) / 2) ** 2 / _kl(P, Q)
    assert _f(report.sup_ratio) <= ratio


def test_equality_breaks_a_strict_claim():
    claim = Claim("TV below 1, strictly", tv(p, q) < 1)
    report = tightness(claim, SHORT)
    assert report.verdict == "violated" and report.best.attained and not report.ok
    w = report.best.witness()
    assert sum(abs(Fraction(a) - Fraction(b)) for a, b in zip(w["p_star"], w["q"])) == 2


def test_reproducible_from_seed():
    claim = Claim("Pinsker", tv(p, q) <= sp.sqrt(kl(p, q) / 2))
    a, b = tightness(claim, FAST), tightness(claim, FAST)
    assert a.best.witness() == b.best.witness() and a.sup_ratio == b.sup_ratio


@pytest.mark.parametrize("x", [Fraction(1, 3), Fraction(-2, 7), Fraction(10 ** 30 + 1, 7),
                               Fraction(1, 10 ** 400) * 3, Fraction(999999, 10 ** 6)])
@pytest.mark.parametrize("digits", [1, 3, 25])
def test_rounding_direction(x, digits):
    down, up = Fraction(decimal_down(x, digits)), Fraction(decimal_up(x, digits))
    assert down <= x <= up
    assert up - down <= abs(x) * Fraction(10) ** (1 - digits) * 2
    lo, hi = scientific(x, digits, math.floor), scientific(x, digits, math.ceil)
    assert Fraction(_sci(lo)) <= x <= Fraction(_sci(hi))


def _sci(text):
    if "e" not in text:
        return text
    m, e = text.split("e")
    return Fraction(m) * Fraction(10) ** int(e)
