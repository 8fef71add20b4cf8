"""Axioms as objects and ``metadistill axioms``: verdicts, witnesses, LaTeX, JSON, bad input.

Every violation's witness is re-evaluated here with tests/reference.py (mpmath at 80 digits),
independently of the evaluator that found it.
"""
import json
import re
import textwrap
from fractions import Fraction

import pytest

import reference as ref
from numerics.axiom_checks import check_operator
from numerics.search import SearchSettings
from proofs.cli import main
from theory.axioms import (AGGREGATION, META, OPERATORS, SOFTENING, axioms, operator,
                           user_operator)
from theory import dist, linear_anchor, scalar, soften
from theory.errors import NotADistribution, NotAnOperator, UnknownOperator

FAST = SearchSettings(dims=(2, 3), samples=150, seed=0, precision=30)
CLI_FAST = ["--dims", "2,3", "--samples", "150", "--precision", "30"]


def verdicts(name_or_op):
    op = OPERATORS[name_or_op] if isinstance(name_or_op, str) else name_or_op
    return {r.code: r for r in check_operator(op, FAST)}


@pytest.fixture(scope="module")
def linear():
    return verdicts("linear")


@pytest.fixture(scope="module")
def geometric():
    return verdicts("geometric")


def test_linear_anchoring_meets_m1_to_m7(linear):
    assert [r.code for r in linear.values()] == ["M1", "M2", "M3", "M4", "M5", "M6", "M7"]
    for code in ("M1", "M2", "M3", "M4", "M5"):
        assert linear[code].verdict == "certified", linear[code].detail
    for code in ("M6", "M7"):
        assert linear[code].verdict == "verified"
        assert "K in {2,3}" in linear[code].detail and "30 digits" in linear[code].detail
    assert "1 - lambda" in linear["M7"].detail or "c = 1 - lambda" in linear["M7"].detail


def test_geometric_anchoring_meets_m2_m3_m6_m7(geometric):
    assert geometric["M2"].verdict == geometric["M3"].verdict == "certified"
    assert geometric["M6"].verdict == geometric["M7"].verdict == "verified"
    assert geometric["M1"].verdict == "verified"


def test_geometric_m4_witness_keeps_a_zero_entry(geometric):
    r = geometric["M4"]
    assert r.verdict == "violated"
    w = r.witness
    q, p, lam = w["q"], w["p"], Fraction(w["lambda"])
    assert lam > 0 and all(Fraction(x) > 0 for x in p)          # the axiom's hypotheses hold
    assert sum(map(Fraction, q)) == 1 == sum(map(Fraction, p))
    phi = ref.geometric_anchor(q, p, lam)
    zeros = [i for i, x in enumerate(phi) if x == 0]
    assert zeros and all(Fraction(q[i]) == 0 for i in zeros)   # a zero of q stays a zero


def test_geometric_m5_witness_is_a_jump(geometric):
    r = geometric["M5"]
    assert r.verdict == "violated"
    w = r.witness
    q, p, lam = w["q"], w["p"], Fraction(w["lambda"])
    assert lam in (0, 1)                                          # the jump sits at an endpoint
    value = ref.geometric_anchor(q, p, lam)
    for k in (10, 30, 60):                                        # approach along the path
        h = Fraction(1, 10 ** k)
        near = ref.geometric_anchor(q, p, lam + h if lam == 0 else lam - h)
        assert sum(abs(a - b) for a, b in zip(near, value)) / 2 > ref.mp.mpf(1) / 10
    assert [Fraction(x) for x in w["limit"]] != [Fraction(x) for x in w["value"]]


def test_theory_md_jump_at_lambda_one_is_confirmed_exactly():
    """THEORY.md's case: q on the boundary, λ → 1 (0^0 jumps). SymPy's limit is exact."""
    from flint import fmpq

    from numerics.axiom_checks import _confirm_jump
    from theory.axioms import LAM, P, Q

    op = OPERATORS["geometric"]
    pt = {Q: [fmpq(1), fmpq(0)], P: [fmpq(1, 2), fmpq(1, 2)], LAM: fmpq(1)}
    status, (why, w) = _confirm_jump(op, pt, {}, 2, 30, "scalar", (LAM,), (Q, P))
    assert status == "violated"
    assert w["value"] == ["1/2", "1/2"] and w["limit"] == ["1", "0"]


def test_certificates_are_not_given_to_what_they_do_not_cover():
    geo = OPERATORS["geometric"]
    for code in ("M1", "M4", "M5", "M6", "M7"):
        assert next(a for a in axioms() if a.code == code).certify(geo) is None
    # certificates follow the operator: λ² still gives M4, λ/2 loses M3
    squeezed = user_operator("squeezed", lambda q, a, lam: OPERATORS["linear"](q, a, lam ** 2))
    m4 = next(a for a in axioms() if a.code == "M4")
    assert m4.certify(squeezed) is not None                      # λ² > 0 on (0, 1]: still certified
    halved = user_operator("halved", lambda q, a, lam: OPERATORS["linear"](q, a, lam / 2))
    m3 = next(a for a in axioms() if a.code == "M3")
    assert m3.certify(halved) is None                            # Φ_1 = (q + p*)/2 ≠ p*


def test_softening_family():
    r = verdicts("soften")
    assert [c for c in r] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert r["S1"].verdict == r["S4"].verdict == "certified"
    for code in ("S2", "S3", "S5", "S6"):
        assert r[code].verdict == "verified", r[code].detail


