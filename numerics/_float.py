"""Float64 evaluation of many points at once (NumPy).

Scalars are arrays of shape ``(n, 1)`` and distributions ``(n, K)``, so broadcasting does the
bookkeeping. NaN marks a value that is undefined or lost to rounding; callers must treat such
points as unknown, never as evidence. ``0·∞ = 0`` and ``0^0 = 1`` follow the exact evaluator.
"""
from __future__ import annotations

import numpy as np
import sympy as sp


class FloatBackend:
    vectorised = True

    def const(self, c):
        if c is sp.oo:
            return np.inf
        if c is -sp.oo:
            return -np.inf
        return float(c)

    def add(self, a, b):
        return np.add(a, b)

    def mul(self, a, b):
        r = np.multiply(a, b)
        if np.isinf(r).any() or np.isnan(r).any():
            r = np.where((np.equal(a, 0)) | (np.equal(b, 0)), 0.0, r)
        return r

    def div(self, a, b):
        return np.divide(a, b)

    def pow(self, a, b):
        return np.power(a, b)

    def log(self, a):
        return np.log(a)

    def exp(self, a):
        return np.exp(a)

    def abs(self, a):
        return np.abs(a)

    def minimum(self, a, b):
        return np.minimum(a, b)

    def maximum(self, a, b):
        return np.maximum(a, b)

    def compare(self, op, a, b):
        return {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
                "==": np.equal, "!=": np.not_equal}[op](a, b)

    def piecewise(self, pieces, env):
        conds = [np.asarray(c(env), dtype=bool) for c, _ in pieces]
        values = [np.asarray(v(env), dtype=float) for _, v in pieces]
        arrays = np.broadcast_arrays(*conds, *values)
        return np.select(arrays[: len(conds)], arrays[len(conds):], default=np.nan)

    def logic_and(self, parts, env):
        out = True
        for p in parts:
            out = np.logical_and(out, p(env))
        return out

    def logic_or(self, parts, env):
        out = False
        for p in parts:
            out = np.logical_or(out, p(env))
        return out

    def logic_not(self, value):
        return np.logical_not(value)

    def coordinate_sum(self, summand, vectors, key=None):
        terms = np.asarray(summand(*vectors), dtype=float)
        if terms.ndim < 2:
            terms = np.broadcast_to(terms, np.broadcast_shapes(*(np.shape(v) for v in vectors)))
        return terms.sum(axis=1, keepdims=True)

    def normalize(self, v):
        return v / np.sum(v, axis=1, keepdims=True)

    def require_nonnegative(self, w):
        return np.where(np.less(w, 0), np.nan, w)
