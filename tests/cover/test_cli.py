"""The ``metadistill check`` command: exit codes, one-line errors, JSON shape, reproducibility."""
import json
import os
import re
import subprocess
import sys
import textwrap
from fractions import Fraction

import pytest

FAST = ["--dims", "2,3", "--samples", "300"]

TRUE_FILE = """
from theory import Claim, dist, scalar, kl, tv, linear_anchor
import sympy as sp
p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
pinsker = Claim("Pinsker", tv(p, q) <= sp.sqrt(kl(p, q) / 2))
contracts = Claim("linear anchoring contracts KL",
                  kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q),
                  assume={"anchoring": lam > 0})
"""

FALSE_FILE = """
from theory import Claim, dist, kl
p, q = dist("p"), dist("q")
symmetric = Claim("KL is symmetric", kl(p, q) <= kl(q, p))
"""

EXPECTED_FALSE_FILE = FALSE_FILE.replace('kl(q, p))', 'kl(q, p), expect="fails")')


def run(args, cwd=None):
    return subprocess.run([sys.executable, "-m", "proofs.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_true_claims_exit_0(tmp_path):
    r = run(["check", write(tmp_path, "claims.py", TRUE_FILE), *FAST])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "verified" in r.stdout and "2 claims: 2 as expected, 0 not." in r.stdout


def test_false_claim_exits_1_with_witness(tmp_path):
    r = run(["check", write(tmp_path, "claims.py", FALSE_FILE), *FAST])
    assert r.returncode == 1, r.stdout + r.stderr
    assert "FAIL" in r.stdout and "falsified" in r.stdout and "witness: K=2" in r.stdout


def test_expected_failure_exits_0(tmp_path):
    r = run(["check", write(tmp_path, "claims.py", EXPECTED_FALSE_FILE), *FAST])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "falsified" in r.stdout


BAD_FILES = [
    ("import_error.py", "import no_such_module_here\n", "does not import: ModuleNotFoundError"),
    ("syntax.py", "def (:\n", "does not import: SyntaxError"),
    ("empty.py", "x = 1\n", "holds no claims"),
    ("malformed.py", "from theory import Claim, dist, kl\np = dist('p')\n"
                     "c = Claim('bad operand', kl(p, 3) <= 1)\n",
     "claim 'bad operand': argument=3"),
    ("notrelation.py", "from theory import Claim, dist, kl\np, q = dist('p'), dist('q')\n"
                       "c = Claim('no relation', kl(p, q))\n", "claim 'no relation'"),
    ("range.py", "from theory import scalar\nt = scalar('t', 1, 0)\n",
     "low=1 must be below high=0"),
]


@pytest.mark.parametrize("name, text, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_exits_2_with_one_line(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    r = run(["check", path, *FAST])
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and path in lines[0] and message in lines[0], r.stderr


def test_missing_file_exits_2(tmp_path):
    r = run(["check", str(tmp_path / "nope.py")])
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [["--dims", "2,x"], ["--dims", "0"], ["--dims", "1,2"],
                                  ["--samples", "0"], ["--precision", "5"], ["--seed", "abc"],
                                  ["--seed", "-1"], ["--database", "/dev/null/x"]])
def test_bad_option_exits_2(args):
    r = run(["check", *args])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{args[0]}={args[1]!r}" in r.stderr


@pytest.mark.parametrize("command", [["falsify", "R1"], ["tightness"], ["simulate"],
                                     ["figures", "out"], ["axioms", "linear"]])
def test_negative_seed_is_a_usage_error_in_every_command(tmp_path, command):
    r = run([*command, "--seed", "-1"], cwd=tmp_path)
    assert r.returncode == 2 and "--seed='-1'" in r.stderr and "Traceback" not in r.stderr


def test_database_that_is_a_file_is_refused(tmp_path):
    user = tmp_path / "user.json"
    user.write_text("{}")
    r = run(["check", "--database", str(user)])
    assert r.returncode == 2 and "is not a directory" in r.stderr
    assert user.read_text() == "{}"


def test_json_shape_and_witness(tmp_path):
    out = tmp_path / "report.json"
    r = run(["check", write(tmp_path, "claims.py", FALSE_FILE), *FAST, "--json", str(out)])
    assert r.returncode == 1
    doc = json.loads(out.read_text())
    (claim,) = doc["claims"]
    assert {"name", "verdict", "expect", "witness", "lhs", "rhs", "detail"} <= set(claim)
    assert claim["verdict"] == "falsified" and claim["expect"] == "holds"
    w = claim["witness"]
    K = w["K"]
    for name in ("p", "q"):
        entries = [Fraction(x) for x in w[name]]
        assert len(entries) == K and sum(entries) == 1
    assert float(claim["lhs"]) > float(claim["rhs"])  # decimal strings, "inf" allowed


def test_json_refuses_to_overwrite_user_file(tmp_path):
    out = tmp_path / "notes.json"
    out.write_text('{"mine": true}')
    r = run(["check", write(tmp_path, "claims.py", FALSE_FILE), *FAST, "--json", str(out)])
    assert r.returncode == 2 and "was not written by metadistill" in r.stderr
    assert out.read_text() == '{"mine": true}'


def test_json_replaces_its_own_report(tmp_path):
    out = tmp_path / "report.json"
    path = write(tmp_path, "claims.py", EXPECTED_FALSE_FILE)
    assert run(["check", path, *FAST, "--json", str(out)]).returncode == 0
    assert run(["check", path, *FAST, "--json", str(out)]).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # an ordinary file, not mkstemp's 0600


def test_json_refuses_to_replace_a_report_the_user_edited(tmp_path):
    out = tmp_path / "report.json"
    path = write(tmp_path, "claims.py", EXPECTED_FALSE_FILE)
    assert run(["check", path, *FAST, "--json", str(out)]).returncode == 0
    doc = json.loads(out.read_text())
    doc["my_note"] = "checked by hand"
    out.write_text(json.dumps(doc, indent=2))
    edited = out.read_text()
    r = run(["check", path, *FAST, "--json", str(out)])
    assert r.returncode == 2 and "has been edited since" in r.stderr
    assert out.read_text() == edited


def test_nothing_decided_is_undecided_not_verified(tmp_path):
    path = write(tmp_path, "vacuous.py", """
        import sympy as sp
        from theory import Claim, dist, kl, tv
        p, q = dist("p"), dist("q")
        c = Claim("vacuous", tv(p, q) <= 0, assume={"impossible": kl(p, q) < 0})
    """)
    out = tmp_path / "r.json"
    r = run(["check", path, *FAST, "--no-necessity", "--json", str(out)])
    assert r.returncode == 1, r.stdout + r.stderr
    [claim] = json.loads(out.read_text())["claims"]
    assert claim["verdict"] == "undecided"
    assert claim["detail"].startswith("no point of the domain could be decided")


def test_seed_reproduces_the_run(tmp_path):
    path = write(tmp_path, "claims.py", FALSE_FILE)
    docs = []
    for i in range(2):
        out = tmp_path / f"r{i}.json"
        run(["check", path, *FAST, "--seed", "7", "--json", str(out)])
        doc = json.loads(out.read_text())
        for c in doc["claims"]:
            c["searched"].pop("seconds")
        # The seal digests the whole file, seconds included: only its form can repeat.
        assert re.fullmatch(r"metadistill check \(sha256 [0-9a-f]{16}\)", doc.pop("generator"))
        docs.append(doc)
    assert docs[0] == docs[1]


def test_help_is_fast_and_lazy():
    code = ("import sys, proofs.cli; "
            "assert 'sympy' not in sys.modules and 'numpy' not in sys.modules, sorted(sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    r = run(["--help"])
    assert r.returncode == 0 and "check" in r.stdout


@pytest.mark.slow
def test_catalog_exits_0_on_fresh_install(tmp_path):
    """The README's main command, with its defaults."""
    out = tmp_path / "catalog.json"
    r = subprocess.run(["metadistill", "check", "--json", str(out)], capture_output=True,
                       text=True, timeout=1200)
    assert r.returncode == 0, r.stdout + r.stderr
    doc = json.loads(out.read_text())
    names = [c["name"] for c in doc["claims"]]
    for number in (1, 2, 3, 4, 12):
        assert any(n.startswith(f"R{number} ") for n in names), number
    false = [c for c in doc["claims"] if c["expect"] == "fails"]
    assert false and all(c["verdict"] == "falsified" and c["witness"] for c in false)
    from proofs.catalog import catalog_claims
    from proofs.derivations import has_derivation

    derived = {c.name for c in catalog_claims() if has_derivation(c)}
    assert derived
    assert all(c["verdict"] == ("certified" if c["name"] in derived else "verified")
               for c in doc["claims"] if c["expect"] == "holds")
    cells = doc["necessity"]
    assert {c["outcome"] for c in cells} == {"counterexample", "not needed"}
    assert all(c["witness"] for c in cells if c["outcome"] == "counterexample")


def test_reader_closing_the_pipe_is_not_an_error():
    """``metadistill constants | head -1``: no traceback when the reader leaves early."""
    with subprocess.Popen(["metadistill", "constants"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout.readline().startswith("metadistill constants:")
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
