"""Planted faults: a wrong step, a wrongly instantiated lemma, a violated side condition, a
non-monotone context. Each must fail loudly, naming the step; the numeric line of defence must
catch a wrong step on its own too."""
import pytest
import sympy as sp

from numerics.derivations import spot_check
from proofs.catalog import lam, p_star, q
from proofs.derivations import derivations
from theory import dist, kl, linear_anchor, renyi, scalar, tv
from theory.derivation import Derivation, Lemma, Step
from theory.errors import WrongLemmaInstance, WrongStep
from theory.lemmas import GIBBS, HOLDER, JOINT_CONVEXITY, LOG_SUM, PINSKER

start = kl(p_star, linear_anchor(q, p_star, lam))
mixture = kl((1 - lam) * p_star + lam * p_star, (1 - lam) * q + lam * p_star)


def _r1(second_use, third_expr=(1 - lam) * kl(p_star, q)):
    return Derivation("planted R1", 1, start, [
        Step("=", mixture, "write p* as a mixture"),
        Step("<=", (1 - lam) * kl(p_star, q) + lam * kl(p_star, p_star), second_use),
        Step("=", third_expr, "KL(p*||p*) = 0"),
    ])


GOOD = JOINT_CONVEXITY.at(theta=1 - lam, a_1=p_star, a_2=p_star, b_1=q, b_2=p_star)


def test_the_unplanted_chain_checks():
    _r1(GOOD).check()


def test_wrong_equality_step_is_named():
    bad = _r1(GOOD, third_expr=(1 - lam) ** 2 * kl(p_star, q))  # the local rate, not the bound
    with pytest.raises(WrongStep, match=r"step 3 .*KL\(p\*\|\|p\*\) = 0.*SymPy cannot show"):
        bad.check()


def test_wrongly_instantiated_lemma_is_named():
    swapped = JOINT_CONVEXITY.at(theta=lam, a_1=p_star, a_2=p_star, b_1=q, b_2=p_star)
    with pytest.raises(WrongLemmaInstance, match=r"step 2 .*joint convexity of KL.*instantiated"):
        _r1(swapped).check()


def test_lemma_outside_its_side_condition_is_named():
    # theta = 2 - lambda lies outside [0, 1]; the pattern still matches once rewritten.
    chain = Derivation("planted range", 1, kl(p_star, (2 - lam) * q + (lam - 1) * p_star), [
        Step("<=", (2 - lam) * kl(p_star, q) + (lam - 1) * kl(p_star, p_star),
             JOINT_CONVEXITY.at(theta=2 - lam, a_1=p_star, a_2=p_star, b_1=q, b_2=p_star)),
    ])
    with pytest.raises(WrongLemmaInstance, match=r"step 1 .*side condition theta = 2 - lambda <= 1"):
        chain.check()


def test_non_monotone_context_is_named():
    x = sp.Symbol("x")
    d = renyi(q, p_star, 1 - lam)
    chain = Derivation("planted context", 3, (1 - lam) * kl(p_star, q) - lam * d, [
        Step("<=", (1 - lam) * kl(p_star, q),
             HOLDER.at(a=q, b=p_star, alpha=1 - lam,
                       context=sp.Lambda(x, (1 - lam) * kl(p_star, q) - lam * (x - 1) ** 2))),
    ])
    with pytest.raises(WrongLemmaInstance, match=r"step 1 .*not provably monotone"):
        chain.check()


def test_lemma_used_in_the_wrong_direction_is_named():
    chain = Derivation("planted direction", 1, kl(p_star, q), [
        Step("<=", 0, GIBBS.at(a=p_star, b=q)),
    ])
    with pytest.raises(WrongLemmaInstance, match="step 1"):
        chain.check()


def test_spot_check_alone_catches_a_wrong_step():
    bad = _r1(GOOD, third_expr=(1 - lam) ** 2 * kl(p_star, q))
    with pytest.raises(WrongStep, match=r"step 3 .*spot check"):
        spot_check(bad, draws=3)


def test_a_broken_catalog_derivation_is_never_a_quiet_downgrade(monkeypatch):
    from proofs import derivations as module

    real = derivations(1)[0]
    broken = Derivation(real.name, 1, real.start, list(real.steps[:-1]) + [
        Step("=", (1 - lam) ** 2 * kl(p_star, q), "planted")], claim=real.claim)
    monkeypatch.setattr(module, "derivations", lambda n: (broken,) if n == 1 else ())
    module._checked.cache_clear()
    with pytest.raises(WrongStep, match="step 3"):
        module.certificate(real.claim)


def test_lemma_instantiated_with_a_non_distribution_is_named():
    scaled = JOINT_CONVEXITY.at(theta=1 - lam, a_1=2 * p_star, a_2=p_star, b_1=q, b_2=p_star)
    with pytest.raises(WrongLemmaInstance, match=r"step 2 .*a_1 = 2\*p_star must be a distribution"):
        _r1(scaled).check()


# Review of the checker (issue 3): contexts that are not monotone on the range of the lemma's
# sides, logarithms of possibly negative numbers, a spot check that evaluated nothing, and a
# Piecewise written by the user read as its last branch.

