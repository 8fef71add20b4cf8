"""The simulated recursion against THEORY.md's closed forms (theory/constants.py) and against
independent mpmath computations (tests/reference.py): deterministic trajectories at high
precision, Monte Carlo ones within a stated confidence level (with a check that the test has
the power to reject a wrong closed form)."""
from fractions import Fraction

import numpy as np
import pytest

import reference as ref
from numerics.predictions import (Series, compare, constant_value, linear_iterate, predictions,
                                  stationary_chi2)
from numerics.simulate import NotConverged, Recursion, Schedule, fixed_point, simulate
from numerics.students import (ExponentialFamily, FiniteSample, InvalidSetting,
                               MomentMatchingFailed, Realizable)
from theory import MetadistillError

mp = ref.mp
P = [Fraction(1, 10), Fraction(1, 5), Fraction(3, 10), Fraction(3, 20), Fraction(1, 4)]
Q0 = [Fraction(1, 2), Fraction(1, 5), Fraction(1, 20), Fraction(1, 20), Fraction(1, 5)]


def mpf(x):
    return ref._v([x])[0]


def constant(name, result, **values):
    return mp.mpf(str(constant_value(name, result, 60, **values)))


def test_realizable_linear_is_result_5_exactly():
    lam = Fraction(1, 5)
    sim = simulate(Recursion(schedule=Schedule.constant(lam)), P, Q0, 40, digits=60, record=True)
    assert sim.exact
    kl0 = ref.kl(P, Q0)
    c2 = sum(constant("asymptotic KL prefactor per coordinate", 5, pstar=a, d=b - a)
             for a, b in zip(P, Q0))
    for t, q in enumerate(sim.history):
        assert q == linear_iterate(P, Q0, lam, t)  # the closed-form iterate, exactly
        kl_t = ref.kl(P, q)
        assert kl_t <= constant("KL bound factor after t generations", 5, t=t, **{"lambda": lam}) * kl0
        asymptote = constant("asymptotic KL decay factor", 5, t=t, **{"lambda": lam}) * c2
        if t >= 10:  # KL_t / asymptote - 1 = O((1-λ)^t)
            assert abs(kl_t / asymptote - 1) < 40 * (1 - mpf(lam)) ** t
    t_eps = constant("generations to reach epsilon", 5, epsilon=Fraction(1, 10 ** 6), KL_0=Fraction(str(kl0)),
                     **{"lambda": lam})
    first = next(t for t, q in enumerate(sim.history) if ref.kl(P, q) <= mp.mpf(10) ** -6)
    assert first <= mp.ceil(t_eps)
    assert [g.kl_mean for g in sim.generations] == [float(ref.kl(P, q)) for q in sim.history]


def test_vertex_start_still_compares_result_5s_iterate():
    """KL_0 = ∞ from a vertex: no bound applies, but the iterate's formula does (KL_t is
    finite from t = 1 on), and it is compared."""
    lam, start = Fraction(1, 5), [Fraction(1), Fraction(0), Fraction(0), Fraction(0), Fraction(0)]
    sim = simulate(Recursion(schedule=Schedule.constant(lam)), P, start, 12, digits=60)
    preds = predictions(sim)
    assert "kl_bound" not in preds and "kl_closed_form" in preds
    assert preds["kl_closed_form"].values[0] == float("inf")
    t = 3
    assert abs(preds["kl_closed_form"].values[t] - float(ref.kl(P, linear_iterate(P, start, lam, t)))) \
        < 1e-12 * preds["kl_closed_form"].values[t]
    [c] = compare(sim, preds)
    assert c.key == "kl_closed_form" and c.passed, c.detail


