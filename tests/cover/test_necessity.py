"""Dropping an assumption: the boundary it guarded is tried exactly, and the outcomes."""
from fractions import Fraction

import pytest
import sympy as sp

from numerics.search import SearchSettings, search
from proofs.necessity import cells, drop, necessity, necessity_table, table_settings
from theory import Claim, MalformedClaim, dist, kl, linear_anchor, scalar, tv

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)

#: No random search: no draws, no climbing, no generated Hypothesis examples. Whatever
#: is found here was found by the explicit boundary examples.
BOUNDARY_ONLY = SearchSettings(dims=(2, 3), samples=0, climb_steps=0, climb_starts=1,
                               hypothesis_examples=0)


@pytest.mark.parametrize("seed", range(4))
def test_dropping_lam_positive_tries_lam_zero_exactly(seed):
    # Violated only at lambda = 0 exactly.
    claim = Claim("anchoring moves mass", lam * (1 + kl(p, q)) > 0, assume={"anchoring": lam > 0})
    report = drop(claim, ["anchoring"], SearchSettings(**{**BOUNDARY_ONLY.__dict__, "seed": seed}))
    w = report.witness
    assert w is not None and w.fractions()["lambda"] == 0 and w.stage == "boundary"
    assert "lambda = 0" in report.boundary


@pytest.mark.parametrize("seed", range(4))
def test_dropping_kl_positive_tries_q_equal_p_exactly(seed):
    # Violated only at q = p exactly.
    claim = Claim("distinct means apart", tv(p, q) > 0, assume={"q differs from p": kl(p, q) > 0})
    report = drop(claim, ["q differs from p"],
                  SearchSettings(**{**BOUNDARY_ONLY.__dict__, "seed": seed}))
    w = report.witness
    assert w is not None and w.fractions()["p"] == w.fractions()["q"] and w.stage == "boundary"
    assert {"q = p", "p = q"} <= set(report.boundary)


def test_without_the_boundary_the_same_budget_finds_nothing():
    claim = Claim("anchoring moves mass", lam * (1 + kl(p, q)) > 0, assume={"anchoring": lam > 0})
    report = search(claim.without("anchoring"), BOUNDARY_ONLY)
    assert report.boundary == () and report.witness is None


STRICT = Claim("strict contraction", kl(p, linear_anchor(q, p, lam)) < kl(p, q),
               assume={"anchoring": lam > 0, "q differs from p": kl(p, q) > 0,
                       "finite": kl(p, q) < sp.oo})
SETTINGS = SearchSettings(dims=(2, 3), samples=400, seed=1, hypothesis_examples=20)


def test_needed_assumption_gives_a_counterexample_outside_it():
    cell = necessity(STRICT, "anchoring", SETTINGS, "test")
    assert cell.outcome == "counterexample" and cell.assumption_fails_at_witness is True
    assert Fraction(cell.witness["lambda"]) == 0
    data = cell.to_json()
    assert {"result", "assumption", "outcome", "witness"} <= set(data)
    assert data["result"] == "strict contraction" and data["assumption"] == "anchoring"


def test_unneeded_assumption_says_what_was_searched():
    cell = necessity(STRICT, "finite", SETTINGS, "test")
    assert cell.outcome == "not needed" and cell.witness is None
    assert "no counterexample; searched K in {2,3}" in cell.detail()
    assert "q with an entry 0" in cell.detail()  # its boundary was tried


def test_necessity_table_covers_named_assumptions_of_claims_expected_to_hold():
    false = Claim("false", kl(p, q) <= 0, assume={"anchoring": lam > 0}, expect="fails")
    todo = cells([(STRICT, "a"), (false, "b")])
    assert [(c.name, n) for c, n, _ in todo] == [(STRICT.name, n) for n in STRICT.assume]
    table = necessity_table([(STRICT, "a")], SETTINGS)
    assert [c.outcome for c in table] == ["counterexample", "counterexample", "not needed"]


def test_table_settings_budget():
    budget = table_settings(SearchSettings())
    assert budget.dims == (2, 3) and budget.samples == 500
    assert budget.examples < SearchSettings().examples


def test_dropping_an_unknown_assumption_names_it():
    with pytest.raises(MalformedClaim, match="no assumption named 'nope'"):
        drop(STRICT, ["nope"], SETTINGS)
