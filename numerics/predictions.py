"""THEORY.md's closed forms along a simulated run, and the comparisons with what was simulated.

Every predicted value is a constant of :mod:`theory.constants` (derived there by SymPy) with the
run's parameters substituted and evaluated by SymPy at ``digits`` digits; nothing here restates
a formula. Which closed forms apply depends on the run:

- realizable student, linear anchoring, constant ``λ``: the iterate of result 5 (equality), the
  bound ``(1−λ)^t KL_0`` and the asymptote ``(1−λ)^(2t) Σ_i d_i²/(2p*_i)``;
- realizable, any operator meeting M7 with ``1−λ`` (linear, geometric), any schedule: the bound
  ``Π_{s<t}(1−λ_s) KL_0`` (results 5–7; ``1/(t+1)`` for ``λ_s = 1/(s+2)``);
- realizable with the worst-case error ``δ``: result 8's bound, and at ``λ = 0`` its drift
  ``KL_0 + tδ`` (equality);
- exponential-family student, linear, constant ``λ``: result 9's moments (equality);
- finite-sample student, linear, constant ``λ``: result 10's ``E χ²_t`` (Monte Carlo, compared
  within a stated confidence level) and its stationary value.

Softening inside the loop (``T ≠ 1``) has no closed form: result 11's bias is measured.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

import sympy as sp
from flint import fmpq

from theory.constants import constant

from . import _ball
from .simulate import Simulation, _Exact
from .students import ExponentialFamily, FiniteSample, Realizable

#: Family-wise level of the Monte Carlo comparison (Bonferroni over generations).
LEVEL = 1e-3
#: Relative agreement required of a deterministic float64 report (the run itself is computed
#: at high precision; this only absorbs the final rounding to float64).
FLOAT_AGREEMENT = 1e-12
#: Fewer chains than this give no usable normal confidence interval: no Monte Carlo comparison.
MIN_CHAINS = 30


@dataclass
class Series:
    """One closed form along the run: a value (float, list of floats, or None) per generation.

    ``kind``: ``"equal"`` (the simulated value must match), ``"bound"`` (must not exceed),
    ``"expected"`` (the Monte Carlo mean must agree within the confidence level) or
    ``"asymptote"`` (plotted, not compared).
    """

    key: str
    result: int
    source: str
    kind: str
    values: list
    compares: str  # the GenerationStats field it is set against


def constant_value(name: str, result: int, digits: int = 30, **values):
    """The constant ``name`` of ``result`` with symbols (by name) set to exact values, as a
    SymPy Float with ``digits`` digits; where the expression is singular at the point (0/0 at
    an endpoint of ``λ``) the limit in ``λ`` is taken."""
    expr = constant(name, result).expr
    symbols = {s.name: s for s in expr.free_symbols}
    subs = {symbols[k]: _rational(v) for k, v in values.items() if k in symbols}
    e = expr.subs(subs)
    if e.has(sp.nan, sp.zoo) and "lambda" in symbols and "lambda" in values:
        lam = symbols["lambda"]
        e = sp.limit(expr.subs({k: v for k, v in subs.items() if k != lam}), lam,
                     _rational(values["lambda"]))
    return sp.N(e, digits)


def _f(x) -> float:
    return float(x)


def predictions(sim: Simulation) -> dict:
    """Every closed form that applies to the run, keyed by its JSON field name."""
    rec, G = sim.recursion, len(sim.generations) - 1
    out = {}
    if rec.softened:
        return out
    p, q0 = sim.anchor, sim.start
    engine = _Exact(rec, p, 40)
    q0_exact = [fmpq(x.numerator, x.denominator) for x in q0]
    kl0 = engine.divergence("kl", q0_exact)
    kl0_finite = not _ball.is_inf(kl0)
    kl0_value = Fraction(_ball.to_decimal(kl0, 40)) if kl0_finite else None
    sched = rec.schedule
    constant_lam = sched.kind == "constant"
    lam = sched.lam
    student = rec.student

    if isinstance(student, Realizable) and kl0_finite:
        if rec.delta is not None and constant_lam:
            if lam > 0:
                out["kl_bound"] = Series(
                    "kl_bound", 8, "KL bound with per-generation error delta", "bound",
                    [_f(constant_value("KL bound with per-generation error delta", 8, t=t,
                                       **{"lambda": lam, "delta": rec.delta, "KL_0": kl0_value}))
                     for t in range(G + 1)], "kl_mean")
            else:
                out["kl_closed_form"] = Series(
                    "kl_closed_form", 8, "unanchored drift (lambda = 0)", "equal",
                    [_f(constant_value("unanchored drift (lambda = 0)", 8, t=t, delta=rec.delta,
                                       KL_0=kl0_value)) for t in range(G + 1)], "kl_mean")
        elif rec.delta is None:
            factors = _contraction_factors(sched, G)
            out["kl_bound"] = Series("kl_bound", factors[0], factors[1], "bound",
                                     [_f(f * kl0_value) for f in factors[2]], "kl_mean")
            if constant_lam and rec.operator == "linear":
                prefactor = sum(
                    (Fraction(str(constant_value("asymptotic KL prefactor per coordinate", 5, 40,
                                                 pstar=a, d=b - a)))
                     for a, b in zip(p, q0)), Fraction(0))
                out["kl_asymptote"] = Series(
                    "kl_asymptote", 5, "asymptotic KL decay factor x asymptotic KL prefactor",
                    "asymptote",
                    [_f(constant_value("asymptotic KL decay factor", 5, t=t, **{"lambda": lam}))
                     * float(prefactor) for t in range(G + 1)], "kl_mean")

    if (isinstance(student, Realizable) and rec.delta is None and constant_lam
            and rec.operator == "linear"):
        # The iterate's formula holds whatever KL_0 is (a vertex start has KL_0 = ∞, yet
        # KL_t is finite from t = 1 on).
        out["kl_closed_form"] = Series(
            "kl_closed_form", 5, "linear iterate q_t (coordinatewise)", "equal",
            [_kl_of_iterate(engine, p, q0, lam, t) for t in range(G + 1)], "kl_mean")

    if (isinstance(student, ExponentialFamily) and constant_lam and rec.operator == "linear"
            and rec.delta is None):
        m0 = [Fraction(int(x.p), int(x.q)) for x in student.moments(q0_exact)]
        ms = [Fraction(int(x.p), int(x.q)) for x in student.moments(engine.anchor)]
        out["moments_closed_form"] = Series(
            "moments_closed_form", 9, "moment recursion E_{q_t}[phi]", "equal",
            [[_f(constant_value("moment recursion E_{q_t}[phi]", 9, t=t, m_0=a, m_star=b,
                                **{"lambda": lam})) for a, b in zip(m0, ms)]
             for t in range(G + 1)], "moments")

    if isinstance(student, FiniteSample) and constant_lam and rec.operator == "linear":
        chi2_0 = Fraction(_ball.to_decimal(engine.divergence("chi2", q0_exact), 40))
        K = len(p)
        c0 = sum((b / a for a, b in zip(p, q0)), Fraction(0)) - K  # THEORY.md's c_0
        out["chi2_closed_form"] = Series(
            "chi2_closed_form", 10, "expected chi-square after t generations", "expected",
            [_f(constant_value("expected chi-square after t generations", 10, t=t, N=student.N,
                               K=K, c_0=c0, chi2_0=chi2_0, **{"lambda": lam}))
             for t in range(G + 1)], "chi2_mean")
    return out


def _contraction_factors(schedule, G):
    """``(result, source, [Π_{s<t}(1−λ_s) for t = 0..G])`` from the constants that apply."""
    if schedule.kind == "constant":
        name = "KL bound factor after t generations"
        return 5, name, [Fraction(str(constant_value(name, 5, 40, t=t, **{"lambda": schedule.lam})))
                         for t in range(G + 1)]
    if schedule.kind == "harmonic":
        name = "product of (1-lambda_s), lambda_s = 1/(s+2)"
        return 7, name, [Fraction(str(constant_value(name, 7, 40, t=t))) for t in range(G + 1)]
    out, acc = [], Fraction(1)
    for t in range(G + 1):
        out.append(acc)
        if t < G:
            acc *= 1 - schedule.at(t)
    return 7, "product of (1 - lambda_s) over the given schedule", out


def linear_iterate(anchor, start, lam, t: int) -> list:
    """Result 5's closed-form iterate ``q_t`` for rational data: exact Fractions (the constant
    with every symbol set to a Rational simplifies to a Rational)."""
    expr = constant("linear iterate q_t (coordinatewise)", 5).expr
    syms = {s.name: s for s in expr.free_symbols}
    out = []
    for a, b in zip(anchor, start):
        v = expr.subs({syms["t"]: t, syms["pstar"]: _rational(a), syms["q_0"]: _rational(b),
                       syms["lambda"]: _rational(lam)})
        out.append(Fraction(int(v.p), int(v.q)))
    return out


def _rational(x) -> sp.Rational:
    x = Fraction(x)
    return sp.Rational(x.numerator, x.denominator)


def _kl_of_iterate(engine, p, q0, lam, t) -> float:
    q = [fmpq(x.numerator, x.denominator) for x in linear_iterate(p, q0, lam, t)]
    return _ball.to_float(engine.divergence("kl", q))


@dataclass
class Comparison:
    """A closed form set against the simulation: ``passed`` and how it was judged."""

    key: str
    result: int
    source: str
    passed: bool
    detail: str


def compare(sim: Simulation, preds: dict, level: float = LEVEL) -> list:
    out = []
    for s in preds.values():
        if s.kind == "asymptote":
            continue
        simulated = [getattr(g, s.compares) for g in sim.generations]
        if s.kind == "equal":
            worst = 0.0
            for a, b in zip(simulated, s.values):
                for x, y in zip(_flat(a), _flat(b)):
                    worst = max(worst, _relative(x, y))
            out.append(Comparison(s.key, s.result, s.source, worst <= FLOAT_AGREEMENT,
                                  f"largest relative difference {worst:.2g} over "
                                  f"{len(simulated)} generations"))
        elif s.kind == "bound":
            ratios = [a / b if b > 0 else (math.inf if a > 0 else 1.0)
                      for a, b in zip(simulated, s.values)]
            worst = max(ratios, default=0.0)
            later = max(ratios[1:], default=math.nan)
            out.append(Comparison(s.key, s.result, s.source, worst <= 1 + FLOAT_AGREEMENT,
                                  f"simulated/bound is {ratios[0]:.6g} at t = 0 and at most "
                                  f"{later:.6g} for t >= 1"))
        elif s.kind == "expected" and sim.chains >= MIN_CHAINS:
            out.append(_z_test(s, sim, level))
    return out


def _z_test(s: Series, sim: Simulation, level: float) -> Comparison:
    """Every generation's Monte Carlo mean within ``z_crit`` standard errors of the closed
    form, ``z_crit`` making the family-wise level ``level`` (Bonferroni over generations)."""
    rows = [(getattr(g, s.compares), getattr(g, s.compares.replace("_mean", "_se")), v)
            for g, v in zip(sim.generations, s.values)]
    # A standard error at rounding level means every chain had the same value (t = 0).
    spread = [se > 1e-9 * abs(m) for m, se, v in rows]
    tested = [row for row, s_ in zip(rows, spread) if s_]
    exact = [(m, v) for (m, se, v), s_ in zip(rows, spread) if not s_]
    z_crit = NormalDist().inv_cdf(1 - level / (2 * max(1, len(tested))))
    zs = [abs(m - v) / se for m, se, v in tested]
    worst = max(zs, default=0.0)
    ok = worst <= z_crit and all(_relative(m, v) <= FLOAT_AGREEMENT for m, v in exact)
    return Comparison(s.key, s.result, s.source, ok,
                      f"max |z| = {worst:.2f} over {len(tested)} generations "
                      f"({sim.chains} chains); critical {z_crit:.2f} for family-wise level "
                      f"{level:g} (Bonferroni)")


def stationary_chi2(sim: Simulation):
    """Result 10's stationary ``E χ²`` for a finite-sample run with constant ``λ``."""
    rec = sim.recursion
    if not (isinstance(rec.student, FiniteSample) and rec.schedule.kind == "constant"):
        return None
    if rec.schedule.lam == 0 and sim.start != sim.anchor:
        # Without anchoring the start is never forgotten: the limit is K − 1 + c_0, which the
        # time-dependent closed form carries; the stationary constant assumes c_0 = 0.
        return None
    return float(constant_value("stationary expected chi-square", 10, N=rec.student.N,
                                K=len(sim.anchor), **{"lambda": rec.schedule.lam}))


def _flat(v):
    return v if isinstance(v, list) else [v]


def _relative(a, b) -> float:
    if a == b:
        return 0.0
    if math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


