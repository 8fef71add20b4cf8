"""The claims of our paper on anchored distillation, checked by `python -m pytest`.

Each module-level Claim is one test. Lemma numbers refer to the paper; the last claim records
a statement that is false (the paper's Remark 5 shows why), so that its counterexample stays
regression-tested too.
"""
import sympy as sp

from theory import Claim, dist, scalar
from theory import geometric_anchor, kl, linear_anchor, tv

p, q = dist("p", latex="p^*"), dist("q")   # the anchor p* and the student q, on one simplex
lam = scalar("lambda", 0, 1)               # the anchoring weight

lemma1 = Claim("Lemma 1: linear anchoring contracts KL",
               kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q),
               assume={"anchoring": lam > 0})

lemma2 = Claim("Lemma 2: linear anchoring contracts reverse KL",
               kl(linear_anchor(q, p, lam), p) <= (1 - lam) * kl(q, p))

lemma3 = Claim("Lemma 3: geometric anchoring contracts KL",
               kl(p, geometric_anchor(q, p, lam)) <= (1 - lam) * kl(p, q))

lemma4 = Claim("Lemma 4: geometric anchoring does not expand reverse KL",
               kl(geometric_anchor(q, p, lam), p) <= kl(q, p))

corollary = Claim("Corollary: one anchored generation bounds TV",
                  tv(p, linear_anchor(q, p, lam)) <= sp.sqrt((1 - lam) * kl(p, q) / 2))

remark5 = Claim("Remark 5: geometric anchoring contracts reverse KL by 1-lambda",
                kl(geometric_anchor(q, p, lam), p) <= (1 - lam) * kl(q, p),
                expect="fails")
