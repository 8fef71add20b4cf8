"""Every counterexample the catalog relies on, pinned with ``@example``.

The property: for a catalog claim and one of its named assumptions, the claim is never
violated inside all its assumptions, and wherever the claim without that assumption is
violated, the original claim's domain excludes the point. The pinned examples are the
witnesses that make each assumption necessary (and result 4's false statement); for them the
test also asserts the violation, decided exactly by the project and re-evaluated independently
with tests/reference.py (mpmath, 80 digits). The example database is never consulted.
"""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reference as ref
from numerics import check_point
from numerics.strategies import claim_points
from pinned import PINNED, R1S, R2F, R3I, R4F, R6F, R6M, R8, R10, R11
from proofs.catalog import catalog_claims

mp = ref.mp
CLAIMS = {c.name: c for c in catalog_claims()}


def _kl(a, b):
    total = mp.mpf(0)
    for x, y in zip(a, b):
        if x == 0:
            continue
        if y == 0:
            return mp.inf
        total += x * mp.log(x / y)
    return total


def _tv(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / 2


def _times(c, x):
    return mp.mpf(0) if c == 0 else c * x  # 0·∞ = 0


def _lin(q, p, lam):
    return [(1 - lam) * x + lam * y for x, y in zip(q, p)]


def _v(xs):
    return ref._v(xs)


def _m(x):
    return ref._v([x])[0]


def _geo(q, p, lam):
    return ref.geometric_anchor(q, p, lam)


def _renyi(q, p, alpha):
    return ref.renyi(q, p, alpha)


# Independent (lhs, rhs, relation) of each claim at a point of Fractions, from THEORY.md.
SIDES = {
    R1S: lambda w: (
        _kl(_v(w["p_star"]), _v(_lin(w["q"], w["p_star"], w["lambda"]))),
        _kl(_v(w["p_star"]), _v(w["q"])), "<"),
    R2F: lambda w: (
        _kl(_v(_lin(w["q"], w["p_star"], w["lambda"])), _v(w["p_star"])) if w["geo"] == 0
        else _kl(_geo(w["q"], w["p_star"], w["lambda"]), _v(w["p_star"])),
        _times(1 - _m(w["lambda"]), _kl(_v(w["q"]), _v(w["p_star"]))), "<="),
    R3I: lambda w: (
        _kl(_v(w["p_star"]), _geo(w["q"], w["p_star"], w["lambda"])),
        _times(1 - _m(w["lambda"]), _kl(_v(w["p_star"]), _v(w["q"])))
        - _m(w["lambda"]) * _renyi(w["q"], w["p_star"], 1 - w["lambda"]), "=="),
    R4F: lambda w: (
        _kl(_geo(w["q"], w["p_star"], w["lambda"]), _v(w["p_star"])),
        _times(1 - _m(w["lambda"]), _kl(_v(w["q"]), _v(w["p_star"]))), "<="),
    R6M: lambda w: (
        _kl(_v(w["p_star"]), _v(_lin(w["q"], w["p_star"], w["lambda"]))) if w["geo"] == 0
        else _kl(_v(w["p_star"]), _geo(w["q"], w["p_star"], w["lambda"])), mp.inf, "<"),
    R6F: lambda w: (
        _tv(_geo(w["q"], w["p_star"], w["lambda"]), _v(w["q"])), mp.mpf(0), ">"),
    # KL_t = (1-lam)^t KL_0 + delta (1 - (1-lam)^t)/lam, and KL_0 + t delta at lam = 0.
    R8: lambda w: (
        _m(w["KL_0"]) + _m(w["t"]) * _m(w["delta"]) if w["lambda"] == 0 else
        (1 - _m(w["lambda"])) ** _m(w["t"]) * _m(w["KL_0"])
        + _m(w["delta"]) * (1 - (1 - _m(w["lambda"])) ** _m(w["t"])) / _m(w["lambda"]),
        _m(w["KL_0"]) + _m(w["delta"]) / _m(w["lambda_0"]), "<="),
    # Stationary E chi2 = (K-1) / (N (1 - (1-lam)^2) + (1-lam)^2).
    R10: lambda w: (
        (w["K"] - 1) / (_m(w["N"]) * (1 - (1 - _m(w["lambda"])) ** 2)
                        + (1 - _m(w["lambda"])) ** 2), mp.mpf(w["K"] - 1), "<"),
    R11: lambda w: (
        _tv([(1 - _m(w["lambda"])) * s + _m(w["lambda"]) * y
             for s, y in zip(ref.soften(w["p_star"], w["T"]), _v(w["p_star"]))],
            _v(w["p_star"])), mp.mpf(0), "=="),
}


def _violates(lhs, rhs, op):
    if op == "==":
        return not (lhs == rhs or (mp.isfinite(lhs) and mp.isfinite(rhs)
                                   and abs(lhs - rhs) < mp.mpf(10) ** -60))
    gap = mp.mpf(10) ** -60
    return {"<=": lhs > rhs + gap, "<": lhs >= rhs, ">=": lhs < rhs - gap,
            ">": lhs <= rhs}[op]


#: Every (claim, assumption) of the catalog whose claim is expected to hold.
CELLS = sorted((c.name, a) for c in CLAIMS.values() if c.expect == "holds" for a in c.assume)


def _cases():
    def for_cell(cell):
        claim = CLAIMS[cell[0]]
        return st.integers(2, 3).flatmap(
            lambda k: claim_points(claim, k).map(lambda pt: (cell, k, pt)))
    return st.sampled_from(CELLS).flatmap(for_cell)


def _pinned(test):
    for (name, assumption), (K, point) in sorted(PINNED.items(), key=str, reverse=True):
        test = example(case=((name, assumption), K, point))(test)
    return test


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@_pinned
@given(case=_cases())
def test_each_assumption_separates_holding_from_failing(case):
    (name, assumption), K, point = case
    claim = CLAIMS[name]
    original = check_point(claim, point, K=K)
    pinned = PINNED.get((name, assumption)) == (K, point)
    if assumption is None:  # a statement known to be false, with its witness
        assert claim.expect == "fails" and original.status == "violation"
    else:
        assert original.status != "violation", (name, point)
        widened = check_point(claim.without(assumption), point, K=K)
        if widened.status == "violation":
            assert original.status == "outside", (name, assumption, point)
        if pinned:
            assert widened.status == "violation" and original.status == "outside"
    if pinned:
        lhs, rhs, op = SIDES[name]({**point, "K": K})
        assert _violates(lhs, rhs, op), (name, assumption, lhs, rhs)


def test_every_needed_assumption_of_the_catalog_is_pinned():
    """The pins cover the catalog: if a catalog claim or assumption is renamed, this fails."""
    for name, assumption in PINNED:
        assert name in CLAIMS and (assumption is None or assumption in CLAIMS[name].assume)
    assert {k for k in PINNED if k[1] is not None} <= set(CELLS)
