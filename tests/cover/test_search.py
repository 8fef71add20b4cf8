"""Textbook claims, true and false: verdicts, and witnesses re-verified independently.

A witness is re-checked here with tests/reference.py (mpmath only, 80 digits): the exact
fractions must sum to exactly 1 and violate the relation by a margin far above rounding.
"""
import dataclasses
from fractions import Fraction

import pytest
import sympy as sp

import reference as ref
from numerics.search import SearchSettings, search
from theory import (Claim, K, chi2, dist, entropy, geometric_anchor, hellinger, js, kl,
                    linear_anchor, renyi, scalar, soften, tv)

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
FAST = SearchSettings(dims=(2, 3, 5), samples=600, seed=3, hypothesis_examples=40)

TRUE = [
    Claim("Gibbs", kl(p, q) >= 0),
    Claim("Pinsker", tv(p, q) <= sp.sqrt(kl(p, q) / 2)),
    Claim("KL below chi-square", kl(p, q) <= chi2(p, q)),
    Claim("KL below log(1 + chi2)", kl(p, q) <= sp.log(1 + chi2(p, q))),
    Claim("Hellinger squared below TV", hellinger(p, q) ** 2 <= tv(p, q)),
    Claim("TV below sqrt2 Hellinger", tv(p, q) <= sp.sqrt(2) * hellinger(p, q)),
    Claim("entropy at most log K", entropy(p) <= sp.log(K)),
    Claim("JS at most log 2", js(p, q) <= sp.log(2)),
    Claim("Renyi 1/2 below KL", renyi(p, q, sp.Rational(1, 2)) <= kl(p, q)),
    Claim("linear anchoring contracts KL", kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q)),
    # Exponents 0 and 1 collapse the operator to a bare normalisation.
    Claim("softening at T = 1 is the identity", tv(soften(p, 1), p) <= 0),
    Claim("geometric anchoring at its endpoints",
          tv(geometric_anchor(q, p, 1), p) + tv(geometric_anchor(q, p, 0), q) <= 0),
]

# Each false claim comes with an independent evaluation of (lhs, rhs) from a witness.
FALSE = [
    (Claim("KL is symmetric", kl(p, q) <= kl(q, p)),
     lambda w: (ref.kl(w["p"], w["q"]), ref.kl(w["q"], w["p"])), "<="),
    (Claim("KL below TV", kl(p, q) <= tv(p, q)),
     lambda w: (ref.kl(w["p"], w["q"]), ref.tv(w["p"], w["q"])), "<="),
    (Claim("Pinsker with constant 3", kl(p, q) >= 3 * tv(p, q) ** 2),
     lambda w: (ref.kl(w["p"], w["q"]), 3 * ref.tv(w["p"], w["q"]) ** 2), ">="),
    (Claim("KL strictly positive", kl(p, q) > 0),
     lambda w: (ref.kl(w["p"], w["q"]), 0), ">"),
    (Claim("entropy at least log K", entropy(p) >= sp.log(K)),
     lambda w: (ref.entropy(w["p"]), ref.mp.log(len(w["p"]))), ">="),
    (Claim("linear anchoring contracts KL by (1-lambda)^2",
           kl(p, linear_anchor(q, p, lam)) <= (1 - lam) ** 2 * kl(p, q)),
     lambda w: (ref.kl(w["p"], ref.linear_anchor(w["q"], w["p"], w["lambda"])),
                (1 - ref._v([w["lambda"]])[0]) ** 2 * ref.kl(w["p"], w["q"])), "<="),
    (Claim("geometric anchoring contracts reverse KL by 1-lambda",
           kl(geometric_anchor(q, p, lam), p) <= (1 - lam) * kl(q, p)),
     lambda w: (_kl_mp(ref.geometric_anchor(w["q"], w["p"], w["lambda"]), w["p"]),
                (1 - ref._v([w["lambda"]])[0]) * ref.kl(w["q"], w["p"])), "<="),
    (Claim("strict contraction", kl(p, linear_anchor(q, p, lam)) < kl(p, q)),
     lambda w: (ref.kl(w["p"], ref.linear_anchor(w["q"], w["p"], w["lambda"])),
                ref.kl(w["p"], w["q"])), "<"),
]


def _kl_mp(a, b):
    b = ref._v(b)
    return sum(x * ref.mp.log(x / y) for x, y in zip(a, b) if x != 0)


