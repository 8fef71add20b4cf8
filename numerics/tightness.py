"""How tight is a claim's constant? Adversarial estimates of ``sup lhs/rhs`` with certified
lower bounds.

For a claim ``small ≤ big`` (or ``big ≥ small``) the *ratio* is ``small / big`` over the points
of the domain where ``big > 0``. The claim holds iff the ratio never exceeds 1; its constant is
*tight* iff the supremum is 1. The estimate

1. draws adversarial points in float64 (:mod:`numerics.samplers`) and climbs the float ratio
   by local moves (the counterexample search's moves, :func:`numerics.search._perturb`);
2. decides the best points exactly (fractions, ball arithmetic) and climbs again on exact
   points with scale-free moves: shrinking an entry by powers of ten (towards the boundary),
   moving one distribution towards another (towards a tie), transfers of mass, scalar moves;
   A move that helped is tried again first (a run of shrinks or of halvings of a distance);
3. re-evaluates every reported point at twice the working precision and reports the lower end
   of the ratio's ball, rounded down. Each reported number is therefore a *certified lower
   bound of the ratio at an exact witness*, and so never exceeds the true supremum. Among
   points within the tolerance of 1, the reported witness is the one with the smallest ``K``
   and the shortest fractions.

"Tight" is a numerical finding, not a proof: some exact point has a ratio within ``tolerance``
of 1 (certified), and the claim itself is only as true as ``metadistill check`` says.

For a claim with scalars (``λ``, ``t``) the supremum over the whole domain can be reached at an
edge of a scalar's range (``λ → 0`` makes every contraction ratio tend to 1), which says
nothing about the constant at a given ``λ``. So the search also runs on *slices*: every scalar
fixed at 1/10, 1/2 and 9/10 of its range. The constant is called tight when every slice reaches
the tolerance. On each slice two more things are measured, at the smallest dimension: the best
ratio when every entry of every distribution stays at least ``floor`` (is the supremum only
approached at the boundary of the simplex?), and, when both sides vanish where the second
distribution equals the first, the limit of the ratio at that tie from random interior points.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import arb, ctx, fmpq

from theory import Claim
from theory.symbols import ScalarSymbol

from . import _ball
from ._rounding import as_fraction, decimal_down
from .evaluate import CompiledClaim, digits_to_bits
from .points import decimal_simplex, exact_simplex
from .samplers import draw
from .search import _perturb

#: Verdicts, in the order a report explains them.
VERDICTS = ("tight", "tight at an edge", "unsettled", "loose", "violated", "identity",
            "undetermined")


@dataclass(frozen=True)
class TightnessSettings:
    """How hard to look. ``samples`` float draws per dimension and search; precision in digits.

    ``tolerance``: a ratio certified above ``1 − tolerance`` counts as reaching 1.
    ``floor``: the smallest entry allowed in the interior comparison.
    ``slices``: where each scalar is fixed, as fractions of its range.
    """

    dims: tuple = (2, 3, 5, 10)
    samples: int = 2000
    seed: int = 0
    precision: int = 50
    tolerance: float = 1e-6
    floor: Fraction = Fraction(1, 100)
    slices: tuple = (Fraction(1, 10), Fraction(1, 2), Fraction(9, 10))
    climb_steps: int = 20
    population: int = 16
    starts: int = 3
    exact_candidates: int = 10
    refine_steps: int = 60
    moves: int = 8
    tie_points: int = 3
    reported_digits: int = 25


@dataclass
class RatioPoint:
    """An exact point and the certified enclosure ``[lower, upper]`` of its ratio."""

    K: int
    env: dict
    lower: Fraction | float
    upper: Fraction | float
    lhs: str
    rhs: str
    digits: int
    attained: bool = False  # the two sides are exactly equal here
    rising: bool = False  # the exact climb was still improving when its budget ran out

    def witness(self) -> dict:
        """Distribution names → fraction strings summing to exactly 1, scalars → fraction
        strings, ``"K"`` → the dimension (the format of ``metadistill check``)."""
        out = {}
        for sym, v in self.env.items():
            out[sym.name] = [str(x) for x in v] if isinstance(v, list) else str(v)
        out["K"] = self.K
        return out

    def lower_text(self, digits: int) -> str:
        return decimal_down(self.lower, digits)


@dataclass
class TieLimit:
    """The ratio as ``moving → fixed`` from interior points: one value per base point."""

    moving: str
    fixed: str
    values: list  # floats, each the ratio at distance 1e-24 of the tie
    spread: float  # largest change between distances 1e-12 and 1e-24 (convergence)


@dataclass
class SliceResult:
    scalars: dict  # name -> Fraction
    boundary: RatioPoint | None = None
    interior: RatioPoint | None = None
    tie: TieLimit | None = None
    infeasible: bool = False


@dataclass
class TightnessReport:
    claim: Claim
    settings: TightnessSettings
    verdict: str = "undetermined"
    best: RatioPoint | None = None
    free: RatioPoint | None = None
    slices: list = field(default_factory=list)
    draws: int = 0
    exact_evaluations: int = 0
    note: str = ""

    @property
    def sup_ratio(self) -> str | None:
        """The certified lower bound of ``sup lhs/rhs`` as a decimal string rounded down."""
        if self.best is None:
            return None
        return self.best.lower_text(self.settings.reported_digits)

    @property
    def ratio_name(self) -> str:
        """``"lhs/rhs"`` for a claim ``lhs ≤ rhs``, ``"rhs/lhs"`` for ``lhs ≥ rhs``."""
        return "rhs/lhs" if self.claim.op in (">=", ">") else "lhs/rhs"

    @property
    def ok(self) -> bool:
        """Whether the finding agrees with the claim's expectation (a claim expected to hold
        must not be violated; one expected to fail must be)."""
        if self.claim.expect == "fails":
            return self.verdict == "violated"
        return self.verdict != "violated"


# -- the ratio ----------------------------------------------------------------------------------

def _oriented(claim: Claim) -> bool:
    """True when the claim reads ``lhs ≤ rhs`` (ratio lhs/rhs), False for ``lhs ≥ rhs``."""
    return claim.op in ("<=", "<")


class _Ratio:
    """The claim's ratio ``small/big`` in float64 batches and at exact points."""

    def __init__(self, claim: Claim, precision: int):
        self.claim, self.cc = claim, CompiledClaim(claim)
        self.dists, self.scalars = self.cc.dists, self.cc.scalars
        self.lower_first = _oriented(claim)
        self.precision = precision
        self.evaluations = 0

    #: A ratio ball wider than this (relative) is recomputed at twice the precision.
    WIDTH = Fraction(1, 10 ** 12)

    def floats(self, values, K):
        lhs, rhs, ok = self.cc.float_sides(values, K)
        small, big = (lhs, rhs) if self.lower_first else (rhs, lhs)
        with np.errstate(all="ignore"):
            r = small / big
        valid = ok & (big > 0) & np.isfinite(big) & ~np.isnan(small)
        r = np.where(valid & np.isinf(small), np.inf, r)
        r = np.where(valid & ~np.isnan(r), r, -np.inf)
        return r

    def exact(self, env, K, digits=None) -> RatioPoint | None:
        """The certified ratio at an exact point, or None where it is not defined (outside
        the assumptions, a side undefined, ``big ≤ 0``, both sides infinite)."""
        digits = digits or self.precision
        self.evaluations += 1
        check = self.cc.check(env, K, digits)
        if check.status not in ("holds", "violation", "agrees"):
            return None
        small, big = (check.lhs, check.rhs) if self.lower_first else (check.rhs, check.lhs)
        try:
            if _ball.is_inf(big) or _ball.sign(big) <= 0:
                return None
        except _ball.Undecided:
            return None
        lhs, rhs = check.decimal("lhs", digits), check.decimal("rhs", digits)
        env = {s: env[s] for s in self.dists + self.scalars}
        if _ball.is_inf(small):
            if small.sign < 0:
                return None
            return RatioPoint(K, env, math.inf, math.inf, lhs, rhs, check.digits)
        attained = small is big or (_ball.exact(small) and _ball.exact(big) and small == big)
        if attained:
            return RatioPoint(K, env, Fraction(1), Fraction(1), lhs, rhs, check.digits, True)
        if _ball.exact(small) and _ball.exact(big):
            r = Fraction(int(small.p), int(small.q)) / Fraction(int(big.p), int(big.q))
            return RatioPoint(K, env, r, r, lhs, rhs, check.digits)
        with ctx.workprec(digits_to_bits(check.digits) + 16):
            q = arb(small) / arb(big)
            lo, hi = as_fraction(q.lower()), as_fraction(q.upper())
        if hi - lo > self.WIDTH * max(abs(lo), abs(hi)) and digits < 8 * self.precision:
            # Cancellation left a wide ball (both sides tiny): the lower bound would be weak.
            return self.exact(env, K, 2 * digits)
        return RatioPoint(K, env, lo, hi, lhs, rhs, check.digits)


