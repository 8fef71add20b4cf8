"""Each divergence and operator against the independent definitions in tests/reference.py."""
from fractions import Fraction

import pytest
from hypothesis import example, given, strategies as st

import reference as ref
from numerics import evaluate, evaluate_distribution
from numerics.strategies import distributions
from theory import (chi2, dist, entropy, geometric_anchor, hellinger, js, kl, linear_anchor,
                    renyi, scalar, soften, tv)

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
alpha = scalar("alpha", 0, 5)
T = scalar("T", 0, 10)

pairs = st.integers(2, 6).flatmap(lambda k: st.tuples(distributions(k), distributions(k)))
unit = st.fractions(0, 1, max_denominator=1000)

DIVERGENCES = [(kl, ref.kl), (tv, ref.tv), (chi2, ref.chi2), (hellinger, ref.hellinger),
               (js, ref.js)]


@pytest.mark.parametrize("ours, theirs", DIVERGENCES, ids=lambda f: getattr(f, "__name__", ""))
@given(pair=pairs)
@example(pair=((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))))
@example(pair=((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2))))
@example(pair=((Fraction(1, 10 ** 18), 1 - Fraction(1, 10 ** 18)), (Fraction(1, 2), Fraction(1, 2))))
def test_divergence_matches_reference(ours, theirs, pair):
    a, b = pair
    got = evaluate(ours(p, q), {"p": a, "q": b}, precision=45)
    assert ref.close(got, theirs(a, b), 40)


@given(pair=pairs, a=st.fractions(Fraction(1, 100), 5, max_denominator=100))
@example(pair=((Fraction(1, 3), Fraction(2, 3)), (Fraction(0), Fraction(1))), a=Fraction(1, 2))
@example(pair=((Fraction(1, 3), Fraction(2, 3)), (Fraction(0), Fraction(1))), a=Fraction(2))
@example(pair=((Fraction(1, 3), Fraction(2, 3)), (Fraction(1, 4), Fraction(3, 4))), a=Fraction(1))
def test_renyi_matches_reference(pair, a):
    x, y = pair
    got = evaluate(renyi(p, q, alpha), {"p": x, "q": y, "alpha": a}, precision=45)
    assert ref.close(got, ref.renyi(x, y, a), 40)


@given(x=st.integers(2, 6).flatmap(distributions))
def test_entropy_matches_reference(x):
    assert ref.close(evaluate(entropy(p), {"p": x}, precision=45), ref.entropy(x), 40)


@given(pair=pairs, l=unit)
def test_linear_anchor_matches_reference(pair, l):
    x, y = pair
    got = evaluate_distribution(linear_anchor(q, p, lam), {"q": x, "p": y, "lambda": l})
    assert all(ref.close(g, r, 45) for g, r in zip(got, ref.linear_anchor(x, y, l)))


@given(pair=pairs, l=unit)
def test_geometric_anchor_matches_reference(pair, l):
    x, y = pair
    # Where the supports are disjoint and 0 < lambda < 1 the operator is undefined (0/0).
    if 0 < l < 1 and all(a * b == 0 for a, b in zip(x, y)):
        return
    got = evaluate_distribution(geometric_anchor(q, p, lam), {"q": x, "p": y, "lambda": l})
    assert all(ref.close(g, r, 45) for g, r in zip(got, ref.geometric_anchor(x, y, l)))


@given(x=st.integers(2, 6).flatmap(distributions),
       t=st.fractions(Fraction(1, 10), 10, max_denominator=100))
def test_soften_matches_reference(x, t):
    got = evaluate_distribution(soften(p, T), {"p": x, "T": t})
    assert all(ref.close(g, r, 45) for g, r in zip(got, ref.soften(x, t)))


def test_boundary_conventions():
    # 0 log 0 = 0; mass meeting no support is +inf; 0^0 = 1 at lambda = 1 (M3 boundary).
    assert evaluate(kl(p, q), {"p": [1, 0], "q": [1, 0]}) == 0
    assert evaluate(kl(p, q), {"p": [0.5, 0.5], "q": [1, 0]}) == float("inf")
    assert evaluate(chi2(p, q), {"p": [0.5, 0.5], "q": [1, 0]}) == float("inf")
    phi = evaluate_distribution(geometric_anchor(q, p, lam), {"q": [0, 1], "p": [0.5, 0.5], "lambda": 1})
    assert phi == [0.5, 0.5]
    phi = evaluate_distribution(geometric_anchor(q, p, lam), {"q": [0, 1], "p": [0.5, 0.5], "lambda": "999/1000"})
    assert phi == [0, 1]  # M4 fails: the zero entry of q survives any lambda < 1


def test_infinite_times_zero_is_zero():
    # (1 - lambda) * KL(p||q) at lambda = 1 with KL = inf is 0 (measure-theoretic convention).
    got = evaluate((1 - lam) * kl(p, q), {"p": [0.5, 0.5], "q": [1, 0], "lambda": 1})
    assert got == 0


def test_undefined_value_is_an_error_not_nan():
    from numerics import UndefinedValue

    with pytest.raises(UndefinedValue, match="no value"):
        evaluate(kl(p, q) - chi2(p, q), {"p": [0.5, 0.5], "q": [1, 0]})  # inf - inf
