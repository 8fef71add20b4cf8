"""Quality: a wrong closed-form constant fails its independent check, in both directions.

For each constant whose check once accepted a wrong value (a bound's check that only tested
the inequality), plant values too large, too small and zero, and a near miss, and assert that
:func:`numerics.constant_checks.check_constant` rejects each one while accepting the derived
constant itself.
"""
from dataclasses import replace

import pytest
import sympy as sp

from numerics.constant_checks import check_constant
from theory import constants as C
from theory import geometric_anchor, linear_anchor


def _planted(name, result):
    c = C.constant(name, result)
    true = c.expr
    wrong = {"one": sp.Integer(1), "twice": 2 * true, "zero": sp.Integer(0)}
    if name == "geometric contraction constant c(lambda)":
        wrong["one percent too large"] = true * sp.Rational(101, 100)
    if name == "KL bound factor after t generations":
        wrong["one generation short"] = (1 - C.lam) ** (C.t - 1)  # still an upper bound
    if name == "TV to the anchor after t generations":
        wrong["no decay"] = sp.sqrt(C.KL_0 / 2)  # still an upper bound
    if name == "first-order KL coefficient per coordinate":
        wrong["minus twice"] = 2 * true
        wrong["zero"] = sp.Integer(0)  # sums to zero over any direction, like the truth
    return c, wrong


CASES = [("geometric contraction constant c(lambda)", 3), ("KL bound factor after t generations", 5),
         ("TV to the anchor after t generations", 6), ("first-order KL coefficient per coordinate", 5)]


@pytest.mark.parametrize("name, result", CASES)
def test_planted_wrong_constant_fails_its_check(name, result):
    c, wrong = _planted(name, result)
    assert check_constant(c, 30).ok, check_constant(c, 30).detail
    accepted = [label for label, expr in wrong.items() if check_constant(replace(c, expr=expr), 30).ok]
    assert accepted == [], f"{name}: wrong values accepted: {accepted}"


def test_joint_convexity_instantiated_at_the_wrong_divergence_is_refused(monkeypatch):
    """Results 1 and 2 read c(λ) off joint convexity instantiated on the anchored divergence;
    a lemma whose left side is not that divergence (the components of both mixtures swapped,
    so the weights no longer match the right side) must stop the derivation instead of
    yielding a coefficient."""
    from theory import lemmas as L

    lhs, rhs = L.JOINT_CONVEXITY.statement.args
    swapped = sp.Le(lhs.subs({L.a1: L.a2, L.a2: L.a1, L.b1: L.b2, L.b2: L.b1}, simultaneous=True), rhs)
    monkeypatch.setattr(C, "JOINT_CONVEXITY", type("Planted", (), {"statement": swapped})())
    for forward in (True, False):
        with pytest.raises(AssertionError, match="joint convexity instantiated"):
            C._joint_convexity_coefficient(forward)


@pytest.mark.parametrize("planted, message", [
    (lambda q, a, lam: geometric_anchor(q, a, lam / 2), "normaliser of Phi_geo is not the Renyi sum"),
    (linear_anchor, "no single normaliser")])
def test_geometric_identity_from_a_wrong_operator_is_refused(monkeypatch, planted, message):
    """Result 3's identity is read off the definitions of geometric anchoring and the Rényi
    divergence; an operator whose normaliser is not the Rényi sum D_{1-λ} uses, or which has
    none, must stop the derivation."""
    monkeypatch.setattr(C, "geometric_anchor", planted)
    with pytest.raises(AssertionError, match=message):
        C._geometric_kl()