def test_geometric_step_matches_an_independent_definition():
    lam = Fraction(3, 10)
    sim = simulate(Recursion("geometric", schedule=Schedule.constant(lam)), P, Q0, 25,
                   digits=60, record=True)
    kl0 = ref.kl(P, Q0)
    for t in range(25):
        step = ref.geometric_anchor(sim.history[t], P, lam)
        assert all(ref.close(a, b, 55) for a, b in zip(step, ref._v(sim.history[t + 1])))
        assert ref.kl(P, sim.history[t + 1]) <= (1 - mpf(lam)) ** (t + 1) * kl0  # results 3, 6


@pytest.mark.parametrize("schedule, factor", [
    (Schedule.harmonic(), lambda t: constant("product of (1-lambda_s), lambda_s = 1/(s+2)", 7, t=t)),
    (Schedule.given(["1/2", "1/3", "0", "1/4", "1"]),
     lambda t: [1, Fraction(1, 2), Fraction(1, 3), Fraction(1, 3), Fraction(1, 4), 0][t]),
])
def test_time_varying_schedules_are_result_7(schedule, factor):
    sim = simulate(Recursion(schedule=schedule), P, Q0, 5, digits=60, record=True)
    kl0 = ref.kl(P, Q0)
    for t, q in enumerate(sim.history):
        w = factor(t)
        expected = [a + mpf(Fraction(str(w)) if not isinstance(w, (int, Fraction)) else w) * (b - a)
                    for a, b in zip(ref._v(P), ref._v(Q0))]
        assert all(ref.close(x, y, 55) for x, y in zip(ref._v(q), expected))
        assert ref.kl(P, q) <= mpf(Fraction(str(w))) * kl0 * (1 + mp.mpf(10) ** -50)


def test_error_floor_and_drift_are_result_8():
    delta = Fraction(1, 50)
    sim = simulate(Recursion(schedule=Schedule.constant(0), delta=delta), P, Q0, 12, record=True)
    kl0 = ref.kl(P, Q0)
    for t, q in enumerate(sim.history):  # unanchored: the drift t·delta, to 40 digits
        drift = constant("unanchored drift (lambda = 0)", 8, t=t, delta=delta, KL_0=Fraction(str(kl0)))
        assert ref.close(ref.kl(P, q), drift, 40)
    lam = Fraction(1, 4)
    sim = simulate(Recursion(schedule=Schedule.constant(lam), delta=delta), P, Q0, 40, record=True)
    for t, q in enumerate(sim.history):
        bound = constant("KL bound with per-generation error delta", 8, t=t, delta=delta,
                         KL_0=Fraction(str(kl0)), **{"lambda": lam})
        assert ref.kl(P, q) <= bound * (1 + mp.mpf(10) ** -40)
    floor = constant("error floor", 8, delta=delta, **{"lambda": lam})
    assert mpf(delta) < ref.kl(P, sim.history[-1]) <= floor
    assert all(c.passed for c in compare(sim, predictions(sim)))


def test_exponential_family_moments_are_result_9():
    lam, family = Fraction(1, 5), ExponentialFamily.polynomial(5, 2)
    sim = simulate(Recursion(student=family, schedule=Schedule.constant(lam)), P, Q0, 60,
                   digits=50, record=True)
    m0, ms = family.moments(_q(Q0)), family.moments(_q(P))
    for t, q in enumerate(sim.history):
        for got, a, b in zip(family.moments(_q(q)), m0, ms):
            closed = constant("moment recursion E_{q_t}[phi]", 9, t=t, m_0=_fr(a), m_star=_fr(b),
                              **{"lambda": lam})
            assert ref.close(mpf(_fr(got)), closed, 40)
    target = family.project(_q(P), 50)  # the fixed point Π_E(p*), not p*
    last = ref._v(sim.history[-1])
    assert max(abs(x - mpf(_fr(y))) for x, y in zip(last, target)) < mp.mpf(10) ** -5
    assert ref.kl(P, [_fr(x) for x in target]) > mp.mpf(1) / 100  # p* is outside the family


