"""The counterexample search behind ``metadistill check``.

For each dimension ``K`` (smallest first) the search

1. draws adversarial points in float64 batches (:mod:`numerics.samplers`) and scores each by
   its relative violation ``(lhs − rhs) / (|lhs| + |rhs|)`` (oriented, in ``[-1, 1]``);
2. decides the most promising points exactly: entries become fractions, renormalised
   exactly, and the claim is evaluated with rationals and arb balls (:mod:`numerics._ball`);
3. climbs the score from the best points by local moves (jitter, transfers, approaching a
   tie, shrinking an entry towards 0, scalar endpoints), deciding the climbers exactly;
4. runs Hypothesis with ``target()`` on the score over exact rational points, trying first
   (as explicit examples) the exact boundary points of any dropped assumption, the exact
   solutions of the claim's own equality assumptions and the scalar values the claim names
   (:mod:`numerics.boundary`), and mixing those moves into its draws;
5. when no dimension gave a counterexample, climbs in exact arithmetic from the decided points
   that came closest (the exact moves of :mod:`numerics.tightness`), which reaches entries far
   below float64's range.

A violation is reported only when it holds with certainty at the working precision *and* at
twice that precision, after looking for the simplest fractions (and fewest outcomes) that keep
it. Nothing found means "verified" with the effort spent, never "proved".

With ``SearchSettings.database`` set, counterexamples found earlier for the same claim
(:mod:`numerics.database`) are decided again first; only dimensions below the smallest
replayed one are searched, and a new counterexample is stored.
"""
from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import ctx, fmpq

from theory import Claim
from theory.symbols import DistributionSymbol

from . import _ball
from .boundary import Boundary, boundary_moves, boundary_points, named_values
from .database import WitnessDatabase, witness_values
from .evaluate import CompiledClaim, PointCheck, digits_to_bits
from .points import (decimal_scalar, decimal_simplex, exact_simplex, simplest_scalar,
                     simplest_simplex, validate_point)
from .samplers import draw

#: Scores at least this high are decided exactly even when float64 says "holds".
NEAR_TIE = -1e-7
_DENOMINATORS = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 32, 50, 100, 1000, 10 ** 4, 10 ** 6,
                 10 ** 9, 10 ** 12)


