"""``metadistill falsify`` and the necessity table of ``metadistill check``, end to end."""
import json
import re
import subprocess
import sys
import textwrap
from fractions import Fraction

import pytest

FAST = ["--dims", "2,3", "--samples", "300"]

STRICT_FILE = """
import sympy as sp
from theory import Claim, dist, scalar, kl, linear_anchor
p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
strict = Claim("anchoring strictly contracts KL",
               kl(p, linear_anchor(q, p, lam)) < kl(p, q),
               assume={"anchoring": lam > 0, "q differs from p": kl(p, q) > 0,
                       "finite": kl(p, q) < sp.oo})
"""

PINSKER_FILE = """
import sympy as sp
from theory import Claim, dist, kl, tv
p, q = dist("p"), dist("q")
pinsker = Claim("Pinsker", tv(p, q) <= sp.sqrt(kl(p, q) / 2))
"""


def run(args, cwd):
    return subprocess.run([sys.executable, "-m", "proofs.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def _falsify_json(tmp_path, args):
    out = tmp_path / "out.json"
    r = run(["falsify", *args, "--json", str(out), "--no-database"], tmp_path)
    return r, (json.loads(out.read_text()) if out.exists() else None)


def test_dropping_anchoring_reaches_lambda_zero_exactly(tmp_path):
    path = write(tmp_path, "claims.py", STRICT_FILE)
    r, doc = _falsify_json(tmp_path, [path, "--drop", "anchoring", *FAST])
    assert r.returncode == 0, r.stdout + r.stderr
    (res,) = doc["results"]
    assert res["outcome"] == "counterexample" and res["dropped"] == ["anchoring"]
    assert Fraction(res["witness"]["lambda"]) == 0 and "lambda = 0" in res["boundary"]
    assert "COUNTEREXAMPLE at K=2" in r.stdout and "lambda = 0" in r.stdout
    assert res["lhs"] == res["rhs"]  # strict inequality broken by equality, 50 digits shown


def test_dropping_kl_positive_reaches_q_equal_p_exactly(tmp_path):
    path = write(tmp_path, "claims.py", STRICT_FILE)
    r, doc = _falsify_json(tmp_path, [path, "--drop", "q differs from p", *FAST])
    assert r.returncode == 0, r.stdout + r.stderr
    w = doc["results"][0]["witness"]
    assert w["p"] == w["q"] and sum(Fraction(x) for x in w["q"]) == 1


def test_nothing_found_says_what_was_searched_and_exits_1(tmp_path):
    path = write(tmp_path, "claims.py", STRICT_FILE)
    r, doc = _falsify_json(tmp_path, [path, "--drop", "finite", *FAST])
    assert r.returncode == 1, r.stdout + r.stderr
    assert "nothing found: searched K in {2,3}" in r.stdout
    assert "boundary tried exactly: p = q, q = p, q with an entry 0" in r.stdout
    assert doc["results"][0]["outcome"] == "nothing found"


def test_without_drop_a_true_claim_is_not_falsified(tmp_path):
    r = run(["falsify", write(tmp_path, "p.py", PINSKER_FILE), *FAST, "--no-database"], tmp_path)
    assert r.returncode == 1 and "nothing found" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["--drop", "nope"], "--drop 'nope': no selected claim has an assumption of that name"),
    (["R99"], "target='R99': no catalog result 99"),
    (["R1.9"], "target='R1.9': result 1 has claims R1.1 to R1.2"),
    (["missing.py"], "missing.py: no such file"),
])
def test_bad_target_or_drop_exits_2_with_one_line(tmp_path, args, message):
    if args[0] == "--drop":
        args = [write(tmp_path, "claims.py", STRICT_FILE), *args]
    r = run(["falsify", *args, *FAST], tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr


def test_catalog_selector_with_drop(tmp_path):
    r, doc = _falsify_json(tmp_path, ["R11", "--drop", "T = 1", "--dims", "2", "--samples", "200"])
    assert r.returncode == 0, r.stdout + r.stderr
    (res,) = doc["results"]
    assert res["source"] == "catalog R11.1" and Fraction(res["witness"]["T"]) != 1


def test_catalog_claims_without_the_dropped_name_are_skipped(tmp_path):
    r, doc = _falsify_json(tmp_path, ["R2", "--drop", "linear family", "--dims", "2",
                                      "--samples", "200"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert [x["source"] for x in doc["results"]] == ["catalog R2.2"]
    assert [x["source"] for x in doc["skipped"]] == ["catalog R2.1"]
    assert Fraction(doc["results"][0]["witness"]["geo"]) != 0


def test_list_shows_selectors_and_assumptions(tmp_path):
    r = run(["falsify", "R1", "--list"], tmp_path)
    assert r.returncode == 0
    assert "catalog R1.1: R1 linear anchoring contracts" in r.stdout
    assert "assume 'anchoring': lambda > 0" in r.stdout


def test_database_default_directory_is_replayed_first(tmp_path):
    path = write(tmp_path, "claims.py", STRICT_FILE)
    first = run(["falsify", path, "--drop", "anchoring", *FAST], tmp_path)
    assert first.returncode == 0 and "database .metadistill/examples" in first.stdout
    assert any((tmp_path / ".metadistill" / "examples").rglob("*"))
    second = run(["falsify", path, "--drop", "anchoring", *FAST], tmp_path)
    assert "replayed 1 stored counterexample(s) first" in second.stdout
    assert "found by database" in second.stdout
    third = run(["falsify", path, "--drop", "anchoring", *FAST], tmp_path)
    assert third.stdout == second.stdout


def test_database_option_and_no_database(tmp_path):
    path = write(tmp_path, "claims.py", STRICT_FILE)
    run(["falsify", path, "--drop", "anchoring", *FAST, "--no-database"], tmp_path)
    assert not (tmp_path / ".metadistill").exists()
    run(["falsify", path, "--drop", "anchoring", *FAST, "--database", "mydb"], tmp_path)
    assert any((tmp_path / "mydb").rglob("*")) and not (tmp_path / ".metadistill").exists()


def test_falsify_is_reproducible_from_the_seed(tmp_path):
    path = write(tmp_path, "claims.py", STRICT_FILE)
    docs = []
    for _ in range(2):
        _, doc = _falsify_json(tmp_path, [path, "--drop", "anchoring", *FAST, "--seed", "3"])
        for res in doc["results"]:
            res["searched"].pop("seconds")
        # The seal digests the whole file, seconds included: only its form can repeat.
        assert re.fullmatch(r"metadistill falsify \(sha256 [0-9a-f]{16}\)", doc.pop("generator"))
        docs.append(doc)
    assert docs[0] == docs[1]


def test_check_prints_and_writes_the_necessity_table(tmp_path):
    out = tmp_path / "report.json"
    r = run(["check", write(tmp_path, "claims.py", STRICT_FILE), *FAST, "--json", str(out)],
            tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Necessity: each named assumption dropped in turn" in r.stdout
    doc = json.loads(out.read_text())
    assert set(doc) >= {"claims", "necessity"}
    rows = {(n["result"], n["assumption"]): n for n in doc["necessity"]}
    name = "anchoring strictly contracts KL"
    assert set(rows) == {(name, a) for a in ("anchoring", "q differs from p", "finite")}
    for n in rows.values():
        assert {"result", "assumption", "outcome", "witness"} <= set(n)
        assert n["outcome"] in ("counterexample", "not needed")
        assert (n["witness"] is None) == (n["outcome"] == "not needed")
    assert rows[(name, "anchoring")]["outcome"] == "counterexample"
    assert Fraction(rows[(name, "anchoring")]["witness"]["lambda"]) == 0
    assert rows[(name, "finite")]["outcome"] == "not needed"


def test_check_without_necessity(tmp_path):
    out = tmp_path / "report.json"
    r = run(["check", write(tmp_path, "claims.py", STRICT_FILE), *FAST, "--no-necessity",
             "--json", str(out)], tmp_path)
    assert r.returncode == 0 and "Necessity" not in r.stdout
    assert json.loads(out.read_text())["necessity"] == []


def test_catalog_claims_are_selected_by_exact_name():
    # In-process: looking a name up builds the whole catalog (closed forms take SymPy seconds).
    from proofs.catalog import RESULTS
    from proofs.cli import UsageError
    from proofs.cmd_falsify import select

    name = RESULTS[0].claims[0].name
    assert select([name]) == [(RESULTS[0].claims[0], "catalog R1.1")]
    with pytest.raises(UsageError, match="target='no such claim': not a file"):
        select(["no such claim"])


def test_json_refuses_to_overwrite_a_user_file_before_searching(tmp_path):
    out = tmp_path / "notes.json"
    out.write_text('{"mine": true}')
    r = run(["falsify", write(tmp_path, "claims.py", STRICT_FILE), "--drop", "anchoring",
             *FAST, "--json", str(out)], tmp_path)
    assert r.returncode == 2 and "was not written by metadistill" in r.stderr
    assert out.read_text() == '{"mine": true}' and not (tmp_path / ".metadistill").exists()
