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
