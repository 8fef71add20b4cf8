"""The example database: counterexamples stored, replayed first, never trusted blindly."""
import json
from dataclasses import replace

import sympy as sp

from numerics.database import WitnessDatabase, claim_digest
from numerics.search import SearchSettings, search
from theory import Claim, dist, entropy, kl, linear_anchor, scalar, tv

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
SYMMETRIC = Claim("KL is symmetric", kl(p, q) <= kl(q, p))
FAST = SearchSettings(dims=(2, 3), samples=300, seed=5, hypothesis_examples=20)


def _comparable(report):
    w = report.witness
    return (w.to_json() if w else None, w.lhs if w else None, w.stage if w else None,
            report.draws, report.exact_checks, report.hypothesis_examples, report.replayed,
            report.dims_tried)


def test_found_counterexample_is_stored_and_replayed_first(tmp_path):
    settings = replace(FAST, database=str(tmp_path / "db"))
    first = search(SYMMETRIC, settings)
    assert first.witness is not None and first.replayed == 0
    stored = WitnessDatabase(tmp_path / "db").fetch(SYMMETRIC)
    assert stored == [first.witness.to_json()]
    second = search(SYMMETRIC, settings)
    assert second.replayed == 1 and second.witness.stage == "database"
    assert second.draws == 0 and second.dims_tried == []  # K=2 is the smallest: nothing to search
    assert second.witness.to_json() == first.witness.to_json()


def test_runs_with_a_database_are_deterministic(tmp_path):
    settings = replace(FAST, database=str(tmp_path / "db"))
    search(SYMMETRIC, settings)
    a, b = search(SYMMETRIC, settings), search(SYMMETRIC, settings)
    assert _comparable(a) == _comparable(b)


def test_writing_a_database_does_not_change_the_run(tmp_path):
    without = search(SYMMETRIC, FAST)
    with_db = search(SYMMETRIC, replace(FAST, database=str(tmp_path / "db")))
    assert _comparable(without) == _comparable(with_db)


def test_a_replayed_witness_is_shrunk_and_bounds_the_dimensions_searched(tmp_path):
    # Entropy above log 2 needs K >= 3. A stored K=5 witness shrinks to K=3 on replay, so
    # only K=2 remains to be searched.
    claim = Claim("entropy at most log 2", entropy(p) <= sp.log(2))
    db = WitnessDatabase(tmp_path / "db")
    db.save(claim, {"p": ["1/5"] * 5, "K": 5})
    report = search(claim, replace(FAST, dims=(2, 3, 4, 5), database=str(tmp_path / "db")))
    assert report.replayed == 1 and report.dims_tried == [2]
    assert report.witness.K == 3 and report.witness.stage == "database"
    assert [w["K"] for w in db.fetch(claim)] == [3, 5]


def test_stale_and_foreign_entries_are_skipped(tmp_path):
    db = WitnessDatabase(tmp_path / "db")
    db.save(SYMMETRIC, {"p": ["1/2", "1/2"], "q": ["1/2", "1/2"], "K": 2})  # no violation
    db.save(SYMMETRIC, {"p": ["1/2", "1/2"], "K": 2})  # a symbol missing
    db.save(SYMMETRIC, {"p": ["1/2", "2/3"], "q": ["1", "0"], "K": 2})  # not a distribution
    db._db.save(db._key(SYMMETRIC), b"\xff not json")
    report = search(SYMMETRIC, replace(FAST, database=str(tmp_path / "db")))
    assert report.replayed == 1  # only the well-formed entry was decided (and rejected)
    assert report.witness is not None and report.witness.stage != "database"


def test_database_entries_are_readable_json(tmp_path):
    report = search(SYMMETRIC, replace(FAST, database=str(tmp_path / "db")))
    files = [f for f in (tmp_path / "db").rglob("*") if f.is_file()]
    entries = [json.loads(f.read_text()) for f in files if f.read_text().startswith("{")]
    assert [e["witness"] for e in entries] == [report.witness.to_json()]
    assert entries[0]["claim"] == "KL is symmetric"


def test_claims_are_keyed_by_their_mathematics():
    renamed = Claim("another name", kl(p, q) <= kl(q, p))
    assert claim_digest(renamed) == claim_digest(SYMMETRIC)
    c = Claim("c", kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q),
              assume={"anchoring": lam > 0})
    assert claim_digest(c) != claim_digest(c.without("anchoring"))
    assert claim_digest(Claim("t", tv(p, q) <= 1)) != claim_digest(SYMMETRIC)
