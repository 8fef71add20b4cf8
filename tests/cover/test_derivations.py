"""Derivations of THEORY.md's results: every one checks, the right claims are certified, the
lemma library is stated correctly, and the model rejects malformed chains."""
import random
from fractions import Fraction

import pytest
import sympy as sp

from numerics import evaluate
from numerics.derivations import spot_check
from proofs.catalog import catalog_claims, lam, p_star, q
from proofs.derivations import all_derivations, certificate, derivations, result_numbers
from theory import kl, linear_anchor
from theory.derivation import Derivation, Step
from theory.errors import MalformedDerivation, WrongStep
from theory.lemmas import LIBRARY, JOINT_CONVEXITY

DERIVATIONS = all_derivations()


def test_every_result_has_a_derivation():
    assert set(result_numbers()) == set(range(1, 13))
    assert all(derivations(n) for n in result_numbers())


@pytest.mark.parametrize("d", DERIVATIONS, ids=[d.name for d in DERIVATIONS])
def test_derivation_checks_symbolically_and_numerically(d):
    checked = d.check()
    assert len(checked.steps) == len(d.steps)
    assert all(s.method for s in checked.steps)
    numeric = spot_check(d, draws=4, seed=1, precision=30)
    assert numeric.points >= 2 and numeric.comparisons >= numeric.points


def test_incomplete_derivations_say_what_stays_numerical_or_assumed():
    incomplete = [d for d in DERIVATIONS if not d.complete]
    assert {d.result for d in incomplete} == {6, 7, 8, 9, 10, 11}
    assert all(d.gaps or d.premises for d in incomplete)
    assert all(isinstance(g, str) and g for d in incomplete for g in d.gaps)
    assert all(d.claim is None for d in incomplete)


CERTIFIED = {"R1 linear anchoring contracts KL(p*||.) by 1-lambda",
             "R2 linear anchoring contracts KL(.||p*) by 1-lambda",
             "R3 geometric anchoring: exact Renyi-gap identity",
             "R3 geometric anchoring contracts KL(p*||.) by 1-lambda",
             "R4 geometric anchoring does not increase KL(.||p*)",
             "R5 t generations contract KL(p*||.) by (1-lambda)^t",
             "R6 Pinsker: TV <= sqrt(KL/2)",
             "R6 TV to the anchor after t generations <= sqrt((1-lambda)^t KL_0/2)",
             "R11 at T = 1 the anchor is a fixed point of (1-lambda) S_T(.) + lambda p*",
             "R12 arithmetic anchor: KL(sum w_j p_j||q) <= sum w_j KL(p_j||q)",
             "R12 arithmetic anchor, three teachers",
             "R12 geometric anchor: KL(q||p*_geo) <= sum w_j KL(q||p_j)"}


def test_only_the_listed_results_carry_claims():
    from proofs.derivations import _CLAIMED

    assert {d.result for d in DERIVATIONS if d.claim is not None} == set(_CLAIMED)


def test_a_derivation_may_not_assume_more_than_its_claim():
    real = derivations(1)[0]
    sneaky = Derivation(real.name, 1, real.start, real.steps, claim=real.claim,
                        assume={**real.claim.assume, "q = p*": sp.Eq(lam, 1)})
    with pytest.raises(MalformedDerivation, match="assumes 'q = p\\*'"):
        sneaky.check()


def test_certificates_exactly_for_the_derived_claims():
    got = {c.name for c in catalog_claims() if certificate(c) is not None}
    assert got == CERTIFIED
    text = certificate(next(c for c in catalog_claims() if c.name.startswith("R1 linear")))
    assert "symbolic K" in text and "interior of the simplex" in text and "random points" in text


def _random_point(rng, lemma, k):
    from theory._structure import symbols_of

    dists, scalars = symbols_of(lemma.statement, *lemma.conditions)
    while True:
        values = {}
        for d in dists:
            w = [rng.randint(1, 10 ** rng.randint(1, 5)) for _ in range(k)]
            values[d.name] = [str(Fraction(x, sum(w))) for x in w]
        for s in scalars:
            hi = s.high if s.high.is_finite else 5
            values[s.name] = str(Fraction(rng.randint(1, 99), 100) * Fraction(str(hi - s.low)) + Fraction(str(s.low)))
        exact = {s: sp.Rational(values[s.name]) for s in scalars}
        if all(c.xreplace(exact) is not sp.false for c in lemma.conditions):
            return values


