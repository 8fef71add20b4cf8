"""Adversarial draws of distributions and scalars, vectorised with NumPy.

Tight constants live on the boundary of the simplex and at ties between distributions, so
uniform interior draws are not enough. A batch mixes families:

- single distributions: Dirichlet at several concentrations, the uniform point, exact
  vertices, near-vertices, faces (exact zeros), tiny entries down to ``1e-300``, two-point
  masses;
- relations to an earlier distribution of the same point: exact ties ``q = p``, relative
  near-ties ``q = p(1 + η z)``, small mass transfers between two outcomes (the shape of
  THEORY.md result 1's tightness witness), supports that miss mass, and mixtures;
- scalars: both endpoints exactly, points within ``1e-12..1e-1`` of an endpoint, simple
  fractions, and uniform draws (log-uniform on an infinite side).

Every draw is an exact point of ``Δ_K`` in float64 (non-negative, summing to 1 up to
rounding); the search converts candidates to exact fractions before deciding anything.
"""
from __future__ import annotations

import numpy as np

SINGLE_FAMILIES = ("dirichlet", "uniform", "vertex", "near_vertex", "face", "tiny", "two_point")
RELATED_FAMILIES = ("tie", "near_tie", "transfer", "support_gap", "mix")


def _normalise(x):
    s = x.sum(axis=1, keepdims=True)
    bad = ~(s > 0)
    if bad.any():
        x[bad[:, 0]] = 1.0
        s = x.sum(axis=1, keepdims=True)
    return x / s


def _log_uniform(rng, lo, hi, size):
    return 10.0 ** rng.uniform(lo, hi, size)


def single(rng, family: str, n: int, K: int) -> np.ndarray:
    """``n`` distributions on ``K`` outcomes from one family (rows of an ``(n, K)`` array)."""
    if family == "dirichlet":
        alpha = rng.choice([0.02, 0.1, 0.3, 1.0, 3.0, 30.0], size=(n, 1))
        return _normalise(rng.gamma(np.broadcast_to(alpha, (n, K))))
    if family == "uniform":
        return np.full((n, K), 1.0 / K)
    if family == "vertex":
        x = np.zeros((n, K))
        x[np.arange(n), rng.integers(0, K, n)] = 1.0
        return x
    if family == "near_vertex":
        eps = _log_uniform(rng, -15, -0.5, (n, 1))
        rest = _normalise(rng.gamma(np.ones((n, K))))
        x = eps * rest
        i = rng.integers(0, K, n)
        x[np.arange(n), i] += 1.0 - eps[:, 0]
        return _normalise(x)
    if family == "face":
        x = rng.gamma(np.ones((n, K)))
        drop = rng.random((n, K)) < rng.uniform(0.2, 0.8, (n, 1))
        keep = rng.integers(0, K, n)
        drop[np.arange(n), keep] = False
        x[drop] = 0.0
        return _normalise(x)
    if family == "tiny":
        x = rng.gamma(np.ones((n, K)))
        small = rng.random((n, K)) < 0.5
        keep = rng.integers(0, K, n)
        small[np.arange(n), keep] = False
        x = np.where(small, _log_uniform(rng, -300, -6, (n, K)), x)
        return _normalise(x)
    if family == "two_point":
        x = np.zeros((n, K))
        i = rng.integers(0, K, n)
        j = (i + rng.integers(1, max(K, 2), n)) % K
        t = np.where(rng.random(n) < 0.3, _log_uniform(rng, -12, -0.3, n), rng.random(n))
        x[np.arange(n), i] = 1.0 - t
        x[np.arange(n), j] += t
        return _normalise(x)
    raise ValueError(f"family={family!r} is not a single-distribution family")


