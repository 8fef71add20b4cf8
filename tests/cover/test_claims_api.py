"""The claim API: construction, malformed claims, assumptions, LaTeX."""
import pickle

import pytest
import sympy as sp

from theory import (Claim, InvalidName, InvalidScalarRange, K, MalformedClaim, chi2, dist,
                    entropy, geometric_anchor, hellinger, js, kl, latex, linear_anchor, mixture,
                    renyi, scalar, soften, tv)

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)


def test_issue_example_claim():
    contracts = Claim("linear anchoring contracts KL",
                      kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q),
                      assume={"anchoring": lam > 0})
    assert contracts.op == "<="
    assert [d.name for d in contracts.distributions] == ["p", "q"]
    assert [s.name for s in contracts.scalars] == ["lambda"]
    assert list(contracts.assume) == ["anchoring"]
    assert contracts.expect == "holds"


def test_without_drops_named_assumption():
    c = Claim("c", kl(p, q) >= 0, assume={"a": lam > 0, "b": lam < 1})
    assert list(c.without("a").assume) == ["b"]
    with pytest.raises(MalformedClaim, match="no assumption named 'zzz'"):
        c.without("zzz")


@pytest.mark.parametrize("relation, message", [
    (kl(p, q), "is not a relation"),
    (sp.Ne(kl(p, q), 1), "is not a relation"),
    (sp.true, "SymPy decided it"),
    (True, "SymPy decided it"),
    (kl(p, 3) <= 1, "argument=3 of KL\\(p, 3\\) is a number, expected a distribution"),
    (kl(p, sp.Symbol("x")) <= 1, "unknown operand=x"),
    (kl(p, q) <= sp.Symbol("c"), "unknown operand=c"),
    (kl(p, 2 * q) <= 1, "scaled distribution"),
    (kl(p, p + q) <= 1, "weights sum to 2"),
    (kl(p, q + 1) <= 1, "adds the number 1"),
    (kl(p, 2 * q - p) <= 1, "weight=-1 of p is negative"),
    (kl(p, p * q) <= 1, "multiplies distributions"),
    (kl(p, sp.log(q)) <= 1, "applies log to a distribution"),
    (sp.gamma(lam) <= 1, "unsupported operand=gamma"),
    (renyi(p, q, q) <= 1, "expected a number"),
    (linear_anchor(q, p, lam) <= 1, "is a distribution, not a number"),
    (kl(p, mixture((p, q), (lam, lam))) <= 1, "must sum to 1"),
    (kl(p, mixture((p, q), (2, -1))) <= 1, "weight=-1 is negative"),
    (kl(p, linear_anchor(q, p, 2)) <= 1, "weight=-1 is negative"),
    (kl(p, linear_anchor(q, p, -1)) <= 1, "weight=-1 is negative"),
])
def test_malformed_relation(relation, message):
    with pytest.raises(MalformedClaim, match=message) as info:
        Claim("bad claim", relation)
    assert "claim 'bad claim'" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("kwargs, message", [
    ({"assume": [lam > 0]}, "must be a dict"),
    ({"assume": {"": lam > 0}}, "assumption name=''"),
    ({"assume": {"a": kl(p, q)}}, "is not a relation between numbers"),
    ({"assume": {"a": p <= q}}, "expected a number"),
    ({"assume": {"a": False}}, "never satisfied"),
    ({"expect": "maybe"}, "expect='maybe'"),
])
def test_malformed_options(kwargs, message):
    with pytest.raises(MalformedClaim, match=message):
        Claim("c", kl(p, q) >= 0, **kwargs)


def test_name_clash_between_symbols():
    with pytest.raises(MalformedClaim, match="share name='lambda'"):
        Claim("c", kl(p, linear_anchor(q, p, lam)) <= scalar("lambda", 0, 2))


@pytest.mark.parametrize("args, exc, message", [
    (("t", 1, 0), InvalidScalarRange, "low=1 must be below high=0"),
    (("t", 0, 0), InvalidScalarRange, "low=0 must be below high=0"),
    (("t", float("nan"), 1), InvalidScalarRange, "low=nan"),
    (("t", "x", 1), InvalidScalarRange, "low='x'"),
    (("", 0, 1), InvalidName, "name=''"),
    (("K", 0, 1), InvalidName, "reserved"),
])
def test_bad_scalar(args, exc, message):
    with pytest.raises(exc, match=message):
        scalar(*args)


def test_bad_claim_name():
    with pytest.raises(MalformedClaim, match="claim name=''"):
        Claim("", kl(p, q) >= 0)


@pytest.mark.parametrize("expr, tex", [
    (kl(p, q), r"\mathrm{KL}\left(p \,\|\, q\right)"),
    (tv(p, q), r"\mathrm{TV}\left(p, q\right)"),
    (chi2(p, q), r"\chi^{2}\left(p \,\|\, q\right)"),
    (hellinger(p, q), r"\mathrm{H}\left(p, q\right)"),
    (renyi(q, p, 1 - lam), r"D_{1 - \lambda}\left(q \,\|\, p\right)"),
    (js(p, q), r"\mathrm{JS}\left(p, q\right)"),
    (entropy(p), r"\mathrm{H}\left(p\right)"),
    (linear_anchor(q, p, lam), r"\Phi^{\mathrm{lin}}_{\lambda}\left(q; p\right)"),
    (geometric_anchor(q, p, lam), r"\Phi^{\mathrm{geo}}_{\lambda}\left(q; p\right)"),
    (soften(p, scalar("T", 0, 10)), r"S_{T}\left(p\right)"),
    (kl(p, (1 - lam) * q + lam * p), r"\mathrm{KL}\left(p \,\|\, \lambda p + \left(1 - \lambda\right) q\right)"),
])
def test_latex_is_readable(expr, tex):
    assert latex(expr) == tex


def test_claim_latex_lists_domain_and_assumptions():
    pstar = dist("p_star", latex="p^{*}")
    c = Claim("c", kl(pstar, linear_anchor(q, pstar, lam)) <= (1 - lam) * kl(pstar, q),
              assume={"anchoring": lam > 0})
    tex = c.latex()
    assert r"\mathrm{KL}\left(p^{*} \,\|\, \Phi^{\mathrm{lin}}_{\lambda}\left(q; p^{*}\right)\right)" in tex
    assert r"\lambda \in [0, 1]" in tex and r"\lambda > 0" in tex
    assert c._repr_latex_().startswith("$")


def test_dimension_symbol_and_pickling():
    c = Claim("entropy at most log K", entropy(p) <= sp.log(K))
    again = pickle.loads(pickle.dumps(c.relation))
    assert again == c.relation
    assert pickle.loads(pickle.dumps(lam)).high == 1


def test_equal_symbols_made_twice_sort_in_sympy_expressions():
    """SymPy orders the terms of a sum by comparing the symbols' content; two separately made
    but equal symbols (no LaTeX name) must compare as equal, not raise."""
    a, b = scalar("lambda", 0, 1), scalar("lambda", 0, 1)
    assert a.compare(b) == 0 and dist("p").compare(dist("p")) == 0
    assert sp.simplify((a + dist("p")) - (b + dist("p"))) == 0
