"""The second line of defence for derivations: every step evaluated at random exact points.

Each step of a :class:`theory.derivation.Derivation` is evaluated with exact rationals and
rigorous ball arithmetic (:func:`numerics.evaluate`) at ``draws`` random points in the interior
of the simplex (integer weights, normalised exactly), with scalars drawn as exact rationals
inside their ranges and the derivation's equality assumptions substituted:

- an equality step: both sides agree to ``precision − 10`` significant digits;
- a step citing a lemma: each side agrees with the instantiated lemma side it was matched
  to, and, for a library lemma without premises, the step's relation holds (up to the same
  relative tolerance, for ties).

A failure raises :class:`theory.errors.WrongStep` (or ``WrongLemmaInstance``) naming the step
and the point. Points where a side has no value, or where an assumption fails, are skipped and
counted; more points are drawn (up to ``4·draws`` in all) until ``min(minimum, draws)`` were
evaluated, and fewer is a failure naming the step that had no value: a check that compared
nothing proves nothing.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from theory._structure import DIST, kind_of, symbols_of
from theory.derivation import Derivation, Use
from theory.errors import WrongLemmaInstance, WrongStep

from .evaluate import UndefinedValue, evaluate, evaluate_distribution


@dataclass(frozen=True)
class SpotCheck:
    """What the numeric check did: points tried and comparisons made, points skipped."""

    points: int
    comparisons: int
    skipped: int
    precision: int

    def summary(self) -> str:
        return (f"{self.comparisons} comparisons at {self.points} random points, "
                f"{self.precision} digits (ball arithmetic)")


def _distribution(rng, k):
    w = [rng.randint(1, 10 ** rng.randint(1, 6)) for _ in range(k)]
    total = sum(w)
    return [str(Fraction(x, total)) for x in w]


def _scalar(rng, s):
    lo, hi = s.low, s.high
    u = Fraction(rng.randint(1, 999), 1000)
    if lo.is_finite and hi.is_finite:
        lo, hi = Fraction(str(lo)), Fraction(str(hi))
        return lo + (hi - lo) * u
    if lo.is_finite:
        return Fraction(str(lo)) + u * rng.choice([1, 10, 100])
    if hi.is_finite:
        return Fraction(str(hi)) - u * rng.choice([1, 10, 100])
    return (u - Fraction(1, 2)) * rng.choice([2, 20, 200])


def _expressions(derivation: Derivation):
    yield derivation.start
    for _, prev, step in derivation.pairs():
        yield step.expr
        if isinstance(step.because, Use):
            yield from step.because.sides()


def _point(rng, derivation, dists, scalars, k):
    subs = derivation.substitution()
    values = {d.name: _distribution(rng, k) for d in dists}
    for s in scalars:
        v = subs.get(s)
        values[s.name] = str(v) if v is not None and v.is_number else str(_scalar(rng, s))
    exact = {s: sp.Rational(values[s.name]) for s in scalars}
    for cond in derivation.assume.values():
        c = cond.xreplace(exact)
        if c is sp.false:
            return None
    return values


def _close(a, b, digits) -> bool:
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y, digits) for x, y in zip(a, b))
    if a == b:
        return True
    if abs(a) == float("inf") or abs(b) == float("inf"):
        return False
    return abs(a - b) <= 10 ** (-(digits - 10)) * (1 + abs(a) + abs(b))


def _holds(rel, a, b, digits) -> bool:
    tol = 10 ** (-(digits - 10)) * (1 + abs(a) + abs(b)) if abs(a) + abs(b) < float("inf") else 0
    return {"=": _close(a, b, digits), "<=": a <= b + tol, "<": a <= b + tol,
            ">=": a + tol >= b, ">": a + tol >= b}[rel]


def spot_check(derivation: Derivation, *, draws: int = 6, seed: int = 0, precision: int = 40,
               dims=(2, 3, 5), minimum: int = 3) -> SpotCheck:
    """Evaluate every step of ``derivation`` at ``draws`` random points (see module doc)."""
    rng = random.Random(f"{seed}:{derivation.name}")
    dists, scalars = symbols_of(*_expressions(derivation))
    points = comparisons = skipped = 0
    need = min(minimum, draws)
    current = [None]  # (number, step) being evaluated
    undefined = None
    for n in range(4 * draws):
        if n >= draws and points >= need:
            break
        k = dims[n % len(dims)]
        values = _point(rng, derivation, dists, scalars, k)
        if values is None:
            skipped += 1
            continue

        def ev(expr, values=values, k=k):
            used_d, used_s = symbols_of(expr)
            point = {s.name: values[s.name] for s in used_d + used_s}
            if kind_of(expr) == DIST:
                return evaluate_distribution(expr, point, precision=precision, K=k)
            return evaluate(expr, point, precision=precision, K=k)

        try:
            comparisons += _check_point(derivation, ev, values, k, precision, current)
            points += 1
        except UndefinedValue:
            skipped += 1
            undefined = current[0]
    if points < need:
        n, step = undefined or next((n, s) for n, _, s in derivation.pairs())
        derivation.fail_step(WrongStep, n, step,
                             f"spot check: only {points} of {points + skipped} random points "
                             f"could be evaluated (at least {need} needed; "
                             + ("this step has no value at the others)" if undefined else
                                "the assumptions failed at the others)"))
    return SpotCheck(points, comparisons, skipped, precision)


def _check_point(derivation, ev, values, k, digits, current) -> int:
    count = 0
    for n, prev, step in derivation.pairs():
        current[0] = (n, step)
        where = f"at K={k}, {values}"
        a, b = ev(prev), ev(step.expr)
        if isinstance(step.because, str):
            if not _close(a, b, digits):
                derivation.fail_step(WrongStep, n, step,
                                 f"spot check: sides {a} and {b} differ {where}")
            count += 1
            continue
        pairs, kind = derivation.orientation(prev, step)
        if pairs is None:
            derivation.fail_step(WrongLemmaInstance, n, step, "context is not monotone")
        for x, y in pairs:
            vx, vy = ev(x), ev(y)
            if not (_close(vx, vy, digits) or (kind == "identity" and _close(vx, -vy, digits))):
                derivation.fail_step(WrongLemmaInstance, n, step,
                                 f"spot check: {x} = {vx} but the lemma side {y} = {vy} {where}")
            count += 1
        lemma = step.because.lemma
        if not lemma.premises and not _holds(step.rel, a, b, digits):
            derivation.fail_step(WrongStep, n, step, f"spot check: {a} {step.rel} {b} is false {where}")
        count += 1
    return count
