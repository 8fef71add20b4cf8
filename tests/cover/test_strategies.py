"""The public Hypothesis strategies: exact points, and the boundary they promise to reach.

Reachability is shown with ``hypothesis.find`` (a bounded search for a draw with the
property), never assumed: tiny entries, vertices, exact ties, endpoints.
"""
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from numerics.boundary import boundary_moves
from numerics.strategies import (anchors, claim_points, distributions, lambda_schedules, points,
                                 related_distributions, scalars)
from theory import Claim, dist, kl, linear_anchor, scalar

# Generation only: these tests ask whether a draw is reachable, not for the smallest one.
FIND = settings(max_examples=2000, database=None, phases=[Phase.generate],
                suppress_health_check=list(HealthCheck))


def _simplex(p, k=None):
    return (all(isinstance(x, Fraction) for x in p) and sum(p) == 1 and min(p) >= 0
            and (k is None or len(p) == k))


@given(distributions(4))
def test_distributions_are_exact_points_of_the_simplex(p):
    assert _simplex(p, 4)


@given(distributions(st.integers(2, 5), full_support=True))
def test_full_support_means_every_entry_positive(p):
    assert _simplex(p) and min(p) > 0 and 2 <= len(p) <= 5


@given(anchors(3))
def test_anchors_have_full_support(p):
    assert _simplex(p, 3) and min(p) > 0


@pytest.mark.parametrize("what, predicate", [
    ("an exact zero", lambda p: 0 in p),
    ("a vertex", lambda p: max(p) == 1),
    ("the uniform point", lambda p: len(set(p)) == 1),
    ("an entry below 1e-12", lambda p: 0 < min(p) < Fraction(1, 10 ** 12)),
    ("a near-vertex", lambda p: 1 - Fraction(1, 10 ** 9) < max(p) < 1),
])
def test_distributions_reach_the_boundary(what, predicate):
    p = find(distributions(3), predicate, settings=FIND)
    assert _simplex(p, 3) and predicate(p), what


def test_related_distributions_reach_exact_and_near_ties():
    base = (Fraction(1, 3), Fraction(1, 6), Fraction(1, 2))
    assert find(related_distributions(base), lambda q: q == base, settings=FIND) == base
    near = find(related_distributions(base),
                lambda q: q != base and max(abs(a - b) for a, b in zip(q, base)) < Fraction(1, 10 ** 9),
                settings=FIND)
    assert _simplex(near, 3)


@given(scalars(Fraction(1, 10), 10))
def test_scalars_stay_in_the_closed_interval(x):
    assert isinstance(x, Fraction) and Fraction(1, 10) <= x <= 10


@pytest.mark.parametrize("value", [Fraction(0), Fraction(1)])
def test_scalars_reach_both_endpoints_exactly(value):
    assert find(scalars(0, 1), lambda x: x == value, settings=FIND) == value


def test_scalars_reach_just_inside_an_endpoint():
    x = find(scalars(0, 1), lambda x: 0 < x < Fraction(1, 10 ** 20), settings=FIND)
    assert 0 < x < Fraction(1, 10 ** 20)


@given(scalars(1, float("inf")))
def test_scalars_with_an_infinite_bound(x):
    assert x >= 1


@pytest.mark.parametrize("make, message", [
    (lambda: scalars(1, 0), "low=1"),
    (lambda: distributions(0), "K=0"),
    (lambda: lambda_schedules(0), "length=0"),
])
def test_bad_arguments_name_the_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@given(lambda_schedules(st.integers(1, 8)))
def test_lambda_schedules_are_weights_in_the_unit_interval(schedule):
    assert 1 <= len(schedule) <= 8 and all(0 <= x <= 1 for x in schedule)


def test_lambda_schedules_reach_harmonic_and_unanchored_generations():
    harmonic = [Fraction(1, s + 2) for s in range(5)]
    assert find(lambda_schedules(5), lambda s: s == harmonic, settings=FIND) == harmonic
    assert 0 in find(lambda_schedules(5), lambda s: 0 in s and max(s) > 0, settings=FIND)


p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
CLAIM = Claim("contraction", kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q),
              assume={"anchoring": lam > 0})


@settings(suppress_health_check=list(HealthCheck))
@given(claim_points(CLAIM, K=st.integers(2, 4)))
def test_claim_points_give_every_symbol_a_value(point):
    assert set(point) == {"p", "q", "lambda"}
    assert _simplex(point["p"]) and _simplex(point["q"], len(point["p"]))
    assert 0 <= point["lambda"] <= 1


def test_points_with_boundary_moves_reach_the_dropped_boundary_exactly():
    moves = boundary_moves([lam > 0, kl(p, q) > 0]).moves
    strategy = points((p, q), (lam,), 3, boundary=moves)
    hit = find(strategy, lambda x: x["lambda"] == 0 and x["p"] == x["q"] and max(x["p"]) < 1,
               settings=FIND)
    assert hit["lambda"] == 0 and hit["p"] == hit["q"]