def related(rng, family: str, base: np.ndarray) -> np.ndarray:
    """Distributions related to the rows of ``base`` (ties, near-ties, transfers...)."""
    n, K = base.shape
    if family == "tie":
        return base.copy()
    if family == "near_tie":
        eta = _log_uniform(rng, -12, -1, (n, 1))
        return _normalise(base * (1.0 + eta * rng.uniform(-1, 1, (n, K))))
    if family == "transfer":
        x = base.copy()
        i = rng.integers(0, K, n)
        j = (i + rng.integers(1, max(K, 2), n)) % K
        rows = np.arange(n)
        frac = np.where(rng.random(n) < 0.7, _log_uniform(rng, -12, -0.3, n), rng.random(n))
        # Move mass from the larger of the two outcomes to the smaller, or the reverse.
        big = np.where(x[rows, i] >= x[rows, j], i, j)
        small = np.where(big == i, j, i)
        src = np.where(rng.random(n) < 0.75, big, small)
        dst = np.where(src == big, small, big)
        amount = frac * x[rows, src]
        x[rows, src] -= amount
        x[rows, dst] += amount
        return np.clip(x, 0.0, None)
    if family == "support_gap":
        x = single(rng, "dirichlet", n, K)
        drop = rng.integers(0, K, n)
        x[np.arange(n), drop] = 0.0
        return _normalise(x)
    if family == "mix":
        t = np.where(rng.random((n, 1)) < 0.5, _log_uniform(rng, -9, 0, (n, 1)), rng.random((n, 1)))
        other = single(rng, rng.choice(["dirichlet", "vertex", "face"]), n, K)
        return _normalise((1 - t) * base + t * other)
    raise ValueError(f"family={family!r} is not a related-distribution family")


def scalar_draws(rng, low: float, high: float, n: int) -> np.ndarray:
    """``n`` values in ``[low, high]``; endpoints and near-endpoints are drawn often."""
    choice = rng.random(n)
    finite_lo, finite_hi = np.isfinite(low), np.isfinite(high)
    if finite_lo and finite_hi:
        width = high - low
        uniform = low + width * rng.random(n)
        near_lo = low + width * _log_uniform(rng, -12, -1, n)
        near_hi = high - width * _log_uniform(rng, -12, -1, n)
        den = rng.integers(2, 11, n)
        simple = low + width * (rng.integers(1, 10, n) % den) / den
    else:
        anchor = low if finite_lo else (high if finite_hi else 0.0)
        direction = 1.0 if finite_lo else (-1.0 if finite_hi else 0.0)
        mags = _log_uniform(rng, -6, 6, n)
        if direction == 0.0:
            uniform = np.where(rng.random(n) < 0.5, mags, -mags)
        else:
            uniform = anchor + direction * mags
        near_lo = low + _log_uniform(rng, -12, -1, n) if finite_lo else uniform
        near_hi = high - _log_uniform(rng, -12, -1, n) if finite_hi else uniform
        simple = anchor + direction * rng.integers(1, 11, n) / rng.integers(1, 5, n)
    lo_v = np.full(n, low if finite_lo else -1e6)
    hi_v = np.full(n, high if finite_hi else 1e6)
    out = np.select([choice < 0.12, choice < 0.24, choice < 0.34, choice < 0.44, choice < 0.56],
                    [lo_v, hi_v, near_lo, near_hi, simple], uniform)
    return np.clip(out, low, high)


def draw(rng, dists, scalars, K: int, n: int):
    """A batch of ``n`` points: arrays for every symbol, plus each row's family label."""
    values, labels = {}, np.empty(n, dtype=object)
    labels[:] = ""
    drawn = []
    for idx, d in enumerate(dists):
        fam = rng.choice(SINGLE_FAMILIES, size=n, p=[0.34, 0.04, 0.1, 0.14, 0.12, 0.16, 0.1])
        x = np.empty((n, K))
        for f in SINGLE_FAMILIES:
            rows = fam == f
            if rows.any():
                x[rows] = single(rng, f, int(rows.sum()), K)
        if drawn:
            rel = rng.random(n) < 0.55
            rel_fam = rng.choice(RELATED_FAMILIES, size=n, p=[0.18, 0.3, 0.3, 0.1, 0.12])
            base_idx = rng.integers(0, len(drawn), n)
            for f in RELATED_FAMILIES:
                for b in range(len(drawn)):
                    rows = rel & (rel_fam == f) & (base_idx == b)
                    if rows.any():
                        x[rows] = related(rng, f, drawn[b][rows])
                        fam = np.where(rows, f"{f}({dists[b].name})", fam)
        drawn.append(x)
        values[d] = x
        labels = np.char.add(labels.astype(str), np.char.add(f"{d.name}:", fam.astype(str)))
        labels = np.char.add(labels, " ")
    for s in scalars:
        values[s] = scalar_draws(rng, float(s.low), float(s.high), n)
    return values, labels
