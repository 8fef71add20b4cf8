"""Student classes ``Q`` and their distillation step ``Π_Q(m) = argmin_{q∈Q} KL(m‖q)``.

- :class:`Realizable`: ``Π_Q(m) = m``.
- :class:`ExponentialFamily`: ``E_φ = {q ∝ exp(θ·φ)}``; the M-projection matches moments,
  ``E_q[φ] = E_m[φ]``, found by damped Newton on the convex dual
  ``θ ↦ log Σ_i exp(θ·φ_i) − θ·E_m[φ]`` at a stated precision, with a convergence check.
- :class:`FiniteSample`: the empirical distribution of ``N`` draws from ``m`` (vectorised over
  chains).

Deterministic students work on exact points (lists of ``fmpq``); the finite-sample student on
float64 batches ``(chains, K)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np
from flint import fmpq

from theory.errors import MetadistillError


class InvalidSetting(MetadistillError, ValueError):
    """A simulation parameter is out of range or inconsistent (the message names it)."""


class MomentMatchingFailed(MetadistillError, ValueError):
    """Newton's method could not match the moments of the distribution being projected."""


def mpf_to_fmpq(x) -> fmpq:
    """An ``mpf`` as the exact rational it stores."""
    man, exp = x.man_exp
    man, exp = int(man), int(exp)
    return fmpq(man * 2 ** exp) if exp >= 0 else fmpq(man, 2 ** -exp)


def normalise_exact(entries) -> list:
    total = sum(entries, fmpq(0))
    return [x / total for x in entries]


@dataclass(frozen=True)
class Realizable:
    """The student class is the whole simplex: ``Π_Q(m) = m``."""

    name = "realizable"
    deterministic = True

    def project(self, m, digits: int):
        return m

    def describe(self) -> str:
        return "realizable student (Π_Q = identity)"