@pytest.mark.parametrize("lemma", [l for l in LIBRARY if not l.premises], ids=lambda l: l.name)
def test_library_lemma_holds_at_random_points(lemma):
    """An independent reading of each lemma: its two sides at random points, 30 digits."""
    rng = random.Random(lemma.name)
    for n in range(6):
        values = _random_point(rng, lemma, (2, 3, 5)[n % 3])
        lhs = evaluate(lemma.statement.lhs, values, precision=30)
        rhs = evaluate(lemma.statement.rhs, values, precision=30)
        assert lhs <= rhs + abs(rhs) * 1e-25 + 1e-25, (lemma.name, values)


def test_pythagorean_identity_at_an_exponential_family_projection():
    """K = 3, E = {q ∝ exp(θ φ)} with φ = (0, 1, 2): Π_E(m) matches E[φ]; check the identity
    numerically at the projection found by bisection (an independent computation)."""
    import mpmath

    from theory.lemmas import PYTHAGORAS

    ctx = mpmath.MPContext()
    ctx.dps = 40
    m = [ctx.mpf(1) / 2, ctx.mpf(1) / 10, ctx.mpf(2) / 5]
    target = m[1] + 2 * m[2]

    def member(theta):
        w = [ctx.exp(theta * i) for i in range(3)]
        return [x / sum(w) for x in w]

    theta = ctx.findroot(lambda th: sum(i * x for i, x in enumerate(member(th))) - target, 0)
    r, c = member(theta), member(ctx.mpf(-1) / 3)
    values = {"m": [str(x) for x in m], "r": [ctx.nstr(x, 38) for x in r],
              "c": [ctx.nstr(x, 38) for x in c]}
    lhs = evaluate(PYTHAGORAS.statement.lhs, values, precision=30)
    rhs = evaluate(PYTHAGORAS.statement.rhs, values, precision=30)
    assert abs(lhs - rhs) < 1e-20


def test_mixed_directions_and_algebra_for_inequalities_are_rejected():
    start = kl(p_star, linear_anchor(q, p_star, lam))
    with pytest.raises(MalformedDerivation, match="algebra"):
        Step("<=", (1 - lam) * kl(p_star, q), "by algebra")
    up = JOINT_CONVEXITY.at(theta=1 - lam, a_1=p_star, a_2=p_star, b_1=q, b_2=p_star)
    with pytest.raises(MalformedDerivation, match="mixes directions"):
        Derivation("mixed", 1, start, [Step("<=", kl(p_star, q), up), Step(">=", 0, up)])
    with pytest.raises(MalformedDerivation, match="no symbol named 'beta'"):
        Derivation("unknown", 1, start, [Step("<=", kl(p_star, q), JOINT_CONVEXITY.at(beta=1))]).check()
    with pytest.raises(MalformedDerivation, match="rel='=='"):
        Step("==", 0, "x")


def test_repr_latex_is_an_align_environment_with_justifications():
    d = derivations(1)[0]
    s = d._repr_latex_()
    assert s.startswith(r"\begin{align*}") and s.endswith(r"\end{align*}")
    assert s.count("&= ") + s.count(r"&\le ") == len(d.steps)
    assert r"\text{joint convexity of KL}" in s and r"\theta = 1 - \lambda" in s


def test_equality_sympy_cannot_show_for_symbolic_k_is_checked_for_each_k_and_says_so():
    from theory import chi2, dist, renyi

    a, b = dist("a"), dist("b")
    d = Derivation("Renyi of order 2 from chi-square", 0, renyi(a, b, 2), [
        Step("=", sp.log(chi2(a, b) + 1), r"$\sum a^2/b = \chi^2 + 1$")], k_range=(2, 3))
    checked = d.check()
    assert checked.steps[0].method == "SymPy equality, each K in 2..3"
    assert not checked.symbolic_k and "only for each K in 2..3" in checked.summary()
    wrong = Derivation("off by one", 0, renyi(a, b, 2), [
        Step("=", sp.log(chi2(a, b) + 2), "planted")], k_range=(2, 3))
    with pytest.raises(WrongStep, match="step 1"):
        wrong.check()
