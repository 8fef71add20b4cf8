"""The pytest plugin: claim files collected as tests, failures with witness and command,
JUnit properties, options mirroring ``check``, and no SymPy until a claim file is collected."""
import json
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

import reference as ref
from subprocess_runs import ROOT, environment, outcome_counts, reproduce, run_pytest

FAST = ["--claims-dims", "2,3", "--claims-samples", "300"]
TINY = ["--claims-dims", "2", "--claims-samples", "100"]

MIXED = """
import sympy as sp
from theory import Claim, dist, scalar, kl, tv, geometric_anchor
p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
pinsker = Claim("Pinsker", tv(p, q) <= sp.sqrt(kl(p, q) / 2))
geo = Claim("geometric reverse contraction", kl(geometric_anchor(q, p, lam), p)
            <= (1 - lam) * kl(q, p), expect="fails")
symmetric = Claim("KL is symmetric", kl(p, q) <= kl(q, p))
"""

REGISTERED_ONCE = """
def test_registered_once(request):
    plugins = request.config.pluginmanager.list_name_plugin()
    assert sum(name == "proofs.pytest_plugin" for name, _ in plugins) == 1
    assert request.config.pluginmanager.has_plugin("proofs.pytest_plugin")
"""

PLAIN_TEST = REGISTERED_ONCE + """
import sys

def test_plain():
    assert "sympy" not in sys.modules
"""


def write(folder, name, text):
    (folder / name).write_text(textwrap.dedent(text))
    return folder / name