x = sp.Symbol("x")


def test_context_with_a_jump_is_rejected():
    # Non-negative derivative everywhere it exists, yet f(TV) <= f(sqrt(KL/2)) is false.
    f = sp.Lambda(x, sp.Piecewise((x, x < 3), (x - 5, True)))
    chain = Derivation("planted jump", 6, f(tv(p_star, q)), [
        Step("<=", f(sp.sqrt(kl(p_star, q) / 2)), PINSKER.at(a=p_star, b=q, context=f)),
    ])
    with pytest.raises(WrongLemmaInstance, match=r"step 1 .*not provably monotone"):
        chain.check()


def test_context_monotone_only_for_positive_numbers_is_rejected_when_sides_can_be_negative():
    # The sides of the log-sum inequality can be negative, where x**2 decreases.
    x1, x2, y1, y2 = (scalar(n, 0, sp.oo) for n in ("X1", "X2", "Y1", "Y2"))
    left = (x1 + x2) * sp.log((x1 + x2) / (y1 + y2))
    right = x1 * sp.log(x1 / y1) + x2 * sp.log(x2 / y2)
    square = LOG_SUM.at(x_1=x1, x_2=x2, y_1=y1, y_2=y2, context=sp.Lambda(x, x ** 2))
    with pytest.raises(WrongLemmaInstance, match=r"step 1 .*not provably monotone"):
        Derivation("planted square", 0, left ** 2, [Step("<=", right ** 2, square)]).check()
    affine = LOG_SUM.at(x_1=x1, x_2=x2, y_1=y1, y_2=y2, context=sp.Lambda(x, 1 - 2 * x))
    Derivation("affine context", 0, 1 - 2 * right, [Step("<=", 1 - 2 * left, affine)]).check()


def test_sqrt_context_on_non_negative_sides_is_accepted():
    half_root = sp.Lambda(x, sp.sqrt(x / 2))
    Derivation("root of Gibbs", 0, 0, [
        Step("<=", sp.sqrt(kl(p_star, q) / 2), GIBBS.at(a=p_star, b=q, context=half_root)),
    ]).check()


c0 = scalar("c0", -sp.oo, 10)
log_square = Derivation("planted log of a square", 0, sp.log((c0 - 1000) ** 2), [
    Step("=", 2 * sp.log(c0 - 1000), "log of a square, as if c0 - 1000 were positive"),
])


def test_log_of_a_possibly_negative_number_is_not_expanded():
    with pytest.raises(WrongStep, match=r"step 1 .*SymPy cannot show"):
        log_square.check()


def test_log_of_a_positive_number_is_expanded():
    c1 = scalar("c1", 1001, sp.oo)
    Derivation("log of a square", 0, sp.log((c1 - 1000) ** 2), [
        Step("=", 2 * sp.log(c1 - 1000), "c1 - 1000 > 0"),
    ]).check()


def test_spot_check_that_evaluates_too_few_points_fails_naming_the_step():
    # 2 log(c0 - 1000) has no real value for c0 <= 10: nothing can be compared.
    with pytest.raises(WrongStep, match=r"step 1 .*spot check: .*points"):
        spot_check(log_square)


def test_user_piecewise_is_not_replaced_by_its_last_branch():
    either = sp.Piecewise((kl(q, p_star), sp.Eq(lam, 0)), (kl(p_star, q), True))
    at_zero = {"lambda = 0": sp.Eq(lam, 0)}
    wrong = Derivation("planted branch", 0, either, [Step("=", kl(p_star, q), "last branch")],
                       assume=at_zero)
    with pytest.raises(WrongStep, match=r"step 1 .*SymPy cannot show"):
        wrong.check()
    Derivation("the branch the assumption picks", 0, either,
               [Step("=", kl(q, p_star), "lambda = 0")], assume=at_zero).check()
    undecided = Derivation("planted undecided branch", 0, either,
                           [Step("=", kl(p_star, q), "lambda != 0 assumed silently")])
    with pytest.raises(WrongStep, match=r"step 1 .*SymPy cannot show"):
        undecided.check()


def test_strict_lemma_in_a_constant_context_gives_no_strict_step():
    a, b = (dist(n) for n in ("a", "b"))
    strict = Lemma("strict", sp.Lt(tv(a, b), kl(a, b) + 1), "TV(a,b) <= 1 < KL(a||b) + 1")
    constant = sp.Lambda(x, kl(p_star, q))
    chain = Derivation("planted constant", 0, kl(p_star, q), [
        Step("<", kl(p_star, q), strict.at(a=p_star, b=q, context=constant)),
    ])
    with pytest.raises(WrongLemmaInstance, match=r"step 1 .*not provably monotone"):
        chain.check()
    rising = strict.at(a=p_star, b=q, context=sp.Lambda(x, 2 * x))
    Derivation("strictly increasing context", 0, 2 * tv(p_star, q), [
        Step("<", 2 * kl(p_star, q) + 2, rising)]).check()
