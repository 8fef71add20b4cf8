"""Boundary moves read off dropped assumptions: the exact points each one used to exclude."""
from fractions import Fraction

import sympy as sp

from numerics.boundary import (SetScalar, SolveScalar, SupportGap, Tie, boundary_moves,
                               boundary_points)
from theory import K, dist, kl, linear_anchor, scalar, tv

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
lam0 = scalar("lambda_0", sp.Rational(1, 100), 1)
T = scalar("T", sp.Rational(1, 10), 10)


def _values(boundary, name):
    return {m.value for m in boundary.moves if isinstance(m, SetScalar) and m.name == name}


def test_strict_inequality_gives_its_root_exactly():
    b = boundary_moves([lam > 0])
    assert Fraction(0) in _values(b, "lambda")
    assert _values(b, "lambda") <= {Fraction(0), Fraction(1), Fraction(1, 10 ** 6)}
    assert "lambda = 0" in b.descriptions()


def test_root_that_floats_cannot_reach():
    b = boundary_moves([sp.Ne(lam, sp.Rational(1, 3))])
    assert Fraction(1, 3) in _values(b, "lambda")
    near = sorted(v for v in _values(b, "lambda") if 0 < v < 1)
    assert near[0] < Fraction(1, 3) < near[-1]


def test_equality_gives_the_point_and_both_sides():
    vals = _values(boundary_moves([sp.Eq(T, 1)]), "T")
    assert {Fraction(1), Fraction(1, 10), Fraction(10)} <= vals
    assert any(Fraction(1) < v < Fraction(11, 10) for v in vals)


def test_irrational_root_gives_rationals_on_both_sides():
    vals = sorted(v for v in _values(boundary_moves([lam ** 2 > sp.Rational(1, 2)]), "lambda")
                  if 0 < v < 1)
    root = Fraction(7071067811865475, 10 ** 16)
    assert any(abs(v - root) < Fraction(1, 10 ** 8) for v in vals)


def test_root_in_terms_of_another_scalar_is_evaluated_at_the_point():
    b = boundary_moves([lam >= lam0])
    solve = [m for m in b.moves if isinstance(m, SolveScalar) and m.symbol == lam]
    assert solve
    (moved,) = solve[0].apply({"lambda": Fraction(9, 10), "lambda_0": Fraction(1, 4)}, 2)
    assert moved["lambda"] == Fraction(1, 4)


def test_divergence_positive_gives_exact_ties():
    b = boundary_moves([kl(p, q) > 0])
    assert set(b.moves) == {Tie("q", "p"), Tie("p", "q")}
    point = {"p": (Fraction(1, 3), Fraction(2, 3)), "q": (Fraction(1), Fraction(0))}
    (moved,) = Tie("q", "p").apply(point, 2)
    assert moved["q"] == moved["p"] == point["p"]


def test_finite_divergence_gives_support_gaps():
    b = boundary_moves([kl(p, q) < sp.oo])
    assert SupportGap("q") in b.moves
    gaps = SupportGap("q").apply({"q": (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4))}, 3)
    assert len(gaps) == 3
    for g in gaps:
        assert sum(g["q"]) == 1 and g["q"].count(0) == 1


def test_dimension_condition_widens_the_dimensions():
    assert boundary_moves([K >= 2]).dims == (1, 2, 3)


def test_conditions_inside_and_or_not_are_read():
    b = boundary_moves([(lam > 0) & ~(kl(p, q) <= 0)])
    assert Fraction(0) in _values(b, "lambda") and Tie("q", "p") in b.moves


def test_divergence_of_an_expression_gives_no_tie_but_its_scalars_ends():
    b = boundary_moves([sp.Eq(tv(linear_anchor(q, p, lam), q), 0)])
    assert not [m for m in b.moves if isinstance(m, Tie)]
    assert {Fraction(0), Fraction(1)} <= _values(b, "lambda")


def test_boundary_points_are_exact_and_combine_conditions():
    b = boundary_moves([lam > 0, kl(p, q) > 0])
    pts = boundary_points(b, (p, q), (lam,), 3)
    assert pts and all(sum(x["p"]) == 1 and sum(x["q"]) == 1 for x in pts)
    assert any(x["lambda"] == 0 and x["p"] == x["q"] for x in pts)
    assert any(x["lambda"] == 0 and x["p"] != x["q"] for x in pts)
    assert len({repr(sorted(x.items())) for x in pts}) == len(pts)