# -- the search --------------------------------------------------------------------------------

def _slice_values(claim: Claim, fractions) -> list:
    """``[{scalar: fmpq}]``: each scalar at the same fraction of its range, per slice."""
    out = []
    for f in fractions:
        point = {}
        for s in claim.scalars:
            point[s] = _scalar_at(s, Fraction(f))
        out.append(point)
    return out


def _scalar_at(s: ScalarSymbol, f: Fraction) -> fmpq:
    lo, hi = s.low, s.high
    if lo.is_finite and hi.is_finite:
        v = lo + (hi - lo) * sp.Rational(f)
    elif lo.is_finite:
        v = lo + sp.Rational(f) / (1 - sp.Rational(f))
    elif hi.is_finite:
        v = hi - sp.Rational(f) / (1 - sp.Rational(f))
    else:
        v = sp.log(sp.Rational(f) / (1 - sp.Rational(f)))
    if not v.is_Rational:
        v = sp.Rational(Fraction(float(v)).limit_denominator(10 ** 6))
    return fmpq(int(v.p), int(v.q))


class _Optimiser:
    def __init__(self, ratio: _Ratio, settings: TightnessSettings, rng, report: TightnessReport):
        self.r, self.s, self.rng, self.report = ratio, settings, rng, report
        #: Closer to 1 than this, further climbing cannot change any reported digit that
        #: matters: stop.
        self.close_enough = Fraction(1, 10 ** (settings.precision // 2))

    # float stage
    def _draw(self, K, n, fixed, floor):
        values, _ = draw(self.rng, self.r.dists, self.r.scalars, K, n)
        if floor is not None:
            f = float(floor)
            for d in self.r.dists:
                values[d] = f + (1 - K * f) * values[d]
        for s, v in fixed.items():
            values[s] = np.full(n, float(v))
        return values

    def _score(self, values, K, floor):
        sc = self.r.floats(values, K)
        if floor is not None:
            low = np.zeros(sc.shape, dtype=bool)
            for d in self.r.dists:
                low |= values[d].min(axis=1) < float(floor) * (1 - 1e-9)
            sc = np.where(low, -np.inf, sc)
        return sc

    def _float_stage(self, K, fixed, floor):
        n = self.s.samples
        values = self._draw(K, n, fixed, floor)
        self.report.draws += n
        scores = self._score(values, K, floor)
        finite = np.flatnonzero(scores > -np.inf)
        if finite.size == 0:
            return None, None
        order = finite[np.argsort(-scores[finite], kind="stable")]
        keep = order[: 3 * self.s.starts + self.s.exact_candidates]
        pool = {sym: values[sym][keep] for sym in values}
        pool_scores = scores[keep]
        # climb the float ratio from the best rows
        m = min(self.s.starts, keep.size)
        cur = {sym: pool[sym][:m].copy() for sym in pool}
        cur_score = pool_scores[:m].copy()
        free = [s for s in self.r.scalars if s not in fixed]
        P = self.s.population
        for _ in range(self.s.climb_steps):
            trial = {sym: np.repeat(cur[sym], P, axis=0) for sym in cur}
            _perturb(self.rng, trial, self.r.dists, free, K)
            sc = self._score(trial, K, floor)
            sc = np.where(np.isnan(sc), -np.inf, sc).reshape(m, P)
            best = sc.argmax(axis=1)
            for j in np.flatnonzero(sc[np.arange(m), best] > cur_score):
                for sym in cur:
                    cur[sym][j] = trial[sym][j * P + best[j]]
                cur_score[j] = sc[j, best[j]]
        pool = {sym: np.concatenate([cur[sym], pool[sym]]) for sym in pool}
        pool_scores = np.concatenate([cur_score, pool_scores])
        return pool, pool_scores

    def _exact_env(self, row, K, fixed, floor):
        env = {}
        for d in self.r.dists:
            x = exact_simplex(row[d])
            if floor is not None and min(x) < _q(floor):
                return None
            env[d] = x
        for s in self.r.scalars:
            if s in fixed:
                env[s] = fixed[s]
            else:
                v = _ball.from_rational(float(row[s]))
                if not s.contains(Fraction(int(v.p), int(v.q))):
                    return None
                env[s] = v
        return env

    def run(self, fixed: dict, floor=None, dims=None) -> RatioPoint | None:
        """The best exact point found with the scalars in ``fixed`` held (others free) and,
        with ``floor``, every entry at least ``floor``."""
        starts = []
        for K in dims or self.s.dims:
            if floor is not None and K * floor >= 1:
                continue
            pool, scores = self._float_stage(K, fixed, floor)
            if pool is None:
                continue
            order = np.argsort(-scores, kind="stable")[: self.s.exact_candidates]
            for i in order:
                env = self._exact_env({sym: pool[sym][i] for sym in pool}, K, fixed, floor)
                if env is None:
                    continue
                point = self.r.exact(env, K)
                if point is not None:
                    starts.append(point)
        if not starts:
            return None
        starts.sort(key=lambda p: p.lower, reverse=True)
        # Climb from the best point overall and from the best of each dimension, smallest K
        # first (a small witness is easier to read and to reuse).
        by_k = {}
        for point in starts:
            by_k.setdefault(point.K, point)
        chosen = _distinct([starts[0]] + [by_k[k] for k in sorted(by_k)])[: self.s.starts + 1]
        refined = []
        for point in chosen:
            refined.append(self._refine(point, fixed, floor))
            if refined[-1].lower == math.inf:
                break
        return self._simplify(choose(refined, self.s.tolerance), fixed, floor)

    # exact stage
    def _refine(self, point: RatioPoint, fixed, floor) -> RatioPoint:
        """Climb the certified lower bound of the ratio by exact moves; a move that helped is
        tried again first. The result is marked ``rising`` when the step or size budget ran
        out while the climb was still closing the gap to 1 (over the last third of the steps
        the gap ``1 − ratio`` shrank by at least 5%): a climb creeping towards a value below 1
        is not rising."""
        stale, last, gaps = 0, None, []
        for _ in range(self.s.refine_steps):
            if point.lower == math.inf or 1 - point.lower < self.close_enough:
                return point
            if stale >= 16:
                return point
            if _bits(point.env) > 60000:
                break
            best = best_spec = None
            specs = ([last] if last else []) + [self._spec(point.K, fixed)
                                               for _ in range(self.s.moves)]
            for spec in specs:
                env = self._apply(spec, point.env, floor)
                if env is None:
                    continue
                cand = self.r.exact(env, point.K)
                if cand is not None and (best is None or cand.lower > best.lower):
                    best, best_spec = cand, spec
            if best is not None and best.lower > point.lower:
                point, stale, last = best, 0, best_spec
            else:
                stale, last = stale + 1, None
            gaps.append(1 - point.lower if point.lower != math.inf else Fraction(0))
        third = gaps[-max(1, len(gaps) // 3):]
        point.rising = (stale < 16 and point.lower < 1 and len(gaps) >= 3
                        and third[-1] <= Fraction(95, 100) * third[0])
        return point

    def _spec(self, K, fixed):
        """A random local move, as data so that it can be applied again."""
        rng, dists = self.rng, self.r.dists
        free = [s for s in self.r.scalars if s not in fixed]
        kinds = ((["shrink", "shrink", "transfer"] if dists else [])
                 + (["tie", "tie", "away"] if len(dists) > 1 else []) + (["scalar"] if free else []))
        if not kinds:
            return None
        kind = kinds[rng.integers(0, len(kinds))]
        if kind == "scalar":
            s = free[rng.integers(0, len(free))]
            return ("scalar", s, int(rng.integers(0, 3)), int(rng.choice([2, 10, 1000])),
                    int(rng.choice([-1, 1])), int(rng.integers(1, 6)))
        if kind in ("tie", "away"):
            i, j = rng.choice(len(dists), 2, replace=False)
            h = fmpq(1, int(rng.choice([2, 10, 1000]))) if kind == "tie" else fmpq(2)
            return ("tie", dists[i], dists[j], h)
        d, i = dists[rng.integers(0, len(dists))], int(rng.integers(0, K))
        if kind == "shrink":  # towards the boundary (the floor, in the interior search)
            return ("shrink", d, i, fmpq(1, 10 ** int(rng.choice([1, 4, 16, 64]))), rng.random() < 0.3)
        return ("transfer", d, i, int(rng.integers(0, K)), fmpq(1, 10 ** int(rng.integers(0, 7))))

    def _apply(self, spec, env, floor):
        if spec is None:
            return None
        new, kind = dict(env), spec[0]
        if kind == "scalar":
            _, s, direction, h, sign, k = spec
            new[s] = _scalar_move(s, env[s], direction, h, sign, k)
            if new[s] is None:
                return None
        elif kind == "tie":
            _, a, b, h = spec
            moved = [x + h * (y - x) for x, y in zip(env[a], env[b])]
            if min(moved) < 0:
                return None
            new[a] = moved
        else:
            d, i = spec[1], spec[2]
            x = list(env[d])
            big = max(range(len(x)), key=lambda k: x[k])
            if kind == "shrink":
                lo = _q(floor) if floor is not None else fmpq(0)
                if i == big or x[i] <= lo:
                    return None
                h = fmpq(0) if floor is not None and spec[4] else spec[3]
                moved = (x[i] - lo) * (1 - h)
            else:
                j = spec[3]
                if i == j or x[i] == 0:
                    return None
                moved, big = x[i] * spec[4], j
            x[i] -= moved
            x[big] += moved
            new[d] = x
        if floor is not None and any(min(new[d]) < _q(floor) for d in self.r.dists):
            return None
        return new

    def _simplify(self, point: RatioPoint | None, fixed, floor) -> RatioPoint | None:
        """Shorter fractions that keep the ratio (losing at most 1% of its distance to 1)."""
        if point is None or point.lower == math.inf or point.attained:
            return point
        loss = (1 - point.lower) / 100 if point.lower < 1 else Fraction(0)
        current = point
        for d in self.r.dists:
            x = np.array([float(v) for v in current.env[d]])
            for n in range(1, 31):
                short = decimal_simplex(x, n)
                if short is None or _length(short) >= _length(current.env[d]):
                    continue
                if floor is not None and min(short) < _q(floor):
                    continue
                env = dict(current.env)
                env[d] = short
                cand = self.r.exact(env, current.K)
                if cand is not None and cand.lower >= current.lower - loss:
                    cand.rising = point.rising
                    current = cand
                    break
        return current


def choose(points, tolerance):
    """The point to report: the largest ratio if some exceeds 1 (a violation); otherwise,
    among the points within ``tolerance`` of 1, the smallest ``K`` with the shortest
    fractions; otherwise the largest ratio."""
    points = [p for p in points if p is not None]
    if not points:
        return None
    top = max(points, key=lambda p: p.lower)
    if top.lower > 1 or top.attained:
        return top
    target = 1 - Fraction(tolerance)
    reached = [p for p in points if p.lower >= target]
    if reached:
        return min(reached, key=lambda p: (p.K, _bits(p.env)))
    return top


def _scalar_move(s: ScalarSymbol, v: fmpq, direction: int, h: int, sign: int, k: int):
    """Towards the low end (0), the high end (1) by the fraction ``1/h`` of the distance, or a
    relative step ``sign·10^-k`` (2)."""
    lo, hi = s.low, s.high
    end = lo if direction == 0 else hi
    if direction < 2:
        if not (end.is_finite and end.is_Rational):
            return None
        return v + fmpq(1, h) * (_ball.from_rational(end) - v)
    out = v + fmpq(sign, 10 ** k) * (abs(v) if v != 0 else 1)
    return out if s.contains(Fraction(int(out.p), int(out.q))) else None


def _q(x) -> fmpq:
    x = Fraction(x)
    return fmpq(x.numerator, x.denominator)


def _bits(env) -> int:
    total = 0
    for v in env.values():
        for x in (v if isinstance(v, list) else [v]):
            total += int(x.p).bit_length() + int(x.q).bit_length()
    return total


def _length(v) -> int:
    return sum(len(str(x)) for x in v)


def _distinct(points):
    seen, out = set(), []
    for p in points:
        key = (p.K, tuple((s.name, tuple(v) if isinstance(v, list) else v) for s, v in p.env.items()))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# -- ties --------------------------------------------------------------------------------------

def _tie_limit(ratio: _Ratio, fixed, K, settings, rng) -> TieLimit | None:
    """The ratio as the second distribution approaches the first from random interior points,
    when both sides vanish at the tie itself."""
    if len(ratio.dists) != 2:
        return None
    fixed_d, moving = ratio.dists
    digits = 2 * settings.precision
    values, spreads = [], []
    for _ in range(settings.tie_points):
        base = {}
        for d in ratio.dists:
            x = rng.dirichlet(np.ones(K)) * (1 - K * float(settings.floor) * 5) + float(settings.floor) * 5
            base[d] = decimal_simplex(x, 2)
            if base[d] is None:
                return None
        env = dict(base)
        env.update(fixed)
        env[moving] = list(env[fixed_d])
        check = ratio.cc.check(env, K, settings.precision)
        sides = (check.lhs, check.rhs)
        if check.status not in ("holds", "agrees") or not all(
                _ball.exact(v) and v == 0 for v in sides):
            return None
        ratios = []
        for eta in (fmpq(1, 10 ** 12), fmpq(1, 10 ** 24)):
            env[moving] = [a + eta * (b - a) for a, b in zip(base[fixed_d], base[moving])]
            point = ratio.exact(env, K, digits)
            if (point is None or point.upper == math.inf
                    or point.upper - point.lower > _Ratio.WIDTH * max(1, abs(point.upper))):
                return None
            ratios.append((point.lower + point.upper) / 2)
        values.append(float(ratios[1]))
        spreads.append(abs(float(ratios[1] - ratios[0])))
    return TieLimit(moving.name, fixed_d.name, values, max(spreads))


# -- driver ------------------------------------------------------------------------------------

def tightness(claim: Claim, settings: TightnessSettings = TightnessSettings(),
              progress=None) -> TightnessReport:
    """Estimate ``sup lhs/rhs`` of ``claim`` (see the module docstring)."""
    progress = progress or (lambda: None)
    report = TightnessReport(claim, settings)
    if claim.op == "==":
        report.verdict = "identity"
        progress()
        return report
    ratio = _Ratio(claim, settings.precision)
    rng = np.random.default_rng([settings.seed, zlib.crc32(claim.name.encode())])
    opt = _Optimiser(ratio, settings, rng, report)
    report.free = opt.run({})
    progress()
    candidates = [p for p in [report.free] if p is not None]
    slice_points = _slice_values(claim, settings.slices) if claim.scalars else [{}]
    for fixed in slice_points:
        sl = SliceResult({s.name: Fraction(int(v.p), int(v.q)) for s, v in fixed.items()})
        sl.boundary = opt.run(fixed) if fixed else report.free
        if sl.boundary is None:  # no point of the slice with a defined ratio was found
            sl.infeasible = True
            report.slices.append(sl)
            progress()
            continue
        sl.boundary = _certify(ratio, sl.boundary, settings)
        K0 = settings.dims[0]
        if ratio.dists:
            sl.interior = opt.run(fixed, floor=settings.floor, dims=(K0,))
            if sl.interior is not None:
                sl.interior = _certify(ratio, sl.interior, settings)
        sl.tie = _tie_limit(ratio, fixed, K0, settings, rng)
        if sl.boundary is not None:
            candidates.append(sl.boundary)
        report.slices.append(sl)
        progress()
    report.exact_evaluations = ratio.evaluations
    if not candidates:
        report.verdict = "undetermined"
        report.note = "no point of the domain has a positive, finite bound side"
        return report
    report.best = _certify(ratio, choose(candidates, settings.tolerance), settings)
    report.verdict = _verdict(report)
    if report.verdict == "tight" and claim.scalars:
        # Prefer a witness at a fixed interior scalar value: the free search may have reached 1
        # only at an edge of a scalar's range.
        in_slices = [sl.boundary for sl in report.slices if sl.boundary is not None]
        report.best = _certify(ratio, choose(in_slices, settings.tolerance), settings)
    report.exact_evaluations = ratio.evaluations
    return report


def _certify(ratio: _Ratio, point: RatioPoint, settings) -> RatioPoint:
    """Re-evaluate at twice the working precision; keep the smaller of the two lower bounds."""
    again = ratio.exact(point.env, point.K, 2 * settings.precision)
    if again is None:
        return point
    again.rising = point.rising
    if again.lower > point.lower and point.lower != math.inf:
        again.lower = point.lower
    return again


def _verdict(report: TightnessReport) -> str:
    """``violated`` if some ratio exceeds 1; otherwise compare each slice's best with
    ``1 − tolerance``: a slice whose climb stalled below it makes the constant ``loose`` there
    (``tight at an edge`` if the free search still reached it); a slice still rising when the
    budget ran out leaves it ``unsettled``; every slice reaching it is ``tight``."""
    s = report.settings
    if report.best.lower > 1 or (report.best.attained and report.claim.op in ("<", ">")):
        return "violated"  # a ratio above 1, or equality where the claim is strict
    target = 1 - Fraction(s.tolerance)
    slices = [sl for sl in report.slices if not sl.infeasible and sl.boundary is not None]
    below = [sl for sl in slices if sl.boundary.lower < target]
    if any(not sl.boundary.rising for sl in below):
        return "tight at an edge" if report.best.lower >= target else "loose"
    if below:
        return "unsettled"
    return "tight" if slices else "undetermined"


