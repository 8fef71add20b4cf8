"""Coordinates of a distribution-valued expression, as plain SymPy expressions.

A distribution-valued expression (an operator applied to distribution symbols) is a vector;
:func:`coordinates` writes out its ``K`` entries when every distribution is given as a list of
SymPy expressions (exact rationals, or symbols), and :func:`generic_coordinate` writes its
``i``-th entry for symbolic ``K`` (distributions become ``IndexedBase`` entries, a
normalisation becomes a ``Sum`` over ``j``). Both read each operator through its
``definition()``, so they state no formula of their own. ``0^0 = 1`` is SymPy's own convention.
"""
from __future__ import annotations

import sympy as sp

from ._nodes import DistributionValued, Normalize, ScalarValued
from .errors import MalformedClaim
from .symbols import K, DistributionSymbol


def _combine(func, parts):
    n = next((len(x) for x in parts if isinstance(x, list)), None)
    if n is None:
        return func(*parts)
    return [func(*(x[i] if isinstance(x, list) else x for x in parts)) for i in range(n)]


def _walk(e, leaf, normalize):
    if isinstance(e, DistributionSymbol):
        return leaf(e)
    if isinstance(e, sp.Symbol):
        return leaf(e)
    if e.is_Number or e in (sp.pi, sp.E):
        return e
    if isinstance(e, Normalize):
        return normalize(_walk(e.args[0], leaf, normalize))
    if isinstance(e, DistributionValued):
        return _walk(e.definition(), leaf, normalize)
    if isinstance(e, ScalarValued):
        raise MalformedClaim(f"{e}: a divergence inside an operator has no coordinate form here")
    return _combine(e.func, [_walk(a, leaf, normalize) for a in e.args])


def coordinates(expr, values: dict) -> list:
    """The entries of ``expr`` where ``values`` maps each distribution symbol to a list of SymPy
    expressions and may map scalar symbols to values (unmapped scalars stay symbolic)."""
    def leaf(s):
        v = values.get(s, s)
        return list(v) if isinstance(v, (list, tuple)) else v

    def normalize(v):
        total = sp.Add(*v)
        return [x / total for x in v]

    out = _walk(expr, leaf, normalize)
    if not isinstance(out, list):
        raise MalformedClaim(f"{expr} is a number, not a distribution")
    return out


def generic_coordinate(expr, index, *, entries=None):
    """The ``index``-th entry of ``expr`` for symbolic ``K``.

    A distribution symbol ``q`` becomes ``entries[q][index]`` (default
    ``IndexedBase(q.name)[index]``); ``Normalize(v)`` becomes ``v_index / Σ_{j=1}^{K} v_j``.
    """
    j = sp.Dummy("j", integer=True, positive=True)
    bases = dict(entries or {})

    def leaf(s):
        if isinstance(s, DistributionSymbol):
            base = bases.setdefault(s, sp.IndexedBase(s.name, nonnegative=True))
            return base[index]
        return s

    def normalize(v):
        return v / sp.Sum(v.subs(index, j), (j, 1, K))

    return _walk(expr, leaf, normalize)
