"""Exceptions named for the user's mistake.

Every class refines the builtin it specialises (``ValueError`` or ``TypeError``) so that
callers who catch the builtin keep working, and every message repeats the offending
``name=value``.
"""
import numbers


class MetadistillError(Exception):
    """Base class of every error this project raises on purpose."""


class MalformedClaim(MetadistillError, ValueError):
    """A claim is not something the checker can decide: not a relation, an unknown operand,
    a distribution where a number belongs, a bad assumption or expectation."""


class InvalidScalarRange(MetadistillError, ValueError):
    """``scalar(name, low, high)`` with ``low >= high`` or a bound that is not a real number."""


class InvalidName(MetadistillError, ValueError):
    """A distribution or scalar name that is empty, reserved or not a string."""


class InvalidDistribution(MetadistillError, ValueError):
    """A concrete distribution handed to a numeric entry point is not a point of the simplex."""


class NegativeEntry(InvalidDistribution):
    """A distribution has an entry below zero."""


class NonFiniteEntry(InvalidDistribution):
    """A distribution has a NaN or infinite entry."""


class DimensionMismatch(InvalidDistribution):
    """A distribution has the wrong length, or two distributions disagree on ``K``."""


class NotNormalized(InvalidDistribution):
    """A distribution's entries do not sum to 1 within the stated tolerance."""


class MissingValue(MetadistillError, ValueError):
    """A numeric entry point was not given a value for a symbol the expression uses."""


class ScalarOutOfRange(MetadistillError, ValueError):
    """A concrete scalar value lies outside the scalar's declared interval."""


class BatchShapeMismatch(MetadistillError, ValueError):
    """Arrays of draws have the wrong rank (``(n, K)`` for a distribution, ``(n,)`` for a
    scalar) or disagree on the number of draws ``n``."""


class NotAClaim(MetadistillError, TypeError):
    """Something other than a Claim (or a claim file's path) was given where claims belong."""


class InvalidSearchSetting(MetadistillError, ValueError):
    """A search setting (``dims``, ``samples``, ``seed``, ``precision``) is out of range."""


def integer_setting(name: str, value, low: int | None = None) -> int:
    """``value`` if it is an integer at least ``low``, else :class:`InvalidSearchSetting`."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or (low is not None and value < low)):
        at_least = "" if low is None else f" >= {low}"
        raise InvalidSearchSetting(f"{name}={value!r}: expected an integer{at_least}")
    return int(value)


class UnknownOperator(MetadistillError, ValueError):
    """An operator name that is neither a built-in family nor ``FILE.py:NAME``."""


class NotAnOperator(MetadistillError, TypeError):
    """What was handed in as an operator is not a callable of ``(q, anchor, λ)``, or fails on
    symbolic arguments."""


class NotADistribution(MetadistillError, ValueError):
    """An operator returns something that is not a distribution-valued theory expression."""


class MalformedDerivation(MetadistillError, ValueError):
    """A derivation that cannot be checked as written: steps that mix ``≤`` with ``≥``, an
    unknown relation, a lemma instantiated with a name the lemma does not have."""


class WrongStep(MetadistillError, ValueError):
    """A step of a derivation does not follow: SymPy cannot show the equality, or the
    high-precision spot check finds the step false at a point. The message names the
    derivation, the step number and its justification."""


class WrongLemmaInstance(WrongStep):
    """A step cites a lemma whose instantiation does not match: a side of the step is not the
    instantiated side of the lemma, a side condition of the lemma is not met, or the context
    it is applied in is not monotone."""
