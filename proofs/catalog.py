"""The results of THEORY.md as claims: data, checked by one generic runner.

Each :class:`Result` carries its number in THEORY.md, a title and its claims. A claim's
assumptions are named so that they can be dropped one at a time (``metadistill falsify
--drop NAME``, and the necessity table of ``metadistill check``). Besides the results
themselves, some claims are here to show that an assumption is necessary (THEORY.md's
failure modes); their docstring-like comments say what each does and does not show.

Results 8 and 10 are scalar claims over closed forms that :mod:`theory.constants` derives
with SymPy; deriving them takes several seconds, so those claims are built on first use.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from theory import (Claim, K, dist, geometric_anchor, geometric_mixture, kl, linear_anchor,
                    mixture, renyi, scalar, soften, tv)

p_star = dist("p_star", latex=r"p^{*}")
q = dist("q")
p1, p2, p3 = dist("p1", latex="p_{1}"), dist("p2", latex="p_{2}"), dist("p3", latex="p_{3}")
lam = scalar("lambda", 0, 1)
t = scalar("t", 0, 60)
w = scalar("w", 0, 1)
w1, w2 = scalar("w1", 0, 1, latex="w_{1}"), scalar("w2", 0, 1, latex="w_{2}")

ANCHORING = {"anchoring": lam > 0}
#: Selects the anchoring family in claims that compare the two: 0 is linear, any other value
#: geometric. The assumption ``Eq(geo, 0)`` ("linear family") is then droppable.
geo = scalar("geo", 0, 1, latex=r"g")
LINEAR = {"linear family": sp.Eq(geo, 0)}
FINITE = {"finite KL(p*||q)": kl(p_star, q) < sp.oo}
T = scalar("T", sp.Rational(1, 10), 10)
delta = scalar("delta", 0, 1, latex=r"\delta")
kl_0 = scalar("KL_0", 0, 10, latex=r"\mathrm{KL}_0")
lam_0 = scalar("lambda_0", sp.Rational(1, 100), 1, latex=r"\lambda_0")
n_samples = scalar("N", 1, 10 ** 6)


def _family(linear, geometric):
    """``linear`` when ``geo = 0``, else ``geometric`` (two numbers built by either family)."""
    return sp.Piecewise((linear, sp.Eq(geo, 0)), (geometric, True))


@dataclass(frozen=True)
class Result:
    number: int
    title: str
    claims: tuple


class _Derived:
    """Claims built on first use (their closed forms take SymPy several seconds)."""

    def __init__(self, build):
        self._build, self._claims = build, None

    def _get(self) -> tuple:
        if self._claims is None:
            self._claims = tuple(self._build())
        return self._claims

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())

    def __getitem__(self, i):
        return self._get()[i]

    def __contains__(self, claim):
        return claim in self._get()


def _constant(name, result):
    """A closed form of :mod:`theory.constants`, in this catalog's scalar symbols."""
    from theory import constants as c

    expr = c.constant(name, result).expr
    return expr.subs({c.lam: lam, c.t: t, c.delta: delta, c.KL_0: kl_0, c.N: n_samples, c.K: K})


def _error_floor_claims():
    # Result 8 with the derived bound for lambda > 0 and the derived drift at lambda = 0.
    # Claim: whatever floor delta/lambda_0 anchoring at strength lambda >= lambda_0 guarantees,
    # the error stays below it for every t. Dropping "anchoring" admits lambda = 0, where the
    # drift KL_0 + t delta passes any such floor (t > 1/lambda_0): errors accumulate. It shows
    # unboundedness only through the bound of result 8 (a closed form), not a simulation.
    error_t = sp.Piecewise((_constant("unanchored drift (lambda = 0)", 8), sp.Eq(lam, 0)),
                           (_constant("KL bound with per-generation error delta", 8), True))
    return (_c("R8 errors stay below KL_0 + delta/lambda_0 when lambda >= lambda_0",
               error_t <= kl_0 + delta / lam_0, {"anchoring": lam >= lam_0}),)


def _finite_sample_claims():
    # Result 10: the stationary expected chi-square (K-1)/(N(1-(1-lambda)^2) + (1-lambda)^2)
    # stays below K - 1, the expected chi-square of a vertex drawn from p* (a collapsed
    # student). Dropping "anchoring" gives lambda = 0 and exactly K - 1: collapse onto a
    # vertex. It is a statement about the closed form of the expectation, not a simulation.
    stationary = _constant("stationary expected chi-square", 10)
    return (_c("R10 anchoring keeps finite-sample students off the vertices: E chi2 < K - 1",
               stationary < K - 1,
               {"anchoring": lam > 0, "more than one sample": n_samples > 1,
                "two or more outcomes": K >= 2}),)


def _c(name, relation, assume=None, expect="holds"):
    return Claim(name, relation, assume, expect)


