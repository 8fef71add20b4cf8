"""Closed-form constants of THEORY.md's results, each derived by SymPy when first asked for.

Nothing here is typed in as an answer: every expression comes out of ``rsolve``, ``product``,
``summation``, ``solve``, ``limit`` or a coefficient extraction applied to the recurrence or
bound the result states. The bounds of results 1–3 are themselves built from theory's trees:
joint convexity (:mod:`theory.lemmas`) instantiated on the anchored divergence, and the
definitions of geometric anchoring, KL and the Rényi divergence expanded per coordinate.
``numerics.constant_checks`` and ``tests/cover/test_constants.py`` check each one against an
independent mpmath computation (iterating the recurrence, multiplying the factors, shrinking ε).

Symbols are plain SymPy symbols named ``lambda``, ``t``, ``N``, ``K``, ``epsilon``, ``delta``,
``KL_0`` (and ``c_0``, ``chi2_0``, ``m_0``, ``m_star``, ``D``, ``s`` where a result needs them).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ._coordinates import generic_coordinate
from ._nodes import CoordinateSum
from .divergences import kl, renyi
from .lemmas import JOINT_CONVEXITY, a1, a2, b1, b2, theta
from .operators import geometric_anchor, linear_anchor
from .symbols import dist, scalar

lam = sp.Symbol("lambda", positive=True)
t = sp.Symbol("t", integer=True, nonnegative=True)
s = sp.Symbol("s", integer=True, nonnegative=True)
N = sp.Symbol("N", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)
epsilon = sp.Symbol("epsilon", positive=True)
delta = sp.Symbol("delta", positive=True)
KL_0 = sp.Symbol("KL_0", positive=True)
c_0 = sp.Symbol("c_0", real=True)
chi2_0 = sp.Symbol("chi2_0", nonnegative=True)
m_0, m_star = sp.Symbol("m_0", real=True), sp.Symbol("m_star", real=True)
D = sp.Symbol("D", nonnegative=True)  # a Rényi divergence D_{1-λ}(q‖p*)


@dataclass(frozen=True)
class Constant:
    """One derived closed form: the THEORY.md result it belongs to, a name, the expression and
    how SymPy obtained it."""

    result: int
    name: str
    expr: sp.Expr
    derivation: str

    def latex(self) -> str:
        from .printing import latex

        return latex(self.expr)


def _geometric_limit(expr, base):
    """``lim_{t→∞}`` of ``expr`` where ``base**t`` appears with ``0 < base < 1``: substitute
    ``base = exp(−κ)``, ``κ > 0``, take the limit, substitute back."""
    kappa = sp.Symbol("kappa", positive=True)
    return sp.limit(expr.subs(base, sp.exp(-kappa)), t, sp.oo)


def _solve_affine_recurrence(a, b, g, r, x0):
    """Closed form of ``x_{t+1} = a x_t + b + g r^(t+1)``, ``x_0 = x0`` (SymPy's ``rsolve`` on
    generic symbols, then substituted)."""
    A, B, G, R, X = sp.symbols("A B G R X", positive=True)
    f = sp.Function("f")
    sol = sp.rsolve(f(t + 1) - A * f(t) - B - G * R ** (t + 1), f(t), {f(0): X})
    parts = sp.collect(sp.expand(sol), [A ** t, R ** t], evaluate=False)
    values = {A: a, B: b, G: g, R: r, X: x0}
    return sp.Add(*[sp.factor(sp.simplify(coeff.subs(values))) * basis.subs(values)
                    for basis, coeff in parts.items()])


def _interior(divergence):
    """The per-coordinate term of ``divergence``'s definition on the interior of the simplex
    (the last branch of its ``Piecewise``), as a :class:`sympy.Lambda`."""
    term = next(a for a in sp.preorder_traversal(divergence.definition()) if isinstance(a, CoordinateSum))
    f = term.args[0]
    body = f.expr.args[-1][0] if isinstance(f.expr, sp.Piecewise) else f.expr
    return sp.Lambda(f.variables, body), term


def _joint_convexity_coefficient(forward: bool):
    """``c`` in ``KL(Φ^lin(q)‖p*) ≤ c·KL(q‖p*)`` (``forward`` False) or ``KL(p*‖Φ^lin(q)) ≤
    c·KL(p*‖q)`` (``forward`` True): the lemma of :mod:`theory.lemmas` instantiated with
    ``θ = 1 − λ`` and the anchor as the second component, its left side checked to be the
    anchored divergence coordinate by coordinate for symbolic K, its right side's
    self-divergence term evaluated from KL's definition."""
    p, q = dist("p_star"), dist("q")
    l = scalar("lambda", 0, 1)
    if forward:
        target, sigma = kl(p, linear_anchor(q, p, l)), {a1: p, a2: p, b1: q, b2: p}
    else:
        target, sigma = kl(linear_anchor(q, p, l), p), {a1: q, a2: p, b1: p, b2: p}
    if not all(0 <= (1 - l).subs(l, v) <= 1 for v in (0, 1)):  # θ = 1 − λ is affine in λ
        raise AssertionError("theta = 1 - lambda leaves [0, 1] for lambda in [0, 1]")
    statement = JOINT_CONVEXITY.statement.subs({theta: 1 - l, **sigma})
    i = sp.Symbol("i", integer=True, positive=True)
    for got, want in zip(statement.lhs.args, target.args):
        if sp.simplify(generic_coordinate(got, i) - generic_coordinate(want, i)) != 0:
            raise AssertionError(f"joint convexity instantiated at {got}, not at {want}")
    x = sp.Symbol("x", nonnegative=True)
    self_kl = kl(p, p)
    if sp.simplify(self_kl.definition().args[0](x, x)) != 0:
        raise AssertionError("KL(p*||p*) is not zero term by term")
    bound = statement.rhs.subs(self_kl, 0)
    plain = kl(p, q) if forward else kl(q, p)
    return bound.coeff(plain).subs(l, lam)


