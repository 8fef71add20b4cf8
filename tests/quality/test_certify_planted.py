"""Planted faults in the float filters of ``certify`` are caught by an independent reference.

A filter whose error bound is too small decides near-tie draws from rounding noise. Holding
its verdicts to a 120-digit mpmath evaluation (written independently in ``numerics.bench``)
must expose it; the honest filters must pass the same comparison.
"""
import numpy as np
import pytest

from numerics import _apriori, _filter
from numerics._compile import compile_expr
from numerics.bench import HOLDS, FAILS, UNSURE, _claim, mpmath_loop, near_tie
from numerics.certificates import VIOLATED, Certifier
from numerics.certificates import HOLDS as C_HOLDS


class _Overconfident(_apriori.AprioriBackend):
    """Claims every sum exact: its error bound is dropped."""

    def coordinate_sum(self, summand, vectors, key=None):
        out = super().coordinate_sum(summand, vectors, key)
        out.a, out.bad = out.a * 0.0, None
        return out


class _Careless(_filter.FilterBackend):
    """Forgets the rounding error of every operation."""

    def _rnd(self, v, ulps=1.0):
        return 0.0 * np.abs(v)


def _verdicts(cert):
    return np.where(cert.status == C_HOLDS, HOLDS, np.where(cert.status == VIOLATED, FAILS, UNSURE))


def _mismatches(certifier, draws, reference):
    got = _verdicts(certifier.certify({"p": draws[0], "q": draws[1], "lambda": draws[2]}, budget=0))
    sure = (reference != UNSURE) & (got != UNSURE)
    return int(np.count_nonzero(sure & (got != reference)))


@pytest.fixture(scope="module")
def near_ties():
    rng = np.random.default_rng(11)
    draws = near_tie(rng, 60, 30)
    # Ties ten times closer than the benchmark's, so that float64 noise dominates.
    P, Q, L = draws
    Q = P * (1 + (Q / P - 1) / 10)
    Q = Q / Q.sum(axis=1, keepdims=True)
    return (P, Q, L), mpmath_loop(P, Q, L, digits=120, guard_digits=100)


def test_honest_filters_agree_with_the_reference(near_ties):
    draws, reference = near_ties
    assert _mismatches(Certifier(_claim()), draws, reference) == 0


def test_an_overconfident_fast_filter_is_caught(near_ties):
    draws, reference = near_ties
    c = Certifier(_claim())
    fast = _Overconfident()
    c._fast_lhs, c._fast_rhs = compile_expr(c.claim.lhs, fast), compile_expr(c.claim.rhs, fast)
    assert _mismatches(c, draws, reference) > 0


def test_a_careless_extended_filter_is_caught(near_ties):
    draws, reference = near_ties
    c = Certifier(_claim(), _Careless(np.float64))
    c._fast_lhs = c._fast_rhs = lambda env: (_ for _ in ()).throw(_apriori.GiveUp("planted"))
    assert _mismatches(c, draws, reference) > 0
