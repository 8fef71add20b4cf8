"""Rigorous verdicts on many draws at once: float filters, then ball arithmetic.

:func:`certify` decides a claim at every draw of a batch, in three stages compiled from the
claim's one expression tree:

1. a float64 filter with one rigorous error bound per row (:mod:`numerics._apriori`): where
   the margin ``lhs − rhs`` clears its bound, the sign is certain; it runs on blocks of rows
   small enough to stay in cache;
2. for the draws left open, a filter with per-entry running error bounds in extended precision
   (:mod:`numerics._filter`, ``numpy.longdouble``), which evaluates ``log(a/b)`` near ``a = b``
   without cancellation;
3. for the rest, arb balls: first all of them together, as arrays of balls at 64 then 128
   bits (:mod:`numerics._ballvec`), then whatever that leaves (infinities, exact ties,
   branches the balls cannot settle) one draw at a time, in arb balls and exact rationals
   (:mod:`numerics._ball`) at 64, 128, 256, … bits until the sign is certain or the cap is
   reached.

The values are taken exactly as given: a draw is the point whose entries are these binary64
numbers, not its renormalisation. (A float vector rarely sums to exactly 1; the verdict is for
the vector as given.)

:func:`sweep` streams draws in chunks from a seeded sampler, so peak memory is bounded whatever
the number of draws, and spreads large sweeps over a process pool.
"""
from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import arb, ctx, fmpq

from theory import Claim
from theory.errors import (BatchShapeMismatch, DimensionMismatch, MissingValue, NegativeEntry,
                           NonFiniteEntry, NotNormalized, ScalarOutOfRange, integer_setting)
from theory.symbols import K as K_SYMBOL

from . import _apriori
from ._apriori import GiveUp
from ._ball import ZERO, Undecided, from_rational
from ._ballvec import BallArrayBackend, Balls, from_floats
from ._compile import compile_expr
from ._filter import Approx, FilterBackend, Tri
from .evaluate import VIOLATION, CompiledClaim, digits_to_bits
from .points import SUM_TOLERANCE

#: Status codes of :attr:`Certificate.status`.
HOLDS, VIOLATED, OUTSIDE, UNDEFINED, UNDECIDED = range(5)
STATUS_NAMES = ("holds", "violated", "outside", "undefined", "undecided")
#: Entries per block of the fast filter (its temporaries then fit in a core's cache).
BLOCK = 2 ** 19
#: Sweeps of at least this many entries (draws × K) use a process pool by default.
POOL_ENTRIES = 10 ** 7
#: Default cap on the ball precision (bits).
MAX_BITS = 1024
#: Precisions (bits) of the batched ball stage, before the exact evaluator takes over.
BATCH_BITS = (64, 128)
#: Entries per block of the batched ball stage (draws × K).
BALL_BLOCK = 2 ** 15
_LOG2_10 = math.log2(10)


@dataclass
class Certificate:
    """The verdicts of :func:`certify` on ``n`` draws.

    ``status[i]`` is one of :data:`HOLDS` (the relation certainly holds), :data:`VIOLATED`
    (it certainly fails), :data:`OUTSIDE` (an assumption certainly fails), :data:`UNDEFINED`
    (a side has no value, e.g. ``∞ − ∞``) or :data:`UNDECIDED` (the precision cap was reached;
    for an identity ``==``, the sides agreed to the cap without being proved equal).
    ``holds`` and ``violated`` are the first two as boolean arrays. ``escalated`` counts the
    draws the fast float64 filter could not decide (they went on to the extended-precision
    filter), ``balls`` those that went on to ball arithmetic. ``undecided`` lists the indices
    left undecided and ``precision[i]`` the bits of the arithmetic that decided draw ``i``
    (53: float64, 64: extended or 64-bit balls, else the ball precision reached).
    ``lhs``/``rhs`` are the float64 values of the sides (NaN where unknown).
    """

    status: np.ndarray
    escalated: int
    balls: int
    precision: np.ndarray
    lhs: np.ndarray = field(repr=False)
    rhs: np.ndarray = field(repr=False)

    @property
    def holds(self) -> np.ndarray:
        return self.status == HOLDS

    @property
    def violated(self) -> np.ndarray:
        return self.status == VIOLATED

    @property
    def undecided(self) -> np.ndarray:
        return np.flatnonzero(self.status == UNDECIDED)

    def counts(self) -> dict:
        """Draws per status name, and ``escalated``."""
        out = {name: int(np.count_nonzero(self.status == code))
               for code, name in enumerate(STATUS_NAMES)}
        out["escalated"], out["balls"] = self.escalated, self.balls
        return out


