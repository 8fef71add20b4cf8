"""Hypothesis strategies for the inputs of claims, usable in your own ``@given`` tests.

Every draw is exact: a distribution is a tuple of :class:`~fractions.Fraction` summing to
exactly 1, a scalar is a ``Fraction``. Tight constants and broken claims live on the boundary
of the simplex and at ties, so the strategies reach it on purpose:

- :func:`distributions` of a given or drawn ``K``: integer weights of several magnitudes
  (exact zeros, entries ``1e-18`` apart), exact vertices, near-vertices (``1 − ε`` on one
  outcome, ``ε`` down to ``1e-30``), tiny entries and the uniform point;
- :func:`related_distributions`: exact ties ``q = p``, near-ties ``q_i = p_i (1 + η z_i)``
  renormalised exactly, mass transfers between two outcomes, or an independent draw;
- :func:`anchors`: anchors ``p*`` with full support (what axiom M4 asks of ``p*``), including
  arithmetic aggregates ``Σ w_j p_j`` of a few teachers;
- :func:`scalars`: a closed interval including both endpoints exactly, points ``1e-k`` inside
  an endpoint and simple fractions;
- :func:`lambda_schedules`: anchoring schedules ``λ_0, λ_1, …`` (constant, harmonic
  ``1/(s+c)`` whose sum diverges, geometric ``λ_0 r^s`` whose sum converges, schedules with
  zeros);
- :func:`points` / :func:`claim_points`: a value for every symbol of a claim.

Everything shrinks towards small ``K``, small denominators and simple points (the first
family of each ``one_of`` is the simplest), so a failing test reports a short example::

    from hypothesis import given
    from numerics.strategies import distributions, related_distributions, scalars

    @given(distributions(3).flatmap(lambda p: related_distributions(p).map(lambda q: (p, q))),
           scalars(0, 1))
    def test_anchoring_contracts(pq, lam):
        ...
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from hypothesis import strategies as st

__all__ = ["distributions", "related_distributions", "anchors", "scalars", "lambda_schedules",
           "points", "claim_points"]

_WEIGHTS = st.one_of(
    st.integers(0, 12),
    st.integers(0, 10 ** 6),
    st.sampled_from([10 ** 9, 10 ** 12, 10 ** 18]),
)
_POSITIVE_WEIGHTS = st.one_of(
    st.integers(1, 12),
    st.integers(1, 10 ** 6),
    st.sampled_from([10 ** 9, 10 ** 12, 10 ** 18]),
)
_SMALL = st.integers(1, 30).map(lambda k: Fraction(1, 10 ** k))


def _normalised(weights):
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


def _dimension(K, name="K"):
    if isinstance(K, int):
        if K < 1:
            raise ValueError(f"{name}={K!r} must be at least 1")
        return st.just(K)
    return K


@lru_cache(maxsize=None)
def _weighted(k: int, full_support: bool):
    w = _POSITIVE_WEIGHTS if full_support else _WEIGHTS
    return st.lists(w, min_size=k, max_size=k).filter(lambda x: sum(x) > 0).map(_normalised)


@lru_cache(maxsize=None)
def _vertex(k: int):
    return st.integers(0, k - 1).map(lambda i: tuple(Fraction(int(i == j)) for j in range(k)))


def _near_vertex_point(k, i, eps, weights):
    total = sum(weights)
    rest = [eps * Fraction(w, total) for w in weights]
    rest.insert(i, 1 - eps)
    return tuple(rest)


@lru_cache(maxsize=None)
def _near_vertex(k: int):
    if k == 1:
        return st.just((Fraction(1),))
    return st.builds(_near_vertex_point, st.just(k), st.integers(0, k - 1), _SMALL,
                     st.lists(st.integers(1, 10), min_size=k - 1, max_size=k - 1))


def _tiny_point(weights, exponents):
    raw = [Fraction(w) if e == 0 else Fraction(w, 10 ** e) for w, e in zip(weights, exponents)]
    total = sum(raw)
    return tuple(x / total for x in raw)


@lru_cache(maxsize=None)
def _tiny(k: int):
    return st.builds(_tiny_point, st.lists(st.integers(1, 9), min_size=k, max_size=k),
                     st.lists(st.sampled_from([0, 0, 6, 12, 30, 100]), min_size=k, max_size=k))


@lru_cache(maxsize=None)
def _of_size(k: int, full_support: bool):
    uniform = st.just(tuple([Fraction(1, k)] * k))
    families = [_weighted(k, full_support), uniform, _near_vertex(k), _tiny(k)]
    if not full_support:
        families.insert(1, _vertex(k))
    return st.one_of(*families)


def distributions(K=st.integers(2, 6), *, full_support: bool = False):
    """Points of ``Δ_K`` as tuples of ``Fraction`` summing exactly to 1.

    ``K`` is an int or a strategy for one (drawn first, so it shrinks first). With
    ``full_support=True`` every entry is positive (the interior ``Δ_K°``), though entries may
    still be as small as ``1e-100``.
    """
    return _dimension(K).flatmap(lambda k: _of_size(k, full_support))


def _relate(base, recipe):
    """``base`` changed as ``recipe`` says: a tie, a near-tie, a transfer, or a new draw."""
    how = recipe[0]
    if how == "tie":
        return base
    if how == "near":
        _, eta, z = recipe
        raw = [x * (1 + eta * zi) for x, zi in zip(base, z)]
        total = sum(raw)
        return tuple(x / total for x in raw)
    if how == "transfer":
        _, i, j, share = recipe
        x = list(base)
        moved = x[i] * share
        x[i] -= moved
        x[j] += moved
        return tuple(x)
    return recipe[1]


_SHARE = st.one_of(_SMALL, st.builds(lambda a, b: Fraction(min(a, b), b), st.integers(0, 10 ** 6),
                                     st.integers(1, 10 ** 6)))


@lru_cache(maxsize=None)
def _relation(k: int, full_support: bool):
    """Recipes for :func:`_relate`, built once per ``K`` (strategies are not rebuilt per draw)."""
    idx = st.integers(0, k - 1)
    return st.one_of(
        st.just(("tie",)),
        st.tuples(st.just("near"), _SMALL, st.lists(st.integers(-3, 3), min_size=k, max_size=k)),
        st.tuples(st.just("transfer"), idx, idx, _SHARE),
        st.tuples(st.just("independent"), _of_size(k, full_support)))


def related_distributions(base, *, full_support: bool = False):
    """A distribution related to ``base`` (a sequence of exact probabilities): exactly ``base``
    (a tie), a near-tie ``base_i (1 + η z_i)`` with ``η`` down to ``1e-30``, a transfer of a
    share of one outcome's mass to another, or an independent draw of the same ``K``."""
    base = tuple(Fraction(x) for x in base)
    out = _relation(len(base), full_support).map(lambda r: _relate(base, r))
    return out.filter(lambda x: min(x) > 0) if full_support else out


