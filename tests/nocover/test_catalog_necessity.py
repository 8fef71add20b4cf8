"""Regression: the necessity table of the catalog, at the default budget of ``metadistill
check``, finds every counterexample THEORY.md predicts and none it does not.

Expected counterexamples are the pinned ones (tests/pinned.py); every other named assumption
of a claim expected to hold comes out "not needed". Each witness found is outside the dropped
assumption and simple (K = 2 unless the assumption is about K, small denominators).
"""
from fractions import Fraction

import pytest

from numerics.search import SearchSettings
from pinned import PINNED
from proofs.catalog import catalog_claims
from proofs.necessity import necessity_table


@pytest.mark.slow
def test_catalog_necessity_table_matches_theory():
    table = necessity_table([(c, "catalog") for c in catalog_claims()], SearchSettings())
    got = {(c.claim.name, c.assumption): c for c in table}
    needed = {k for k in PINNED if k[1] is not None}
    assert needed <= set(got)
    for key, cell in got.items():
        expected = "counterexample" if key in needed else "not needed"
        assert cell.outcome == expected, (key, cell.detail())
        if cell.outcome == "counterexample":
            assert cell.assumption_fails_at_witness is True, key
            w = cell.witness
            assert w["K"] <= 2
            fractions = [Fraction(x) for k, v in w.items() if k != "K"
                         for x in (v if isinstance(v, list) else [v])]
            assert max(f.denominator for f in fractions) <= 3, (key, w)
