"""The ``tightness``, ``simulate`` and ``figures`` commands: exit codes, one-line errors, JSON
shape, refusing to overwrite, reproducibility. Run in-process (``proofs.cli.main``) except where
the test is about what a fresh process imports."""
import json
import subprocess
import sys
import textwrap
from fractions import Fraction

import pytest

from proofs.cli import main

TRUE_FILE = """
from theory import Claim, dist, scalar, kl, linear_anchor
p, q = dist("p_star"), dist("q")
lam = scalar("lambda", 0, 1)
contracts = Claim("contracts", kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q),
                  assume={"anchoring": lam > 0})
"""
FALSE_FILE = """
from theory import Claim, dist, kl
p, q = dist("p"), dist("q")
symmetric = Claim("KL is symmetric", kl(p, q) <= kl(q, p))
"""
FAST_TIGHT = ["--dims", "2", "--samples", "300"]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_tightness_json_and_exit_0(tmp_path, capsys):
    out = tmp_path / "t.json"
    code = main(["tightness", write(tmp_path, "c.py", TRUE_FILE), *FAST_TIGHT, "--json", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and "tight" in text
    doc = json.loads(out.read_text())
    (claim,) = doc["claims"]
    assert {"name", "sup_ratio", "witness", "detail"} <= set(claim)
    assert claim["verdict"] == "tight" and Fraction(claim["sup_ratio"]) <= 1
    w = claim["witness"]
    for name in ("p_star", "q"):
        entries = [Fraction(x) for x in w[name]]
        assert len(entries) == w["K"] and sum(entries) == 1
    assert 0 < Fraction(w["lambda"]) < 1


def test_tightness_of_a_false_claim_exits_1(tmp_path, capsys):
    code = main(["tightness", write(tmp_path, "c.py", FALSE_FILE), *FAST_TIGHT])
    assert code == 1 and "violated" in capsys.readouterr().out


def _simulate(tmp_path, *args):
    out = tmp_path / "s.json"
    code = main(["simulate", *args, "--json", str(out)])
    return code, json.loads(out.read_text())


def test_simulate_samples_json(tmp_path, capsys):
    png = tmp_path / "run.png"
    code, doc = _simulate(tmp_path, "--student", "samples", "--K", "4", "--N", "50",
                          "--generations", "12", "--chains", "3000", "--seed", "1", "--plot", str(png))
    assert code == 0, capsys.readouterr().out
    for key in ("anchor", "start"):
        assert len(doc[key]) == 4 and sum(Fraction(x) for x in doc[key]) == 1
    rows = doc["generations"]
    assert [r["t"] for r in rows] == list(range(13))
    for r in rows:
        assert {"chi2_mean", "chi2_se", "kl_mean", "chi2_closed_form"} <= set(r)
    assert rows[0]["chi2_se"] == 0 and rows[5]["chi2_se"] > 0
    assert doc["checks"][0]["passed"] and doc["checks"][0]["result"] == 10
    assert doc["settings"]["chains"] == 3000 and doc["settings"]["N"] == 50
    assert png.read_bytes()[:4] == b"\x89PNG" and b"metadistill" in png.read_bytes()


def test_simulate_is_reproducible_from_seed(tmp_path):
    args = ["--student", "samples", "--K", "3", "--N", "20", "--generations", "5", "--chains", "500"]
    _, a = _simulate(tmp_path, *args, "--seed", "4")
    _, b = _simulate(tmp_path, *args, "--seed", "4")
    _, c = _simulate(tmp_path, *args, "--seed", "5")
    assert a == b and a["generations"] != c["generations"]


def test_simulate_realizable_against_result_5(tmp_path):
    code, doc = _simulate(tmp_path, "--K", "5", "--generations", "20", "--lam", "1/4",
                          "--anchor", "0.1,0.2,0.3,0.15,0.25", "--start", "uniform")
    assert code == 0
    assert doc["anchor"] == ["1/10", "1/5", "3/10", "3/20", "1/4"] and doc["start"] == ["1/5"] * 5
    assert {c["result"] for c in doc["checks"]} == {5} and all(c["passed"] for c in doc["checks"])
    for r in doc["generations"]:
        assert r["kl_mean"] == r["kl_closed_form"] <= r["kl_bound"] and r["chi2_se"] == 0


def test_simulate_softening_reports_the_bias(tmp_path):
    code, doc = _simulate(tmp_path, "--K", "3", "--generations", "5", "--T", "0.5",
                          "--anchor", "0.2,0.3,0.5", "--start", "uniform")
    assert code == 0 and doc["checks"] == []
    assert doc["summary"]["fixed_point_bias_kl"] > 1e-3
    assert sum(Fraction(x) for x in doc["summary"]["fixed_point"]) == pytest.approx(1, abs=1e-15)


BAD = [
    (["--lam", "1.5"], "--lam='1.5'"),
    (["--operator", "cubic"], "--operator"),
    (["--K", "1"], "--K='1'"),
    (["--T", "0"], "--T='0'"),
    (["--schedule", "0.1,0.2", "--generations", "5"], "--schedule"),
    (["--schedule", "harmonic", "--lam", "0.3"], "--lam=3/10 conflicts"),
    (["--anchor", "0.5,0.5"], "--anchor='0.5,0.5'"),
    (["--anchor", "1,0,0", "--K", "3"], "p* needs every entry > 0"),
    (["--start", "0.5,0.6", "--K", "2"], "--start='0.5,0.6'"),
    (["--student", "expfam", "--features", "12"], "--features=12"),
    (["--student", "samples", "--delta", "0.1"], "--delta=1/10"),
    (["--plot", "out.gif"], "--plot=out.gif"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_simulate_bad_options_one_line_exit_2(args, message, capsys):
    try:
        code = main(["simulate", *args])
    except SystemExit as exc:  # argparse's own checks
        code = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0], err


def test_outputs_never_overwrite_user_files(tmp_path, capsys):
    mine = tmp_path / "notes.json"
    mine.write_text('{"mine": true}')
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG not ours")
    assert main(["simulate", "--generations", "2", "--json", str(mine)]) == 2
    assert main(["simulate", "--generations", "2", "--plot", str(picture)]) == 2
    (tmp_path / "divergence.png").write_bytes(b"someone else's figure")
    assert main(["figures", str(tmp_path)]) == 2
    assert mine.read_text() == '{"mine": true}' and picture.read_bytes() == b"\x89PNG not ours"
    assert (tmp_path / "divergence.png").read_bytes() == b"someone else's figure"
    assert "was not written by metadistill" in capsys.readouterr().err


def test_help_does_not_import_numerics():
    code = ("import sys; from proofs.cli import build_parser; build_parser(); "
            "bad = [m for m in ('numpy', 'sympy', 'matplotlib', 'flint') if m in sys.modules]; "
            "assert not bad, bad")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