@lru_cache(maxsize=None)
def _aggregate(k: int):
    def mix(teachers, weights):
        w = _normalised(weights)
        return tuple(sum(wj * p[i] for wj, p in zip(w, teachers)) for i in range(k))
    teachers = st.lists(_of_size(k, True), min_size=2, max_size=3)
    return teachers.flatmap(lambda ts: st.builds(
        mix, st.just(ts), st.lists(st.integers(1, 10), min_size=len(ts), max_size=len(ts))))


def anchors(K=st.integers(2, 6)):
    """Anchors ``p*`` with full support: interior points of ``Δ_K`` and arithmetic aggregates
    ``Σ_j w_j p_j`` of two or three interior teachers with positive weights."""
    return _dimension(K).flatmap(lambda k: st.one_of(_of_size(k, True), _aggregate(k)))


def _finite(x):
    if x is None or abs(float(x)) == float("inf"):
        return None
    return Fraction(int(x.p), int(x.q)) if hasattr(x, "p") else Fraction(x)


def scalars(low, high, max_denominator: int = 10 ** 6):
    """Exact rationals in the closed interval ``[low, high]`` (an infinite bound leaves that
    side open). Both finite endpoints are drawn exactly and often; so are points ``1e-k``
    inside an endpoint; the rest shrinks towards simple fractions of the interval."""
    lo, hi = _finite(low), _finite(high)
    if lo is not None and hi is not None and not lo < hi:
        raise ValueError(f"scalars: low={low!r} must be below high={high!r}")
    ends = [st.just(v) for v in (lo, hi) if v is not None]
    n, d = st.integers(0, max_denominator), st.integers(1, max_denominator)
    if lo is not None and hi is not None:
        width = hi - lo
        inner = st.builds(lambda a, b: lo + width * Fraction(min(a, b), b), n, d)
        near = st.one_of(_SMALL.map(lambda e: lo + width * e), _SMALL.map(lambda e: hi - width * e))
    elif lo is None and hi is None:
        inner = st.builds(lambda a, b, neg: Fraction(-a if neg else a, b), n, d, st.booleans())
        near = _SMALL
    else:
        base, sign = (lo, 1) if lo is not None else (hi, -1)
        inner = st.builds(lambda a, b: base + sign * Fraction(a, b), n, d)
        near = _SMALL.map(lambda e: base + sign * e)
    return st.one_of(*ends, inner, near) if ends else st.one_of(inner, near)


