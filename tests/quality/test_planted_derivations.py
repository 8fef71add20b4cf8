"""Planted faults: a wrong step, a wrongly instantiated lemma, a violated side condition, a
non-monotone context. Each must fail loudly, naming the step; the numeric line of defence must
catch a wrong step on its own too."""
import pytest
import sympy as sp

from numerics.derivations import spot_check
from proofs.catalog import lam, p_star, q
from proofs.derivations import derivations
from theory import kl, linear_anchor, renyi
from theory.derivation import Derivation, Step
from theory.errors import WrongLemmaInstance, WrongStep
from theory.lemmas import GIBBS, HOLDER, JOINT_CONVEXITY

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
