"""The numerical experiments behind the standard figures, as data (no plotting here).

- :func:`random_pair`: a reproducible anchor ``p*`` (every entry positive) and start ``q_0``
  in exact decimal fractions;
- :func:`stationary_sweep`: finite-sample students' ``E χ²`` after many generations against
  result 10's stationary value, over ``λ`` (``λ = 0`` collapses to ``K − 1``);
- :func:`capacity_run`: an exponential-family student whose class does not contain ``p*``:
  the trajectory, its limit ``Π_E(p*)`` and result 9's moments;
- :func:`softening_bias`: result 11's fixed point of ``q ↦ Φ_λ(S_T(q); p*)`` and its divergence
  from ``p*`` as a function of ``T``.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import fmpq

from .points import decimal_simplex
from .predictions import constant_value
from .simulate import Recursion, Schedule, _Exact, exact_number, fixed_point, simulate
from .students import ExponentialFamily, FiniteSample, Realizable


def random_pair(K: int, seed: int, concentration: float = 1.0):
    """``(p*, q_0)`` drawn from Dirichlet distributions, rounded to three significant digits
    as exact fractions summing to 1; ``p*`` is mixed with 10% of the uniform distribution so
    that every entry is positive."""
    rng = np.random.default_rng([seed, K, 20260113])
    a = 0.9 * rng.dirichlet(np.full(K, concentration)) + 0.1 / K
    s = rng.dirichlet(np.full(K, concentration))
    return _fractions(decimal_simplex(a, 3)), _fractions(decimal_simplex(s, 3))


def _fractions(xs):
    return [Fraction(int(x.p), int(x.q)) for x in xs]


@dataclass
class StationaryPoint:
    lam: Fraction
    mean: float
    se: float
    theory: float
    generations: int
    at_vertex: float


def stationary_sweep(lams, K: int, N: int, chains: int, seed: int, generations: int = 200,
                     collapse_generations: int | None = None, progress=None) -> list:
    """For each ``λ``, ``chains`` finite-sample chains started at ``q_0 = p*`` (so result 10's
    transient vanishes); the mean and standard error of ``χ²(q_G‖p*)`` at the last generation
    against the stationary closed form. ``λ = 0`` runs ``collapse_generations`` (default
    ``20 N``) so that absorption at a vertex is essentially complete."""
    anchor, _ = random_pair(K, seed)
    out = []
    for i, lam in enumerate(lams):
        lam = exact_number(lam)
        G = generations if lam > 0 else (collapse_generations or 20 * N)
        rec = Recursion("linear", FiniteSample(N), Schedule.constant(lam))
        sim = simulate(rec, anchor, anchor, G, chains=chains, seed=seed + i, progress=progress)
        last = sim.generations[-1]
        theory = float(constant_value("stationary expected chi-square", 10, N=N, K=K,
                                      **{"lambda": lam}))
        out.append(StationaryPoint(lam, last.chi2_mean, last.chi2_se, theory, G, last.at_vertex))
    return out


@dataclass
class CapacityRun:
    anchor: list
    start: list
    projection: list  # Π_E(p*), the fixed point
    bias: float  # KL(p*‖Π_E(p*))
    kl_to_anchor: list  # KL(p*‖q_t)
    kl_to_projection: list  # KL(Π_E(p*)‖q_t)
    moment_error: list  # max_j |E_{q_t}[φ_j] − E_{p*}[φ_j]|
    moment_error_closed_form: list  # result 9
    final: list


def capacity_run(K: int, degree: int, lam, generations: int, seed: int,
                 digits: int = 40) -> CapacityRun:
    """The exponential-family student of ``degree`` polynomial features under linear
    anchoring with constant ``λ``, from a random start towards a random anchor."""
    anchor, start = random_pair(K, seed)
    family = ExponentialFamily.polynomial(K, degree)
    lam = exact_number(lam)
    rec = Recursion("linear", family, Schedule.constant(lam))
    sim = simulate(rec, anchor, start, generations, digits=digits, record=True)
    exact = _Exact(Recursion(), anchor, digits)
    proj = family.project([_q(x) for x in anchor], digits)
    bias = float(_div(exact, "kl", proj))
    to_proj = _Exact(Recursion(), [Fraction(int(x.p), int(x.q)) for x in proj], digits)
    kl_to_proj = [float(_div(to_proj, "kl", [_q(x) for x in state])) for state in sim.history]
    m_star = family.moments([_q(x) for x in anchor])
    m0 = family.moments([_q(x) for x in start])
    err, closed = [], []
    for t, state in enumerate(sim.history):
        m = family.moments([_q(x) for x in state])
        err.append(max(abs(float(a - b)) for a, b in zip(m, m_star)))
        closed.append(max(abs(float(constant_value(
            "moment recursion E_{q_t}[phi]", 9, t=t, m_0=_fr(a), m_star=_fr(b),
            **{"lambda": lam})) - float(_fr(b))) for a, b in zip(m0, m_star)))
    return CapacityRun(anchor, start, [_fr(x) for x in proj], bias,
                       [g.kl_mean for g in sim.generations], kl_to_proj, err, closed, sim.final)


@dataclass
class BiasPoint:
    T: Fraction
    lam: Fraction
    fixed_point: list
    kl: float  # KL(p*‖q_∞)
    generations: int


def softening_bias(temperatures, lam, anchor, start, digits: int = 25, progress=None) -> list:
    """Result 11: the fixed point of ``q ↦ (1−λ) S_T(q) + λ p*`` for each ``T`` (iterated from
    ``start`` until successive iterates agree to ``digits`` digits) and ``KL(p*‖q_∞)``."""
    # q_∞ is known to `digits` digits; KL(p*‖q_∞) can be as small as their square.
    exact = _Exact(Recursion(), anchor, 3 * digits)
    out = []
    for T in temperatures:
        T = exact_number(T)
        rec = Recursion("linear", Realizable(), Schedule.constant(exact_number(lam)), T=T)
        q, n = fixed_point(rec, anchor, start, digits=digits)
        out.append(BiasPoint(T, exact_number(lam), q, float(_div(exact, "kl", [_q(x) for x in q])), n))
        if progress:
            progress(1)
    return out


def _div(engine, name, q):
    from . import _ball

    return _ball.to_float(engine.divergence(name, q))


def _q(x) -> fmpq:
    f = x if isinstance(x, Fraction) else _fr(x)
    return fmpq(f.numerator, f.denominator)


def _fr(x) -> Fraction:
    if isinstance(x, Fraction):
        return x
    return Fraction(int(x.p), int(x.q))
