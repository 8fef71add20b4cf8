"""The lemma library derivations cite: standard results, stated over pattern symbols.

Each statement is built from theory's own nodes (``kl``, ``tv``, ``renyi``, operators), so that
a citation is checked by substituting into the same expression trees a claim uses. A pattern
scalar's range is a side condition of the lemma (``theta ∈ [0, 1]``); extra conditions are
listed in ``conditions``. The lemmas are cited, not re-proved here; ``tests/cover`` checks each
statement at random points at high precision.
"""
from __future__ import annotations

import sympy as sp

from .derivation import Lemma
from .divergences import kl, renyi, tv
from .symbols import dist, scalar

a, b = dist("a"), dist("b")
a1, a2, a3 = dist("a_1"), dist("a_2"), dist("a_3")
b1, b2 = dist("b_1"), dist("b_2")
m, r, c = dist("m"), dist("r"), dist("c")
theta = scalar("theta", 0, 1, latex=r"\theta")
theta1, theta2 = scalar("theta_1", 0, 1, latex=r"\theta_1"), scalar("theta_2", 0, 1, latex=r"\theta_2")
alpha = scalar("alpha", 0, 1, latex=r"\alpha")
x1, x2 = scalar("x_1", 0, sp.oo), scalar("x_2", 0, sp.oo)
y1, y2 = scalar("y_1", 0, sp.oo), scalar("y_2", 0, sp.oo)

GIBBS = Lemma("Gibbs", sp.Le(0, kl(a, b)), "Gibbs' inequality: KL(a||b) >= 0")

JOINT_CONVEXITY = Lemma(
    "joint convexity of KL",
    sp.Le(kl(theta * a1 + (1 - theta) * a2, theta * b1 + (1 - theta) * b2),
          theta * kl(a1, b1) + (1 - theta) * kl(a2, b2)),
    "Cover and Thomas, Elements of Information Theory, Thm 2.7.2 (from the log-sum inequality)")

LOG_SUM = Lemma(
    "log-sum",
    sp.Le((x1 + x2) * sp.log((x1 + x2) / (y1 + y2)),
          x1 * sp.log(x1 / y1) + x2 * sp.log(x2 / y2)),
    "Cover and Thomas, Thm 2.7.1, two terms, positive x and y")

JENSEN = Lemma(
    "Jensen (convexity of KL in its first argument)",
    sp.Le(kl(theta1 * a1 + theta2 * a2 + (1 - theta1 - theta2) * a3, b),
          theta1 * kl(a1, b) + theta2 * kl(a2, b) + (1 - theta1 - theta2) * kl(a3, b)),
    "Jensen's inequality for the convex function x log(x/y) of x, three terms",
    conditions=(sp.Le(theta1 + theta2, 1),))

HOLDER = Lemma(
    "Hoelder",
    sp.Le(0, renyi(a, b, alpha)),
    "Hoelder's inequality sum a^alpha b^(1-alpha) <= 1 for alpha in [0,1], i.e. D_alpha(a||b) >= 0")

RENYI_ORDER = Lemma(
    "Renyi ordering",
    sp.Le(renyi(a, b, alpha), kl(a, b)),
    "D_alpha is non-decreasing in alpha and D_1 = KL (van Erven and Harremoes 2014, Thm 3)")

PYTHAGORAS = Lemma(
    "Pythagorean identity of the M-projection",
    sp.Eq(kl(m, c), kl(m, r) + kl(r, c)),
    "Csiszar 1975; Amari, information geometry: for r = argmin_{q in E} KL(m||q) and c in E",
    premises=(r"r = \Pi_E(m)", r"c \in E"))

PINSKER = Lemma(
    "Pinsker",
    sp.Le(tv(a, b), sp.sqrt(kl(a, b) / 2)),
    "Pinsker's inequality TV(a,b) <= sqrt(KL(a||b)/2)")

LIBRARY = (GIBBS, JOINT_CONVEXITY, LOG_SUM, JENSEN, HOLDER, RENYI_ORDER, PYTHAGORAS, PINSKER)