def _geometric_kl():
    """``KL(p*‖Φ^geo_λ(q))`` in terms of ``KL_0 = KL(p*‖q)`` and ``D = D_{1−λ}(q‖p*)``, on the
    interior of the simplex: the ``i``-th term of KL's definition at ``Φ^geo``'s ``i``-th
    coordinate (symbolic ``K``), logs expanded, matched to ``A·(i-th term of KL_0) + B·p*_i·log Z``
    with ``Z`` the normaliser; ``Z`` is checked to be the Rényi sum and ``log Z`` solved from
    the Rényi definition."""
    p, q = dist("p_star"), dist("q")
    l = scalar("lambda", 0, 1)
    i = sp.Symbol("i", integer=True, positive=True)
    phi = generic_coordinate(geometric_anchor(q, p, l), i)
    if len(phi.atoms(sp.Sum)) != 1:
        raise AssertionError(f"geometric anchoring's coordinate {phi} has no single normaliser")
    (z_sum,) = phi.atoms(sp.Sum)
    pi, qi = generic_coordinate(p, i), generic_coordinate(q, i)
    kl_term, _ = _interior(kl(p, q))
    anchored = sp.expand(sp.expand_log(kl_term(pi, phi), force=True))
    plain = sp.expand(sp.expand_log(kl_term(pi, qi), force=True))
    A, B = sp.symbols("A B")
    rest = sp.expand(anchored - A * plain - B * pi * sp.log(z_sum))
    atoms = (sp.log(pi), sp.log(qi), sp.log(z_sum))
    solution = sp.solve([rest.coeff(a) for a in atoms], [A, B], dict=True)
    if len(solution) != 1 or sp.simplify(rest.subs(solution[0]).subs({a: 0 for a in atoms})) != 0:
        raise AssertionError("KL(p*||Phi_geo) is not A KL(p*||q) + B log Z per coordinate")
    # Summing over i: Σ_i A·(KL term) + B·p*_i·log Z = A·KL_0 + B·log Z, as Σ_i p*_i = 1.
    alpha = 1 - l
    renyi_term, renyi_sum = _interior(renyi(q, p, alpha))
    if sp.simplify(renyi_term(qi, pi) - z_sum.function.subs(z_sum.variables[0], i)) != 0:
        raise AssertionError("the normaliser of Phi_geo is not the Renyi sum")
    branch = next(e for e, cond in renyi(q, p, alpha).definition().args if cond == sp.true)
    log_z = sp.Symbol("logZ")
    (log_z_value,) = sp.solve(sp.Eq(D, branch.subs(renyi_sum, sp.exp(log_z))), log_z)
    return (solution[0][A] * KL_0 + solution[0][B] * sp.expand_log(log_z_value, force=True)).subs(l, lam)


