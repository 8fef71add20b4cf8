"""Deciding equalities between expressions by SymPy, on the interior of the simplex.

An expression built from theory's nodes is rewritten into explicit coordinate sums: every
divergence through its ``definition()``, every operator coordinatewise, ``Normalize(v)`` as
``v_i / Σ_j v_j``. A ``Piecewise`` of a node's own definition (the boundary conventions
``0 log 0 = 0``, ``α = 1`` in a Rényi divergence) becomes the branch the equality assumptions
select, else its final branch (the formula when every entry is positive and the scalar
parameters avoid the special values). A ``Piecewise`` written by the user must be decided by
the equality assumptions; otherwise the equality is not proved. The difference of two
expressions is then reduced to a canonical form:

- sums over the same index are merged into one summand, with ``log`` of a product or power
  expanded only where SymPy proves the factors positive (every entry is; a scalar expression
  is checked over the scalars' ranges);
- a summand term ``c·x_i`` with ``x`` a distribution and ``c`` free of ``i`` sums to ``c``
  (``Σ_i x_i = 1``), and a term free of ``i`` sums to ``K·c``.

Two expressions are equal *for symbolic K* when both the merged summand and the remainder
simplify to zero. When that reduction fails, :func:`equal_for_each_k` expands the sums for
each concrete ``K`` of a range, with each distribution written ``x_k = u_k / Σ u`` over
positive symbols ``u`` (so both positivity and normalisation are exact), and simplifies.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ._coordinates import generic_coordinate
from ._nodes import CoordinateSum, DistributionValued, Normalize, ScalarValued
from ._structure import DIST, kind_of, symbols_of
from .symbols import DistributionSymbol, K

#: The index of every outermost coordinate sum.
I = sp.Symbol("i", integer=True, positive=True)
_CANON = sp.Dummy("iota", integer=True, positive=True)


class _Coordinates:
    """Rewrites number-valued theory expressions into explicit sums over ``IndexedBase``
    entries (one positive base per distribution)."""

    def __init__(self, subs=None):
        self.bases: dict[str, sp.IndexedBase] = {}
        self.subs = dict(subs or {})

    def base(self, sym: DistributionSymbol) -> sp.IndexedBase:
        b = self.bases.get(sym.name)
        if b is None:
            b = self.bases[sym.name] = sp.IndexedBase(sym.name, positive=True)
        return b

    def coord(self, e, i):
        """Coordinate ``i`` of a distribution expression, with positive entries (the interior);
        the rewriting itself is :func:`theory._coordinates.generic_coordinate`'s."""
        entries = {d: self.base(d) for d in symbols_of(e)[0]}
        return generic_coordinate(e, i, entries=entries)

    def scalar(self, e):
        """A number-valued expression with every divergence written as an explicit sum over
        the index ``I`` (sums inside a coordinate, from a normalisation, use their own)."""
        if isinstance(e, ScalarValued):
            d = e.definition()
            if isinstance(d, sp.Piecewise):
                d = _decided(d, self.subs)
                d = d.args[-1].expr if isinstance(d, sp.Piecewise) else d
            return self.scalar(d)
        if isinstance(e, CoordinateSum):
            f = e.summand
            body = sp.Lambda(f.variables, _boundary_dropped(f))(*[self.coord(v, I) for v in e.vectors])
            return sp.Sum(body, (I, 1, K))
        if isinstance(e, sp.Piecewise):
            d = _decided(e, self.subs)
            if isinstance(d, sp.Piecewise):
                raise _Undecided(e)
            return self.scalar(d)
        if isinstance(e, (DistributionSymbol, DistributionValued, Normalize)):
            raise TypeError(f"expression={e} is a distribution, not a number")
        if not e.args or isinstance(e, (sp.Symbol, sp.Indexed)):
            return e
        return e.func(*[self.scalar(a) for a in e.args])


def _boundary_dropped(summand: sp.Lambda):
    """The summand's body with each Piecewise whose conditions are on the entries (the
    boundary conventions) replaced by its final branch: its value when every entry is
    positive. Any other Piecewise stays, to be decided or to fail."""
    def boundary(e):
        return (isinstance(e, sp.Piecewise)
                and all(c.cond.free_symbols <= set(summand.variables) for c in e.args[:-1]))
    return summand.expr.replace(boundary, lambda e: e.args[-1].expr)


