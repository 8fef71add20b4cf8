"""Exact points on the boundary that a dropped assumption used to guard.

When an assumption is dropped the domain widens, and the new counterexamples usually sit right
where the assumption drew its line: dropping ``λ > 0`` admits ``λ = 0``; dropping
``KL(p‖q) > 0`` admits ``q = p``; dropping ``KL(p*‖q) < ∞`` admits a ``q`` that misses an
outcome. Random draws reach such points only by luck (and float64 never reaches ``λ = 1/3``),
so :func:`boundary_moves` reads them off the dropped conditions and the search tries them
exactly, as explicit Hypothesis examples and as moves mixed into its draws.

A move maps a point (names → exact values, as :mod:`numerics.strategies` draws them) to zero
or more points. Moves come from each relation ``a ⋈ b`` in a condition (through ``&``, ``|``,
``~``):

- a scalar the relation mentions is set to each root of ``a = b`` (solved exactly by SymPy
  when ``a − b`` is a rational function of it; a root depending on other scalars is evaluated
  at the point), to rationals just either side of each root, and to its interval's endpoints;
- a divergence ``D(x, y)`` between two distribution symbols in the relation gives the ties
  ``y := x`` and ``x := y`` (every divergence vanishes exactly at a tie);
- a relation with ``∞`` on one side (``D(x, y) < ∞``) gives support gaps: ``y`` with one
  entry set to 0, renormalised;
- the dimension ``K`` contributes its roots and their neighbours to the dimensions searched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product

import sympy as sp
from sympy.core.relational import Relational

from theory._nodes import ScalarValued
from theory.symbols import DimensionSymbol, DistributionSymbol, ScalarSymbol

#: How close the "just beside the root" points are, relative to the interval's width.
BESIDE = Fraction(1, 10 ** 6)


class Move:
    """Maps an exact point to points on a boundary; ``description`` says which."""

    description = ""

    def apply(self, point: dict, K: int) -> list:
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.description}>"


@dataclass(frozen=True, repr=False)
class SetScalar(Move):
    """``name := value`` (an exact rational)."""

    name: str
    value: Fraction

    @property
    def description(self):
        return f"{self.name} = {self.value}"

    def apply(self, point, K):
        return [{**point, self.name: self.value}]


@dataclass(frozen=True, repr=False)
class SolveScalar(Move):
    """``name := root(other scalars)``, kept only when the root is rational and in range."""

    symbol: ScalarSymbol
    root: sp.Expr

    @property
    def description(self):
        return f"{self.symbol.name} = {self.root}"

    def apply(self, point, K):
        subs = {s: sp.Rational(Fraction(point[s.name]))
                for s in self.root.free_symbols if isinstance(s, ScalarSymbol) and s.name in point}
        v = self.root.subs(subs)
        if not v.is_Rational or not self.symbol.contains(v):
            return []
        return [{**point, self.symbol.name: Fraction(int(v.p), int(v.q))}]


@dataclass(frozen=True, repr=False)
class Tie(Move):
    """``target := source``: two distributions made exactly equal."""

    target: str
    source: str

    @property
    def description(self):
        return f"{self.target} = {self.source}"

    def apply(self, point, K):
        return [{**point, self.target: tuple(point[self.source])}]


@dataclass(frozen=True, repr=False)
class SupportGap(Move):
    """``target`` with one entry set to 0 and the rest renormalised (each entry in turn)."""

    target: str

    @property
    def description(self):
        return f"{self.target} with an entry 0"

    def apply(self, point, K):
        x = [Fraction(v) for v in point[self.target]]
        out = []
        for i in range(len(x)):
            rest = sum(x) - x[i]
            if x[i] > 0 and rest > 0:
                out.append({**point, self.target: tuple(Fraction(0) if j == i else v / rest
                                                        for j, v in enumerate(x))})
        return out


@dataclass(frozen=True)
class Boundary:
    """The moves of each dropped condition, and extra dimensions to search."""

    moves: tuple = ()
    per_condition: tuple = ()
    dims: tuple = ()
    conditions: tuple = field(default=(), repr=False)

    def descriptions(self) -> list:
        return sorted({m.description for m in self.moves})

    def combined(self, limit: int = 64) -> list:
        """Tuples of moves, one per condition, for dropping several conditions at once."""
        if len(self.per_condition) < 2:
            return []
        out = []
        for combo in product(*[c for c in self.per_condition if c]):
            out.append(combo)
            if len(out) >= limit:
                break
        return out


def _atoms(cond):
    if isinstance(cond, Relational):
        yield cond
    elif isinstance(cond, (sp.And, sp.Or, sp.Not)):
        for c in cond.args:
            yield from _atoms(c)


def _rational(v) -> Fraction | None:
    v = sp.nsimplify(v) if v.is_number and not v.is_Rational else v
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return None


def _rationals_near(v, lo, hi, width):
    """Rationals at ``v`` (when rational) and just either side of it, inside ``[lo, hi]``."""
    exact = _rational(v)
    out = []
    if exact is not None:
        out.append(exact)
        step = width * BESIDE if width is not None else BESIDE
        out += [exact - step, exact + step]
    elif v.is_real and v.is_finite:
        approx = Fraction(str(sp.N(v, 30)))
        out += [approx.limit_denominator(10 ** 9), approx.limit_denominator(1000)]
    return [x for x in out if (lo is None or x >= lo) and (hi is None or x <= hi)]


def _bound(b):
    return Fraction(int(b.p), int(b.q)) if b.is_Rational else (
        None if not b.is_finite else Fraction(str(sp.N(b, 30))))


def _roots(f, sym):
    """Real roots of ``f = 0`` in ``sym`` when ``f`` is a rational function of it, else ()."""
    x = sp.Dummy("x", real=True)
    g = sp.together(f.subs(sym, x))
    num, _ = sp.fraction(g)
    if not num.has(x) or not num.is_polynomial(x):
        return ()
    try:
        roots = sp.solve(num, x)
    except (NotImplementedError, ValueError):
        return ()
    return tuple(r for r in roots if r.is_real is not False)


def _scalar_moves(atom, sym):
    f = atom.lhs - atom.rhs
    lo, hi = _bound(sym.low), _bound(sym.high)
    width = hi - lo if lo is not None and hi is not None else None
    values, moves = set(), []
    if not any(isinstance(n, ScalarValued) for n in sp.preorder_traversal(f)):
        for r in _roots(f, sym):
            if r.free_symbols:
                if all(isinstance(s, ScalarSymbol) for s in r.free_symbols):
                    moves.append(SolveScalar(sym, r))
                continue
            values.update(_rationals_near(r, lo, hi, width))
    values.update(v for v in (lo, hi) if v is not None)
    moves += [SetScalar(sym.name, v) for v in sorted(values) if sym.contains(v)]
    return moves


def _dims_of(atom):
    k = next(s for s in atom.free_symbols if isinstance(s, DimensionSymbol))
    out = set()
    for r in _roots(atom.lhs - atom.rhs, k):
        v = _rational(r)
        if v is not None:
            for n in (v.numerator // v.denominator - 1, v.numerator // v.denominator,
                      -(-v.numerator // v.denominator), -(-v.numerator // v.denominator) + 1):
                if n >= 1:
                    out.add(int(n))
    return out


def _moves_of(cond):
    moves, dims = [], set()
    for atom in _atoms(cond):
        syms = atom.free_symbols
        for s in sorted((s for s in syms if isinstance(s, ScalarSymbol)), key=lambda s: s.name):
            moves += _scalar_moves(atom, s)
        if any(isinstance(s, DimensionSymbol) for s in syms):
            dims |= _dims_of(atom)
        infinite = sp.oo in (atom.lhs, atom.rhs) or -sp.oo in (atom.lhs, atom.rhs)
        for node in sp.preorder_traversal(atom):
            if not isinstance(node, ScalarValued):
                continue
            args = [a for a in node.dist_args() if isinstance(a, DistributionSymbol)]
            if len(args) == 2 and args[0] != args[1]:
                x, y = args
                moves += [Tie(y.name, x.name), Tie(x.name, y.name)]
                if infinite:
                    moves.append(SupportGap(y.name))
    unique = list(dict.fromkeys(moves))
    return unique, dims


def boundary_moves(conditions) -> Boundary:
    """The boundary of each dropped condition as exact moves (see the module docstring)."""
    per, dims = [], set()
    for cond in conditions:
        moves, d = _moves_of(cond)
        per.append(tuple(moves))
        dims |= d
    flat = tuple(dict.fromkeys(m for ms in per for m in ms))
    return Boundary(flat, tuple(per), tuple(sorted(dims)), tuple(conditions))


def named_values(exprs, scalar_symbols, limit: int = 8) -> tuple:
    """``SetScalar`` moves to the rational constants the expressions name inside a scalar's
    open interval (``λ = 1/3`` in a claim comparing ``Φ_λ`` with ``Φ_{1/3}``): a claim is
    often special exactly where it names a value, and random draws never land there."""
    constants = []
    for e in exprs:
        for a in sp.preorder_traversal(e):
            if isinstance(a, sp.Rational) and a not in constants:
                constants.append(a)
    moves = []
    for s in scalar_symbols:
        inside = [c for c in constants if s.low < c < s.high][:limit]
        moves += [SetScalar(s.name, Fraction(int(c.p), int(c.q))) for c in inside]
    return tuple(moves)


def canonical_points(dists, scalar_symbols, K: int) -> list:
    """A few simple exact points to move onto a boundary: distinct interior distributions,
    a uniform anchor with vertex students, and everything uniform; scalars at a simple
    interior value (the middle of a finite interval)."""
    def scalar_value(s):
        lo, hi = _bound(s.low), _bound(s.high)
        if lo is not None and hi is not None:
            return (lo + hi) / 2
        if lo is not None:
            return lo + 1
        if hi is not None:
            return hi - 1
        return Fraction(0)

    def staggered(j):
        w = [1 + (i + j) % K for i in range(K)]
        return tuple(Fraction(x, sum(w)) for x in w)

    uniform = tuple([Fraction(1, K)] * K)

    def vertex(j):
        return tuple(Fraction(int(i == j % K)) for i in range(K))

    bases = [
        [staggered(j) for j in range(len(dists))],
        [uniform] + [vertex(j) for j in range(len(dists) - 1)],
        [staggered(0)] + [vertex(K - 1 - j) for j in range(len(dists) - 1)],
        [uniform] * len(dists),
    ]
    scal = {s.name: scalar_value(s) for s in scalar_symbols}
    out = []
    for b in bases:
        point = {d.name: v for d, v in zip(dists, b)}
        point.update(scal)
        if point not in out:
            out.append(point)
    return out


def boundary_points(boundary: Boundary, dists, scalar_symbols, K: int, limit: int = 96) -> list:
    """Canonical points moved onto the boundary by every move (and, when several conditions
    were dropped, by one move of each at once), without duplicates, at most ``limit``."""
    out, seen = [], set()

    def add(p):
        key = tuple(sorted((k, tuple(v) if isinstance(v, tuple) else v) for k, v in p.items()))
        if key not in seen:
            seen.add(key)
            out.append(p)

    bases = canonical_points(dists, scalar_symbols, K)
    chains = [(m,) for m in boundary.moves] + boundary.combined()
    for chain in chains:
        for base in bases:
            current = [base]
            for m in chain:
                current = [q for p in current for q in m.apply(p, K)]
            for p in current:
                add(p)
    return out[:limit]