@lru_cache(maxsize=None)
def constants() -> tuple:
    """Every derived constant, in the order of THEORY.md."""
    f = sp.Function("f")
    out = []

    # Results 1 and 2: joint convexity, instantiated on theory's anchored divergences, bounds
    # each by (1-λ)·(the unanchored divergence) + λ·KL(p*‖p*); KL(p*‖p*) = 0 leaves c(λ).
    for result, c in ((1, _joint_convexity_coefficient(forward=True)),
                      (2, _joint_convexity_coefficient(forward=False))):
        out.append(Constant(result, "contraction constant c(lambda)", sp.factor(c),
                            "coefficient of the unanchored divergence in joint convexity of KL "
                            "applied to the anchored one, with KL(p*||p*) = 0"))

    # Result 3: KL(p*‖Φ^geo) from the definitions of geometric anchoring and KL, per coordinate
    # for symbolic K, written as A·KL(p*‖q) + B·log Z; the Rényi definition gives log Z.
    geo = _geometric_kl()
    out.append(Constant(3, "geometric anchoring: KL(p*||Phi) in terms of KL_0 and the Renyi gap D",
                        geo, "expand KL(p*||Phi_geo) per coordinate (symbolic K), match it to "
                             "A KL(p*||q) + B log Z, solve the Renyi definition for log Z"))
    out.append(Constant(3, "geometric contraction constant c(lambda)",
                        sp.Poly(geo, KL_0).coeff_monomial(KL_0),
                        "coefficient of KL_0; the gap -lambda*D is non-positive"))

    # Local rate near p*: K = 2, p* = (x, 1-x), q = p* + ε(1,-1); ratio of the anchored to the
    # unanchored divergence as ε → 0.
    x, e = sp.Symbol("x", positive=True), sp.Symbol("varepsilon", positive=True)
    p = (x, 1 - x)

    def kl2(a, b):
        return sum(ai * sp.log(ai / bi) for ai, bi in zip(a, b))

    anchored = kl2(p, (x + (1 - lam) * e, 1 - x - (1 - lam) * e))
    plain = kl2(p, (x + e, 1 - x - e))
    rate = sp.factor(sp.simplify(sp.limit(anchored / plain, e, 0)))
    out.append(Constant(1, "local contraction rate near p*", rate,
                        "limit of KL(p*||Phi(q))/KL(p*||q) as q -> p* (K = 2, any p*)"))
    # The same rate for every K from the series: per coordinate, KL's ε² coefficient at the
    # anchored displacement (1-λ)ε d over its coefficient at ε d (the ε terms sum to 0).
    xi, di = sp.Symbol("pstar", positive=True), sp.Symbol("d", real=True)

    def second_order(scale):
        return sp.series(xi * sp.log(xi / (xi + scale * e * di)), e, 0, 3).removeO().coeff(e, 2)
    out.append(Constant(1, "local contraction rate near p* (series, any K)",
                        sp.factor(sp.simplify(second_order(1 - lam) / second_order(1))),
                        "ratio of the epsilon^2 coefficients of the series of "
                        "p* log(p*/(p* + s epsilon d)) at s = 1-lambda and s = 1"))

    # Result 5: the realizable linear recursion, coordinatewise x_{t+1} = (1-λ) x_t + λ p*.
    pstar, x0 = sp.Symbol("pstar"), sp.Symbol("q_0")
    iterate = sp.rsolve(f(t + 1) - (1 - lam) * f(t) - lam * pstar, f(t), {f(0): x0})
    out.append(Constant(5, "linear iterate q_t (coordinatewise)", sp.collect(sp.expand(iterate), pstar),
                        "rsolve q_{t+1} = (1-lambda) q_t + lambda p*"))
    weight = sp.expand(iterate).coeff(x0)
    out.append(Constant(5, "KL bound factor after t generations", weight,
                        "coefficient of (q_0 - p*) in q_t; joint convexity applies with it"))
    (t_eps,) = sp.solve(sp.Eq(weight * KL_0, epsilon), t)
    out.append(Constant(5, "generations to reach epsilon", sp.simplify(t_eps),
                        "solve (1-lambda)^t KL_0 = epsilon for t"))
    out.append(Constant(5, "asymptotic KL decay factor", sp.powsimp(sp.powdenest(rate ** t, force=True)),
                        "the local rate per generation, applied t times"))
    # Its prefactor: KL(p*‖p* + ε d) = Σ_i [c1_i ε + c2_i ε²] + O(ε³); Σ_i d_i = 0 cancels the
    # first-order terms, so with ε = (1-λ)^t, d = q_0 - p*, KL_t ~ (1-λ)^(2t) Σ_i c2_i.
    x_i, d_i = sp.Symbol("pstar", positive=True), sp.Symbol("d", real=True)
    expansion = sp.series(x_i * sp.log(x_i / (x_i + e * d_i)), e, 0, 3).removeO()
    out.append(Constant(5, "first-order KL coefficient per coordinate", sp.simplify(expansion.coeff(e, 1)),
                        "coefficient of epsilon in the series of p* log(p*/(p* + epsilon d))"))
    out.append(Constant(5, "asymptotic KL prefactor per coordinate", sp.simplify(expansion.coeff(e, 2)),
                        "coefficient of epsilon^2 in the same series; summed over i it multiplies "
                        "(1-lambda)^(2t)"))

    # Result 6: Pinsker applied to the bound of result 5.
    out.append(Constant(6, "TV to the anchor after t generations",
                        sp.sqrt(weight * KL_0 / 2), "Pinsker TV <= sqrt(KL/2) with KL_t <= (1-lambda)^t KL_0"))

    # Result 7: time-varying anchoring λ_s = 1/(s+2).
    schedule = 1 / (s + 2)
    out.append(Constant(7, "product of (1-lambda_s), lambda_s = 1/(s+2)",
                        sp.simplify(sp.product(1 - schedule, (s, 0, t - 1))),
                        "product over s = 0..t-1"))
    out.append(Constant(7, "sum of lambda_s, lambda_s = 1/(s+2)",
                        sp.summation(schedule, (s, 0, sp.oo)),
                        "summation over s >= 0 (diverges, so the product tends to 0)"))

    # Result 8: KL_{t+1} = (1-λ) KL_t + δ.
    floor = sp.rsolve(f(t + 1) - (1 - lam) * f(t) - delta, f(t), {f(0): KL_0})
    out.append(Constant(8, "KL bound with per-generation error delta", sp.simplify(floor),
                        "rsolve KL_{t+1} = (1-lambda) KL_t + delta"))
    out.append(Constant(8, "error floor", sp.simplify(_geometric_limit(floor, 1 - lam)),
                        "limit t -> oo for 0 < lambda < 1"))
    drift = sp.rsolve(f(t + 1) - f(t) - delta, f(t), {f(0): KL_0})
    out.append(Constant(8, "unanchored drift (lambda = 0)", drift, "rsolve KL_{t+1} = KL_t + delta"))

    # Result 9: moments of the exponential-family student, m_{t+1} - m* = (1-λ)(m_t - m*).
    moments = sp.rsolve(f(t + 1) - m_star - (1 - lam) * (f(t) - m_star), f(t), {f(0): m_0})
    out.append(Constant(9, "moment recursion E_{q_t}[phi]", sp.collect(sp.expand(moments), m_star),
                        "rsolve m_{t+1} = m* + (1-lambda)(m_t - m*)"))
    m = sp.Symbol("m")
    (fixed,) = sp.solve(sp.Eq(m, m_star + (1 - lam) * (m - m_star)), m)
    out.append(Constant(9, "fixed point of the moment recursion", fixed,
                        "solve m = m* + (1-lambda)(m - m*): the moments of Pi_E(p*)"))

    # Result 10: E χ²_{t+1} = a E χ²_t + (K-1)/N + (1-λ)^(t+1) c_0 / N.
    a = (1 - lam) ** 2 * (1 - 1 / N)
    chi2_t = _solve_affine_recurrence(a, (K - 1) / N, c_0 / N, 1 - lam, chi2_0)
    out.append(Constant(10, "expected chi-square after t generations", chi2_t,
                        "rsolve E chi2_{t+1} = a E chi2_t + (K-1)/N + (1-lambda)^(t+1) c_0/N"))
    rho, alpha = sp.Symbol("rho", positive=True), sp.Symbol("alpha", positive=True)
    generic = _solve_affine_recurrence(sp.exp(-alpha), (K - 1) / N, c_0 / N, sp.exp(-rho), chi2_0)
    stationary = sp.limit(generic, t, sp.oo).subs(alpha, -sp.log(a))
    stationary = sp.factor(sp.simplify(stationary))
    out.append(Constant(10, "stationary expected chi-square", stationary,
                        "limit t -> oo of the closed form, for 0 < a < 1 and 0 < 1-lambda < 1"))
    collapse = sp.simplify(sp.limit(stationary, lam, 0))
    out.append(Constant(10, "stationary expected chi-square without anchoring (lambda = 0)",
                        collapse, "limit lambda -> 0 of the stationary value: collapse onto a vertex"))
    return tuple(out)


def constant(name: str, result: int | None = None) -> Constant:
    """The derived constant called ``name`` (and belonging to ``result``, if given)."""
    for c in constants():
        if c.name == name and (result is None or c.result == result):
            return c
    raise KeyError(f"no constant named {name!r}")
