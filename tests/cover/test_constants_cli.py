"""``metadistill constants``: JSON shape, the independent checks, exit 1 on a wrong constant."""
import json

import sympy as sp

from numerics import constant_checks
from proofs.cli import main
from theory import constants as C

NAMES = {"lambda", "t", "N", "K", "epsilon", "delta", "KL_0"}


def test_json_shape_and_srepr_round_trip(tmp_path, capsys):
    out = tmp_path / "constants.json"
    assert main(["constants", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert set(doc) == {"generator", "constants"}
    entries = doc["constants"]
    assert len(entries) == len(C.constants())
    for e, c in zip(entries, C.constants()):
        assert set(e) == {"result", "name", "expr", "latex"}
        assert isinstance(e["result"], int) and 1 <= e["result"] <= 12
        assert sp.sympify(e["expr"]) == c.expr       # srepr rebuilds the same expression
        assert e["latex"] == sp.latex(c.expr) or e["latex"] == c.latex()
    results = {e["result"] for e in entries}
    assert {1, 2, 3, 5, 7, 8, 9, 10} <= results
    used = set().union(*({s.name for s in sp.sympify(e["expr"]).free_symbols} for e in entries))
    assert NAMES <= used
    assert "ok   result 10 stationary expected chi-square" in capsys.readouterr().out


def test_the_brief_constants_have_their_closed_forms():
    lam, t, N, K = C.lam, C.t, C.N, C.K
    assert sp.simplify(C.constant("contraction constant c(lambda)", 1).expr - (1 - lam)) == 0
    assert sp.simplify(C.constant("local contraction rate near p* (series, any K)", 1).expr
                       - (1 - lam) ** 2) == 0
    gens = C.constant("generations to reach epsilon", 5).expr
    assert sp.simplify(sp.expand_log(gens - sp.log(C.KL_0 / C.epsilon) / sp.log(1 / (1 - lam)),
                                     force=True)) == 0  # 0 < 1 - lambda: the logs split
    assert sp.simplify(C.constant("product of (1-lambda_s), lambda_s = 1/(s+2)", 7).expr - 1 / (t + 1)) == 0
    assert C.constant("error floor", 8).expr == C.delta / lam
    u = (1 - lam) ** 2
    assert sp.simplify(C.constant("stationary expected chi-square", 10).expr
                       - (K - 1) / (N * (1 - u) + u)) == 0


def test_every_constant_has_a_passing_independent_check():
    checks = constant_checks.check_constants(40)
    assert all(ch.ok for ch in checks), [(ch.constant.name, ch.detail) for ch in checks if not ch.ok]


def test_a_wrong_constant_fails_its_check_and_the_command_exits_1(monkeypatch, capsys):
    """Planted fault: the contraction constant replaced by 1 - lambda/2 (true as a bound, but not
    the supremum) and the floor by delta/(2 lambda)."""
    wrong = []
    for c in C.constants():
        if c.name == "contraction constant c(lambda)" and c.result == 1:
            c = C.Constant(1, c.name, 1 - C.lam / 2, c.derivation)
        if c.name == "error floor":
            c = C.Constant(8, c.name, C.delta / (2 * C.lam), c.derivation)
        wrong.append(c)
    monkeypatch.setattr(constant_checks, "constants", lambda: tuple(wrong))
    failed = [ch.constant.name for ch in constant_checks.check_constants(30) if not ch.ok]
    assert failed == ["contraction constant c(lambda)", "error floor"]
    assert main(["constants", "--precision", "30"]) == 1
    assert "2 constant(s) failed" in capsys.readouterr().out


def test_missing_check_is_a_failure():
    c = C.Constant(4, "an unchecked constant", C.lam, "typed in")
    assert not constant_checks.check_constant(c).ok