class Certifier:
    """One claim compiled for the float64 filter and for ball arithmetic."""

    def __init__(self, claim: Claim, backend: FilterBackend | None = None):
        self.claim = claim
        self.op = claim.op
        self.dists, self.scalars = claim.distributions, claim.scalars
        self.backend = backend or FilterBackend(np.longdouble)
        f = self.backend
        self._lhs, self._rhs = compile_expr(claim.lhs, f), compile_expr(claim.rhs, f)
        self._assume = [compile_expr(c, f) for c in claim.assume.values()]
        fast = self._fast_backend = _apriori.AprioriBackend()
        self._fast_lhs, self._fast_rhs = compile_expr(claim.lhs, fast), compile_expr(claim.rhs, fast)
        self._fast_assume = [compile_expr(c, fast) for c in claim.assume.values()]
        self.ball = CompiledClaim(claim)
        self._vec = {}

    def certify(self, draws: dict, *, max_bits: int = MAX_BITS, budget: int | None = None,
                validate: bool = True) -> Certificate:
        """See :func:`certify`."""
        values, n, K = _validate(self.claim, draws) if validate else _unchecked(self.claim, draws)
        status, lhs, rhs, rest = self.filter(values, n, K)
        todo = np.flatnonzero(status == UNDECIDED)
        precision = np.full(n, 53, dtype=np.int64)
        precision[rest] = int(-np.log2(self.backend.eps)) + 1
        balls = todo if budget is None else todo[:max(0, budget)]
        status[balls], precision[balls] = self.balls(values, balls, K, max_bits)
        return Certificate(status, int(rest.size), int(balls.size), precision, lhs, rhs)

    def filter(self, values: dict, n: int, K: int):
        """``(status, lhs, rhs, rest)`` from the float filters alone (UNDECIDED: go on to
        balls): the fast float64 one on every draw, the careful one (extended precision) on
        the draws ``rest`` it left."""
        status = np.full(n, UNDECIDED, dtype=np.int8)
        lhs, rhs = np.full(n, np.nan), np.full(n, np.nan)
        # Blocks of rows small enough for the temporaries to stay in cache.
        block = max(1, BLOCK // max(K, 1))
        for start in range(0, n, block):
            rows = slice(start, min(n, start + block))
            try:
                self._fast({s: v[rows] for s, v in values.items()}, rows.stop - start, K,
                           status[rows], lhs[rows], rhs[rows])
            except GiveUp:
                pass
        rest = np.flatnonzero(status == UNDECIDED)
        if rest.size:
            sub = {s: v[rest] for s, v in values.items()}
            st, lv, rv = self._careful(sub, rest.size, K)
            status[rest], lhs[rest], rhs[rest] = st, lv, rv
        return status, lhs, rhs, rest

    def _fast(self, values, n, K, status, lhs, rhs):
        self._fast_backend.unsure = False
        env = {K_SYMBOL: self._fast_backend.const(sp.Integer(K))}
        for s in self.dists:
            x = values[s]
            low = np.where(x > 0, x, np.inf).min(axis=1, keepdims=True)
            env[s] = _apriori.Est(x, 0.0, 0.0, 1.0 + 2 * SUM_TOLERANCE, low, 1)
        for s in self.scalars:
            env[s] = _apriori._row_est(values[s].reshape(-1, 1), 0.0, 0.0)
        with np.errstate(all="ignore"):
            inside, outside = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
            for f in self._fast_assume:
                c = np.broadcast_to(np.reshape(f(env), (-1,)), (n,))
                inside &= c
                outside |= ~c
            lv, le = _apriori.side(self._fast_lhs(env), n)
            rv, re = _apriori.side(self._fast_rhs(env), n)
            bad = _tri(_FLOAT64.compare(VIOLATION[self.op], Approx(lv, le), Approx(rv, re)), n)
        unsure = self._fast_backend.unsure
        sure = ~(np.broadcast_to(np.reshape(unsure, (-1,)), (n,)) if np.ndim(unsure) else
                 np.full(n, bool(unsure)))
        status[sure & inside & bad.f] = HOLDS
        status[sure & inside & bad.t] = VIOLATED
        status[sure & outside] = OUTSIDE
        lhs[:], rhs[:] = lv, rv

    def _careful(self, values: dict, n: int, K: int):
        b = self.backend
        b.suspect = False
        dt = b.dtype
        env = {K_SYMBOL: Approx(dt(K), 0.0)}
        for s in self.dists:
            env[s] = Approx(values[s].astype(dt), 0.0)
        for s in self.scalars:
            env[s] = Approx(values[s].reshape(-1, 1).astype(dt), 0.0)
        with np.errstate(all="ignore"):
            status, lhs, rhs = self._statuses(b, self._lhs, self._rhs, self._assume, env, n)
        return status, _column(lhs.v, n), _column(rhs.v, n)

    def _statuses(self, b, lhs_f, rhs_f, assume_f, env, n: int):
        """``(status, lhs, rhs)`` of ``n`` rows from one evaluation on ``env`` by backend ``b``
        (its ``suspect`` reset by the caller): UNDECIDED where a sign is unsure or a mixture
        weight suspect."""
        inside, outside = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        for f in assume_f:
            c = _tri(f(env), n)
            inside &= c.t
            outside |= c.f
        lhs, rhs = lhs_f(env), rhs_f(env)
        bad = _tri(b.compare(VIOLATION[self.op], lhs, rhs), n)
        suspect = _rows(b.suspect, n)
        status = np.full(n, UNDECIDED, dtype=np.int8)
        sure = inside & ~suspect
        status[sure & bad.f] = HOLDS
        status[sure & bad.t] = VIOLATED
        status[outside & ~suspect] = OUTSIDE
        return status, lhs, rhs

    def balls(self, values: dict, rows, K: int, max_bits: int = MAX_BITS):
        """``(status, bits)`` arrays for the draws ``rows`` in ball arithmetic.

        All of them are first evaluated together, as arrays of arb balls at each precision of
        :data:`BATCH_BITS` (:mod:`numerics._ballvec`); a draw that stays open there (a tie, an
        infinity, a branch or sign the balls cannot settle) goes on alone to :meth:`decide`."""
        rows = np.asarray(rows, dtype=np.int64)
        status = np.full(rows.size, UNDECIDED, dtype=np.int8)
        bits = np.full(rows.size, 53, dtype=np.int64)
        block = max(1, BALL_BLOCK // max(K, 1))
        for start in range(0, rows.size, block):
            part = slice(start, min(rows.size, start + block))
            open_ = np.arange(part.start, part.stop)
            for prec in BATCH_BITS:
                if prec > max_bits or not open_.size:
                    break
                try:
                    st = self._batch(values, rows[open_], K, prec)
                except ArithmeticError:  # left, as a whole, to the exact evaluator
                    break
                done = st != UNDECIDED
                status[open_[done]], bits[open_[done]] = st[done], prec
                open_ = open_[~done]
            for j in open_:
                status[j], bits[j] = self.decide(values, int(rows[j]), K, max_bits)
        return status, bits

    def _batch(self, values: dict, rows, K: int, bits: int):
        """Statuses of the draws ``rows`` from one evaluation in arrays of ``bits``-bit balls
        (UNDECIDED where a step was not followed or a sign not settled)."""
        compiled = self._vec.get(bits)
        if compiled is None:
            b = BallArrayBackend(bits)
            with ctx.workprec(bits):
                compiled = self._vec[bits] = (b, compile_expr(self.claim.lhs, b),
                                              compile_expr(self.claim.rhs, b),
                                              [compile_expr(c, b) for c in self.claim.assume.values()])
        b, lhs_f, rhs_f, assume_f = compiled
        n = rows.size
        b.suspect = False
        with ctx.workprec(bits):
            env = {K_SYMBOL: Balls(arb(K))}
            for s in self.dists:
                env[s] = from_floats(values[s][rows])
            for s in self.scalars:
                env[s] = from_floats(values[s][rows].reshape(-1, 1))
            return self._statuses(b, lhs_f, rhs_f, assume_f, env, n)[0]

    def decide(self, values: dict, i: int, K: int, max_bits: int = MAX_BITS):
        """``(status, bits)`` of draw ``i`` in ball arithmetic, doubling the precision from 64
        bits until the sign is certain or ``max_bits`` is passed.

        Entries first enter as exact arb balls (cheap); if that leaves the sign open at 128
        bits, as exact rationals (``fmpq``), which also decide exact ties such as
        ``log(p/p) = 0``."""
        rows = {s: values[s][i].tolist() for s in self.dists}
        scalars = {s: from_rational(float(values[s][i])) for s in self.scalars}
        balls = {s: [arb(x) if x else ZERO for x in row] for s, row in rows.items()}
        exact = {s: [from_rational(x) for x in row] for s, row in rows.items()}
        reached = 53
        for entries, top in ((balls, min(128, max_bits)), (exact, max_bits)):
            env = {**entries, **scalars, K_SYMBOL: fmpq(K)}
            bits = 64
            while bits <= top:
                digits = max(1, int((bits - 8) / _LOG2_10))
                reached = max(reached, digits_to_bits(digits))
                try:
                    check = self.ball._check_at(env, digits)
                except Undecided:
                    bits *= 2
                    continue
                return _BALL_STATUS[check.status], reached
        return UNDECIDED, reached


_FLOAT64 = FilterBackend(np.float64)
_BALL_STATUS = {"holds": HOLDS, "violation": VIOLATED, "outside": OUTSIDE,
                "undefined": UNDEFINED, "agrees": UNDECIDED}
_CACHE: dict = {}


def certifier(claim: Claim) -> Certifier:
    """The compiled :class:`Certifier` of ``claim`` (kept for the last few claims)."""
    c = _CACHE.get(claim)
    if c is None:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        c = _CACHE[claim] = Certifier(claim)
    return c


def certify(claim: Claim, draws: dict, *, max_bits: int = MAX_BITS,
            budget: int | None = None) -> Certificate:
    """Decide ``claim`` rigorously at each of ``n`` draws.

    ``draws`` maps each distribution (name or symbol) to an array of shape ``(n, K)`` and each
    scalar to an array of shape ``(n,)``; every entry is taken as the exact binary64 value
    given (no renormalisation). Distributions must be non-negative and sum to 1 within
    :data:`~numerics.points.SUM_TOLERANCE`; scalars must lie in their declared intervals.

    Draws the float64 filter cannot decide are escalated to ball arithmetic from 64 bits up to
    ``max_bits``; ``budget`` (if given) caps how many are escalated, the rest staying
    UNDECIDED at 53 bits. Returns a :class:`Certificate`.

    Raises :class:`~theory.errors.MissingValue`, :class:`~theory.errors.BatchShapeMismatch`
    (arrays of the wrong rank or disagreeing on ``n``), :class:`~theory.errors.DimensionMismatch`
    (distributions disagreeing on ``K``), :class:`~theory.errors.NonFiniteEntry`,
    :class:`~theory.errors.NegativeEntry`, :class:`~theory.errors.NotNormalized` or
    :class:`~theory.errors.ScalarOutOfRange`, each naming the offending ``name[row]=value``.
    """
    integer_setting("max_bits", max_bits, 64)
    if budget is not None:
        integer_setting("budget", budget, 0)
    return certifier(claim).certify(draws, max_bits=max_bits, budget=budget)


# -- input ----------------------------------------------------------------------------------

def _lookup(claim, draws):
    by_name = {getattr(k, "name", k): v for k, v in draws.items()}
    for s in claim.distributions + claim.scalars:
        if s.name not in by_name:
            raise MissingValue(f"no draws for {s.name}; draws given for {sorted(map(str, by_name))}")
    return by_name


def _unchecked(claim, draws):
    by_name = _lookup(claim, draws)
    values = {s: np.asarray(by_name[s.name], dtype=float) for s in claim.distributions + claim.scalars}
    n = next(iter(values.values())).shape[0] if values else 0
    K = values[claim.distributions[0]].shape[1] if claim.distributions else 1
    return values, n, K


def _array(name, v):
    try:
        return np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise NonFiniteEntry(f"{name}={_short(v)} is not an array of numbers") from None


def _validate(claim, draws):
    by_name = _lookup(claim, draws)
    values, sizes, dims = {}, {}, {}
    for s in claim.distributions:
        a = _array(s.name, by_name[s.name])
        if a.ndim != 2:
            raise BatchShapeMismatch(f"{s.name} has shape={a.shape}; expected (n, K)")
        values[s], sizes[s.name], dims[s.name] = a, a.shape[0], a.shape[1]
        bad = ~np.isfinite(a)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            raise NonFiniteEntry(f"{s.name}[{r}, {c}]={float(a[r, c])!r} is not finite")
        if (a < 0).any():
            r, c = np.argwhere(a < 0)[0]
            raise NegativeEntry(f"{s.name}[{r}, {c}]={float(a[r, c])!r} is negative")
        off = np.abs(a.sum(axis=1) - 1.0) > SUM_TOLERANCE
        if off.any():
            r = int(np.flatnonzero(off)[0])
            raise NotNormalized(f"{s.name}[{r}] sums to {float(a[r].sum())!r}, off 1 by more than "
                                f"tolerance={SUM_TOLERANCE!r}")
    if len(set(dims.values())) > 1:
        raise DimensionMismatch("distributions disagree on K: "
                                + ", ".join(f"{n} has K={k}" for n, k in dims.items()))
    if any(k < 1 for k in dims.values()):
        raise DimensionMismatch(f"K={min(dims.values())}: K must be at least 1")
    for s in claim.scalars:
        a = _array(s.name, by_name[s.name])
        if a.ndim != 1:
            raise BatchShapeMismatch(f"{s.name} has shape={a.shape}; expected (n,)")
        values[s], sizes[s.name] = a, a.shape[0]
        _check_range(s, a)
    if len(set(sizes.values())) > 1:
        raise BatchShapeMismatch("draws disagree on n: "
                                 + ", ".join(f"{k} has n={v}" for k, v in sizes.items()))
    n = next(iter(sizes.values()), 0)
    K = next(iter(dims.values()), 1)
    return values, n, K


def _check_range(s, a):
    lo, hi = float(s.low), float(s.high)
    nan = np.isnan(a)
    if nan.any():
        r = int(np.flatnonzero(nan)[0])
        raise ScalarOutOfRange(f"{s.name}[{r}]={float(a[r])!r} is not a number")
    # Float comparison is exact when the bound is a float; otherwise check the near rows exactly.
    near = (a <= np.nextafter(lo, np.inf)) | (a >= np.nextafter(hi, -np.inf))
    for r in np.flatnonzero(near):
        x = float(a[r])
        if not math.isfinite(x) or not s.contains(Fraction(x)):
            raise ScalarOutOfRange(f"{s.name}[{r}]={x!r} lies outside [{s.low}, {s.high}]")


def _short(v, limit=60):
    text = repr(v)
    return text if len(text) <= limit else text[:limit] + "..."


def _tri(c, n):
    if not isinstance(c, Tri):
        c = Tri(bool(c), not bool(c))
    return Tri(np.broadcast_to(c.t.reshape(-1) if c.t.ndim else c.t, (n,)),
               np.broadcast_to(c.f.reshape(-1) if c.f.ndim else c.f, (n,)))


def _rows(mask, n):
    """A per-entry or per-row mask as one flag per row (any entry of the row)."""
    m = np.asarray(mask, dtype=bool)
    return np.broadcast_to(m.reshape(m.shape[0], -1).any(axis=1) if m.ndim else m, (n,))


def _column(v, n):
    v = np.asarray(v, dtype=float)
    return np.broadcast_to(v.reshape(-1) if v.ndim else v, (n,)).copy()


# -- streaming sweeps ----------------------------------------------------------------------

@dataclass
class Sweep:
    """Totals of a :func:`sweep`: draws per status, escalations, seconds, and up to ``keep``
    examples of violated and of undecided draws as ``(index, {name: values})``."""

    n: int = 0
    counts: dict = field(default_factory=dict)
    violations: list = field(default_factory=list)
    undecided: list = field(default_factory=list)
    seconds: float = 0.0
    chunks: int = 0

    def _add(self, part: dict, keep: int):
        self.n += part["n"]
        self.chunks += 1
        for k, v in part["counts"].items():
            self.counts[k] = self.counts.get(k, 0) + v
        self.violations = (self.violations + part["violations"])[:keep]
        self.undecided = (self.undecided + part["undecided"])[:keep]


def adversarial(rng, claim: Claim, K: int, n: int) -> dict:
    """``n`` draws from the search's adversarial families (:func:`numerics.samplers.draw`)."""
    from .samplers import draw

    values, _ = draw(rng, claim.distributions, claim.scalars, K, n)
    return {s.name: v for s, v in values.items()}


def _chunk(claim, sampler, K, seed, index, start, m, max_bits, keep):
    rng = np.random.default_rng([seed, index])
    draws = sampler(rng, claim, K, m)
    cert = certifier(claim).certify(draws, max_bits=max_bits)

    def examples(mask):
        return [(start + int(i), {k: np.asarray(v)[i].tolist() for k, v in draws.items()})
                for i in np.flatnonzero(mask)[:keep]]
    return {"n": m, "counts": cert.counts(), "violations": examples(cert.violated),
            "undecided": examples(cert.status == UNDECIDED)}


_WORKER_CLAIM = None


def _init_worker(parts):
    global _WORKER_CLAIM
    name, relation, assume, expect = parts
    _WORKER_CLAIM = Claim(name, relation, assume=assume, expect=expect)


def _worker_chunk(*args):
    return _chunk(_WORKER_CLAIM, *args)


def sweep(claim: Claim, n: int, K: int, *, sampler=adversarial, seed: int = 0,
          chunk: int = 4096, workers: int | None = None, max_bits: int = MAX_BITS,
          keep: int = 8) -> Sweep:
    """Certify ``claim`` on ``n`` draws generated ``chunk`` at a time.

    Chunk ``i`` is drawn by ``sampler(rng, claim, K, m)`` (a picklable function returning the
    ``draws`` of :func:`certify`) with ``rng = numpy.random.default_rng([seed, i])``, so the
    result does not depend on ``workers``. At most ``2 × workers`` chunks exist at once, so
    memory stays bounded whatever ``n``. ``workers`` defaults to the number of CPUs for sweeps
    of at least :data:`POOL_ENTRIES` entries (``n·K``) in two chunks or more, else 1 (this
    process): starting a pool costs a fraction of a second.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    integer_setting("n", n, 0)
    integer_setting("K", K, 2)
    integer_setting("chunk", chunk, 1)
    integer_setting("max_bits", max_bits, 64)
    if workers is not None:
        integer_setting("workers", workers, 1)
    t0 = time.perf_counter()
    jobs = [(i, i * chunk, min(chunk, n - i * chunk)) for i in range(-(-n // chunk))]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= 2 and n * K >= POOL_ENTRIES else 1
    out = Sweep(counts={name: 0 for name in STATUS_NAMES + ("escalated", "balls")})
    if workers <= 1:
        for i, start, m in jobs:
            out._add(_chunk(claim, sampler, K, seed, i, start, m, max_bits, keep), keep)
    else:
        parts = (claim.name, claim.relation, dict(claim.assume), claim.expect)
        results, pending, todo = {}, set(), iter(jobs)
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(parts,)) as pool:
            def submit():
                job = next(todo, None)
                if job is not None:
                    i, start, m = job
                    f = pool.submit(_worker_chunk, sampler, K, seed, i, start, m, max_bits, keep)
                    f.index = i
                    pending.add(f)
            for _ in range(2 * workers):
                submit()
            next_index = 0
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    pending.discard(f)
                    results[f.index] = f.result()
                    submit()
                # Merge in chunk order, so that the kept examples do not depend on timing.
                while next_index in results:
                    out._add(results.pop(next_index), keep)
                    next_index += 1
    out.seconds = time.perf_counter() - t0
    return out