def _violates(lhs, rhs, op):
    lhs, rhs = ref.mp.mpf(lhs), ref.mp.mpf(rhs)
    gap = ref.mp.mpf(10) ** -60
    return {"<=": lhs > rhs + gap, "<": lhs >= rhs, ">=": lhs < rhs - gap, ">": lhs <= rhs}[op]


@pytest.mark.parametrize("claim", TRUE, ids=lambda c: c.name)
def test_true_claim_is_not_falsified(claim):
    report = search(claim, FAST)
    assert report.witness is None, report.witness
    assert report.exact_checks > 0 and report.draws == 3 * 600


@pytest.mark.parametrize("claim, sides, op", FALSE, ids=lambda x: getattr(x, "name", ""))
def test_false_claim_is_falsified_with_exact_witness(claim, sides, op):
    report = search(claim, FAST)
    w = report.witness
    assert w is not None, f"{claim.name}: no counterexample found"
    data = w.to_json()
    assert data["K"] == w.K
    fracs = {}
    for d in claim.distributions:
        entries = [Fraction(x) for x in data[d.name]]
        assert len(entries) == w.K and sum(entries) == 1 and min(entries) >= 0
        fracs[d.name] = entries
    for s in claim.scalars:
        fracs[s.name] = Fraction(data[s.name])
        assert s.contains(fracs[s.name])
    lhs, rhs = sides(fracs)
    assert _violates(lhs, rhs, op), (data, lhs, rhs)
    assert ref.close(lhs, w.lhs, 40) and ref.close(rhs, w.rhs, 40)


def test_runs_are_reproducible_from_the_seed():
    claim = FALSE[0][0]
    a, b = search(claim, FAST), search(claim, FAST)
    assert a.witness.to_json() == b.witness.to_json()
    assert (a.draws, a.exact_checks) == (b.draws, b.exact_checks)


def test_boundary_only_violation_is_found():
    """Result 1's constant cannot be improved: a bound 0.99(1-lambda) fails, but only near the
    boundary of the simplex (p* losing an entry, q near p*) for small lambda."""
    c = Claim("contraction by 0.99(1-lambda)",
              kl(p, linear_anchor(q, p, lam)) <= sp.Rational(99, 100) * (1 - lam) * kl(p, q),
              assume={"anchoring": lam > 0})
    w = search(c, SearchSettings(dims=(2,), samples=2000, seed=0)).witness
    assert w is not None
    f = w.fractions()
    lhs = ref.kl(f["p"], ref.linear_anchor(f["q"], f["p"], f["lambda"]))
    rhs = Fraction(99, 100) * (1 - f["lambda"]) * ref.kl(f["p"], f["q"])
    assert _violates(lhs, ref._v([rhs])[0] if isinstance(rhs, Fraction) else rhs, "<=")


def test_violation_only_below_float64s_range_is_found():
    """kl(Φ_λ(q), p) ≤ 0.999(1−λ)·kl(q, p) on λ ∈ [1/2, 9/10] (reverse KL, linear anchoring) is
    false, but its ratio nears 1−λ only as an entry of the anchor p goes to 0 logarithmically
    slowly: every counterexample has an entry far below float64's smallest number (at λ = 1/2
    the ratio is still below 0.999(1−λ) at 1e-300). The exact climb after the float stages
    must get there."""
    mu = scalar("mu", sp.Rational(1, 2), sp.Rational(9, 10))
    c = Claim("reverse contraction by 0.999(1-mu)",
              kl(linear_anchor(q, p, mu), p) <= sp.Rational(999, 1000) * (1 - mu) * kl(q, p))
    w = search(c, SearchSettings(dims=(2, 3), samples=2000, seed=0)).witness
    assert w is not None and w.stage == "exact climb"
    f = w.fractions()
    assert min(x for x in f["p"] if x > 0) < Fraction(1, 10 ** 300)
    lhs = ref.kl(ref.linear_anchor(f["q"], f["p"], f["mu"]), f["p"])
    rhs = ref._v([Fraction(999, 1000) * (1 - f["mu"])])[0] * ref.kl(f["q"], f["p"])
    assert _violates(lhs, rhs, "<=")


