"""examples/: the paper directory's pytest run, its generated LaTeX, and the notebook.

Each runs on a copy in a temporary directory, so nothing is written into the repository.
"""
import ast
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import reference as ref
from subprocess_runs import ROOT, environment, outcome_counts, reproduce, run_cli, run_pytest

EXAMPLES = ROOT / "examples"
REMARK = "Remark 5: geometric anchoring contracts reverse KL by 1-lambda"


@pytest.fixture
def paper(tmp_path):
    shutil.copytree(EXAMPLES / "paper", tmp_path / "paper")
    return tmp_path / "paper"


def _violates_remark(witness) -> bool:
    """Remark 5's inequality fails at ``witness`` (independent mpmath definitions)."""
    p, q, lam = witness["p"], witness["q"], witness["lambda"]
    g = ref.geometric_anchor(q, p, lam)
    lhs = sum(x * ref.mp.log(x / y) for x, y in zip(g, ref._v(p)) if x != 0)
    return lhs > (1 - ref._v([lam])[0]) * ref.kl(q, p)


def test_paper_claims_pass_and_report_to_junit(paper):
    r = run_pytest(paper, "-v", "--junitxml", "junit.xml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert outcome_counts(r.stdout) == {"passed": 6}
    assert f"claims_anchoring.py::{REMARK} FALSIFIED" in r.stdout
    assert len(re.findall(r"claims_anchoring\.py::Lemma \d: .* VERIFIED", r.stdout)) == 4
    cases = {c.get("name"): {p.get("name"): p.get("value") for p in c.iter("property")}
             for c in ET.parse(paper / "junit.xml").iter("testcase")}
    assert len(cases) == 6
    assert {name: props["verdict"] for name, props in cases.items()
            if props["verdict"] != "verified"} == {REMARK: "falsified"}
    assert _violates_remark(json.loads(cases[REMARK]["witness"]))


def test_edited_lemma_fails_with_its_witness(paper):
    """Someone drops ``expect="fails"`` from Remark 5, as if the false statement were a lemma:
    the run fails on that claim only, with an exact witness the printed command reproduces."""
    claims = paper / "claims_anchoring.py"
    text = claims.read_text()
    assert text.count('expect="fails"') == 1
    claims.write_text(text.replace(',\n                expect="fails")', ")"))
    r = run_pytest(paper)
    assert r.returncode == 1, r.stdout + r.stderr
    assert outcome_counts(r.stdout) == {"passed": 5, "failed": 1}
    assert f"claim {REMARK!r} was expected to hold, but it is falsified" in r.stdout
    match = re.search(r"witness \(exact\): K=(\d+) p=\[([^\]]*)\] q=\[([^\]]*)\] "
                      r"lambda=(\S+)", r.stdout)
    assert match, r.stdout
    K, p, q, lam = match.groups()
    witness = {"p": p.split(", "), "q": q.split(", "), "lambda": lam, "K": int(K)}
    assert _violates_remark(witness)
    command = re.search(r"reproduce: (metadistill check .*)", r.stdout).group(1)
    doc = reproduce(paper, command, paper / "out.json")
    [again] = [c for c in doc["claims"] if c["name"] == REMARK]
    assert again["witness"] == witness and not again["ok"]


def _tex_command(tex: str) -> list:
    match = re.search(r"reproduce with \\texttt\{(metadistill check [^}]*)\}", tex)
    return match.group(1).replace(r"\_", "_").split()[1:]


def _without_search_effort(tex: str) -> str:
    """The document minus the lines that count search effort (they change with the search,
    the statements, verdicts, witnesses and sides must not)."""
    return "\n".join(line for line in tex.splitlines() if not line.startswith(r"\noindent{\small"))


def test_paper_latex_is_what_the_tool_generates(paper):
    committed = (paper / "claims.tex").read_text()
    r = run_cli(paper, *_tex_command(committed), "--format", "latex")
    assert r.returncode == 0, r.stderr
    assert _without_search_effort(r.stdout) == _without_search_effort(committed)
    assert REMARK in committed and r"\noindent Counterexample (exact):" in committed
    if shutil.which("pdflatex") is None:
        if os.environ.get("METADISTILL_CI"):
            pytest.fail("pdflatex is not installed, and CI must compile the example's LaTeX")
        pytest.skip("pdflatex is not installed")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                           "claims.tex"], cwd=paper, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]


# --- the notebook -----------------------------------------------------------------------

def _outputs_by_kernel(path, folder):
    """Every code cell's outputs as ``{mime: text}`` dicts, executed by a Jupyter kernel;
    ``None`` when no kernel can be started here."""
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute(env=environment())
    except CellExecutionError:
        raise
    except (NoSuchKernel, RuntimeError):
        return None
    return [[{**o.get("data", {}), **({"text/plain": o.text} if "text" in o else {})}
             for o in cell.outputs] for cell in nb.cells if cell.cell_type == "code"]


def _outputs_by_script(path, folder, monkeypatch):
    """The same, running the code cells in this process (the fallback without a kernel):
    printed text, then the display of a cell's last expression."""
    import nbformat

    monkeypatch.chdir(folder)
    namespace, cells = {}, []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(tree, str(path), "exec"), namespace)
            value = (eval(compile(ast.Expression(last.value), str(path), "eval"), namespace)
                     if last else None)
        out = [{"text/plain": printed.getvalue()}] if printed.getvalue() else []
        if value is not None:
            out.append({mime: getattr(value, method)() for mime, method in
                        [("text/html", "_repr_html_"), ("text/latex", "_repr_latex_")]
                        if hasattr(value, method)} | {"text/plain": repr(value)})
        cells.append(out)
    return cells


@pytest.mark.parametrize("by_kernel", [True, False], ids=["kernel", "script"])
def test_notebook_runs(tmp_path, monkeypatch, by_kernel):
    shutil.copytree(EXAMPLES / "paper", tmp_path / "paper")
    path = shutil.copy(EXAMPLES / "exploring_claims.ipynb", tmp_path)
    cells = _outputs_by_kernel(path, tmp_path) if by_kernel else None
    if by_kernel and cells is None and os.environ.get("METADISTILL_CI"):
        pytest.fail("no Jupyter kernel could be started, and CI must run the notebook in one")
    if cells is None:
        cells = _outputs_by_script(path, tmp_path, monkeypatch)
    text = ["\n".join(v for out in cell for v in out.values()) for cell in cells]
    claim, results, witness, paper, verdict, markdown = text
    assert r"\Phi^{\mathrm{lin}}" in claim and "<b>linear anchoring contracts KL</b>" in claim
    assert "<td>verified</td>" in results and "<td>falsified</td>" in results
    assert "'violation'" in witness
    assert paper.startswith("True") and paper.count("<td>verified</td>") == 5
    assert "falsified (expected to fail): as expected" in verdict
    assert "**metadistill check**: 6 claims, 6 as expected, 0 not" in markdown