RESULTS = (
    Result(1, "Linear contraction, forward", (
        _c("R1 linear anchoring contracts KL(p*||.) by 1-lambda",
           kl(p_star, linear_anchor(q, p_star, lam)) <= (1 - lam) * kl(p_star, q), ANCHORING),
        # Necessity: without anchoring (lambda = 0) nothing contracts; at q = p* nothing can.
        _c("R1 anchoring strictly decreases KL(p*||.) unless q = p*",
           kl(p_star, linear_anchor(q, p_star, lam)) < kl(p_star, q),
           {**ANCHORING, "q differs from p*": kl(p_star, q) > 0, **FINITE}),
    )),
    Result(2, "Linear contraction, reverse", (
        _c("R2 linear anchoring contracts KL(.||p*) by 1-lambda",
           kl(linear_anchor(q, p_star, lam), p_star) <= (1 - lam) * kl(q, p_star), ANCHORING),
        # Necessity: the same contraction for the geometric family (geo != 0) is result 4's
        # false statement; dropping "linear family" finds its counterexample.
        _c("R2 reverse-KL contraction by 1-lambda, linear family",
           _family(kl(linear_anchor(q, p_star, lam), p_star),
                   kl(geometric_anchor(q, p_star, lam), p_star)) <= (1 - lam) * kl(q, p_star),
           {**ANCHORING, **LINEAR}),
    )),
    Result(3, "Geometric anchoring, forward", (
        _c("R3 geometric anchoring: exact Renyi-gap identity",
           sp.Eq(kl(p_star, geometric_anchor(q, p_star, lam)),
                 (1 - lam) * kl(p_star, q) - lam * renyi(q, p_star, 1 - lam)),
           {"finite KL(p*||q)": kl(p_star, q) < sp.oo}),
        _c("R3 geometric anchoring contracts KL(p*||.) by 1-lambda",
           kl(p_star, geometric_anchor(q, p_star, lam)) <= (1 - lam) * kl(p_star, q), ANCHORING),
    )),
    Result(4, "Geometric anchoring, reverse", (
        _c("R4 geometric anchoring does not increase KL(.||p*)",
           kl(geometric_anchor(q, p_star, lam), p_star) <= kl(q, p_star), ANCHORING),
        _c("R4 geometric anchoring contracts KL(.||p*) by 1-lambda (false)",
           kl(geometric_anchor(q, p_star, lam), p_star) <= (1 - lam) * kl(q, p_star),
           ANCHORING, expect="fails"),
    )),
    Result(5, "Geometric convergence of the realizable linear recursion", (
        _c("R5 t generations contract KL(p*||.) by (1-lambda)^t",
           kl(p_star, linear_anchor(q, p_star, 1 - (1 - lam) ** t))
           <= (1 - lam) ** t * kl(p_star, q), ANCHORING),
    )),
    Result(6, "Fixed point and Pinsker rate", (
        _c("R6 Pinsker: TV <= sqrt(KL/2)", tv(p_star, q) <= sp.sqrt(kl(p_star, q) / 2)),
        _c("R6 TV to the anchor after t generations <= sqrt((1-lambda)^t KL_0/2)",
           tv(p_star, linear_anchor(q, p_star, 1 - (1 - lam) ** t))
           <= sp.sqrt((1 - lam) ** t * kl(p_star, q) / 2), ANCHORING),
        # Necessity (axiom M4): anchoring gives the student the anchor's support. Dropping
        # "linear family" shows geometric anchoring keeps a student's zero entries (faces of
        # the simplex are invariant); dropping "anchoring" shows lambda = 0 keeps them too.
        _c("R6 M4 anchoring restores the anchor's support: KL(p*||Phi(q)) < oo",
           _family(kl(p_star, linear_anchor(q, p_star, lam)),
                   kl(p_star, geometric_anchor(q, p_star, lam))) < sp.oo,
           {**ANCHORING, **LINEAR}),
        # Necessity: uniqueness of the fixed point among students with finite KL(p*||q).
        # Dropping that assumption finds a vertex that geometric anchoring leaves fixed: the
        # fixed point is not unique on the closed simplex.
        _c("R6 geometric anchoring moves every q != p* with finite KL(p*||q)",
           tv(geometric_anchor(q, p_star, lam), q) > 0,
           {**ANCHORING, "q differs from p*": tv(q, p_star) > 0, **FINITE}),
    )),
    Result(8, "Error floor", _Derived(_error_floor_claims)),
    Result(10, "Finite-sample students", _Derived(_finite_sample_claims)),
    Result(11, "Softening inside the loop", (
        # Necessity: at T = 1 the anchor is a fixed point of q -> (1-lambda) S_T(q) + lambda p*;
        # dropping "T = 1" shows p* is no longer fixed, so the fixed point moves off p*
        # (this claim does not locate the biased fixed point).
        _c("R11 at T = 1 the anchor is a fixed point of (1-lambda) S_T(.) + lambda p*",
           sp.Eq(tv(linear_anchor(soften(p_star, T), p_star, lam), p_star), 0),
           {"T = 1": sp.Eq(T, 1)}),
    )),
    Result(12, "Multi-teacher anchors (Jensen-type)", (
        _c("R12 arithmetic anchor: KL(sum w_j p_j||q) <= sum w_j KL(p_j||q)",
           kl(mixture((p1, p2), (w, 1 - w)), q) <= w * kl(p1, q) + (1 - w) * kl(p2, q)),
        _c("R12 arithmetic anchor, three teachers",
           kl(mixture((p1, p2, p3), (w1, w2, 1 - w1 - w2)), q)
           <= w1 * kl(p1, q) + w2 * kl(p2, q) + (1 - w1 - w2) * kl(p3, q),
           {"weights on the simplex": w1 + w2 <= 1}),
        _c("R12 geometric anchor: KL(q||p*_geo) <= sum w_j KL(q||p_j)",
           kl(q, geometric_mixture((p1, p2), (w, 1 - w))) <= w * kl(q, p1) + (1 - w) * kl(q, p2)),
    )),
)


def catalog_claims() -> list:
    """Every claim of the catalog, in the order of THEORY.md."""
    return [c for r in RESULTS for c in r.claims]


def result_of(claim: Claim):
    """The catalog result a claim belongs to, or None."""
    for r in RESULTS:
        if claim in r.claims:
            return r
    return None
