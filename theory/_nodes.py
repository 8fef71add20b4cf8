"""Base classes of the expression nodes this project adds to SymPy.

Every node has a ``definition()``: a SymPy expression in terms of more primitive nodes,
ending in :class:`CoordinateSum` and elementwise arithmetic. Evaluation, rendering and
derivations all read that one definition; nothing else restates the formula.
"""
from __future__ import annotations

import sympy as sp


class DistributionValued(sp.Function):
    """A node whose value is a distribution on ``{1..K}`` (an operator applied to arguments)."""

    #: How many leading arguments are distributions; the rest are scalars.
    dist_arity = 1
    is_distribution_node = True

    @classmethod
    def eval(cls, *args):
        return None

    def dist_args(self):
        return self.args[: self.dist_arity]

    def scalar_args(self):
        return self.args[self.dist_arity:]

    def definition(self) -> sp.Expr:
        raise NotImplementedError


class ScalarValued(sp.Function):
    """A node whose value is an extended real computed from distributions (a divergence)."""

    dist_arity = 2

    @classmethod
    def eval(cls, *args):
        return None

    def _eval_is_extended_real(self):
        return True

    def dist_args(self):
        return self.args[: self.dist_arity]

    def scalar_args(self):
        return self.args[self.dist_arity:]

    def definition(self) -> sp.Expr:
        raise NotImplementedError


class CoordinateSum(sp.Function):
    """``CoordinateSum(f, a, b, ...) = Σ_{i=1}^{K} f(a_i, b_i, ...)`` for distributions a, b, ...

    ``f`` is a :class:`sympy.Lambda` whose body may use ``Piecewise`` to state the boundary
    conventions (``0 log 0 = 0``, ``+∞`` where mass meets no support).
    """

    @classmethod
    def eval(cls, *args):
        return None

    @property
    def summand(self) -> sp.Lambda:
        return self.args[0]

    @property
    def vectors(self):
        return self.args[1:]

    def definition(self) -> sp.Expr:
        return self

    def indexed(self, index=None, dimension=None, interior: bool = False) -> sp.Sum:
        """The sum written with an explicit index, for display and derivations.

        With ``interior=True`` the boundary conventions are dropped (every entry positive), which
        is the form the symbolic derivations work with.
        """
        from .symbols import K

        i = index if index is not None else sp.Symbol("i", integer=True, positive=True)
        entries = [sp.Indexed(sp.IndexedBase(_base_name(v)), i) for v in self.vectors]
        body = self.summand(*entries)
        if interior:
            body = _main_branch(body)
        return sp.Sum(body, (i, 1, dimension if dimension is not None else K))

    def _latex(self, printer, exp=None):
        s = printer._print(self.indexed())
        return s if exp is None else rf"\left({s}\right)^{{{exp}}}"


def _main_branch(expr):
    """Replace each Piecewise by its final (otherwise) branch: the formula on the interior."""
    return expr.replace(lambda e: isinstance(e, sp.Piecewise), lambda e: e.args[-1].expr)


def _base_name(vector) -> str:
    from .printing import latex

    s = latex(vector)
    return s if getattr(vector, "is_Symbol", False) else rf"\left({s}\right)"


class Normalize(sp.Function):
    """``Normalize(v) = v / Σ_i v_i`` for an elementwise non-negative vector expression ``v``."""

    @classmethod
    def eval(cls, *args):
        return None

    def _latex(self, printer, exp=None):
        return rf"\frac{{{printer._print(self.args[0])}}}{{Z}}"
