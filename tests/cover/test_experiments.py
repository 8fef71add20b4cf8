"""The data behind the standard figures: each experiment agrees with the closed form it is
drawn against."""
from fractions import Fraction

from numerics.experiments import capacity_run, random_pair, softening_bias, stationary_sweep


def test_random_pair_is_exact_and_reproducible():
    a, s = random_pair(6, 3)
    assert sum(a) == 1 and sum(s) == 1 and min(a) > 0 and len(a) == 6
    assert (a, s) == random_pair(6, 3) and (a, s) != random_pair(6, 4)


def test_stationary_sweep_agrees_with_result_10():
    points = stationary_sweep(["0", "0.3", "1"], K=3, N=10, chains=1500, seed=2, generations=60,
                              collapse_generations=250)
    for p in points:
        assert abs(p.mean - p.theory) <= 4.5 * p.se + 1e-12, p
    assert points[0].theory == 2 and points[0].at_vertex > 0.999  # collapse: K - 1


def test_capacity_run_settles_on_the_projection():
    run = capacity_run(K=6, degree=1, lam="1/4", generations=30, seed=1)
    assert run.bias > 1e-3  # p* is not in the family
    assert run.kl_to_projection[-1] < 1e-6 < run.kl_to_projection[0]
    assert abs(run.kl_to_anchor[-1] - run.bias) < 1e-6
    for got, closed in zip(run.moment_error, run.moment_error_closed_form):  # result 9
        assert abs(got - closed) <= 1e-12 * max(1.0, closed)


def test_softening_bias_vanishes_only_at_T_1():
    anchor, start = random_pair(4, 0)
    points = softening_bias([Fraction(1, 2), 1, 2], "0.3", anchor, start, digits=20)
    low, one, high = (p.kl for p in points)
    assert abs(one) < 1e-30 and low > 1e-3 and high > 1e-3
