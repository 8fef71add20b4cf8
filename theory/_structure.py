"""Static checks of an expression: which sub-expressions are distributions, which are numbers.

``kind_of`` walks a SymPy tree and raises :class:`MalformedClaim` naming the offending
sub-expression when a distribution appears where a number belongs (or the reverse), when an
operand is unknown, or when a function has no numeric meaning here.
"""
from __future__ import annotations

import sympy as sp

from ._nodes import CoordinateSum, DistributionValued, Normalize, ScalarValued
from .errors import MalformedClaim
from .operators import ArithmeticMixture, GeometricMixture
from .symbols import DimensionSymbol, DistributionSymbol, ScalarSymbol

DIST, SCALAR = "distribution", "number"
_SCALED = "scaled distribution"

#: Scalar functions the evaluators implement.
SCALAR_FUNCS = (sp.log, sp.exp, sp.Abs, sp.Min, sp.Max, sp.Piecewise, sp.Pow, sp.Add, sp.Mul)


def _show(e) -> str:
    return str(e)


def kind_of(e) -> str:
    """``"distribution"`` or ``"number"``; raises :class:`MalformedClaim` on a misuse."""
    kind = _kind(e)
    if kind == _SCALED:
        raise MalformedClaim(
            f"{_show(e)} is a scaled distribution: it is a distribution only inside an "
            "affine combination whose weights sum to 1")
    return kind


def _kind(e) -> str:
    if isinstance(e, DistributionSymbol):
        return DIST
    if isinstance(e, (ScalarSymbol, DimensionSymbol)):
        return SCALAR
    if isinstance(e, sp.Symbol):
        raise MalformedClaim(
            f"unknown operand={_show(e)}: build symbols with dist(...) or scalar(...)")
    if e.is_Number or e in (sp.pi, sp.E, sp.oo, -sp.oo):
        if e is sp.nan or e is sp.zoo:
            raise MalformedClaim(f"operand={_show(e)} is not a number")
        return SCALAR
    if isinstance(e, (ArithmeticMixture, GeometricMixture)):
        for p in e.dist_args():
            _need(p, DIST, e)
        for w in e.scalar_args():
            _need(w, SCALAR, e)
        total = sp.simplify(sp.Add(*e.scalar_args()) - 1)
        if total != 0:
            raise MalformedClaim(f"weights={_show(tuple(e.scalar_args()))} of {_show(e)} must sum to 1")
        _nonnegative_weights(e)
        return DIST
    if isinstance(e, (DistributionValued, ScalarValued)):
        for a in e.dist_args():
            _need(a, DIST, e)
        for a in e.scalar_args():
            _need(a, SCALAR, e)
        _nonnegative_weights(e)
        return DIST if isinstance(e, DistributionValued) else SCALAR
    if isinstance(e, (CoordinateSum, Normalize)):
        raise MalformedClaim(f"operand={_show(e)} is internal; use the divergences and operators")
    if isinstance(e, sp.Add):
        if {_kind(t) for t in e.args} != {SCALAR}:
            _affine_weights(e)
            return DIST
        return SCALAR
    if isinstance(e, sp.Mul):
        vectors = [f for f in e.args if _kind(f) != SCALAR]
        if len(vectors) > 1:
            raise MalformedClaim(f"{_show(e)} multiplies distributions together")
        return _SCALED if vectors else SCALAR
    if isinstance(e, sp.Piecewise):
        for expr, cond in e.args:
            _need(expr, SCALAR, e)
            check_condition(cond)
        return SCALAR
    if isinstance(e, (sp.Pow, sp.log, sp.exp, sp.Abs, sp.Min, sp.Max)):
        for a in e.args:
            if kind_of(a) == DIST:
                raise MalformedClaim(
                    f"{_show(e)} applies {type(e).__name__} to a distribution; divergences and "
                    "operators (soften, geometric_anchor) are the only functions of distributions")
        return SCALAR
    raise MalformedClaim(f"unsupported operand={_show(e)} ({type(e).__name__})")


def _nonnegative_weights(e):
    """A mixture weight that is a negative number makes no distribution (a weight that is a
    scalar expression is checked where it is evaluated: such points are undefined)."""
    for w in getattr(e, "mixture_weights", lambda: ())():
        if w.is_number and w.is_negative:
            raise MalformedClaim(f"{_show(e)} is not a distribution: weight={_show(w)} is negative")


def _need(e, kind, parent):
    got = kind_of(e)
    if got != kind:
        raise MalformedClaim(f"argument={_show(e)} of {_show(parent)} is a {got}, expected a {kind}")


def _affine_weights(e) -> dict:
    """Weights of an affine combination of distribution atoms; they must sum to 1."""
    weights = _affine(e)
    for atom, w in weights.items():
        if w.is_negative:
            raise MalformedClaim(f"{_show(e)} is not a mixture: weight={_show(w)} of {_show(atom)} is negative")
    total = sp.simplify(sp.Add(*weights.values()) - 1)
    if total != 0:
        raise MalformedClaim(
            f"{_show(e)} is not a distribution: its weights sum to {_show(total + 1)}, not 1")
    return weights


def _affine(e) -> dict:
    if isinstance(e, sp.Add):
        out: dict = {}
        for t in e.args:
            if _kind(t) == SCALAR:
                raise MalformedClaim(f"{_show(e)} adds the number {_show(t)} to a distribution")
            for atom, w in _affine(t).items():
                out[atom] = out.get(atom, 0) + w
        return out
    if isinstance(e, sp.Mul):
        dist_factors = [f for f in e.args if _kind(f) != SCALAR]
        coeff = sp.Mul(*[f for f in e.args if f is not dist_factors[0]])
        return {atom: coeff * w for atom, w in _affine(dist_factors[0]).items()}
    return {e: sp.Integer(1)}


def check_condition(cond) -> None:
    """An assumption or Piecewise condition: relations between numbers, joined by and/or/not."""
    if cond in (sp.true, sp.false):
        return
    if isinstance(cond, sp.core.relational.Relational):
        for side in (cond.lhs, cond.rhs):
            _need(side, SCALAR, cond)
        return
    if isinstance(cond, (sp.And, sp.Or, sp.Not)):
        for c in cond.args:
            check_condition(c)
        return
    raise MalformedClaim(f"condition={_show(cond)} is not a relation between numbers")


def symbols_of(*exprs):
    """The distribution and scalar symbols the expressions use, each sorted by name."""
    dists, scalars = set(), set()
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, DistributionSymbol):
                dists.add(node)
            elif isinstance(node, ScalarSymbol):
                scalars.add(node)
    return (tuple(sorted(dists, key=lambda s: s.name)),
            tuple(sorted(scalars, key=lambda s: s.name)))
