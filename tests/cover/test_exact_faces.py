"""Regression: an exact zero times (or over) a ball stays an exact zero.

Geometric anchoring keeps a vertex fixed: ``Φ^geo_λ(e_1) = e_1`` exactly, because
``0^(1−λ) · p*^λ = 0`` exactly. When ``0 · ball`` was a zero-width ball instead, the
normalisation no longer recognised the total as the surviving entry, ``TV(Φ(e_1), e_1)``
became a ball around 0, and the fixed point (the counterexample behind "the fixed point is not
unique on the closed simplex") could not be decided.
"""
from flint import arb, fmpq

from numerics import _ball, check_point
from theory import Claim, dist, geometric_anchor, scalar, tv

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)


def test_exact_zero_times_a_ball_is_exact():
    assert _ball.mul(fmpq(0), arb(2).sqrt()) is _ball.ZERO
    assert _ball.mul(arb(2).sqrt(), fmpq(0)) is _ball.ZERO
    assert _ball.div(fmpq(0), arb(2).sqrt()) is _ball.ZERO


def test_geometric_anchoring_fixes_a_vertex_decidably():
    moves = Claim("moves", tv(geometric_anchor(q, p, lam), q) > 0)
    point = {"p": ["1/5", "1/5", "3/5"], "q": [0, 1, 0], "lambda": "1/3"}
    assert check_point(moves, point).status == "violation"
    point["q"] = [0, "1/2", "1/2"]
    assert check_point(moves, point).status == "holds"


def test_exact_tie_test_declines_huge_fractions_quickly():
    """Points whose fractions exceed TIE_TEST_BITS are never factored by SymPy: they are
    reported "not shown equal" at once, while small exact ties are still found."""
    import sympy as sp

    from numerics._exact import TIE_TEST_BITS, fits_tie_test, is_exact_tie

    huge = sp.Rational(3**200 + 1, 2**333)
    assert not fits_tie_test([[huge, 1 - huge]])
    assert fits_tie_test([[sp.Rational(1, 3), sp.Rational(2, 3)], sp.Rational(1, 2)])
    assert not is_exact_tie(sp.log(huge) * huge, sp.log(1 - huge))
    assert is_exact_tie(sp.log(4), 2 * sp.log(2))
    assert not is_exact_tie(sp.log(3), sp.log(2))
    small = sp.Rational(1, 2**TIE_TEST_BITS - 1)
    assert fits_tie_test([small]) and not fits_tie_test([small / 2])