class _Undecided(Exception):
    """A Piecewise written by the user whose branch the assumptions do not decide."""


def _decided(pw, subs):
    """``pw`` with the equality assumptions substituted into its conditions: the branch they
    select, or a Piecewise still undecided."""
    return sp.Piecewise(*[(c.expr, c.cond.subs(subs) if subs else c.cond) for c in pw.args])


@lru_cache(maxsize=4096)
def _positive(e) -> bool:
    """Whether SymPy proves ``e > 0`` for every value of its scalar symbols in their open
    ranges, distribution entries and sums ``Σ_{j=1}^{K}`` of positive terms being positive."""
    from .derivation import provably_nonnegative

    if e.is_positive:
        return True
    sums = {s: sp.Dummy("S", positive=True) for s in e.atoms(sp.Sum)
            if s.limits[0][1:] == (1, K) and _positive(s.function)}
    return provably_nonnegative(e.xreplace(sums), strict=True)


def _split_log(arg):
    """``log(arg)`` with each positive factor ``b^n`` (``n`` real) written ``n·log b``; the
    product of the other factors stays inside one logarithm (valid: ``log(P z) = log P + log z``
    for ``P > 0``)."""
    terms, rest = [], []
    for f in sp.Mul.make_args(arg):
        b, n = f.as_base_exp()
        if f.is_Number and f.is_positive:
            terms.append(sp.log(f))
        elif n.is_extended_real and _positive(b):
            terms.append(n * (_split_log(b) if isinstance(b, sp.Mul) else sp.log(b)))
        else:
            rest.append(f)
    if rest:
        terms.append(sp.log(sp.Mul(*rest)))
    return sp.Add(*terms)


def expand_logs(e):
    """``e`` with every logarithm expanded over its provably positive factors."""
    return e.replace(lambda a: isinstance(a, sp.log), lambda a: _split_log(a.args[0]))


def _prep(e):
    e = sp.expand(e)
    e = expand_logs(e)
    return sp.expand(e)


def _is_unit_sum(s, bases) -> bool:
    """``Σ_j x_j`` for a distribution ``x``: equal to 1."""
    (idx, lo, hi) = s.limits[0]
    f = s.function
    return (lo == 1 and hi == K and isinstance(f, sp.Indexed) and f.base in bases
            and f.indices == (idx,))


def _drop_unit_sums(e, bases):
    return e.replace(lambda x: isinstance(x, sp.Sum) and _is_unit_sum(x, bases),
                     lambda x: sp.Integer(1))


def reduce_difference(diff, bases) -> tuple:
    """``(summand, rest)``: ``diff = Σ_i summand + rest`` with the normalisation and constant
    rules applied; both are zero when the reduction proves ``diff = 0``."""
    e = _prep(_drop_unit_sums(diff, bases))
    summand, rest = sp.Integer(0), sp.Integer(0)
    for term in sp.Add.make_args(e):
        factors = sp.Mul.make_args(term)
        sums = [f for f in factors if isinstance(f, sp.Sum) and f.limits == ((I, 1, K),)]
        if len(sums) == 1:
            coeff = sp.Mul(*[f for f in factors if f is not sums[0]])
            summand += coeff * sums[0].function
        else:
            rest += term
    left = sp.Integer(0)
    for term in sp.Add.make_args(_prep(_drop_unit_sums(summand, bases))):
        if not term.has(I):
            rest += K * term
            continue
        factors = sp.Mul.make_args(term)
        entries = [f for f in factors if isinstance(f, sp.Indexed) and f.base in bases
                   and f.indices == (I,)]
        others = [f for f in factors if not (entries and f is entries[0])]
        if len(entries) == 1 and not sp.Mul(*others).has(I):
            rest += sp.Mul(*others)
            continue
        coeff = _normalised_share(factors)
        if coeff is not None:
            rest += coeff
        else:
            left += term
    return left, rest


