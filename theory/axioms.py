r"""Axioms as objects: the meta-teacher axioms M1–M7, the softening axioms S1–S6 and the
aggregation axioms A1–A5 of THEORY.md, each with a LaTeX statement and a symbolic check.

An :class:`Operator` is a family of distributions built from theory's expressions: a
meta-teacher operator ``Φ(q, anchor, λ)``, a softening ``S(p, T)`` or a two-teacher aggregate
``A(p_1, p_2, ω) = A_{(ω, 1−ω)}(p_1, p_2)``. An :class:`Axiom` states a property of one family;
``axiom.statement(op)`` is its LaTeX, ``axiom.claims(op)`` the :class:`~theory.Claim` objects
that say it where a claim can (searched numerically by ``numerics.axiom_checks``), and
``axiom.certify(op)`` a :class:`Certificate` when a SymPy argument covers the whole domain
(every ``K``, every point), or ``None``.

Readings where THEORY.md names an axiom without a formula (this project's reading):

- M7 is checked with the constant ``c(λ) = 1 − λ`` (the constant results 1 and 3 derive).
- Softening, ``T ∈ [1/20, 20]`` (``T → 0`` and ``T → ∞`` are limits, S5 and S6):
  S1 ranking preservation ``p_i ≥ p_j ⇒ S_T(p)_i ≥ S_T(p)_j``; S2 continuity in ``T``;
  S3 ``T ↦ H(S_T(p))`` non-decreasing; S4 ``S_1 = id``; S5 as ``T → 0`` the mass of ``S_T(p)``
  off the argmax set of ``p`` tends to 0; S6 as ``T → ∞``, ``S_T(p)`` tends to the uniform
  distribution on the support of ``p`` (zero entries stay zero).
- Aggregation, two teachers, weights ``(ω, 1−ω)``: A1 convexity, the aggregate lies in the
  convex hull of the teachers (the segment ``[p_1, p_2]``); A2 positivity, an outcome that a
  teacher with positive weight supports keeps positive mass; A3 continuity in
  ``(p_1, p_2, ω)``; A4 weight monotonicity, ``ω ↦ KL(p_1 ‖ A)`` non-increasing (more weight on
  a teacher moves the aggregate toward it); A5 temperature coherence, softening commutes with
  aggregation, ``S_T(A(p_1, p_2)) = A(S_T(p_1), S_T(p_2))``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from ._coordinates import generic_coordinate
from ._nodes import DistributionValued
from ._structure import DIST, kind_of, symbols_of
from .claims import Claim
from .divergences import entropy, kl, tv
from .errors import MalformedClaim, NotADistribution, NotAnOperator, UnknownOperator
from .operators import geometric_anchor, geometric_mixture, linear_anchor, mixture, soften
from .printing import latex
from .symbols import dist, scalar

META, SOFTENING, AGGREGATION = "meta-teacher", "softening", "aggregation"

#: The symbols every axiom is stated in.
P = dist("p", latex="p^*")
Q = dist("q")
PS = dist("p")  # the softened distribution
LAM = scalar("lambda", 0, 1)
MU = scalar("mu", 0, 1)
T = scalar("T", sp.Rational(1, 20), 20)
T2 = scalar("T_2", sp.Rational(1, 20), 20, latex="T'")
P1, P2 = dist("p_1"), dist("p_2")
OMEGA = scalar("omega", 0, 1)
NU = scalar("nu", 0, 1)
_I = sp.Symbol("i", integer=True, positive=True)


class _Placeholder(DistributionValued):
    """An unspecified operator, for rendering an axiom without an operator."""

    dist_arity = 2

    def _latex(self, printer, exp=None):
        q, a, lam = self.args
        return rf"\Phi_{{{printer._print(lam)}}}\left({printer._print(q)}; {printer._print(a)}\right)"


class _PlaceholderSoften(DistributionValued):
    dist_arity = 1

    def _latex(self, printer, exp=None):
        p, t = self.args
        return rf"S_{{{printer._print(t)}}}\left({printer._print(p)}\right)"


class _PlaceholderAggregate(DistributionValued):
    dist_arity = 2

    def _latex(self, printer, exp=None):
        a, b, w = self.args
        return rf"A_{{{printer._print(w)}}}\left({printer._print(a)}, {printer._print(b)}\right)"


@dataclass(frozen=True)
class Operator:
    """A family of distributions built from theory's expressions.

    ``build`` takes ``(q, anchor, λ)`` (meta-teacher), ``(p, T)`` (softening) or
    ``(p_1, p_2, ω)`` (aggregation) and returns a distribution-valued expression.
    """

    name: str
    family: str
    build: Callable

    def __call__(self, *args):
        return self.build(*args)

    def at_symbols(self):
        """The operator applied to the standard symbols of its family."""
        return self.build(*_ARGS[self.family])


_ARGS = {META: (Q, P, LAM), SOFTENING: (PS, T), AGGREGATION: (P1, P2, OMEGA)}

OPERATORS = {
    "linear": Operator("linear", META, linear_anchor),
    "geometric": Operator("geometric", META, geometric_anchor),
    "soften": Operator("soften", SOFTENING, soften),
    "mixture": Operator("mixture", AGGREGATION, lambda a, b, w: mixture([a, b], [w, 1 - w])),
    "geometric-mixture": Operator("geometric-mixture", AGGREGATION,
                                  lambda a, b, w: geometric_mixture([a, b], [w, 1 - w])),
}

_PLACEHOLDER = {META: Operator("Phi", META, _Placeholder),
                SOFTENING: Operator("S", SOFTENING, _PlaceholderSoften),
                AGGREGATION: Operator("A", AGGREGATION, _PlaceholderAggregate)}


def operator(name: str) -> Operator:
    """A built-in operator family by name (``linear``, ``geometric``, ``soften``, ``mixture``,
    ``geometric-mixture``); :class:`~theory.errors.UnknownOperator` otherwise."""
    try:
        return OPERATORS[name]
    except KeyError:
        raise UnknownOperator(f"operator={name!r} is not one of {', '.join(OPERATORS)} "
                              "(or FILE.py:NAME)") from None


def user_operator(name: str, fn, family: str = META) -> Operator:
    """Wrap a user's function of ``(q, anchor, λ)`` as an operator after checking that it is
    callable and returns a distribution-valued theory expression at the standard symbols."""
    if not callable(fn):
        raise NotAnOperator(f"operator={name!r} is {type(fn).__name__}, not a callable of "
                            "(q, anchor, lambda)")
    args = _ARGS[family]
    try:
        out = fn(*args)
    except MalformedClaim as exc:
        raise NotADistribution(f"operator={name!r}: {exc}") from None
    except Exception as exc:  # the user's code failed on symbolic input
        raise NotAnOperator(f"operator={name!r} fails on symbolic (q, anchor, lambda): "
                            f"{type(exc).__name__}: {exc}") from None
    if not isinstance(out, sp.Basic):
        raise NotADistribution(f"operator={name!r} returns {out!r}, not a theory expression")
    try:
        kind = kind_of(out)
    except MalformedClaim as exc:
        raise NotADistribution(f"operator={name!r} returns {out}: {exc}") from None
    if kind != DIST:
        raise NotADistribution(f"operator={name!r} returns {out}, a number, not a distribution")
    dists, scalars = symbols_of(out)
    extra = sorted(s.name for s in set(dists + scalars) - set(args))
    if extra:
        raise NotAnOperator(f"operator={name!r} uses {', '.join(extra)} besides its arguments "
                            "(q, anchor, lambda)")
    return Operator(name, family, fn)


@dataclass(frozen=True)
class Certificate:
    """A symbolic argument: each step is a statement SymPy checked to be true."""

    steps: tuple

    def text(self) -> str:
        return "; ".join(self.steps)


class _Steps:
    """Collects checked steps; a step whose SymPy check is not True ends the argument."""

    def __init__(self):
        self.steps = []

    def need(self, ok, text):
        if ok is not True:
            raise _NoProof(text)
        self.steps.append(text)


class _NoProof(Exception):
    pass


@dataclass(frozen=True)
class Axiom:
    """One axiom: a code (``M1``), a name, its family, how it is checked numerically
    (``kind``: ``claims``, ``closure``, ``support``, ``continuity``, ``ranking``, ``limit``,
    ``hull``), a LaTeX statement and, optionally, claims and a symbolic certificate."""

    code: str
    name: str
    family: str
    kind: str
    _statement: Callable
    _claims: Callable | None = None
    _certify: Callable | None = None

    def statement(self, op: Operator | None = None) -> str:
        """The axiom in LaTeX for ``op`` (a generic operator symbol when omitted)."""
        return self._statement(op or _PLACEHOLDER[self.family])

    def claims(self, op: Operator) -> tuple:
        """Claims whose conjunction is the axiom for ``op`` (empty when no claim can say it)."""
        return tuple(self._claims(op)) if self._claims else ()

    def certify(self, op: Operator) -> Certificate | None:
        """A checked symbolic argument that ``op`` meets the axiom everywhere, or None."""
        if self._certify is None:
            return None
        steps = _Steps()
        try:
            self._certify(op, steps)
        except (_NoProof, MalformedClaim, NotImplementedError, TypeError, ValueError,
                sp.PolynomialError):
            return None
        return Certificate(tuple(steps.steps))

    def _repr_latex_(self) -> str:
        return rf"$\textbf{{{self.code}}}\ \text{{{self.name}}}:\quad {self.statement()}$"


# -- symbolic helpers ---------------------------------------------------------------------

def _coord(op):
    return generic_coordinate(op.at_symbols(), _I)


def _entry(s):
    return sp.IndexedBase(s.name, nonnegative=True)[_I]


def _normalised(expr):
    """Use ``Σ_j x_j = 1`` for every distribution symbol ``x``."""
    def is_total(e):
        return (isinstance(e, sp.Sum) and isinstance(e.function, sp.Indexed)
                and e.function.indices == (e.limits[0][0],))
    return expr.replace(is_total, lambda e: sp.Integer(1))


def _combine_powers(expr):
    inside = expr.replace(lambda e: isinstance(e, sp.Sum),
                          lambda e: sp.Sum(sp.powsimp(e.function, force=True), *e.limits))
    return sp.powsimp(inside, force=True)


def _zero(expr) -> bool:
    return sp.simplify(_normalised(_combine_powers(expr))) == 0


def _affine(op):
    """``(α, β)`` with coordinate ``α q_i + β a_i`` (first two arguments), or raise."""
    c = sp.expand(_coord(op))
    a, b = (_entry(s) for s in _ARGS[op.family][:2])
    if c.has(sp.Sum) or not c.is_polynomial(a, b):
        raise _NoProof("not affine in the distributions")
    poly = sp.Poly(c, a, b)
    if poly.total_degree() > 1 or poly.coeff_monomial(1) != 0 or c.has(sp.Sum):
        raise _NoProof("not affine in the distributions")
    return poly.coeff_monomial(a), poly.coeff_monomial(b)


def _nonneg_on(expr, var, interval) -> bool:
    bad = sp.solve_univariate_inequality(expr < 0, var, relational=False)
    return sp.Intersection(bad, interval) is sp.EmptySet


def _pos_on(expr, var, interval) -> bool:
    bad = sp.solve_univariate_inequality(expr <= 0, var, relational=False)
    return sp.Intersection(bad, interval) is sp.EmptySet


def _scalar_of(op):
    return _ARGS[op.family][-1]


def _certify_affine_closure(op, s):
    alpha, beta = _affine(op)
    v = _scalar_of(op)
    s.need(sp.simplify(alpha + beta - 1) == 0,
           f"coordinate = ({latex(alpha)}) x_i + ({latex(beta)}) y_i with coefficients summing to 1, "
           "so the entries sum to 1")
    s.need(_nonneg_on(alpha, v, sp.Interval(0, 1)) and _nonneg_on(beta, v, sp.Interval(0, 1)),
           f"both coefficients are non-negative for {v} in [0, 1], so every entry is")


def _certify_affine_positive(op, s):
    alpha, beta = _affine(op)
    v = _scalar_of(op)
    s.need(_nonneg_on(alpha, v, sp.Interval(0, 1)),
           f"{latex(alpha)} >= 0 for {v} in [0, 1]")
    s.need(_pos_on(beta, v, sp.Interval.Lopen(0, 1)),
           f"{latex(beta)} > 0 for {v} in (0, 1], so entry i >= ({latex(beta)}) y_i > 0 where y_i > 0")


def _certify_aggregate_positive(op, s):
    alpha, beta = _affine(op)
    s.need(_pos_on(alpha, OMEGA, sp.Interval.Lopen(0, 1)) and _nonneg_on(beta, OMEGA, sp.Interval(0, 1)),
           f"coefficient of p_1 {latex(alpha)} > 0 for omega in (0, 1], that of p_2 non-negative")
    s.need(_pos_on(beta, OMEGA, sp.Interval.Ropen(0, 1)) and _nonneg_on(alpha, OMEGA, sp.Interval(0, 1)),
           f"coefficient of p_2 {latex(beta)} > 0 for omega in [0, 1), that of p_1 non-negative: "
           "an entry a positively weighted teacher supports stays positive")


def _certify_polynomial(op, s):
    c = _coord(op)
    gens = [_entry(x) for x in _ARGS[op.family][:2]] + [_scalar_of(op)]
    s.need(not c.has(sp.Sum) and c.is_polynomial(*gens),
           "each coordinate is a polynomial in the entries and the weight, hence continuous")


def _certify_anchor_fixed(op, s):
    c = _coord(op).xreplace({_entry(Q).base: _entry(P).base})
    s.need(_zero(c - _entry(P)), r"coordinate of \Phi_\lambda(p^*; p^*) minus p^*_i simplifies to 0 "
           r"(powers of one base combined: x^{1-\lambda} x^\lambda = x also at x = 0, the exponents "
           "being non-negative with sum 1; sums of a distribution's entries replaced by 1)")


def _certify_boundary(op, s):
    c = _coord(op)
    s.need(_zero(c.subs(LAM, 0) - _entry(Q)), r"coordinate at \lambda = 0 minus q_i simplifies to 0 (0^0 = 1)")
    s.need(_zero(c.subs(LAM, 1) - _entry(P)), r"coordinate at \lambda = 1 minus p^*_i simplifies to 0 (0^0 = 1)")


def _certify_identity_softening(op, s):
    c = _coord(op)
    s.need(_zero(c.subs(T, 1) - _entry(PS)), "coordinate at T = 1 minus p_i simplifies to 0")


def _certify_ranking(op, s):
    c = _coord(op)
    x = sp.Symbol("x", positive=True)
    num, den = sp.fraction(sp.together(c))
    s.need(not den.has(_entry(PS)) or isinstance(den, sp.Sum),
           "the normaliser is common to every coordinate")
    f = num.subs(_entry(PS), x)
    s.need(not f.has(sp.Indexed), "the numerator depends on p_i alone")
    Tp = sp.Symbol("T", positive=True)
    s.need(f.subs(T, Tp).subs(x, 0) == 0, "the numerator vanishes at p_i = 0")
    s.need(sp.diff(f.subs(T, Tp), x).is_nonnegative is True and den.subs(T, Tp).is_nonnegative is True,
           f"d/dx {latex(f)} >= 0 for x > 0, T > 0: the numerator is increasing in p_i "
           "(and 0 at p_i = 0), so p_i >= p_j implies S_T(p)_i >= S_T(p)_j")


def _certify_hull(op, s):
    alpha, beta = _affine(op)
    s.need(sp.simplify(alpha - OMEGA) == 0 and sp.simplify(beta - (1 - OMEGA)) == 0,
           r"coordinate = \omega p_{1,i} + (1-\omega) p_{2,i}: a point of the segment [p_1, p_2]")


# -- statements ---------------------------------------------------------------------------

def _phi(op, q=Q, a=P, lam=LAM):
    return op(q, a, lam)


@dataclass(frozen=True)
class Decided:
    """An axiom statement that SymPy settles for every point before any check: the operator
    makes both sides identical (``value`` True) or the relation false everywhere (False)."""

    name: str
    value: bool


def _claim(name, relation, assume=None):
    """The axiom's statement as a :class:`Claim`, or :class:`Decided` when SymPy has already
    decided the relation (a trivial operator such as the identity makes ``kl(p, q) <= kl(p, q)``
    evaluate to ``True``)."""
    if relation in (sp.true, sp.false):
        return Decided(name, bool(relation))
    return Claim(name, relation, assume=assume or {})


def _meta_axioms():
    def claims_m2(op):
        return [_claim("M2 anchor fixed point", sp.Eq(tv(_phi(op, P), P), 0))]

    def claims_m3(op):
        return [_claim("M3 boundary lambda = 0", sp.Eq(tv(_phi(op, lam=0), Q), 0)),
                _claim("M3 boundary lambda = 1", sp.Eq(tv(_phi(op, lam=1), P), 0))]

    def claims_m6(op):
        return [_claim("M6 anchoring monotonicity", kl(P, _phi(op, lam=MU)) <= kl(P, _phi(op)),
                      assume={"order": LAM <= MU})]

    def claims_m7(op):
        return [_claim("M7 KL contraction with c = 1 - lambda",
                      kl(P, _phi(op)) <= (1 - LAM) * kl(P, Q), assume={"anchoring": LAM > 0})]

    L = latex
    return (
        Axiom("M1", "closure", META, "closure",
              lambda op: rf"{L(_phi(op))} \in \Delta_K \quad \forall q \in \Delta_K,\ \lambda \in [0,1]",
              None, _certify_affine_closure),
        Axiom("M2", "anchor fixed point", META, "claims",
              lambda op: rf"{L(_phi(op, P))} = p^*", claims_m2, _certify_anchor_fixed),
        Axiom("M3", "boundary", META, "claims",
              lambda op: rf"{L(_phi(op, lam=0))} = q, \quad {L(_phi(op, lam=1))} = p^*",
              claims_m3, _certify_boundary),
        Axiom("M4", "support inheritance", META, "support",
              lambda op: rf"\lambda > 0,\ p^* \in \Delta_K^\circ \implies {L(_phi(op))} \in \Delta_K^\circ",
              None, _certify_affine_positive),
        Axiom("M5", "continuity", META, "continuity",
              lambda op: rf"(q, \lambda) \mapsto {L(_phi(op))} \text{{ is continuous on }} \Delta_K \times [0,1]",
              None, _certify_polynomial),
        Axiom("M6", "anchoring monotonicity", META, "claims",
              lambda op: rf"\lambda \mapsto {L(kl(P, _phi(op)))} \text{{ is non-increasing}}", claims_m6),
        Axiom("M7", "KL contraction", META, "claims",
              lambda op: rf"{L(kl(P, _phi(op)))} \le c(\lambda)\, {L(kl(P, Q))},\ c(\lambda) = 1 - \lambda < 1 "
                         r"\text{ for } \lambda > 0", claims_m7),
    )


def _softening_axioms():
    L = latex

    def claims_s3(op):
        return [_claim("S3 entropy non-decreasing in T", entropy(op(PS, T)) <= entropy(op(PS, T2)),
                      assume={"order": T <= T2})]

    def claims_s4(op):
        return [_claim("S4 identity at T = 1", sp.Eq(tv(op(PS, 1), PS), 0))]

    return (
        Axiom("S1", "ranking preservation", SOFTENING, "ranking",
              lambda op: rf"p_i \ge p_j \implies {L(op(PS, T))}_i \ge {L(op(PS, T))}_j", None, _certify_ranking),
        Axiom("S2", "continuity in T", SOFTENING, "continuity",
              lambda op: rf"T \mapsto {L(op(PS, T))} \text{{ is continuous on }} (0, \infty)"),
        Axiom("S3", "entropy monotonicity", SOFTENING, "claims",
              lambda op: rf"T \le T' \implies {L(entropy(op(PS, T)))} \le {L(entropy(op(PS, T2)))}", claims_s3),
        Axiom("S4", "identity", SOFTENING, "claims",
              lambda op: rf"{L(op(PS, 1))} = p", claims_s4, _certify_identity_softening),
        Axiom("S5", "low-temperature limit", SOFTENING, "limit",
              lambda op: rf"\lim_{{T \to 0^+}} \sum_{{i \in \arg\max p}} {L(op(PS, T))}_i = 1"),
        Axiom("S6", "high-temperature limit", SOFTENING, "limit",
              lambda op: rf"\lim_{{T \to \infty}} {L(op(PS, T))} = \mathrm{{uniform}}(\operatorname{{supp}} p)"),
    )


def _aggregation_axioms():
    L = latex

    def agg(op, a=P1, b=P2, w=OMEGA):
        return op(a, b, w)

    def claims_a4(op):
        return [_claim("A4 weight monotonicity", kl(P1, agg(op, w=NU)) <= kl(P1, agg(op)),
                      assume={"order": OMEGA <= NU})]

    def claims_a5(op):
        return [_claim("A5 temperature coherence",
                      sp.Eq(tv(soften(agg(op), T), agg(op, soften(P1, T), soften(P2, T))), 0))]

    return (
        Axiom("A1", "convexity", AGGREGATION, "hull",
              lambda op: rf"{L(agg(op))} \in \operatorname{{conv}}\{{p_1, p_2\}}", None, _certify_hull),
        Axiom("A2", "positivity", AGGREGATION, "support",
              lambda op: rf"\omega > 0,\ p_{{1,i}} > 0 \implies {L(agg(op))}_i > 0"
                         r"\ (\text{and likewise for } p_2 \text{ with } 1-\omega)",
              None, _certify_aggregate_positive),
        Axiom("A3", "continuity", AGGREGATION, "continuity",
              lambda op: rf"(p_1, p_2, \omega) \mapsto {L(agg(op))} \text{{ is continuous}}",
              None, _certify_polynomial),
        Axiom("A4", "weight monotonicity", AGGREGATION, "claims",
              lambda op: rf"\omega \mapsto {L(kl(P1, agg(op)))} \text{{ is non-increasing}}", claims_a4),
        Axiom("A5", "temperature coherence", AGGREGATION, "claims",
              lambda op: rf"{L(soften(agg(op), T))} = {L(agg(op, soften(P1, T), soften(P2, T)))}", claims_a5),
    )


AXIOMS = {META: _meta_axioms(), SOFTENING: _softening_axioms(), AGGREGATION: _aggregation_axioms()}


def axioms(family: str = META) -> tuple:
    """The axioms of one family (``meta-teacher``, ``softening``, ``aggregation``)."""
    return AXIOMS[family]