@dataclass(frozen=True)
class SearchSettings:
    """How hard to look. ``samples`` random draws per dimension; precision in digits."""

    dims: tuple = (2, 3, 5, 10)
    samples: int = 2000
    seed: int = 0
    precision: int = 50
    climb_starts: int = 6
    climb_steps: int = 30
    population: int = 32
    hypothesis_examples: int | None = None
    exact_budget: int = 48
    chunk: int = 4096
    #: A directory of counterexamples to replay first and add to (None: no database).
    database: str | None = None

    @property
    def examples(self) -> int:
        if self.hypothesis_examples is not None:
            return self.hypothesis_examples
        return max(30, min(200, self.samples // 20))


@dataclass
class Witness:
    """An exact counterexample: fractions for every symbol, both sides at the precision."""

    K: int
    values: dict
    lhs: str
    rhs: str
    stage: str
    family: str = ""
    #: True when the violation is an exact tie of a strict relation, proved by SymPy.
    exact_tie: bool = False

    def to_json(self) -> dict:
        out = {}
        for name, v in self.values.items():
            out[name] = [str(x) for x in v] if isinstance(v, list) else str(v)
        out["K"] = self.K
        return out

    def fractions(self) -> dict:
        return {n: ([Fraction(int(x.p), int(x.q)) for x in v] if isinstance(v, list)
                    else Fraction(int(v.p), int(v.q))) for n, v in self.values.items()}


@dataclass
class Closest:
    """The decided point that came closest to violating the claim.

    For an inequality, ``score`` is the relative margin ``(lhs − rhs)/(|lhs| + |rhs|)``
    (oriented; 0 is equality, −1 is as far as it gets) over points where not both sides
    vanish, and ``equalities`` counts the points where the two sides were exactly equal.
    For an identity, ``score`` is the largest ``|lhs − rhs| / max(1, |lhs|, |rhs|)`` seen.
    """

    score: float = -np.inf
    K: int = 0
    lhs: str = ""
    rhs: str = ""
    equalities: int = 0


@dataclass
class SearchReport:
    claim: Claim
    settings: SearchSettings
    witness: Witness | None = None
    dims_tried: list = field(default_factory=list)
    draws: int = 0
    climb_evaluations: int = 0
    hypothesis_examples: int = 0
    exact_checks: int = 0
    statuses: dict = field(default_factory=dict)
    closest: Closest = field(default_factory=Closest)
    seconds: float = 0.0
    #: Stored counterexamples decided again before searching, and the boundary moves tried.
    replayed: int = 0
    boundary: tuple = ()
    #: Sampled draws by rigorous verdict at their float values (numerics.certify counts).
    certified: dict = field(default_factory=dict)

    @property
    def falsified(self) -> bool:
        return self.witness is not None

    def effort(self) -> str:
        s = self.settings
        dims = ",".join(str(k) for k in self.dims_tried)
        return (f"K in {{{dims}}}: {self.draws} draws, {self.climb_evaluations} climbing steps, "
                f"{self.hypothesis_examples} Hypothesis examples, {self.exact_checks} exact "
                f"checks at {s.precision} digits")


class _Found(Exception):
    pass


class _Search:
    def __init__(self, claim: Claim, settings: SearchSettings, progress=None, boundary=()):
        self.claim, self.s = claim, settings
        self.cc = CompiledClaim(claim)
        self.dists, self.scalars = self.cc.dists, self.cc.scalars
        self.report = SearchReport(claim, settings)
        self.progress = progress or (lambda: None)
        self.boundary = boundary_moves(boundary)
        self.report.boundary = tuple(self.boundary.descriptions())
        self.dims = tuple(sorted(set(settings.dims) | set(self.boundary.dims)))
        self.db = WitnessDatabase(settings.database) if settings.database else None
        # An equality among the assumptions holds on a thin set that random draws miss and
        # float64 misjudges: its exact solutions are tried as well, and decided exactly.
        equalities = [c for c in claim.assume.values()
                      if any(isinstance(a, sp.Eq) for a in sp.preorder_traversal(c))]
        self.domain = boundary_moves(equalities)
        named = named_values([claim.relation, *claim.assume.values()], self.scalars)
        if named:
            d = self.domain
            self.domain = Boundary(d.moves + named, d.per_condition, d.dims, d.conditions)
        self._exact_domain = bool(equalities)
        #: ``(margin, K, env)`` of decided points that came close to a violation.
        self._near = []

    # -- exact decisions ------------------------------------------------------------------
    def _exact_env(self, row: dict):
        env = {}
        for d in self.dists:
            env[d] = exact_simplex(row[d])
        for sc in self.scalars:
            env[sc] = _ball.from_rational(float(row[sc]))
        return env

    def _decide(self, env, K) -> PointCheck:
        self.report.exact_checks += 1
        check = self.cc.check(env, K, self.s.precision)
        st = self.report.statuses
        st[check.status] = st.get(check.status, 0) + 1
        if check.status in ("holds", "agrees"):
            score = self._note_closest(check, K)
            # −1: one side vanishes and the other does not; nothing for a ratio to climb.
            if self.cc.op != "==" and score is not None and -1 < score < 0:
                self._near.append((score, K, env))
                if len(self._near) > 4 * DEEPEN_STARTS:
                    self._near = sorted(self._near, key=lambda p: -p[0])[:2 * DEEPEN_STARTS]
        return check

    def _note_closest(self, check: PointCheck, K) -> float | None:
        """Record the point if it came closest so far; returns its score (None where it has
        none: an exact equality, an infinite side of an identity)."""
        c = self.report.closest
        lhs, rhs = check.lhs, check.rhs
        if self.cc.op == "==":
            if _ball.is_inf(lhs) or _ball.is_inf(rhs):
                return None
            score = _ball.discrepancy(lhs, rhs)
        elif lhs is rhs or (_ball.exact(lhs) and _ball.exact(rhs) and lhs == rhs):
            c.equalities += 1
            return None
        else:
            a, b = (lhs, rhs) if self.cc.op in ("<=", "<") else (rhs, lhs)
            with ctx.workprec(digits_to_bits(check.digits)):  # not flint's default 53 bits
                score = _ball.relative_difference(a, b)
        if np.isnan(score):
            return None
        if score > c.score:
            digits = self.s.precision
            self.report.closest = Closest(score, K, check.decimal("lhs", digits),
                                          check.decimal("rhs", digits), c.equalities)
        return score

    def _confirm(self, env, K, stage, family) -> Witness | None:
        """A witness if the violation at ``env`` is certain at the working precision and
        again at twice that precision, after simplifying the fractions greedily."""
        P = self.s.precision
        if self.cc.check(env, K, P).status != "violation":
            return None
        for trial, k in (self._shrink(env, K), (env, K)):
            check = self.cc.check(trial, k, P)
            if check.status == "violation" and self.cc.check(trial, k, 2 * P).status == "violation":
                values = {d.name: trial[d] for d in self.dists}
                values.update({sc.name: trial[sc] for sc in self.scalars})
                return Witness(k, values, check.decimal("lhs"), check.decimal("rhs"), stage, family,
                               check.exact_tie)
        return None

    def _float_score(self, env, K) -> float:
        """The float64 score of an exact point (1.0 when float64 cannot tell)."""
        row = {d: np.array([[float(x) for x in env[d]]]) for d in self.dists}
        row.update({sc: np.array([float(env[sc])]) for sc in self.scalars})
        score, ok = self._evaluate(row, K)
        if not ok[0]:
            return -np.inf
        return 1.0 if np.isnan(score[0]) else float(score[0])

    def _shrink(self, env, K, passes: int = 8):
        """``(env, K)``, simplified greedily while the violation stays certain: first drop
        outcomes (down to the smallest dimension searched), then replace one symbol at a time
        by the shortest value that keeps the violation (canonical points, another
        distribution's value, roundings to small denominators or a few significant digits).
        Repeats until nothing changes (at most ``passes`` times), so shrinking a shrunk witness
        returns it unchanged."""
        current, k = dict(env), K
        for _ in range(passes):
            changed = False
            fewer = self._fewer_outcomes(current, k)
            if fewer is not None:
                (current, k), changed = fewer, True
            for sym in self.dists + self.scalars:
                # Distributions tied to this one move together first, so a tie survives.
                tied = [e for e in self.dists if e != sym and current[e] == current.get(sym)]
                for v in self._simpler_values(sym, current[sym], k, current):
                    trials = [{**current, sym: v, **{e: v for e in tied}}] if tied else []
                    trials.append({**current, sym: v})
                    trial = next((t for t in trials if self._float_score(t, k) >= NEAR_TIE and
                                  self.cc.check(t, k, self.s.precision).status == "violation"),
                                 None)
                    if trial is not None:
                        current, changed = trial, True
                        break
            if not changed:
                break
        return current, k

    def _fewer_outcomes(self, env, K):
        """The point with one outcome removed (every distribution renormalised) that still
        violates the claim at ``K − 1``, or None."""
        if K - 1 < min(self.dims) or K - 1 < 1:
            return None
        for i in range(K if self.dists else 1):
            trial = dict(env)
            for d in self.dists:
                rest = [x for j, x in enumerate(env[d]) if j != i]
                total = sum(rest, fmpq(0))
                if total == 0:
                    break
                trial[d] = [x / total for x in rest]
            else:
                if self.cc.check(trial, K - 1, self.s.precision).status == "violation":
                    return trial, K - 1
        return None

    def _simpler_values(self, sym, value, K, current=None):
        """Candidate replacements for ``value``, simplest first, each strictly simpler: shorter
        to write, or (a scalar) as short with a smaller denominator or magnitude."""
        is_dist = isinstance(sym, DistributionSymbol)
        x = np.array([float(v) for v in value]) if is_dist else float(value)
        out = []
        if is_dist:
            out.append([fmpq(1, K)] * K)
            out += [list(current[e]) for e in self.dists if current and e != sym]
            for i in range(min(K, 12)):
                out.append([fmpq(int(i == j)) for j in range(K)])
            out += [simplest_simplex(x, d) for d in _DENOMINATORS]
            out += [decimal_simplex(x, n) for n in range(1, 13)]
        else:
            lo, hi = sym.low, sym.high
            for f in (sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(3, 4), sp.Rational(1, 3),
                      sp.Rational(2, 3), sp.Rational(1, 10), sp.Rational(9, 10)):
                if lo.is_finite and hi.is_finite:
                    out.append(lo + (hi - lo) * f)
            out += [sp.Integer(0), sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), lo, hi]
            if np.isfinite(x):
                out += [sp.Integer(int(np.floor(x))), sp.Integer(int(np.ceil(x)))]
            out = [_ball.from_rational(v) for v in out if v.is_finite and sym.contains(v)]
            out += [simplest_scalar(x, sym, d) for d in _DENOMINATORS]
            out += [decimal_scalar(x, sym, n) for n in range(1, 13)]

        def simplicity(v):
            return (_length(v), 0, 0) if is_dist else (_length(v), int(v.q), abs(int(v.p)))

        bar = simplicity(value)
        seen, ranked = set(), []
        for v in out:
            if v is None:
                continue
            key = tuple(v) if is_dist else v
            if key in seen or simplicity(v) >= bar:
                continue
            seen.add(key)
            ranked.append(v)
        return sorted(ranked, key=simplicity)

    def _decide_rows(self, values, scores, labels, order, K, stage, keep: int = 3):
        """Decide rows in order; after ``keep`` confirmed witnesses, raise the simplest."""
        found = []
        for i in order:
            row = {sym: values[sym][i] for sym in values}
            env = self._exact_env(row)
            check = self._decide(env, K)
            if check.status == "violation":
                w = self._confirm(env, K, stage, labels[i] if labels is not None else "")
                if w is not None:
                    found.append(w)
                    if len(found) >= keep:
                        break
        if found:
            raise _Found(min(found, key=_size))

    # -- stages ---------------------------------------------------------------------------
    def run(self) -> SearchReport:
        t0 = time.perf_counter()
        stored = self._replay()
        for K in self.dims:
            if stored is not None and K >= stored.K:
                break
            self.report.dims_tried.append(K)
            rng = np.random.default_rng([self.s.seed, K, zlib.crc32(self.claim.name.encode())])
            try:
                pool = self._sample(rng, K)
                self.progress()
                self._climb(rng, K, pool)
                self.progress()
                self._hypothesis(K)
                self.progress()
            except _Found as found:
                witness = found.args[0]
                if witness.stage not in ("hypothesis", "boundary"):
                    # Hypothesis shrinks towards small fractions: prefer its witness if simpler.
                    try:
                        self._hypothesis(K)
                    except _Found as shrunk:
                        w = shrunk.args[0]
                        if (w.K, _size(w)) < (witness.K, _size(witness)):
                            witness = w
                self.report.witness = witness
                break
        if self.report.witness is None and stored is None:
            try:
                self._deepen()
            except _Found as found:
                self.report.witness = found.args[0]
        if self.report.witness is None and stored is not None:
            self.report.witness = stored
        if self.db is not None and self.report.witness is not None:
            self.db.save(self.claim, self.report.witness.to_json())
        self.report.seconds = time.perf_counter() - t0
        return self.report

    # -- the example database -------------------------------------------------------------
    def _replay(self) -> Witness | None:
        """The smallest stored counterexample that is still one, decided afresh."""
        if self.db is None:
            return None
        best = None
        symbols = self.dists + self.scalars
        for entry in self.db.fetch(self.claim):
            try:
                values, K = witness_values(entry)
                if set(values) != {s.name for s in symbols}:
                    continue
                env, _ = validate_point(symbols, values, K)
            except (ValueError, TypeError, KeyError, ZeroDivisionError):
                continue
            self.report.replayed += 1
            w = self._confirm(env, K, "database", "replayed from the example database")
            if w is not None and (best is None or (w.K, _size(w)) < (best.K, _size(best))):
                best = w
        return best

    def _evaluate(self, values, K):
        lhs, rhs, ok = self.cc.float_sides(values, K)
        score = self.cc.score(lhs, rhs)
        return np.where(ok, score, -np.inf), ok

    def _certified(self, values, K, count: bool = True):
        """The score of a sampled batch, as :meth:`_evaluate` gives it, computed by
        :func:`numerics.certificates.certify` (filters only, no balls): the sides come from its
        float64 filter (extended precision where that filter could not decide), and every
        draw's verdict at its float values, decided rigorously, is counted in
        ``report.certified``. The ranking is left to the score: promoting certain violations
        at near ties would send their exact renormalisations to the SymPy tie proof."""
        from .certificates import OUTSIDE, UNDECIDED, certifier

        cert = certifier(self.claim).certify({s.name: v for s, v in values.items()}, budget=0,
                                             validate=False)
        for name, n in cert.counts().items() if count else ():
            self.report.certified[name] = self.report.certified.get(name, 0) + n
        ok = cert.status != OUTSIDE
        score = np.where(ok, self.cc.score(cert.lhs, cert.rhs), -np.inf)
        open_rows = np.isnan(score)
        # An undecided draw may be undecided about the assumptions: float64 says whether it is
        # inside, or points outside the domain would outrank every genuine candidate.
        doubtful = open_rows | (cert.status == UNDECIDED)
        if doubtful.any():
            rows = np.flatnonzero(doubtful)
            plain, plain_ok = self._evaluate({s: v[rows] for s, v in values.items()}, K)
            ok[rows] &= plain_ok
            # Where the filters leave a side open (an infinite side, a branch they cannot
            # settle), rank by the plain float64 score: infinite ties such as KL = oo
            # against oo must still reach the exact stage.
            score[rows] = np.where(open_rows[rows], plain, score[rows])
            score[rows] = np.where(ok[rows], score[rows], -np.inf)
        return score, ok

    def _sample(self, rng, K):
        keep = max(self.s.climb_starts * 4, 32)
        pool_values, pool_scores, pool_labels = None, np.empty(0), np.empty(0, dtype=object)
        remaining = self.s.samples
        unknown = []
        while remaining > 0:
            n = min(self.s.chunk, remaining)
            remaining -= n
            values, labels = draw(rng, self.dists, self.scalars, K, n)
            score, ok = self._certified(values, K)
            self.report.draws += n
            nan = np.flatnonzero(np.isnan(score))
            if nan.size:
                unknown.extend({s: values[s][i] for s in values} | {"_label": labels[i]}
                               for i in rng.choice(nan, min(nan.size, 8), replace=False))
            finite = np.where(np.isnan(score), -np.inf, score)
            pick = np.asarray(_candidates(finite, 3 * keep), dtype=int)
            chunk_vals = {s: values[s][pick] for s in values}
            if pool_values is None:
                pool_values = chunk_vals
            else:
                pool_values = {s: np.concatenate([pool_values[s], chunk_vals[s]]) for s in values}
            pool_scores = np.concatenate([pool_scores, finite[pick]])
            pool_labels = np.concatenate([pool_labels, labels[pick]])
        decide = _candidates(pool_scores, self.s.exact_budget)
        self._decide_rows(pool_values, pool_scores, pool_labels, decide, K, "sampling")
        if unknown:
            vals = {s: np.array([u[s] for u in unknown]) for s in pool_values}
            labs = np.array([u["_label"] for u in unknown], dtype=object)
            self._decide_rows(vals, None, labs, range(len(unknown)), K, "sampling (float64 unknown)")
        return pool_values, pool_scores, pool_labels

    def _climb(self, rng, K, pool):
        values, scores, labels = pool
        finite = np.flatnonzero(scores > -np.inf)
        if finite.size == 0:
            return
        # Ties (score 0 up to rounding) cannot climb past 0; start mostly elsewhere.
        degenerate = np.abs(scores[finite]) <= TIE
        order = np.concatenate([finite[~degenerate][np.argsort(-scores[finite][~degenerate], kind="stable")],
                                finite[degenerate][:1]])
        m = self.s.climb_starts
        starts = list(order[: m // 2 + 1])
        rest = order[m // 2 + 1: 8 * m]
        if rest.size:
            starts += list(rng.choice(rest, min(m - len(starts), rest.size), replace=False))
        cur = {s: values[s][starts].copy() for s in values}
        cur_score = scores[starts].copy()
        P = self.s.population
        for _ in range(self.s.climb_steps):
            trial = {s: np.repeat(cur[s], P, axis=0) for s in cur}
            _perturb(rng, trial, self.dists, self.scalars, K)
            # Scored through the filters: plain float64 noise at a near tie (both sides
            # ~1e-28, say) would pull every climber into the tie.
            sc, _ = self._certified(trial, K, count=False)
            self.report.climb_evaluations += sc.size
            sc = np.where(np.isnan(sc), -np.inf, sc).reshape(len(starts), P)
            best = sc.argmax(axis=1)
            better = sc[np.arange(len(starts)), best] > cur_score
            for j in np.flatnonzero(better):
                k = j * P + best[j]
                for s in cur:
                    cur[s][j] = trial[s][k]
                cur_score[j] = sc[j, best[j]]
        self._decide_rows(cur, cur_score, None, _candidates(cur_score, len(cur_score)), K, "climbing")

    def _deepen(self):
        """Climb, in exact arithmetic, from the decided points that came closest to a violation
        (after every dimension was searched in vain).

        float64 stops at 5e-324 and sees nothing below its rounding, but a constant that is
        tight only in a limit (an entry → 0 logarithmically slowly) may fail only at entries far
        below that. From the (at most :data:`DEEPEN_STARTS`) decided points with the best
        relative margin, the exact climb of :mod:`numerics.tightness` raises the certified
        ratio of the two sides (shrinking entries by powers of ten, moving towards ties,
        transfers, scalar moves); a point it takes past 1 is confirmed like any other."""
        if self.cc.op not in ("<=", "<", ">=", ">"):
            return
        near = sorted(self._near, key=lambda p: (-p[0], p[1]))[:DEEPEN_STARTS]
        if not near:
            return
        from .tightness import TightnessSettings, _Optimiser, _Ratio
        ratio = _Ratio(self.claim, self.s.precision)
        settings = TightnessSettings(precision=self.s.precision, refine_steps=DEEPEN_STEPS,
                                     moves=DEEPEN_MOVES)
        rng = np.random.default_rng([self.s.seed, zlib.crc32(self.claim.name.encode())])
        optimiser = _Optimiser(ratio, settings, rng, None)
        try:
            for _, K, env in near:
                start = ratio.exact(env, K)
                if start is None or start.lower == math.inf:
                    continue
                end = optimiser._refine(start, {}, None)
                if end.lower >= 1:
                    w = self._confirm(end.env, K, "exact climb",
                                      "climbed in exact arithmetic from a near miss")
                    if w is not None:
                        raise _Found(w)
        finally:
            self.report.exact_checks += ratio.evaluations

    def _hypothesis(self, K):
        """Hypothesis over exact rational points, ``target()`` on the float64 score.

        Boundary points of dropped assumptions run first as explicit examples (always decided
        exactly); generated points are decided exactly when float64 cannot rule a violation
        out. The probe raises only on an exact violation, so Hypothesis shrinks among exact
        violations; its last (shrunk) failure is confirmed again in :meth:`_confirm`.
        """
        explicit_points = (boundary_points(self.boundary, self.dists, self.scalars, K)
                           + boundary_points(self.domain, self.dists, self.scalars, K, limit=16))
        if self.s.examples <= 0 and not explicit_points:
            return
        from hypothesis import (HealthCheck, Phase, Verbosity, example, given, seed, settings,
                                target)

        from .strategies import points

        dists, scalars = self.dists, self.scalars
        found = []

        def probe(point):
            self.report.hypothesis_examples += 1
            point = dict(point)
            explicit = point.pop(_EXPLICIT, False)
            row = {d: np.array([[float(x) for x in point[d.name]]]) for d in dists}
            row.update({s: np.array([float(point[s.name])]) for s in scalars})
            score, ok = self._evaluate(row, K)
            sc = float(score[0])
            if ok[0] and not np.isnan(sc):
                target(sc, label="relative violation")
            if explicit or (ok[0] and (np.isnan(sc) or sc >= NEAR_TIE)) or (
                    not ok[0] and self._exact_domain):
                env = {d: [_ball.from_rational(x) for x in point[d.name]] for d in dists}
                env.update({s: _ball.from_rational(point[s.name]) for s in scalars})
                if self._decide(env, K).status == "violation":
                    found.append((env, explicit))
                    raise _Violation()

        moves = self.boundary.moves + self.domain.moves
        test = given(points(dists, scalars, K, boundary=moves))(probe)
        for pt in reversed(explicit_points):
            test = example({**pt, _EXPLICIT: True})(test)
        phases = (Phase.explicit, Phase.generate, Phase.target, Phase.shrink)
        test = settings(max_examples=max(1, self.s.examples), deadline=None, database=None,
                        phases=phases if self.s.examples > 0 else phases[:1],
                        suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                        report_multiple_bugs=False)(test)
        test = seed(zlib.crc32(f"{self.s.seed}:{K}:{self.claim.name}".encode()))(test)
        try:
            test()
        except _Violation:
            pass
        if found:
            # Hypothesis replays the shrunk example last (explicit examples are not shrunk).
            env, explicit = found[-1]
            stage, family = (("boundary", "explicit boundary example") if explicit
                             else ("hypothesis", "shrunk by Hypothesis"))
            w = self._confirm(env, K, stage, family)
            if w is not None:
                raise _Found(w)


#: Marks a boundary point handed to Hypothesis as an explicit example.
_EXPLICIT = "_explicit boundary point"


class _Violation(Exception):
    pass


#: Scores within this of 0 are ties as far as float64 can tell.
TIE = 1e-9
#: :meth:`_Search._deepen` climbs from at most DEEPEN_STARTS points, each at most
#: DEEPEN_STEPS steps of DEEPEN_MOVES exact evaluations.
DEEPEN_STARTS, DEEPEN_STEPS, DEEPEN_MOVES = 2, 30, 6


def _candidates(scores, budget: int) -> list:
    """Rows worth deciding exactly, best first: clear violations, then a share of float64
    ties (exact ties break strict relations; near-ties hide violations below rounding), then
    the closest approaches."""
    finite = np.flatnonzero(scores > -np.inf)
    order = finite[np.argsort(-scores[finite], kind="stable")]
    s = scores[order]
    positive = list(order[s > TIE])
    ties = list(order[np.abs(s) <= TIE])
    exact = [i for i in ties if scores[i] == 0][:4]
    near = [i for i in ties if scores[i] != 0][: max(4, budget // 4)]
    negative = list(order[s < -TIE])
    out = positive[: budget // 2] + exact + near
    return (out + positive[budget // 2:] + negative)[:budget]


def _length(v) -> int:
    return sum(len(str(x)) for x in v) if isinstance(v, list) else len(str(v))


def _size(w: Witness) -> int:
    """How long the witness is to write down: its fractions' total length."""
    return sum(len(x) if isinstance(x, str) else sum(map(len, x))
               for k, x in w.to_json().items() if k != "K")


def _perturb(rng, values, dists, scalars, K):
    """Local moves applied in place to a batch of points (one move per row)."""
    n = next(iter(values.values())).shape[0]
    kinds = rng.integers(0, 6, n)
    nd = len(dists)
    for kind in range(6):
        rows = np.flatnonzero(kinds == kind)
        if rows.size == 0:
            continue
        if kind == 5 or nd == 0:
            if scalars:
                _perturb_scalar(rng, values, scalars, rows)
            continue
        d = dists[rng.integers(0, nd)]
        x = values[d][rows]
        if kind == 0:  # multiplicative jitter
            sigma = 10.0 ** rng.uniform(-5, 0.3, (rows.size, 1))
            x = x * np.exp(sigma * rng.standard_normal(x.shape))
        elif kind in (1, 2) and nd > 1:  # toward / away from another distribution
            e = dists[(dists.index(d) + rng.integers(1, nd)) % nd]
            t = 10.0 ** rng.uniform(-6, 0, (rows.size, 1))
            y = values[e][rows]
            x = x + t * (y - x) if kind == 1 else np.clip(x - t * (y - x), 0, None)
        elif kind == 3 or (kind in (1, 2)):  # transfer mass between two outcomes
            i, j = rng.integers(0, K, rows.size), rng.integers(0, K, rows.size)
            f = 10.0 ** rng.uniform(-9, 0, rows.size)
            r = np.arange(rows.size)
            moved = f * x[r, i]
            x = x.copy()
            x[r, i] -= moved
            x[r, j] += moved
        elif kind == 4:  # shrink one entry towards zero, sometimes exactly to zero
            i = rng.integers(0, K, rows.size)
            r = np.arange(rows.size)
            x = x.copy()
            x[r, i] *= np.where(rng.random(rows.size) < 0.2, 0.0, 10.0 ** rng.uniform(-12, -1, rows.size))
        x = np.clip(x, 0, None)
        s = x.sum(axis=1, keepdims=True)
        x = np.where(s > 0, x / np.where(s > 0, s, 1), values[d][rows])
        values[d][rows] = x
    if nd and scalars:
        both = np.flatnonzero(rng.random(n) < 0.15)
        if both.size:
            _perturb_scalar(rng, values, scalars, both)


def _perturb_scalar(rng, values, scalars, rows):
    s = scalars[rng.integers(0, len(scalars))]
    lo, hi = float(s.low), float(s.high)
    x = values[s][rows]
    width = (hi - lo) if np.isfinite(hi - lo) else np.maximum(np.abs(x), 1.0)
    move = rng.integers(0, 4, rows.size)
    step = width * 10.0 ** rng.uniform(-8, -0.5, rows.size) * rng.choice([-1.0, 1.0], rows.size)
    toward_lo = lo + (x - lo) * 10.0 ** rng.uniform(-6, -0.3, rows.size) if np.isfinite(lo) else x
    toward_hi = hi - (hi - x) * 10.0 ** rng.uniform(-6, -0.3, rows.size) if np.isfinite(hi) else x
    ends = np.where(rng.random(rows.size) < 0.5, lo, hi) if np.isfinite(lo) and np.isfinite(hi) else x
    x = np.select([move == 0, move == 1, move == 2], [x + step, toward_lo, toward_hi], ends)
    values[s][rows] = np.clip(x, lo, hi)


def search(claim: Claim, settings: SearchSettings = SearchSettings(), progress=None, *,
           boundary=()) -> SearchReport:
    """Look for a counterexample to ``claim``; see the module docstring for the stages.

    ``boundary``: conditions (typically assumptions dropped from ``claim``) whose exact
    boundary points are tried first (:func:`numerics.boundary.boundary_moves`).
    """
    return _Search(claim, settings, progress, boundary).run()
