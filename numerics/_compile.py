"""Turn a SymPy expression of ``theory`` into a function of an environment, for one backend.

The compiler reads every divergence and operator through its ``definition()``, so the formula
evaluated is the formula rendered and derived. A backend supplies the arithmetic (float64
batches in :mod:`numerics._float`, exact/ball points in :mod:`numerics._ball`).
"""
from __future__ import annotations

from functools import reduce

import sympy as sp
from sympy.core.relational import Relational

from theory._nodes import CoordinateSum, DistributionValued, Normalize, ScalarValued
from theory.claims import RELATIONS
from theory.operators import ArithmeticMixture, GeometricMixture, LinearAnchor

_OPS = dict(RELATIONS.items())
_OPS[sp.Unequality] = "!="


def _hashable(v):
    try:
        hash(v)
        return v
    except TypeError:
        return id(v)


def compile_expr(expr, backend):
    """A function ``f(env)`` evaluating ``expr``; ``env`` maps symbols to backend values."""
    return _Compiler(backend).build(expr)


class _Compiler:
    def __init__(self, backend):
        self.b = backend
        self.memo = {}

    def build(self, e):
        f = self.memo.get(e)
        if f is None:
            f = self.memo[e] = self._build(e)
        return f

    def _build(self, e):
        b = self.b
        if isinstance(e, sp.Symbol):
            return lambda env: env[e]
        if e.is_Number or e in (sp.pi, sp.E):
            c = b.const(e)
            return lambda env: c
        if e is sp.true or e is sp.false:
            v = bool(e)
            return lambda env: v
        if isinstance(e, (ArithmeticMixture, GeometricMixture, LinearAnchor)):
            weights = [self.build(w) for w in e.mixture_weights()]
            inner = self.build(e.definition())

            def mixture(env):
                for w in weights:
                    b.require_nonnegative(w(env))
                return inner(env)
            return mixture
        if isinstance(e, (ScalarValued, DistributionValued)):
            return self.build(e.definition())
        if isinstance(e, CoordinateSum):
            params = e.summand.variables
            body = self.build(e.summand.expr)
            vectors = [self.build(v) for v in e.vectors]
            # The summand may use outer scalars (Rényi's order): part of the sharing key.
            outer = sorted(e.summand.free_symbols, key=str)

            def coordinate_sum(env):
                def summand(*entries):
                    inner = dict(env)
                    inner.update(zip(params, entries))
                    return body(inner)
                key = (e.summand, tuple(_hashable(env[s]) for s in outer))
                return b.coordinate_sum(summand, [v(env) for v in vectors], key=key)
            return coordinate_sum
        if isinstance(e, Normalize):
            v = self.build(e.args[0])
            return lambda env: b.normalize(v(env))
        if isinstance(e, sp.Add):
            parts = [self.build(a) for a in e.args]
            return lambda env: reduce(b.add, [p(env) for p in parts])
        if isinstance(e, sp.Mul):
            return self._mul(e)
        if isinstance(e, sp.Pow):
            return self._pow(e)
        if isinstance(e, (sp.log, sp.exp, sp.Abs)):
            f = {sp.log: b.log, sp.exp: b.exp, sp.Abs: b.abs}[e.func]
            if e.func is sp.log and len(e.args) != 1:
                raise NotImplementedError("log with a base")
            x = self.build(e.args[0])
            return lambda env: f(x(env))
        if isinstance(e, (sp.Min, sp.Max)):
            f = b.minimum if isinstance(e, sp.Min) else b.maximum
            parts = [self.build(a) for a in e.args]
            return lambda env: reduce(f, [p(env) for p in parts])
        if isinstance(e, sp.Piecewise):
            pieces = [(self.build(c), self.build(v)) for v, c in e.args]
            return lambda env: b.piecewise(pieces, env)
        if isinstance(e, Relational):
            op = _OPS[type(e)]
            lhs, rhs = self.build(e.lhs), self.build(e.rhs)
            return lambda env: b.compare(op, lhs(env), rhs(env))
        if isinstance(e, (sp.And, sp.Or)):
            parts = [self.build(a) for a in e.args]
            f = b.logic_and if isinstance(e, sp.And) else b.logic_or
            return lambda env: f(parts, env)
        if isinstance(e, sp.Not):
            x = self.build(e.args[0])
            return lambda env: b.logic_not(x(env))
        raise NotImplementedError(f"cannot evaluate {e!r} ({type(e).__name__})")

    def _mul(self, e):
        b = self.b
        # A reciprocal factor becomes a division, so that x/0 follows the division rules.
        num, den = [], []
        for f in e.args:
            if isinstance(f, sp.Pow) and f.exp.is_Number and f.exp < 0:
                den.append(self.build(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp)))
            else:
                num.append(self.build(f))

        def mul(env):
            value = reduce(b.mul, [n(env) for n in num]) if num else b.const(sp.Integer(1))
            for d in den:
                value = b.div(value, d(env))
            return value
        return mul

    def _pow(self, e):
        b = self.b
        base = self.build(e.base)
        if e.exp.is_Number and e.exp < 0:
            pos = self.build(e.base if e.exp == -1 else sp.Pow(e.base, -e.exp))
            one = b.const(sp.Integer(1))
            return lambda env: b.div(one, pos(env))
        exponent = self.build(e.exp)
        return lambda env: b.pow(base(env), exponent(env))