def _normalised_share(factors):
    """For a summand term ``c · g_i / Σ_j g_j`` (``c`` free of ``i``), return ``c``: the
    shares of a normalised vector sum to 1. None when the term has another shape."""
    varying = [f for f in factors if f.has(I)]
    for f in factors:
        if (isinstance(f, sp.Pow) and f.exp == -1 and isinstance(f.base, sp.Sum)
                and not f.has(I)):
            s = f.base
            (idx, lo, hi) = s.limits[0]
            if (lo, hi) == (1, K) and _prep(s.function.xreplace({idx: I})) == _prep(sp.Mul(*varying)):
                return sp.Mul(*[g for g in factors if g is not f and not g.has(I)])
    return None


def _atomize(e):
    """Replace closed sums by symbols (equal sums by the same symbol) and entries ``x_i`` by
    positive symbols, so that ``simplify`` sees an ordinary expression."""
    table: dict = {}

    def closed(s):
        (idx, lo, hi) = s.limits[0]
        canon = sp.Sum(_prep(s.function.xreplace({idx: _CANON})), (_CANON, lo, hi))
        if canon not in table:
            positive = _positive(canon.function)
            table[canon] = sp.Dummy("S", positive=True) if positive else sp.Dummy("S", real=True)
        return table[canon]

    e = e.replace(lambda x: isinstance(x, sp.Sum), closed)
    entries = {x: sp.Dummy(str(x), positive=True) for x in e.atoms(sp.Indexed)}
    return e.xreplace(entries)


def _is_zero(e) -> bool:
    if e == 0:
        return True
    a = _atomize(e)
    a = _prep(a)
    if a == 0:
        return True
    return sp.simplify(a) == 0


def difference(a, b, subs=None):
    """The coordinate form of ``a − b`` (numbers) or of ``a_i − b_i`` (distributions), and the
    distribution bases it uses."""
    c = _Coordinates(subs)
    a, b = sp.sympify(a), sp.sympify(b)

    if kind_of(a) == DIST:
        diff = c.coord(a, I) - c.coord(b, I)
    else:
        diff = c.scalar(a) - c.scalar(b)
    if subs:
        diff = diff.subs(subs)
    if diff.has(sp.Piecewise):  # written by the user inside a distribution or a condition
        raise _Undecided(diff)
    return diff, set(c.bases.values())


def equal_symbolic_k(a, b, subs=None) -> bool:
    """Whether SymPy proves ``a = b`` for every ``K`` on the interior of the simplex."""
    try:
        diff, bases = difference(a, b, subs)
    except _Undecided:
        return False
    left, rest = reduce_difference(diff, bases)
    return _is_zero(left) and _is_zero(rest)


def equal_for_each_k(a, b, ks, subs=None) -> bool:
    """Whether SymPy proves ``a = b`` on the interior of the simplex for each ``K`` in ``ks``."""
    try:
        diff, bases = difference(a, b, subs)
    except _Undecided:
        return False
    for k in ks:
        e = diff.subs(K, k)
        e = e.replace(lambda x: isinstance(x, sp.Sum),
                      lambda s: sp.Add(*[s.function.xreplace({s.limits[0][0]: n})
                                         for n in range(1, k + 1)]))
        values = {}
        for base in bases:
            u = [sp.Dummy(f"u{n}", positive=True) for n in range(k)]
            total = sp.Add(*u)
            values.update({base[n + 1]: u[n] / total for n in range(k)})
        if not _zero_rational(e.xreplace(values)):
            return False
    return True


def _zero_rational(e) -> bool:
    """Whether an expression in positive symbols and scalars is zero: simplified with its
    logarithms expanded, or with them combined (``log A − log B`` as ``A/B = 1``, only when
    every logarithm has a provably positive argument and every symbol is real)."""
    if sp.simplify(expand_logs(e)) == 0:
        return True
    if not (all(_positive(g.args[0]) for g in e.atoms(sp.log))
            and all(s.is_extended_real for s in e.free_symbols)):
        return False
    combined = sp.logcombine(sp.expand(e), force=True)
    if isinstance(combined, sp.log):
        return sp.simplify(sp.cancel(sp.together(combined.args[0])) - 1) == 0
    return False
