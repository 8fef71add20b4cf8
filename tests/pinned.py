"""The catalog's counterexamples, pinned: ``(claim name, dropped assumption) -> (K, point)``.

The assumption is None for a statement the catalog records as false (``expect="fails"``).
Used with ``@example`` in tests/cover/test_pinned_counterexamples.py and as the expected
necessity table in tests/nocover/test_catalog_necessity.py. Points are exact Fractions.
"""
from fractions import Fraction


def _point(K, **values):
    return (K, {k: (tuple(Fraction(x) for x in v) if isinstance(v, (list, tuple)) else Fraction(v))
                for k, v in values.items()})


R1S = "R1 anchoring strictly decreases KL(p*||.) unless q = p*"
R2F = "R2 reverse-KL contraction by 1-lambda, linear family"
R3I = "R3 geometric anchoring: exact Renyi-gap identity"
R4F = "R4 geometric anchoring contracts KL(.||p*) by 1-lambda (false)"
R6M = "R6 M4 anchoring restores the anchor's support: KL(p*||Phi(q)) < oo"
R6F = "R6 geometric anchoring moves every q != p* with finite KL(p*||q)"
R8 = "R8 errors stay below KL_0 + delta/lambda_0 when lambda >= lambda_0"
R10 = "R10 anchoring keeps finite-sample students off the vertices: E chi2 < K - 1"
R11 = "R11 at T = 1 the anchor is a fixed point of (1-lambda) S_T(.) + lambda p*"

#: (claim, dropped assumption or None for a claim expected to fail) -> witness.
PINNED = {
    (R1S, "anchoring"): _point(2, p_star=["1", "0"], q=["1/2", "1/2"], **{"lambda": "0"}),
    (R1S, "q differs from p*"): _point(2, p_star=["1", "0"], q=["1", "0"], **{"lambda": "1"}),
    (R2F, "linear family"): _point(2, p_star=["1/2", "1/2"], q=["0", "1"], geo="1",
                                   **{"lambda": "1/2"}),
    (R3I, "finite KL(p*||q)"): _point(2, p_star=["1", "0"], q=["0", "1"], **{"lambda": "1"}),
    (R4F, None): _point(2, p_star=["1/2", "1/2"], q=["0", "1"], **{"lambda": "1/2"}),
    (R6M, "anchoring"): _point(2, p_star=["0", "1"], q=["1", "0"], geo="0", **{"lambda": "0"}),
    (R6M, "linear family"): _point(2, p_star=["1/2", "1/2"], q=["1", "0"], geo="1",
                                   **{"lambda": "1/2"}),
    (R6F, "anchoring"): _point(2, p_star=["1", "0"], q=["1/2", "1/2"], **{"lambda": "0"}),
    (R6F, "q differs from p*"): _point(2, p_star=["1", "0"], q=["1", "0"], **{"lambda": "1"}),
    (R6F, "finite KL(p*||q)"): _point(2, p_star=["1/2", "1/2"], q=["0", "1"],
                                      **{"lambda": "1/2"}),
    (R8, "anchoring"): _point(2, KL_0="0", delta="1", lambda_0="1", t="2", **{"lambda": "0"}),
    (R10, "anchoring"): _point(2, N="2", **{"lambda": "0"}),
    (R10, "more than one sample"): _point(2, N="1", **{"lambda": "1"}),
    (R10, "two or more outcomes"): _point(1, N="2", **{"lambda": "1"}),
    (R11, "T = 1"): _point(2, p_star=["1/3", "2/3"], T="2", **{"lambda": "0"}),
}

