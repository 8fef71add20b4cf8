"""The recursion ``q_{t+1} = Π_Q(Φ_{λ_t}(q_t; p*))`` of THEORY.md, simulated.

The step ``Φ`` is a ``theory`` expression (``linear_anchor`` or ``geometric_anchor``, applied to
``soften(q, T)`` when softening sits inside the loop), compiled by :mod:`numerics._compile`: the
formula simulated is the formula the claims state. So are the divergences tracked per generation
(``χ²(q_t‖p*)``, ``KL(p*‖q_t)``, ``KL(q_t‖p*)``, ``TV``).

Two engines:

- deterministic students (realizable, exponential family): one trajectory in exact rationals
  where the arithmetic is rational (linear anchoring) and otherwise rounded to ``digits``
  significant digits after each step (ball arithmetic inside the step);
- the finite-sample student: float64 batches of chains, vectorised, processed in chunks of
  ``chunk`` chains whose per-generation statistics are merged as they stream (memory grows with
  ``chunk × K`` and the number of generations, never with ``chains × generations``, unless
  ``record=True`` asks for every chain's history).

Chunk ``c`` draws from the ``c``-th child of ``numpy.random.SeedSequence(seed)``, so a run is
reproducible from its seed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import ctx, fmpq

from theory import chi2, dist, geometric_anchor, kl, linear_anchor, scalar, soften, tv
from theory.errors import MetadistillError
from theory.symbols import K as K_SYMBOL

from . import _ball
from ._ball import BallBackend
from ._compile import compile_expr
from ._float import FloatBackend
from ._rounding import as_fraction, exact_fmpq
from .evaluate import digits_to_bits
from .points import validate_distribution
from .students import ExponentialFamily, InvalidSetting, Realizable, normalise_exact

Q, ANCHOR = dist("q"), dist("p_star", latex="p^{*}")
LAM, TEMPERATURE = scalar("lambda", 0, 1), scalar("T", 0, sp.oo)
OPERATORS = ("linear", "geometric")

#: The divergences tracked per generation (names used in statistics and JSON).
DIVERGENCES = {"chi2": chi2(Q, ANCHOR), "kl": kl(ANCHOR, Q), "reverse_kl": kl(Q, ANCHOR),
               "tv": tv(ANCHOR, Q)}


class NotConverged(MetadistillError, ValueError):
    """An iteration to a fixed point did not settle within its budget."""


def step_expression(operator: str, softened: bool):
    """``Φ_λ(q; p*)``, or ``Φ_λ(S_T(q); p*)`` with softening inside the loop."""
    if operator not in OPERATORS:
        raise InvalidSetting(f"operator={operator!r}: choose one of {', '.join(OPERATORS)}")
    inner = soften(Q, TEMPERATURE) if softened else Q
    anchor = linear_anchor if operator == "linear" else geometric_anchor
    return anchor(inner, ANCHOR, LAM)


# -- schedules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Schedule:
    """Anchoring weights ``λ_t``: ``constant``, ``harmonic`` (``λ_t = 1/(t+2)``) or ``given``."""

    kind: str
    lam: Fraction | None = None
    values: tuple = ()

    @classmethod
    def constant(cls, lam) -> "Schedule":
        return cls("constant", _weight("lambda", lam))

    @classmethod
    def harmonic(cls) -> "Schedule":
        return cls("harmonic")

    @classmethod
    def given(cls, values) -> "Schedule":
        vals = tuple(_weight(f"schedule[{i}]", v) for i, v in enumerate(values))
        if not vals:
            raise InvalidSetting("schedule=[]: give at least one weight")
        return cls("given", values=vals)

    def at(self, t: int) -> Fraction:
        if self.kind == "constant":
            return self.lam
        if self.kind == "harmonic":
            return Fraction(1, t + 2)
        if t >= len(self.values):
            raise InvalidSetting(f"schedule has {len(self.values)} weights; generation t={t} "
                                 "needs one more (give one weight per generation)")
        return self.values[t]

    def describe(self) -> str:
        if self.kind == "constant":
            return f"lambda = {self.lam}"
        if self.kind == "harmonic":
            return "lambda_t = 1/(t+2)"
        return f"lambda_t given ({len(self.values)} values)"


def parse_schedule(text: str, lam=None) -> Schedule:
    """``constant`` (needs ``lam``), ``harmonic`` or ``1/(t+2)``, or comma-separated weights."""
    t = text.strip().replace(" ", "")
    if t == "constant":
        return Schedule.constant(lam)
    if t in ("harmonic", "1/(t+2)"):
        return Schedule.harmonic()
    return Schedule.given([x for x in t.split(",") if x])


def exact_number(v) -> Fraction:
    """An exact value: strings and floats by their decimal text (``0.05`` is ``1/20``)."""
    if isinstance(v, (str, float, np.floating)):
        return Fraction(str(v).strip() if isinstance(v, str) else repr(float(v)))
    return Fraction(v)


def _weight(name, v) -> Fraction:
    try:
        f = exact_number(v)
    except (ValueError, TypeError, ZeroDivisionError):
        raise InvalidSetting(f"{name}={v!r}: not a number") from None
    if not 0 <= f <= 1:
        raise InvalidSetting(f"{name}={v!r}: an anchoring weight lies in [0, 1]")
    return f


# -- the recursion -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Recursion:
    """What is iterated: operator, student, schedule, optional softening temperature ``T``
    inside the loop, optional worst-case per-generation error ``delta`` (result 8: after each
    step the student moves away from ``p*`` until its anchor divergence grew by ``delta``)."""

    operator: str = "linear"
    student: object = field(default_factory=Realizable)
    schedule: Schedule = field(default_factory=lambda: Schedule.constant(Fraction(1, 5)))
    T: Fraction | None = None
    delta: Fraction | None = None

    def __post_init__(self):
        step_expression(self.operator, False)
        if self.T is not None:
            T = _positive("T", self.T)
            object.__setattr__(self, "T", T)
        if self.delta is not None:
            d = _positive("delta", self.delta)
            if not self.student.deterministic:
                raise InvalidSetting(f"delta={self.delta}: the worst-case error model applies "
                                     "to deterministic students (realizable, expfam)")
            object.__setattr__(self, "delta", d)

    @property
    def softened(self) -> bool:
        return self.T is not None and self.T != 1

    def describe(self) -> str:
        parts = [f"{self.operator} anchoring", self.schedule.describe(), self.student.describe()]
        if self.T is not None:
            parts.append(f"softening T = {self.T} inside the loop")
        if self.delta is not None:
            parts.append(f"worst-case error delta = {self.delta} per generation")
        return ", ".join(parts)


def _positive(name, v) -> Fraction:
    try:
        f = exact_number(v)
    except (ValueError, TypeError, ZeroDivisionError):
        raise InvalidSetting(f"{name}={v!r}: not a number") from None
    if f <= 0:
        raise InvalidSetting(f"{name}={v!r}: must be positive")
    return f


# -- results -----------------------------------------------------------------------------------

@dataclass
class GenerationStats:
    """Statistics of ``q_t`` over the chains (one chain for deterministic students).

    ``*_se`` are standard errors of the means (0 for one chain); ``kl_infinite`` is the
    fraction of chains with ``KL(p*‖q_t) = ∞`` (then ``kl_mean`` is ``inf``), and
    ``kl_finite_mean`` the mean over the others; ``support_lost`` the fraction of chains with a
    zero entry, ``at_vertex`` the fraction sitting on a vertex.
    """

    t: int
    chains: int
    chi2_mean: float
    chi2_se: float
    kl_mean: float
    kl_se: float
    kl_infinite: float
    kl_finite_mean: float
    reverse_kl_mean: float
    tv_mean: float
    support_lost: float
    at_vertex: float
    moments: list | None = None


@dataclass
class Simulation:
    recursion: Recursion
    anchor: list  # Fractions
    start: list  # Fractions
    generations: list  # GenerationStats, t = 0..G
    chains: int
    seed: int
    digits: int
    final: list | None = None  # the last state (exact Fractions; deterministic runs)
    history: list | None = None  # every state, when record=True
    exact: bool = True  # deterministic runs: no rounding was needed

    @property
    def K(self) -> int:
        return len(self.anchor)

    def series(self, name: str) -> np.ndarray:
        return np.array([getattr(g, name) for g in self.generations], dtype=float)


def validate_pair(anchor, start, K: int | None = None):
    """Exact ``(p*, q_0)``; ``p*`` must have every entry positive (χ² and result 10 divide by
    it, and anchoring keeps the student in the interior only then)."""
    a = validate_distribution("anchor", anchor, K)
    s = validate_distribution("start", start, len(a))
    for i, x in enumerate(a):
        if x <= 0:
            raise InvalidSetting(f"anchor[{i}]={anchor[i]!r}: the anchor p* needs every entry > 0")
    if len(a) < 2:
        raise InvalidSetting(f"K={len(a)}: need at least 2 outcomes")
    return normalise_exact(a), normalise_exact(s)


def simulate(recursion: Recursion, anchor, start, generations: int, *, chains: int = 1,
             seed: int = 0, digits: int = 50, record: bool = False, chunk: int = 16384,
             progress=None) -> Simulation:
    """Run ``generations`` steps from ``q_0 = start`` and return per-generation statistics.

    Deterministic students ignore ``chains`` and ``seed`` (one exact trajectory at ``digits``
    digits); the finite-sample student runs ``chains`` independent float64 chains.
    """
    if not isinstance(generations, int) or generations < 0:
        raise InvalidSetting(f"generations={generations!r}: must be a non-negative integer")
    if not isinstance(chains, int) or chains < 1:
        raise InvalidSetting(f"chains={chains!r}: must be a positive integer")
    if digits < 15:
        raise InvalidSetting(f"digits={digits!r}: use at least 15")
    a, s = validate_pair(anchor, start)
    student = recursion.student
    if isinstance(student, ExponentialFamily) and student.K != len(a):
        raise InvalidSetting(f"features have K={student.K} rows but the anchor has K={len(a)}")
    for t in range(generations):
        recursion.schedule.at(t)  # a short given schedule fails before any work
    progress = progress or (lambda n=1: None)
    if student.deterministic:
        return _Exact(recursion, a, digits).run(s, generations, record, progress)
    return _run_chains(recursion, a, s, generations, chains, seed, record, chunk, progress)


# -- deterministic engine ----------------------------------------------------------------------

class _Exact:
    """Exact/ball arithmetic on one trajectory."""

    #: Exact fractions longer than this many times the working precision are rounded.
    GROWTH = 16

    def __init__(self, recursion: Recursion, anchor: list, digits: int):
        self.rec, self.digits = recursion, digits
        self.bits = digits_to_bits(digits)
        self.backend = BallBackend(self.bits)
        self.step_f = compile_expr(step_expression(recursion.operator, recursion.softened), self.backend)
        self.div_f = {k: compile_expr(e, self.backend) for k, e in DIVERGENCES.items()}
        self.anchor = [_fmpq(x) for x in anchor]
        self.exact = True

    def _eval(self, f, env):
        self.backend.reset()
        with ctx.workprec(self.bits):
            return f(env)

    def env(self, q, lam=None):
        env = {Q: q, ANCHOR: self.anchor, K_SYMBOL: fmpq(len(q))}
        if lam is not None:
            env[LAM] = _fmpq(lam)
        if self.rec.softened:
            env[TEMPERATURE] = _fmpq(self.rec.T)
        return env

    def divergence(self, name: str, q):
        """The ball (or exact value, or INF) of a tracked divergence at ``q``."""
        return self._eval(self.div_f[name], self.env(q))

    def step(self, q, lam, theta=None):
        """``(q_{t+1}, θ)``: anchoring (and softening), projection, optional drift."""
        m = self._settle(self._eval(self.step_f, self.env(q, lam)))
        student = self.rec.student
        if isinstance(student, ExponentialFamily):
            m, theta = student.project_with_parameters(m, self.digits, theta)
            self.exact = False
        if self.rec.delta is not None:
            m = self.drift(m, self.rec.delta)
        return m, theta

    def _settle(self, values) -> list:
        """Exact entries stay exact (unless too long); balls become their midpoints; the
        result is renormalised exactly when anything was rounded."""
        out, rounded = [], False
        for v in values:
            if _ball.exact(v) and int(v.p).bit_length() + int(v.q).bit_length() <= self.GROWTH * self.bits:
                out.append(v)
                continue
            with ctx.workprec(self.bits):
                out.append(exact_fmpq(_ball._ball(v).mid()))
            rounded = True
        if rounded:
            self.exact = False
            out = normalise_exact(out)
        return out

    def drift(self, q, delta):
        """The point on the ray from ``p*`` through ``q`` (beyond ``q``) whose ``KL(p*‖·)``
        exceeds that of ``q`` by ``delta`` (to the working precision): the worst case of
        result 8's premise. The ray parameter is bracketed by bisection, then found by the
        Illinois variant of regula falsi, in exact rationals rounded to the precision."""
        p = self.anchor
        base = self.divergence("kl", q)
        if _ball.is_inf(base):
            return q
        d = [x - y for x, y in zip(q, p)]
        lo = fmpq(1)
        if all(x == 0 for x in d):  # at p* itself: head for the vertex of the smallest entry
            j = min(range(len(p)), key=lambda i: p[i])
            d, lo = [fmpq(int(i == j)) - y for i, y in enumerate(p)], fmpq(0)
        with ctx.workprec(self.bits):
            target = (_ball._ball(base) + _ball._ball(_fmpq(delta))).mid()

        def excess(s):  # KL(p*‖p* + s d) − target, or None where it is infinite
            v = self.divergence("kl", [pi + s * di for pi, di in zip(p, d)])
            if _ball.is_inf(v):
                return None
            with ctx.workprec(self.bits):
                return _fmpq(as_fraction((_ball._ball(v) - target).mid()))

        hi = min(pi / -di for pi, di in zip(p, d) if di < 0)  # KL(p*‖·) = ∞ there
        f_lo, f_hi = excess(lo), None
        while f_hi is None or f_hi <= 0:
            mid = (lo + hi) / 2
            f_mid = excess(mid)
            if f_mid is None or f_mid > 0:
                hi, f_hi = mid, f_mid
            else:
                lo, f_lo = mid, f_mid
        tol = fmpq(1, 2 ** self.bits) * (1 + abs(_fmpq(as_fraction(target))))
        side = 0
        for _ in range(4 * self.bits):
            s = self._round((lo * f_hi - hi * f_lo) / (f_hi - f_lo))
            if not lo < s < hi:
                s = (lo + hi) / 2
            f_s = excess(s)
            if abs(f_s) <= tol:
                lo = s
                break
            if f_s > 0:
                hi, f_hi = s, f_s
                if side > 0:
                    f_lo /= 2
                side = 1
            else:
                lo, f_lo = s, f_s
                if side < 0:
                    f_hi /= 2
                side = -1
        self.exact = False
        return self._settle([pi + lo * di for pi, di in zip(p, d)])

    def _round(self, x: fmpq) -> fmpq:
        with ctx.workprec(self.bits):
            return _fmpq(as_fraction(_ball._ball(x).mid()))

    def stats(self, t, q) -> GenerationStats:
        vals = {k: _ball.to_float(self.divergence(k, q)) for k in DIVERGENCES}
        zero = any(x == 0 for x in q)
        vertex = sum(1 for x in q if x != 0) == 1
        moments = None
        if isinstance(self.rec.student, ExponentialFamily):
            moments = [float(m) for m in self.rec.student.moments(q)]
        inf = math.isinf(vals["kl"])
        return GenerationStats(t, 1, vals["chi2"], 0.0, vals["kl"], 0.0, float(inf),
                               math.nan if inf else vals["kl"], vals["reverse_kl"], vals["tv"],
                               float(zero), float(vertex), moments)

    def run(self, start, generations, record, progress) -> Simulation:
        q = [_fmpq(x) for x in start]
        stats, history, theta = [], [q] if record else None, None
        for t in range(generations + 1):
            stats.append(self.stats(t, q))
            if t == generations:
                break
            q, theta = self.step(q, self.rec.schedule.at(t), theta)
            if record:
                history.append(q)
            progress(1)
        frac = [as_fraction(x) for x in q]
        return Simulation(self.rec, [as_fraction(x) for x in self.anchor],
                          [as_fraction(_fmpq(x)) for x in start], stats, 1, 0, self.digits,
                          frac, [[as_fraction(x) for x in s] for s in history] if record else None,
                          self.exact)


def _fmpq(x) -> fmpq:
    if isinstance(x, fmpq):
        return x
    f = Fraction(x)
    return fmpq(f.numerator, f.denominator)


def fixed_point(recursion: Recursion, anchor, start, *, digits: int = 40,
                max_generations: int = 5000):
    """Iterate a deterministic recursion until successive iterates agree to ``digits``
    digits (sup norm); returns ``(q_∞, generations)``. Raises :class:`NotConverged`."""
    if not recursion.student.deterministic:
        raise InvalidSetting("fixed_point needs a deterministic student")
    a, s = validate_pair(anchor, start)
    engine = _Exact(recursion, a, digits + 10)
    q = [_fmpq(x) for x in s]
    tol = fmpq(1, 10 ** digits)
    theta = None
    for t in range(max_generations):
        nxt, theta = engine.step(q, recursion.schedule.at(t), theta)
        if max(abs(x - y) for x, y in zip(nxt, q)) <= tol:
            return [as_fraction(x) for x in nxt], t + 1
        q = nxt
    raise NotConverged(f"no fixed point within max_generations={max_generations} "
                       f"(last change {float(max(abs(x - y) for x, y in zip(nxt, q))):.3g})")


# -- finite-sample engine ----------------------------------------------------------------------

class _Moments:
    """Streaming mean and variance (Chan et al.'s pairwise merge), per generation."""

    __slots__ = ("n", "mean", "m2")

    def __init__(self):
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def add(self, x: np.ndarray):
        n = x.size
        if n == 0:
            return
        if x.min() == x.max():  # identical chains (t = 0): no rounding noise in the spread
            mean, m2 = float(x[0]), 0.0
        else:
            mean = float(x.mean())
            m2 = float(((x - mean) ** 2).sum())
        total = self.n + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.m2 += m2 + delta * delta * self.n * n / total
        self.n = total

    def se(self) -> float:
        if self.n < 2:
            return 0.0
        return math.sqrt(self.m2 / (self.n - 1) / self.n)


class _GenerationAccumulator:
    def __init__(self):
        self.chi2, self.kl, self.rkl, self.tv = _Moments(), _Moments(), _Moments(), _Moments()
        self.n = self.kl_inf = self.lost = self.vertex = 0

    def add(self, values: dict, q: np.ndarray):
        kl_v = values["kl"]
        finite = np.isfinite(kl_v)
        self.n += q.shape[0]
        self.kl_inf += int((~finite).sum())
        self.chi2.add(values["chi2"])
        self.kl.add(kl_v[finite])
        self.rkl.add(values["reverse_kl"])
        self.tv.add(values["tv"])
        support = (q > 0).sum(axis=1)
        self.lost += int((support < q.shape[1]).sum())
        self.vertex += int((support == 1).sum())

    def stats(self, t) -> GenerationStats:
        inf = self.kl_inf / self.n
        kl_mean = math.inf if self.kl_inf else self.kl.mean
        return GenerationStats(t, self.n, self.chi2.mean, self.chi2.se(), kl_mean,
                               math.nan if self.kl_inf else self.kl.se(), inf,
                               self.kl.mean if self.kl.n else math.nan, self.rkl.mean,
                               self.tv.mean, self.lost / self.n, self.vertex / self.n)


def _run_chains(rec: Recursion, anchor, start, generations, chains, seed, record, chunk,
                progress) -> Simulation:
    backend = FloatBackend()
    step_f = compile_expr(step_expression(rec.operator, rec.softened), backend)
    div_f = {k: compile_expr(e, backend) for k, e in DIVERGENCES.items()}
    K = len(anchor)
    a = np.array([float(x) for x in anchor]).reshape(1, K)
    q0 = np.array([float(x) for x in start]).reshape(1, K)
    acc = [_GenerationAccumulator() for _ in range(generations + 1)]
    history = [[] for _ in range(generations + 1)] if record else None
    sizes = [min(chunk, chains - i) for i in range(0, chains, chunk)]
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    lams = [float(rec.schedule.at(t)) for t in range(generations)]
    for n, child in zip(sizes, children):
        rng = np.random.default_rng(child)
        q = np.repeat(q0, n, axis=0)
        for t in range(generations + 1):
            env = {Q: q, ANCHOR: a, K_SYMBOL: float(K)}
            with np.errstate(all="ignore"):
                values = {k: np.asarray(f(env), dtype=float).reshape(-1) for k, f in div_f.items()}
            acc[t].add(values, q)
            if record:
                history[t].append(q.copy())
            if t == generations:
                break
            env[LAM] = np.array([[lams[t]]])
            if rec.softened:
                env[TEMPERATURE] = np.array([[float(rec.T)]])
            with np.errstate(all="ignore"):
                m = np.asarray(step_f(env), dtype=float)
            q = rec.student.draw(rng, m)
            progress(1)
    stats = [acc[t].stats(t) for t in range(generations + 1)]
    hist = [np.concatenate(h) for h in history] if record else None
    return Simulation(rec, [as_fraction(x) for x in anchor], [as_fraction(x) for x in start], stats,
                      chains, seed, 0, None, hist, False)