def test_reverse_kl_contracts_when_the_anchor_is_in_the_family():
    """Result 9: with p* ∈ E, KL(q_{t+1}‖p*) ≤ (1−λ) KL(q_t‖p*) − KL(m_t‖q_{t+1}), from the
    Pythagorean identity KL(m‖p*) = KL(m‖Π(m)) + KL(Π(m)‖p*)."""
    lam, family = Fraction(1, 4), ExponentialFamily.polynomial(5, 2)
    anchor = [_fr(x) for x in family.member([Fraction(1, 2), Fraction(-3, 4)], 60)]
    sim = simulate(Recursion(student=family, schedule=Schedule.constant(lam)), anchor, Q0, 15,
                   digits=60, record=True)
    for q, nxt in zip(sim.history, sim.history[1:]):
        m = ref.linear_anchor(q, anchor, lam)
        lhs, pyth = ref.kl(nxt, anchor), ref.kl(m, nxt)
        assert lhs <= (1 - mpf(lam)) * ref.kl(q, anchor) - pyth + mp.mpf(10) ** -45
        assert ref.close(ref.kl(m, anchor), pyth + lhs, 45)


def test_moment_matching_failure_is_reported():
    """Moments on the boundary of what the family can match (m at a vertex) send theta to
    infinity: with a budget of 5 Newton steps the projection fails, and says so."""
    family = ExponentialFamily(((Fraction(-1),), (Fraction(0),), (Fraction(1),)), max_steps=5)
    with pytest.raises(MomentMatchingFailed, match="did not converge in 5 Newton steps") as info:
        family.project(_q([Fraction(1), Fraction(0), Fraction(0)]), 30)
    assert isinstance(info.value, ValueError)
    with pytest.raises(InvalidSetting, match="linearly dependent"):
        ExponentialFamily(((Fraction(1),), (Fraction(1),), (Fraction(1),)))


def test_softening_inside_the_loop_is_biased_result_11():
    lam = Fraction(3, 10)
    for T in (Fraction(1, 2), Fraction(2)):
        rec = Recursion(schedule=Schedule.constant(lam), T=T)
        q, _ = fixed_point(rec, P, Q0, digits=30)
        step = [(1 - mpf(lam)) * s + mpf(lam) * a for s, a in zip(ref.soften(q, T), ref._v(P))]
        assert max(abs(x - mpf(y)) for x, y in zip(step, q)) < mp.mpf(10) ** -28  # a fixed point
        assert ref.kl(P, q) > mp.mpf(1) / 1000  # ... other than p*
    q, _ = fixed_point(Recursion(schedule=Schedule.constant(lam), T=Fraction(1)), P, Q0, digits=30)
    assert ref.kl(P, q) < mp.mpf(10) ** -55  # T = 1 is result 1: the fixed point is p*
    with pytest.raises(NotConverged):
        fixed_point(Recursion(schedule=Schedule.constant(Fraction(1, 100))), P, Q0, digits=30,
                    max_generations=5)


# -- Monte Carlo ------------------------------------------------------------------------------

SMALL = dict(anchor=P, start=Q0)


def _mc(lam, N, generations, chains, seed=3):
    rec = Recursion(student=FiniteSample(N), schedule=Schedule.constant(lam))
    return simulate(rec, P, Q0, generations, chains=chains, seed=seed)


def test_finite_sample_chi_square_is_result_10():
    sim = _mc(Fraction(3, 10), 30, 25, 3000)
    preds = predictions(sim)
    (check,) = compare(sim, preds)
    assert check.passed, check.detail
    assert sim.generations[0].chi2_se == 0
    assert sim.generations[0].chi2_mean == pytest.approx(float(ref.chi2(Q0, P)), rel=1e-14)
    # the same test rejects a closed form that is wrong by a fifth (power of the comparison)
    wrong = Series("chi2_closed_form", 10, "N replaced by 4N/5", "expected",
                   [float(constant_value("expected chi-square after t generations", 10, t=t, N=24,
                                         K=5, c_0=sum(b / a for a, b in zip(P, Q0)) - 5,
                                         chi2_0=Fraction(str(ref.chi2(Q0, P))), **{"lambda": "3/10"}))
                    for t in range(26)], "chi2_mean")
    (rejected,) = compare(sim, {"chi2_closed_form": wrong})
    assert not rejected.passed


