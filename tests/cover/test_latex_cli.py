"""``metadistill latex``: selection of results, one-line errors, no clobbering, no engine."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, cwd=None, path=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "proofs.cli", "latex", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


def test_selected_results_only_with_their_derivations():
    r = run(["1", "R11"])
    assert r.returncode == 0, r.stderr
    sections = [line for line in r.stdout.splitlines() if line.startswith(r"\section*")]
    assert sections == [r"\section*{Result 1: Linear contraction, forward}",
                        r"\section*{Result 11: Softening inside the loop}"]
    assert r.stdout.count(r"\begin{align*}") >= 3
    assert r"\text{joint convexity of KL}" in r.stdout
    assert r.stdout.rstrip().endswith(r"\end{document}")


def test_unknown_result_exits_2_with_one_line():
    r = run(["13"])
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "NAME='13'" in r.stderr


def test_pdf_without_engine_exits_2(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    r = run(["1", "-o", str(tmp_path / "d.tex"), "--pdf"], path=str(empty))
    assert r.returncode == 2
    assert "no LaTeX engine" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "d.tex").exists()


def test_does_not_overwrite_a_users_tex_file(tmp_path):
    mine = tmp_path / "paper.tex"
    mine.write_text("\\documentclass{article}% my paper\n")
    r = run(["1", "-o", str(mine)])
    assert r.returncode == 2 and "not written by metadistill" in r.stderr
    assert mine.read_text() == "\\documentclass{article}% my paper\n"


def test_does_not_replace_its_own_tex_once_edited(tmp_path):
    out = tmp_path / "d.tex"
    assert run(["1", "-o", str(out)]).returncode == 0
    assert run(["1", "-o", str(out)]).returncode == 0  # unedited: replaced
    edited = out.read_text().replace("\\end{document}", "My own remark.\n\\end{document}")
    out.write_text(edited)
    r = run(["1", "-o", str(out)])
    assert r.returncode == 2 and "has been edited since" in r.stderr
    assert out.read_text() == edited


def test_does_not_overwrite_a_users_pdf(tmp_path):
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(b"%PDF-1.4 someone else's\n")
    r = run(["1", "-o", str(tmp_path / "d.tex"), "--pdf"])
    assert r.returncode == 2 and "d.pdf: exists and was not written by metadistill" in r.stderr
    assert pdf.read_bytes() == b"%PDF-1.4 someone else's\n"