def test_plugin_module_imports_no_sympy():
    code = ("import sys, proofs.pytest_plugin; "
            "assert not {'sympy', 'numpy', 'theory', 'numerics'} & set(sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], env=environment(), capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr


def test_unrelated_test_run_does_not_import_sympy(tmp_path):
    write(tmp_path, "test_plain.py", PLAIN_TEST)
    r = run_pytest(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert outcome_counts(r.stdout) == {"passed": 2}


def _fake_install(tmp_path):
    """A distribution declaring the plugin under ``pytest11``, as ``pip install`` would."""
    info = tmp_path / "site" / "metadistill_plugin_probe-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: metadistill-plugin-probe\n"
                                   "Version: 0\n")
    (info / "entry_points.txt").write_text(
        "[pytest11]\nproofs.pytest_plugin = proofs.pytest_plugin\n")
    return str(tmp_path / "site")


@pytest.mark.parametrize("explicit", [True, False], ids=["entry point and -p", "entry point"])
def test_entry_point_registers_the_plugin_once(tmp_path, explicit):
    site = _fake_install(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    write(project, "test_plugin.py", REGISTERED_ONCE)
    write(project, "claims_one.py", MIXED.split("geo =")[0])
    env = environment(path=[site])
    r = run_pytest(project, *TINY, plugin=explicit, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    # One claim and the plain test, each collected once.
    assert "collected 2 items" in r.stdout and outcome_counts(r.stdout) == {"passed": 2}


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paper")
    write(folder, "claims_mixed.py", MIXED)
    r = run_pytest(folder, "-v", *FAST, "--junitxml", str(folder / "junit.xml"))
    return folder, r


def test_one_item_per_claim_named_after_it(mixed_run):
    folder, r = mixed_run
    assert r.returncode == 1, r.stdout + r.stderr
    assert outcome_counts(r.stdout) == {"passed": 2, "failed": 1}
    for name, status in [("Pinsker", "VERIFIED"), ("geometric reverse contraction", "FALSIFIED"),
                         ("KL is symmetric", "FAILED")]:
        assert re.search(rf"claims_mixed\.py::{name} {status}", r.stdout), r.stdout


def _failure_witness(stdout):
    match = re.search(r"witness \(exact\): K=(\d+) p=\[([^\]]*)\] q=\[([^\]]*)\]", stdout)
    assert match, stdout
    K, p, q = match.groups()
    return int(K), [Fraction(x) for x in p.split(",")], [Fraction(x) for x in q.split(",")]


def test_failure_shows_both_sides_exact_witness_and_command(mixed_run):
    folder, r = mixed_run
    out = r.stdout
    assert "claim 'KL is symmetric' was expected to hold, but it is falsified" in out
    assert "lhs = KL(p, q)" in out and "rhs = KL(q, p)" in out
    K, p, q = _failure_witness(out)
    assert len(p) == len(q) == K and sum(p) == sum(q) == 1
    # The printed sides are the true sides at the witness (independent mpmath definitions),
    # and the witness does violate the claim.
    lhs = re.search(r"lhs = KL\(p, q\)\n\s+= (\S+)", out).group(1)
    rhs = re.search(r"rhs = KL\(q, p\)\n\s+= (\S+)", out).group(1)
    assert ref.close(lhs, ref.kl(p, q)) and ref.close(rhs, ref.kl(q, p))
    assert ref.kl(p, q) > ref.kl(q, p)


def test_failure_command_reproduces_the_witness(mixed_run, tmp_path):
    folder, r = mixed_run
    command = re.search(r"reproduce: (metadistill check .*)", r.stdout).group(1)
    assert "--dims 2,3 --samples 300 --seed 0 --precision 50" in command
    doc = reproduce(folder, command, tmp_path / "out.json")
    by_name = {c["name"]: c for c in doc["claims"]}
    K, p, q = _failure_witness(r.stdout)
    assert by_name["KL is symmetric"]["witness"] == {"p": [str(x) for x in p],
                                                     "q": [str(x) for x in q], "K": K}
    assert [c["ok"] for c in doc["claims"]] == [True, True, False]


def test_verbose_run_says_what_was_tried(mixed_run):
    folder, r = mixed_run
    summary = r.stdout.split("claims that met their expectation")[1]
    assert "claims_mixed.py::Pinsker: verified (expected: holds)" in summary
    assert re.search(r"searched K in \{2,3\}: 600 draws, \d+ climbing steps", summary)
    assert "claims_mixed.py::geometric reverse contraction: falsified (expected: fails)" in summary
    assert "witness: K=" in summary


def test_junit_report_carries_verdicts(mixed_run):
    folder, r = mixed_run
    cases = {c.get("name"): c for c in ET.parse(folder / "junit.xml").iter("testcase")}
    assert set(cases) == {"Pinsker", "geometric reverse contraction", "KL is symmetric"}
    props = {name: {p.get("name"): p.get("value") for p in case.iter("property")}
             for name, case in cases.items()}
    assert props["Pinsker"]["verdict"] == "verified" and props["Pinsker"]["expect"] == "holds"
    assert json.loads(props["Pinsker"]["witness"]) is None
    geo = props["geometric reverse contraction"]
    assert geo["verdict"] == "falsified" and json.loads(geo["witness"])["K"] >= 2
    assert cases["KL is symmetric"].find("failure") is not None
    assert cases["Pinsker"].find("failure") is None
    assert props["KL is symmetric"]["command"].startswith("metadistill check claims_mixed.py")


def test_ini_pattern_selects_claim_files(tmp_path):
    write(tmp_path, "pytest.ini", "[pytest]\nclaims_files = lemmas_*.py\n")
    write(tmp_path, "lemmas_a.py", MIXED.split("geo =")[0])
    write(tmp_path, "claims_ignored.py", MIXED)
    r = run_pytest(tmp_path, *TINY)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "collected 1 item" in r.stdout and "lemmas_a.py ." in r.stdout


BAD_OPTIONS = [("--claims-dims", "x"), ("--claims-dims", "0"), ("--claims-samples", "0"),
               ("--claims-precision", "5"), ("--claims-seed", "abc"), ("--claims-seed", "-1")]


@pytest.mark.parametrize("option, value", BAD_OPTIONS)
def test_bad_option_is_a_usage_error_naming_it(tmp_path, option, value):
    r = run_pytest(tmp_path, f"{option}={value}")
    assert r.returncode == pytest.ExitCode.USAGE_ERROR, r.stdout + r.stderr
    assert f"{option}={value!r}" in r.stderr and "Traceback" not in r.stderr


def test_bad_claim_file_is_a_collection_error_in_one_line(tmp_path):
    write(tmp_path, "claims_broken.py", "import no_such_module_here\n")
    write(tmp_path, "claims_empty.py", "x = 1\n")
    r = run_pytest(tmp_path, *TINY)
    assert r.returncode == pytest.ExitCode.INTERRUPTED, r.stdout + r.stderr
    assert "claims_broken.py: does not import: ModuleNotFoundError" in r.stdout
    assert "claims_empty.py: holds no claims" in r.stdout
    assert "Traceback" not in r.stdout


def test_expected_failure_that_holds_fails_with_closest_point(tmp_path):
    write(tmp_path, "claims_wrong_expectation.py", MIXED.split("geo =")[0].replace(
        "kl(p, q) / 2))", 'kl(p, q) / 2), expect="fails")'))
    r = run_pytest(tmp_path, *TINY)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "claim 'Pinsker' was expected to fail, but no counterexample was found" in r.stdout
    assert "(at the point closest to a violation)" in r.stdout
    assert "reproduce: metadistill check claims_wrong_expectation.py" in r.stdout


def test_repository_root_is_this_checkout():
    # The subprocesses above import this tree (not another install of the package).
    r = subprocess.run([sys.executable, "-c", "import proofs; print(proofs.__file__)"],
                       env=environment(), capture_output=True, text=True)
    assert r.stdout.strip().startswith(str(ROOT))
