"""Result 10 at the issue's scale: E chi-square over 20 000 chains."""
import pytest

from numerics.experiments import random_pair
from numerics.predictions import compare, predictions, stationary_chi2
from numerics.simulate import Recursion, Schedule, simulate
from numerics.students import FiniteSample


@pytest.mark.slow
def test_expected_chi_square_over_20000_chains():
    """The issue's configuration: K = 10, N = 1000, λ = 0.2, 60 generations, 20 000 chains."""
    anchor, start = random_pair(10, 1)
    rec = Recursion(student=FiniteSample(1000), schedule=Schedule.constant("0.2"))
    sim = simulate(rec, anchor, start, 60, chains=20000, seed=1)
    (check,) = compare(sim, predictions(sim))
    assert check.passed, check.detail
    last = sim.generations[-1]
    assert abs(last.chi2_mean - stationary_chi2(sim)) < 4.5 * last.chi2_se
