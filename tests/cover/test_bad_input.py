"""Every bad concrete input to a numeric entry point, walked from one table."""
import math

import numpy as np
import pytest

from numerics import check_point, evaluate, evaluate_distribution
from theory.errors import InvalidSearchSetting
from theory import (Claim, DimensionMismatch, InvalidDistribution, MissingValue, NegativeEntry,
                    NonFiniteEntry, NotNormalized, ScalarOutOfRange, dist, kl, linear_anchor,
                    scalar)

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
EXPR = kl(p, linear_anchor(q, p, lam))
GOOD = {"p": [0.5, 0.5], "q": [0.25, 0.75], "lambda": 0.5}

CASES = [
    ({"p": [-0.1, 1.1]}, NegativeEntry, r"p\[0\]=-0.1 is negative"),
    ({"q": [math.nan, 1.0]}, NonFiniteEntry, r"q\[0\]=nan is not finite"),
    ({"q": [math.inf, 0.0]}, NonFiniteEntry, r"q\[0\]=inf is not finite"),
    ({"q": ["abc", 1]}, NonFiniteEntry, r"q\[0\]='abc' is not a number"),
    ({"q": [0.2, 0.3, 0.5]}, DimensionMismatch, "q has K=3"),
    ({"q": []}, DimensionMismatch, r"q=\[\] is empty"),
    ({"q": [[0.5, 0.5]]}, DimensionMismatch, "one-dimensional"),
    ({"q": 0.5}, DimensionMismatch, "q=0.5 is not a sequence"),
    ({"p": [0.5, 0.6]}, NotNormalized, r"p sums to 1.1, off 1 by more than tolerance=1e-09"),
    ({"p": [0.5, 0.5 - 1e-6]}, NotNormalized, "p sums to"),
    ({"lambda": 1.5}, ScalarOutOfRange, r"lambda=1.5 lies outside \[0, 1\]"),
    ({"lambda": [0.5]}, ScalarOutOfRange, "must be a single number"),
    ({"lambda": math.nan}, NonFiniteEntry, "lambda"),
]


@pytest.mark.parametrize("change, exc, message", CASES)
@pytest.mark.parametrize("entry", ["evaluate", "evaluate_distribution", "check_point"])
def test_bad_input_is_named(change, exc, message, entry):
    values = dict(GOOD, **change)
    with pytest.raises(exc, match=message) as info:
        if entry == "evaluate":
            evaluate(EXPR, values)
        elif entry == "evaluate_distribution":
            evaluate_distribution(linear_anchor(q, p, lam), values)
        else:
            check_point(Claim("c", EXPR >= 0), values)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("precision", [0, -5, 2.5])
def test_bad_precision_is_named(precision):
    for call in (lambda: evaluate(EXPR, GOOD, precision=precision),
                 lambda: evaluate_distribution(linear_anchor(q, p, lam), GOOD, precision=precision),
                 lambda: check_point(Claim("c", EXPR >= 0), GOOD, precision=precision)):
        with pytest.raises(InvalidSearchSetting, match=f"precision={precision}"):
            call()


def test_missing_value_names_symbol():
    with pytest.raises(MissingValue, match="no value for lambda"):
        evaluate(EXPR, {"p": [0.5, 0.5], "q": [0.5, 0.5]})


def test_explicit_K_mismatch():
    with pytest.raises(DimensionMismatch, match="expected K=3"):
        evaluate(EXPR, GOOD, K=3)


def test_rounding_within_tolerance_is_accepted():
    x = np.random.default_rng(0).dirichlet(np.ones(7))
    assert abs(x.sum() - 1) < 1e-12
    evaluate(kl(p, q), {"p": x, "q": x[::-1]})


def test_all_are_invalid_distribution_subclasses():
    for exc in (NegativeEntry, NonFiniteEntry, DimensionMismatch, NotNormalized):
        assert issubclass(exc, InvalidDistribution) and issubclass(exc, ValueError)
