"""A claim: one relation between numbers built from distributions, with named assumptions."""
from __future__ import annotations

from types import MappingProxyType

import sympy as sp
from sympy.core.relational import Relational

from ._structure import SCALAR, check_condition, kind_of, symbols_of
from .errors import MalformedClaim
from .printing import latex

#: Relation classes a claim may use, with the operator each stands for.
RELATIONS = {sp.LessThan: "<=", sp.StrictLessThan: "<", sp.GreaterThan: ">=",
             sp.StrictGreaterThan: ">", sp.Equality: "=="}
EXPECTATIONS = ("holds", "fails")


class Claim:
    """``Claim(name, relation, assume={name: condition}, expect="holds")``.

    The relation (``<=``, ``<``, ``>=``, ``>`` or ``sympy.Eq``) is asserted for every ``K``,
    every tuple of distributions on the closed simplex ``Δ_K`` and every scalar in its closed
    interval, that satisfies all the assumptions. ``expect="fails"`` records a statement known
    to be false: checking it succeeds when a counterexample is found.

    Raises :class:`~theory.errors.MalformedClaim` (naming the claim) when the relation is not
    one of those five, when a side is a distribution or uses an unknown operand, or when an
    assumption is not a condition between numbers.
    """

    __slots__ = ("name", "relation", "assume", "expect")

    def __init__(self, name, relation, assume=None, expect="holds"):
        if not isinstance(name, str) or not name.strip():
            raise MalformedClaim(f"claim name={name!r} must be a non-empty string")
        self.name = name
        self.relation = self._relation(relation)
        self.assume = MappingProxyType(self._assumptions(assume))
        if expect not in EXPECTATIONS:
            self._fail(f"expect={expect!r} must be one of {EXPECTATIONS}")
        self.expect = expect
        self._symbols()

    def _fail(self, message):
        raise MalformedClaim(f"claim {self.name!r}: {message}")

    def _relation(self, relation):
        if isinstance(relation, (bool, sp.logic.boolalg.BooleanAtom)):
            self._fail(f"relation={relation!r} is not a relation: SymPy decided it before "
                       "any check (write both sides so that they stay symbolic)")
        if not isinstance(relation, Relational) or type(relation) not in RELATIONS:
            self._fail(f"relation={relation!r} is not a relation (use <=, <, >=, > or sympy.Eq)")
        for side in (relation.lhs, relation.rhs):
            try:
                kind = kind_of(side)
            except MalformedClaim as exc:
                self._fail(str(exc))
            if kind != SCALAR:
                self._fail(f"side={side} of the relation is a distribution, not a number")
        return relation

    def _assumptions(self, assume):
        if assume is None:
            return {}
        if not isinstance(assume, dict):
            self._fail(f"assume={assume!r} must be a dict mapping a name to a condition")
        out = {}
        for key, cond in assume.items():
            if not isinstance(key, str) or not key.strip():
                self._fail(f"assumption name={key!r} must be a non-empty string")
            if isinstance(cond, bool):
                cond = sp.true if cond else sp.false
            if cond is sp.false:
                self._fail(f"assumption {key!r}={cond} is never satisfied")
            try:
                check_condition(cond)
            except MalformedClaim as exc:
                self._fail(f"assumption {key!r}: {exc}")
            out[key] = cond
        return out

    def _symbols(self):
        seen = {}
        for s in self.distributions + self.scalars:
            other = seen.setdefault(s.name, s)
            if other != s:
                self._fail(f"two different symbols share name={s.name!r}")

    @property
    def lhs(self) -> sp.Expr:
        return self.relation.lhs

    @property
    def rhs(self) -> sp.Expr:
        return self.relation.rhs

    @property
    def op(self) -> str:
        """The relation as ``"<="``, ``"<"``, ``">="``, ``">"`` or ``"=="``."""
        return RELATIONS[type(self.relation)]

    @property
    def distributions(self):
        return symbols_of(self.relation, *self.assume.values())[0]

    @property
    def scalars(self):
        return symbols_of(self.relation, *self.assume.values())[1]

    def without(self, *names: str) -> "Claim":
        """The same claim with the named assumptions dropped (the domain widens)."""
        unknown = [n for n in names if n not in self.assume]
        if unknown:
            self._fail(f"no assumption named {unknown[0]!r}; it has {sorted(self.assume)}")
        kept = {k: v for k, v in self.assume.items() if k not in names}
        return Claim(self.name, self.relation, kept, self.expect)

    def latex(self) -> str:
        """The statement, with its assumptions, as LaTeX (no surrounding math delimiters)."""
        body = latex(self.relation)
        conds = [latex(c) for c in self.assume.values()]
        ranges = [rf"{latex(s)} \in [{latex(s.low)}, {latex(s.high)}]" for s in self.scalars]
        dists = ", ".join(latex(d) for d in self.distributions)
        where = ([rf"{dists} \in \Delta_K"] if dists else []) + ranges + conds
        return body + (r"\quad\text{for } " + ",\\ ".join(where) if where else "")

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def _repr_html_(self) -> str:
        """The name, the expectation and the statement (as ``\\(…\\)`` for MathJax)."""
        from html import escape

        expected = "expected to hold" if self.expect == "holds" else "expected to fail"
        statement = escape(f"\\(\\displaystyle {self.latex()}\\)")
        return f"<div><b>{escape(self.name)}</b> ({expected})<br>{statement}</div>"

    def __repr__(self) -> str:
        extra = f", assume={dict(self.assume)!r}" if self.assume else ""
        if self.expect != "holds":
            extra += f", expect={self.expect!r}"
        return f"Claim({self.name!r}, {self.relation}{extra})"

    def __eq__(self, other):
        return (isinstance(other, Claim) and (self.name, self.relation, dict(self.assume),
                self.expect) == (other.name, other.relation, dict(other.assume), other.expect))

    def __hash__(self):
        return hash((self.name, self.relation, self.expect))