def test_aggregation_families():
    ari, geo = verdicts("mixture"), verdicts("geometric-mixture")
    assert [ari[c].verdict for c in ("A1", "A2", "A3")] == ["certified"] * 3
    assert ari["A4"].verdict == "verified"
    assert ari["A5"].verdict == "violated"                      # softening does not commute with Σ
    assert geo["A5"].verdict == geo["A4"].verdict == "verified"
    assert [geo[c].verdict for c in ("A1", "A2", "A3")] == ["violated"] * 3
    w = geo["A2"].witness                                        # a single zero vetoes an outcome
    p1, p2, om = w["p_1"], w["p_2"], Fraction(w["omega"])
    w1, w2 = ref._v([om])[0], 1 - ref._v([om])[0]
    raw = [ref.mp.power(x, w1) * ref.mp.power(y, w2) for x, y in zip(ref._v(p1), ref._v(p2))]
    assert any(r == 0 and ((om > 0 and Fraction(x) > 0) or (om < 1 and Fraction(y) > 0))
               for r, x, y in zip(raw, p1, p2))


def test_statements_render_latex():
    for family in (META, SOFTENING, AGGREGATION):
        for ax in axioms(family):
            tex = ax._repr_latex_()
            assert tex.startswith("$") and tex.endswith("$") and ax.code in tex
    m7 = axioms()[6]
    assert r"\Phi^{\mathrm{lin}}" in m7.statement(OPERATORS["linear"])
    assert r"\mathrm{KL}" in m7.statement()


def test_bad_operators_raise_named_errors():
    with pytest.raises(UnknownOperator, match="operator='nope'"):
        operator("nope")
    with pytest.raises(NotAnOperator, match="operator='x'"):
        user_operator("x", 3)
    with pytest.raises(NotADistribution, match="a number"):
        user_operator("x", lambda q, a, lam: lam)
    with pytest.raises(NotADistribution):
        user_operator("x", lambda q, a, lam: 2 * q)
    with pytest.raises(NotAnOperator, match="fails on symbolic"):
        user_operator("x", lambda q, a: q)
    with pytest.raises(NotAnOperator, match="uses T besides"):
        user_operator("x", lambda q, a, lam: soften(q, scalar("T", 1, 2)))
    with pytest.raises(NotAnOperator, match="uses r besides"):
        user_operator("x", lambda q, a, lam: linear_anchor(q, dist("r"), lam))


OPERATOR_FILE = """
from theory import linear_anchor, soften

def tempered(q, anchor, lam):
    return linear_anchor(soften(q, 2), anchor, lam)

def number(q, anchor, lam):
    return lam

not_callable = 3
"""


def test_cli_json_and_user_operator(tmp_path, capsys):
    f = tmp_path / "ops.py"
    f.write_text(textwrap.dedent(OPERATOR_FILE))
    out = tmp_path / "report.json"
    assert main(["axioms", f"{f}:tempered", *CLI_FAST, "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert re.fullmatch(r"metadistill axioms \(sha256 [0-9a-f]{16}\)", doc["generator"])
    assert doc["family"] == "meta-teacher"
    assert [a["axiom"] for a in doc["axioms"]] == [f"M{i}" for i in range(1, 8)]
    for a in doc["axioms"]:
        assert set(a) == {"axiom", "name", "operator", "verdict", "detail", "statement",
                          "witness", "searched"}
    by = {a["axiom"]: a for a in doc["axioms"]}
    assert by["M2"]["verdict"] == "violated"                     # softening moves the anchor
    w = by["M2"]["witness"]
    assert sum(map(Fraction, w["p"])) == 1
    assert "M2" in capsys.readouterr().out


@pytest.mark.parametrize("spec, needle", [
    ("nosuch", "UnknownOperator"), ("{f}:not_callable", "NotAnOperator"),
    ("{f}:number", "NotADistribution"), ("{f}:missing", "defines no 'missing'"),
    ("{d}/absent.py:f", "no such file")])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, spec, needle):
    f = tmp_path / "ops.py"
    f.write_text(textwrap.dedent(OPERATOR_FILE))
    assert main(["axioms", spec.format(f=f, d=tmp_path), *CLI_FAST]) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_linear_report(capsys):
    assert main(["axioms", "linear", *CLI_FAST]) == 0
    out = capsys.readouterr().out
    assert "certified" in out and "violated" not in out


def test_same_seed_same_report(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        assert main(["axioms", "geometric", *CLI_FAST, "--seed", "5", "--json", str(out)]) == 0
    assert json.loads(a.read_text())["axioms"] == json.loads(b.read_text())["axioms"]


def test_json_refuses_to_overwrite_a_user_file(tmp_path, capsys):
    mine = tmp_path / "mine.json"
    mine.write_text('{"mine": true}')
    assert main(["axioms", "linear", *CLI_FAST, "--json", str(mine)]) == 2
    assert mine.read_text() == '{"mine": true}'
    assert "was not written by metadistill" in capsys.readouterr().err


def test_results_render_in_jupyter():
    r = check_operator(OPERATORS["soften"], FAST)[0]
    assert r._repr_latex_().startswith(r"$\textbf{S1}\ (certified)")


def test_trivial_and_ill_formed_user_operators_get_a_report():
    """The identity makes M6's statement ``KL(p*||q) <= KL(p*||q)``, which SymPy decides
    before any search: that is a proof, not a malformed claim. An operator whose value at
    lambda = 1 is not a distribution cannot even state M3: undecided, not a crash."""
    identity = user_operator("identity", lambda q, anchor, lam: q)
    got = verdicts(identity)
    assert got["M6"].verdict == "certified" and "identically" in got["M6"].detail
    assert got["M3"].verdict == "violated"          # Phi(q; p*, 1) = q, not p*
    reverse = user_operator("overshoot",
                            lambda q, anchor, lam: (1 - lam) * q + 2 * lam * anchor - lam * q)
    got = verdicts(reverse)
    assert got["M3"].verdict == "undecided" and "cannot be formed" in got["M3"].detail
    assert got["M1"].verdict == "violated"
