"""Quality: the search finds and shrinks planted counterexamples within a bounded budget.

Each planted claim is false at a known kind of point. The budget is the search settings
(dimensions, draws, Hypothesis examples): the test asserts the counterexample is found within
it, is as simple as the planted bug allows, and survives independent re-evaluation
(tests/reference.py, mpmath at 80 digits), so shrinking cannot have shrunk it away.
"""
from fractions import Fraction

import pytest
import sympy as sp

import reference as ref
from numerics.search import SearchSettings, search
from proofs.necessity import drop
from theory import Claim, dist, entropy, kl, linear_anchor, scalar, tv

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
BUDGET = SearchSettings(dims=(2, 3, 5), samples=400, seed=11, hypothesis_examples=40)


def _denominators(w):
    out = []
    for k, v in w.to_json().items():
        if k != "K":
            out += [Fraction(x).denominator for x in (v if isinstance(v, list) else [v])]
    return out


def test_boundary_only_counterexample_found_and_exact():
    """Violated only at lambda = 1/3 exactly: no float64 draw can reach it; dropping the
    assumption that excluded it must."""
    claim = Claim("off one third", (3 * lam - 1) ** 2 * (1 + kl(p, q)) > 0,
                  assume={"lambda is not 1/3": sp.Ne(lam, sp.Rational(1, 3))})
    report = drop(claim, ["lambda is not 1/3"], BUDGET)
    w = report.witness
    assert w is not None and w.fractions()["lambda"] == Fraction(1, 3)
    assert w.K == 2 and max(_denominators(w)) <= 3
    assert w.stage == "boundary"  # no draw, climb or generated example reached it
    assert report.dims_tried == [2]


def test_planted_interior_counterexample_is_shrunk_to_simple_fractions():
    """KL <= 2 TV fails wherever q has little mass where p has much; shrunk to small
    denominators at K = 2, and re-checked independently."""
    claim = Claim("KL below twice TV", kl(p, q) <= 2 * tv(p, q))
    w = search(claim, BUDGET).witness
    assert w is not None and w.K == 2 and max(_denominators(w)) <= 10
    f = w.fractions()
    assert ref.kl(f["p"], f["q"]) > 2 * ref.tv(f["p"], f["q"])
    assert ref.close(ref.kl(f["p"], f["q"]), w.lhs, 40)


def test_smallest_dimension_is_reported():
    """Entropy above log 2 needs three outcomes: found at K = 3 even when K = 5 is searched
    too, and at K = 3 when only K = 2 and K = 5 are (the shrinker drops outcomes)."""
    claim = Claim("entropy at most log 2", entropy(p) <= sp.log(2))
    assert search(claim, BUDGET).witness.K == 3
    w = search(claim, SearchSettings(dims=(2, 5), samples=400, seed=11)).witness
    assert w.K == 3 and ref.entropy(w.fractions()["p"]) > ref.mp.log(2)


def test_hypothesis_alone_finds_and_shrinks():
    """No random draws and no climbing: Hypothesis (with target() on the margin) must find a
    violation of a 0.999-strengthened Pinsker inequality near p = q and shrink it."""
    claim = Claim("Pinsker with 0.999", tv(p, q) ** 2 <= sp.Rational(999, 1000) * kl(p, q) / 2)
    report = search(claim, SearchSettings(dims=(2,), samples=0, climb_steps=0, climb_starts=1,
                                          hypothesis_examples=200, seed=2))
    w = report.witness
    assert w is not None and w.stage == "hypothesis"
    f = w.fractions()
    assert ref.tv(f["p"], f["q"]) ** 2 > Fraction(999, 1000) * ref.kl(f["p"], f["q"]) / 2
    assert report.hypothesis_examples <= 1000


@pytest.mark.parametrize("name, expected", [
    ("anchoring", {"lambda": Fraction(0)}),
    ("q differs from p", None),
])
def test_dropped_assumption_counterexample_is_shrunk_onto_the_boundary(name, expected):
    claim = Claim("strict contraction", kl(p, linear_anchor(q, p, lam)) < kl(p, q),
                  assume={"anchoring": lam > 0, "q differs from p": kl(p, q) > 0,
                          "finite": kl(p, q) < sp.oo})
    w = drop(claim, [name], BUDGET).witness
    f = w.fractions()
    assert w.K == 2 and max(_denominators(w)) <= 2
    if expected:
        assert all(f[k] == v for k, v in expected.items())
    else:
        assert f["p"] == f["q"]
    lhs = ref.kl(f["p"], ref.linear_anchor(f["q"], f["p"], f["lambda"]))
    assert lhs >= ref.kl(f["p"], f["q"])