def test_collapse_without_anchoring():
    """λ = 0: the student is absorbed at a vertex and E χ² → K − 1 (result 10)."""
    rec = Recursion(student=FiniteSample(10), schedule=Schedule.constant(0))
    sim = simulate(rec, P, P, 300, chains=2000, seed=4)
    last = sim.generations[-1]
    assert last.at_vertex > 0.999
    assert abs(last.chi2_mean - stationary_chi2(sim)) < 5 * last.chi2_se + 1e-6
    assert stationary_chi2(sim) == 4.0


def test_streaming_statistics_match_the_recorded_chains():
    rec = Recursion(student=FiniteSample(20), schedule=Schedule.constant(Fraction(1, 2)))
    sim = simulate(rec, P, Q0, 6, chains=1500, seed=5, chunk=400, record=True)
    p = np.array([float(x) for x in P])
    for g, q in zip(sim.generations, sim.history):
        chi = ((q - p) ** 2 / p).sum(axis=1)
        assert q.shape == (1500, 5) and g.chains == 1500
        assert g.chi2_mean == pytest.approx(chi.mean(), rel=1e-12)
        assert g.chi2_se == pytest.approx(chi.std(ddof=1) / np.sqrt(1500), rel=1e-9, abs=1e-15)
    plain = simulate(rec, P, Q0, 6, chains=1500, seed=5, chunk=400)
    assert plain.history is None and plain.generations == sim.generations


def test_reproducible_from_seed():
    a, b, c = _mc(Fraction(1, 5), 50, 8, 500, 1), _mc(Fraction(1, 5), 50, 8, 500, 1), _mc(Fraction(1, 5), 50, 8, 500, 2)
    assert a.generations == b.generations and a.generations != c.generations


# -- bad settings -------------------------------------------------------------------------------

BAD = [
    (lambda: Schedule.constant("1.5"), "lambda='1.5'"),
    (lambda: Schedule.given(["0.5", "x"]), "schedule\\[1\\]='x'"),
    (lambda: Recursion("cubic"), "operator='cubic'"),
    (lambda: Recursion(T=0), "T=0"),
    (lambda: Recursion(student=FiniteSample(50), delta=Fraction(1, 10)), "delta=1/10"),
    (lambda: FiniteSample(0), "N=0"),
    (lambda: ExponentialFamily.polynomial(4, 4), "features=4"),
    (lambda: simulate(Recursion(), [Fraction(1, 2), Fraction(1, 2), 0], [Fraction(1, 3)] * 3, 3),
     "anchor\\[2\\]"),
    (lambda: simulate(Recursion(schedule=Schedule.given(["0.1", "0.2"])), P, Q0, 3), "t=2"),
    (lambda: simulate(Recursion(), P, Q0, -1), "generations=-1"),
    (lambda: simulate(Recursion(), P, Q0, 3, chains=0), "chains=0"),
    (lambda: simulate(Recursion(student=ExponentialFamily.polynomial(4, 2)), P, Q0, 3), "K=4"),
]


@pytest.mark.parametrize("make, message", BAD)
def test_bad_settings_are_named(make, message):
    with pytest.raises(MetadistillError, match=message) as info:
        make()
    assert isinstance(info.value, ValueError)


def _q(xs):
    from flint import fmpq

    return [fmpq(Fraction(x).numerator, Fraction(x).denominator) for x in xs]


def _fr(x):
    return Fraction(int(x.p), int(x.q)) if hasattr(x, "p") else Fraction(x)


def test_realizable_student_is_identity():
    assert Realizable().project(_q(P), 30) == _q(P)