def _schedule(kind, length, a, r, c, zeros):
    if kind == "constant":
        out = [a] * length
    elif kind == "harmonic":
        out = [Fraction(1, s + c) for s in range(length)]
    else:  # geometric: summable, so anchoring fades out
        out = [a * r ** s for s in range(length)]
    for i in zeros:
        if i < length:
            out[i] = Fraction(0)
    return out


def lambda_schedules(length=st.integers(1, 20)):
    """Anchoring weights ``[λ_0, …, λ_{t−1}]`` in ``[0, 1]`` as lists of ``Fraction``: a
    constant ``λ`` (including 0 and 1), harmonic ``1/(s + c)`` (``Σ λ_s = ∞``, the ``O(1/n)``
    schedule of result 7), geometric ``λ_0 r^s`` (``Σ λ_s < ∞``, so anchoring fades out), or
    arbitrary values; any of them with some generations left unanchored (``λ_s = 0``)."""
    lengths = _dimension(length, "length")
    lam = scalars(0, 1, max_denominator=1000)
    ratio = scalars(0, 1, max_denominator=100)

    def build(n):
        zeros = st.lists(st.integers(0, max(n - 1, 0)), max_size=3)
        shaped = st.builds(_schedule, st.sampled_from(["constant", "harmonic", "geometric"]),
                           st.just(n), lam, ratio, st.integers(2, 10), zeros)
        return st.one_of(shaped, st.lists(lam, min_size=n, max_size=n))
    return lengths.flatmap(build)


def _apply_moves(point, moves, choice, K):
    if choice is None:
        return point
    move, index = choice
    out = moves[move].apply(point, K)
    return out[index % len(out)] if out else point


def points(dists, scalar_symbols, K, *, boundary=()):
    """Exact values for every symbol of a claim, keyed by name: distributions (the second and
    later ones often tied or close to an earlier one) and scalars in their intervals.

    ``K`` is an int or a strategy. ``boundary`` is a sequence of moves from
    :func:`numerics.boundary.boundary_moves`; half of the draws are then moved onto the
    boundary of the dropped assumptions (``λ = 0`` exactly, ``q = p`` exactly, …).
    """
    scalar_strategies = [(s.name, scalars(s.low, s.high)) for s in scalar_symbols]
    moves = tuple(boundary)
    choices = st.one_of(st.none(), st.tuples(st.integers(0, len(moves) - 1), st.integers(0, 64)))

    def of_size(k):
        first, relation = _of_size(k, False), _relation(k, False)

        @st.composite
        def _points(draw):
            out, previous = {}, None
            for d in dists:
                previous = (_relate(previous, draw(relation)) if previous is not None
                            else draw(first))
                out[d.name] = previous
            for name, strategy in scalar_strategies:
                out[name] = draw(strategy)
            if moves:
                out = _apply_moves(out, moves, draw(choices), k)
            return out
        return _points()

    if isinstance(K, int):
        return of_size(K)
    return K.flatmap(of_size)


def claim_points(claim, K=st.integers(2, 6)):
    """:func:`points` for every distribution and scalar of ``claim``."""
    return points(claim.distributions, claim.scalars, K)