@dataclass(frozen=True)
class ExponentialFamily:
    """``E_φ = {q ∝ exp(Σ_j θ_j φ_j)}`` with feature table ``features[i][j] = φ_j(i)``.

    The features together with the constant function must be linearly independent
    (identifiable ``θ``); with ``K − 1`` of them the family is the whole open simplex.
    """

    features: tuple
    max_steps: int = field(default=200, compare=False)

    name = "expfam"
    deterministic = True

    def __post_init__(self):
        rows = self.features
        if len(rows) < 2 or not rows[0]:
            raise InvalidSetting(f"features={rows!r}: need K >= 2 rows of at least one feature")
        d = len(rows[0])
        if any(len(r) != d for r in rows):
            raise InvalidSetting("features: every outcome needs the same number of features")
        design = np.array([[1.0] + [float(x) for x in r] for r in rows])
        if np.linalg.matrix_rank(design) < d + 1:
            raise InvalidSetting(f"features: the {d} features and the constant are linearly "
                                 "dependent, so theta is not identifiable")

    @classmethod
    def polynomial(cls, K: int, degree: int) -> "ExponentialFamily":
        """Powers ``x^1..x^degree`` of the outcome's position ``x_i = (2i − (K−1))/(K−1)`` in
        ``[−1, 1]``: a discretised exponential-polynomial family (degree 2: Gaussian-like)."""
        if K < 2:
            raise InvalidSetting(f"K={K}: an exponential family needs K >= 2")
        if not 1 <= degree <= K - 1:
            raise InvalidSetting(f"features={degree}: use between 1 and K-1={K - 1} features")
        xs = [Fraction(2 * i - (K - 1), K - 1) for i in range(K)]
        return cls(tuple(tuple(x ** j for j in range(1, degree + 1)) for x in xs))

    @property
    def K(self) -> int:
        return len(self.features)

    @property
    def dimension(self) -> int:
        return len(self.features[0])

    def describe(self) -> str:
        return f"exponential-family student with {self.dimension} features (moment matching)"

    def moments(self, q) -> list:
        """``E_q[φ]`` (exact when ``q`` is exact)."""
        return [sum((fmpq(Fraction(r[j]).numerator, Fraction(r[j]).denominator) * x
                     for r, x in zip(self.features, q)), fmpq(0))
                for j in range(self.dimension)]

    def member(self, theta, digits: int) -> list:
        """``q_θ ∝ exp(θ·φ)`` as exact rationals carrying ``digits`` digits."""
        c = _context(digits)
        phi = self._phi(c)
        return self._softmax(c, phi, [_mpf(c, t) for t in theta])

    def project(self, m, digits: int, theta=None):
        """``Π_E(m)``: the member whose moments equal ``E_m[φ]``, to ``digits`` digits."""
        return self.project_with_parameters(m, digits, theta)[0]

    def project_with_parameters(self, m, digits: int, theta=None):
        """``(Π_E(m), θ)``; raises :class:`MomentMatchingFailed` when Newton does not
        converge (typically: ``m`` has zero entries, so its moments lie on the boundary of
        what the family can match and ``θ`` runs off to infinity)."""
        c = _context(digits)
        phi = self._phi(c)
        mu = [c.mpf(int(x.p)) / int(x.q) for x in self.moments(m)]
        theta = [c.mpf(0)] * self.dimension if theta is None else [_mpf(c, t) for t in theta]
        tol = c.mpf(10) ** (-digits) * (1 + max(abs(v) for v in mu))
        d = self.dimension
        residual = None
        for _ in range(self.max_steps):
            q = self._probabilities(c, phi, theta)
            mean = [c.fsum(qi * row[j] for qi, row in zip(q, phi)) for j in range(d)]
            g = [a - b for a, b in zip(mean, mu)]
            residual = max(abs(v) for v in g)
            if residual <= tol:
                return self._softmax(c, phi, theta), theta
            H = c.matrix(d, d)
            for j in range(d):
                for k in range(d):
                    H[j, k] = c.fsum(qi * row[j] * row[k] for qi, row in zip(q, phi)) - mean[j] * mean[k]
            try:
                step = c.lu_solve(H, c.matrix(g))
            except ZeroDivisionError:
                break
            step = [step[j] for j in range(d)]
            f0 = self._dual(c, phi, theta, mu)
            slope = c.fsum(a * b for a, b in zip(g, step))
            # Armijo backtracking; the slack keeps rounding in f from rejecting the last,
            # tiny Newton steps near the solution.
            slack = c.mpf(10) ** (-(digits + 10)) * (1 + abs(f0))
            alpha = c.mpf(1)
            for _ in range(60):
                trial = [t - alpha * s for t, s in zip(theta, step)]
                if self._dual(c, phi, trial, mu) <= f0 - alpha * slope / 10000 + slack:
                    break
                alpha /= 2
            theta = trial
        shown = ", ".join(mpmath.nstr(v, 6) for v in mu)
        raise MomentMatchingFailed(
            f"moment matching did not converge in {self.max_steps} Newton steps: "
            f"residual max|E_q[phi] - E_m[phi]|={mpmath.nstr(residual, 3)} for target moments "
            f"E_m[phi]=({shown}); they may lie on the boundary of what the family can match "
            "(does the distribution being projected have zero entries?)")

    # helpers (mpmath, local context)
    def _phi(self, c):
        return [[_mpf(c, x) for x in r] for r in self.features]

    @staticmethod
    def _scores(c, phi, theta):
        return [c.fsum(t * x for t, x in zip(theta, row)) for row in phi]

    def _probabilities(self, c, phi, theta):
        s = self._scores(c, phi, theta)
        top = max(s)
        w = [c.exp(v - top) for v in s]
        z = c.fsum(w)
        return [v / z for v in w]

    def _dual(self, c, phi, theta, mu):
        s = self._scores(c, phi, theta)
        top = max(s)
        return top + c.log(c.fsum(c.exp(v - top) for v in s)) - c.fsum(t * m for t, m in zip(theta, mu))

    def _softmax(self, c, phi, theta):
        return normalise_exact([mpf_to_fmpq(v) for v in self._probabilities(c, phi, theta)])


@dataclass(frozen=True)
class FiniteSample:
    """The empirical distribution of ``N`` independent draws from ``m``, per chain."""

    N: int

    name = "samples"
    deterministic = False

    def __post_init__(self):
        if not isinstance(self.N, (int, np.integer)) or isinstance(self.N, bool) or self.N < 1:
            raise InvalidSetting(f"N={self.N!r}: the number of draws must be a positive integer")

    def describe(self) -> str:
        return f"finite-sample student (N={self.N} draws per generation)"

    def draw(self, rng, m: np.ndarray) -> np.ndarray:
        """One multinomial sample per row of ``m`` (rows renormalised against rounding)."""
        p = np.clip(m, 0.0, None)
        p = p / p.sum(axis=1, keepdims=True)
        return rng.multinomial(self.N, p) / self.N


def _mpf(c, x):
    if isinstance(x, (Fraction, int)):
        x = Fraction(x)
        return c.mpf(x.numerator) / x.denominator
    if isinstance(x, fmpq):
        return c.mpf(int(x.p)) / int(x.q)
    return c.mpf(x)


def _context(digits: int):
    c = mpmath.MPContext()
    c.dps = digits + 15
    return c