def test_a_scalar_value_the_claim_names_is_tried_exactly():
    """Φ_λ(q) and Φ_{1/3}(q) differ for every λ but 1/3: random draws never land there."""
    c = Claim("anchors differ unless lambda = 1/3",
              tv(linear_anchor(q, p, lam), linear_anchor(q, p, sp.Rational(1, 3))) > 0,
              assume={"distinct": tv(p, q) > 0})
    w = search(c, FAST).witness
    assert w is not None and w.fractions()["lambda"] == Fraction(1, 3)
    f = w.fractions()
    assert ref.tv(f["p"], f["q"]) > 0  # inside the assumption
    a = ref.linear_anchor(f["q"], f["p"], f["lambda"])
    assert ref.tv(a, ref.linear_anchor(f["q"], f["p"], Fraction(1, 3))) == 0  # "> 0" fails


def test_assumption_on_a_divergence_keeps_the_search_inside_it():
    """TV ≤ 1/5 where KL ≤ 1/10 is false (sup TV there is 0.2223...), but most draws with a
    large TV have KL = ∞: they must count as outside, not as the best candidates."""
    c = Claim("TV at most 1/5 where KL is at most 1/10", tv(p, q) <= sp.Rational(1, 5),
              assume={"small KL": kl(p, q) <= sp.Rational(1, 10)})
    w = search(c, dataclasses.replace(FAST, seed=0)).witness
    assert w is not None
    f = w.fractions()
    assert ref.kl(f["p"], f["q"]) <= ref.mp.mpf(1) / 10 and ref.tv(f["p"], f["q"]) > ref.mp.mpf(1) / 5


def test_anchoring_beyond_the_anchor_is_undefined_not_a_counterexample():
    """For λ > 1, (1−λ)q + λp leaves the simplex (an entry goes negative): those points have no
    value, so KL(p‖Φ_λ(q)) ≥ 0 must not be "falsified" there."""
    wide = scalar("lambda", 0, 2)
    c = Claim("KL to an extrapolated anchor", kl(p, linear_anchor(q, p, wide)) >= 0)
    report = search(c, FAST)
    assert report.witness is None
    assert report.statuses.get("undefined", 0) > 0 and report.statuses.get("holds", 0) > 0


def test_exact_sides_are_printed_at_the_working_precision():
    """An exact rational side must show all 50 digits, not the 16 of a float, or a violation at
    the 20th digit would look like a tie."""
    c = Claim("TV near 1", tv(p, q) >= 1 - sp.Rational(1, 10 ** 20))
    w = search(c, FAST).witness
    assert w is not None
    assert abs(ref.mp.mpf(w.rhs) - (1 - ref.mp.mpf(10) ** -20)) < ref.mp.mpf(10) ** -45


def test_strict_relation_fails_at_an_exact_transcendental_tie():
    """entropy(p) < log K fails only where equality holds exactly (the uniform point); ball
    arithmetic cannot show equality, so the exact SymPy fallback must."""
    c = Claim("entropy strictly below log K", entropy(p) < sp.log(K))
    w = search(c, FAST).witness
    assert w is not None and w.exact_tie
    f = w.fractions()
    assert f["p"] == [Fraction(1, w.K)] * w.K
    assert ref.close(ref.entropy(f["p"]), ref.mp.log(w.K), 70)


def test_exact_backend_agrees_with_ball_backend():
    from flint import fmpq

    from numerics._compile import compile_expr
    from numerics._exact import SymPyBackend
    from numerics.evaluate import CompiledClaim

    c = Claim("mixed", js(p, q) + renyi(p, q, sp.Rational(1, 3)) <= hellinger(p, q) + chi2(q, p))
    cc = CompiledClaim(c)
    lhs_f = compile_expr(c.lhs, SymPyBackend())
    for x, y in [((1, 3), (1, 1)), ((2, 5, 3), (1, 1, 8)), ((0, 1), (3, 1))]:
        fx = [Fraction(a, sum(x)) for a in x]
        fy = [Fraction(a, sum(y)) for a in y]
        exact = lhs_f({p: [sp.Rational(v.numerator, v.denominator) for v in fx],
                       q: [sp.Rational(v.numerator, v.denominator) for v in fy]})
        ball = cc.check({p: [fmpq(v.numerator, v.denominator) for v in fx],
                         q: [fmpq(v.numerator, v.denominator) for v in fy]}, len(x), 40).lhs
        assert ref.close(sp.N(exact, 50), ball.mid().str(45, radius=False) if hasattr(ball, "mid") else ball, 35)
