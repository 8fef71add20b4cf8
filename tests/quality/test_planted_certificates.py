"""Planted faults in what a derivation may certify: an equality chain offered for a strict
claim, and a chain checked only for each K of a range offered as a proof for every K."""
import pytest

from proofs import derivations as module
from theory import Claim, K, dist, kl, linear_anchor, scalar
from theory.derivation import Derivation, Step
from theory.errors import MalformedDerivation

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)


def test_equalities_do_not_prove_a_strict_claim():
    """``x < x`` must not follow from ``x = x``."""
    strict = Claim("strict", kl(p, linear_anchor(q, p, lam)) < kl(p, (1 - lam) * q + lam * p))
    chain = Derivation("equalities only", 1, strict.lhs, [Step("=", strict.rhs, "the same")],
                       claim=strict)
    with pytest.raises(MalformedDerivation, match="establishes =, claim 'strict' states <"):
        chain.check()


def test_a_chain_checked_for_some_k_only_does_not_certify(monkeypatch):
    """The step holds for K = 2..5 and fails from K = 6 on; SymPy proves it per K in the
    default range, so the derivation checks, but it must not certify the claim for every K."""
    vanishing = (K - 2) * (K - 3) * (K - 4) * (K - 5)
    claim = Claim("per-K only", kl(p, q) <= kl(p, q) + vanishing * kl(p, q))
    chain = Derivation("per-K chain", 1, claim.lhs, [Step("=", claim.rhs, "algebra")],
                       claim=claim)
    assert not chain.check().symbolic_k
    monkeypatch.setattr(module, "derivations", lambda n: (chain,) if n == 1 else ())
    module._checked.cache_clear()
    assert module.has_derivation(claim)
    assert module.certificate(claim) is None
