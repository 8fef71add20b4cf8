"""Quality: ``metadistill axioms`` catches operators with planted faults.

Each planted operator breaks one axiom in a known way; the check must report it violated with a
witness that tests/reference.py (mpmath, 80 digits) confirms independently.
"""
from fractions import Fraction

import reference as ref
from numerics.axiom_checks import check_operator
from numerics.search import SearchSettings
from theory import geometric_anchor, linear_anchor
from theory.axioms import user_operator

BUDGET = SearchSettings(dims=(2, 3), samples=200, seed=3, precision=30)


def _report(fn):
    return {r.code: r for r in check_operator(user_operator(fn.__name__, fn), BUDGET)}


def test_slow_anchoring_breaks_the_contraction_constant():
    """Φ = (1−λ²) q + λ² p*: meets M1–M6, but its contraction constant is 1−λ² > 1−λ."""
    def slow(q, a, lam):
        return linear_anchor(q, a, lam ** 2)
    r = _report(slow)
    assert [r[c].verdict for c in ("M1", "M2", "M3", "M4", "M5")] == ["certified"] * 5
    assert r["M7"].verdict == "violated"
    w = r["M7"].witness
    lam = Fraction(w["lambda"])
    lhs = ref.kl(w["p"], ref.linear_anchor(w["q"], w["p"], lam * lam))
    assert lhs > (1 - ref._v([lam])[0]) * ref.kl(w["p"], w["q"])


def test_half_geometric_step_loses_support_and_the_boundary():
    """Φ ∝ q^(1−λ/2) p*^(λ/2): Φ_1 ≠ p* (M3) and zeros of q survive (M4)."""
    def half(q, a, lam):
        return geometric_anchor(q, a, lam / 2)
    r = _report(half)
    assert r["M3"].verdict == "violated" and r["M4"].verdict == "violated"
    w = r["M4"].witness
    phi = ref.geometric_anchor(w["q"], w["p"], Fraction(w["lambda"]) / 2)
    assert min(phi) == 0 and min(map(Fraction, w["p"])) > 0 and Fraction(w["lambda"]) > 0


def test_leaky_operator_breaks_closure():
    """Φ = (1−λ) q + λ p* + λ(1−λ)(q − p*)·3: entries can go negative (M1)."""
    def leaky(q, a, lam):
        return (1 - lam) * q + lam * a + 3 * lam * (1 - lam) * q - 3 * lam * (1 - lam) * a
    r = _report(leaky)
    assert r["M1"].verdict == "violated"
    w = r["M1"].witness
    lam = Fraction(w["lambda"])
    q, p = map(Fraction, w["q"]), map(Fraction, w["p"])
    entries = [(1 - lam) * x + lam * y + 3 * lam * (1 - lam) * (x - y) for x, y in zip(q, p)]
    assert min(entries) < 0 and sum(entries) == 1
