"""``numerics.certify``: rigorous verdicts on batches, held to a 120-digit reference."""
import math
import os
import sys
import zlib

import numpy as np
import pytest
import sympy as sp

from numerics import certify, sweep
from numerics.certificates import (HOLDS, OUTSIDE, STATUS_NAMES, UNDECIDED, UNDEFINED, VIOLATED,
                              Certifier)
from numerics.evaluate import CompiledClaim
from numerics._ball import Undecided, from_rational
from theory import (BatchShapeMismatch, Claim, DimensionMismatch, MissingValue, NegativeEntry,
                    NonFiniteEntry, NotNormalized, ScalarOutOfRange, chi2, dist, entropy,
                    geometric_anchor, hellinger, js, kl, linear_anchor, renyi, scalar, soften, tv)
from theory.errors import InvalidSearchSetting
from theory.symbols import K as K_SYMBOL

p, q = dist("p"), dist("q")
lam = scalar("lambda", 0, 1)
T = scalar("T", 1, 5)
#: Draws per family and K in the reference comparison (more in CI's thorough profile).
DRAWS = 60 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 12

CLAIMS = [
    Claim("linear anchoring contracts KL", kl(p, linear_anchor(q, p, lam)) <= (1 - lam) * kl(p, q)),
    Claim("geometric anchoring contracts KL",
          kl(p, geometric_anchor(q, p, lam)) <= (1 - lam) * kl(p, q)),
    Claim("Pinsker", 2 * tv(p, q) ** 2 <= kl(p, q)),
    Claim("KL below log(1 + chi2)", kl(p, q) <= sp.log(1 + chi2(p, q))),
    Claim("squared Hellinger below KL", hellinger(p, q) ** 2 <= kl(p, q)),
    Claim("Renyi 2 above KL", renyi(p, q, 2) >= kl(p, q)),
    Claim("softening raises entropy", entropy(soften(p, T)) >= entropy(p)),
    Claim("JS below log 2 (false: strict at disjoint supports)", js(p, q) < sp.log(2)),
    Claim("KL positive (false at ties)", kl(p, q) > 0),
    Claim("KL below TV (false)", kl(p, q) <= tv(p, q)),
    Claim("anchored with assumption", kl(p, linear_anchor(q, p, lam)) < kl(p, q),
          assume={"moving": lam > sp.Rational(1, 3)}),
    # Conditions on divergences, which are infinite or imprecise on some rows: the filters
    # must not settle an assumption or a branch from such a row's placeholder.
    Claim("KL below TV where KL > 1/10 (false)", kl(p, q) <= tv(p, q),
          assume={"far": kl(p, q) > sp.Rational(1, 10)}),
    Claim("branch on KL (false where KL <= 1/10)",
          sp.Piecewise((0, kl(p, q) > sp.Rational(1, 10)), (1, True)) <= sp.Rational(1, 2)),
    # Exponents 0 and 1 leave a bare normalisation of an input vector.
    Claim("operators at exponents 0 and 1",
          tv(soften(p, 1), p) + tv(geometric_anchor(q, p, 1), p) <= tv(geometric_anchor(q, p, 0), q)),
]


def _normalise(x):
    return x / x.sum(axis=1, keepdims=True)


def families(rng, n, K):
    """Named batches of draws: random, near ties, tiny entries, exact zeros and ties."""
    P = _normalise(rng.gamma(rng.choice([0.1, 1.0, 10.0], (n, 1)) * np.ones((n, K))))
    Q = _normalise(rng.gamma(np.ones((n, K))))
    L = rng.random(n)
    Tv = 1 + 4 * rng.random(n)
    yield "random", P, Q, L, Tv
    near = _normalise(P * (1 + 1e-8 * rng.standard_normal((n, K))))
    yield "near-tie", P, near, L, Tv
    tiny = _normalise(np.where(rng.random((n, K)) < 0.5, 10.0 ** rng.uniform(-300, -200, (n, K)),
                               rng.random((n, K))))
    yield "tiny", tiny, np.where(rng.random((n, 1)) < 0.5, tiny, Q), L, Tv
    face = P.copy()
    face[:, 0] = 0.0
    face = _normalise(face)
    ends = rng.choice([0.0, 1.0], n)
    Te = rng.choice([1.0, 5.0], n)
    tie = np.where(rng.random((n, 1)) < 0.5, face, Q)
    yield "boundary", face, np.where(rng.random((n, 1)) < 0.3, face, tie[::-1]), ends, Te


def reference(claim, draws, i, K, digits=120):
    """The status at draw ``i`` decided with exact rationals and balls at ``digits`` digits
    (None when even that is undecided)."""
    cc = CompiledClaim(claim)
    env = {s: [from_rational(x) for x in draws[s.name][i].tolist()] for s in claim.distributions}
    env.update({s: from_rational(float(draws[s.name][i])) for s in claim.scalars})
    env[K_SYMBOL] = from_rational(K)
    try:
        st = cc._check_at(env, digits).status
    except Undecided:
        return None
    return {"holds": HOLDS, "violation": VIOLATED, "outside": OUTSIDE,
            "undefined": UNDEFINED}.get(st)


def _draws(claim, P, Q, L, Tv):
    all_ = {"p": P, "q": Q, "lambda": L, "T": Tv}
    return {s.name: all_[s.name] for s in claim.distributions + claim.scalars}


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.name)
def test_agrees_with_120_digit_reference(claim):
    rng = np.random.default_rng(zlib.crc32(claim.name.encode()))  # stable across processes
    seen = set()
    for K in (3, 6):
        for family, *arrays in families(rng, DRAWS, K):
            draws = _draws(claim, *arrays)
            cert = certify(claim, draws)
            for i in range(len(cert.status)):
                ref = reference(claim, draws, i, K)
                got = int(cert.status[i])
                seen.add(got)
                if ref is None:
                    continue
                assert got == ref, (family, K, i, STATUS_NAMES[got], STATUS_NAMES[ref],
                                    {k: v[i] for k, v in draws.items()})
    assert seen - {UNDECIDED}, "nothing was decided"


def test_false_claims_are_caught_and_true_claims_hold():
    rng = np.random.default_rng(1)
    n, K = 300, 4
    P = _normalise(rng.gamma(np.full((n, K), 0.3)))
    Q = _normalise(rng.gamma(np.full((n, K), 0.3)))
    false = certify(CLAIMS[9], {"p": P, "q": Q})
    assert false.violated.any() and false.holds.any()
    true = certify(CLAIMS[2], {"p": P, "q": Q})
    assert true.holds.all()


def test_near_ties_are_decided_where_float64_guesses():
    """At q = p(1 + 1e-8 z), the naive float64 check of the anchoring claim is wrong on some
    draws; every verdict of certify is "holds" (the claim is true) and matches the reference."""
    claim = CLAIMS[0]
    rng = np.random.default_rng(2)
    n, K = 200, 50
    P = _normalise(rng.gamma(np.ones((n, K))))
    Q = _normalise(P * (1 + 1e-8 * rng.standard_normal((n, K))))
    L = rng.random(n)
    cert = certify(claim, {"p": P, "q": Q, "lambda": L})
    assert cert.holds.all()
    assert cert.escalated > 0
    R = (1 - L[:, None]) * Q + L[:, None] * P
    naive = (P * np.log(P / R)).sum(1) <= (1 - L) * (P * np.log(P / Q)).sum(1)
    assert not naive.all(), "float64 was right everywhere: the near-tie draws are too easy"


def test_tiny_entries_neither_overflow_nor_nan():
    claim = CLAIMS[2]
    P = np.array([[1e-300, 1 - 1e-300], [5e-324, 1.0], [0.5, 0.5]])
    Q = np.array([[1 - 1e-300, 1e-300], [0.5, 0.5], [1e-300, 1.0]])
    cert = certify(claim, {"p": P, "q": Q})
    assert cert.holds.all()
    assert not np.isnan(cert.lhs).any()


def test_support_mismatch_is_infinite_and_zero_log_zero_is_zero():
    claim = Claim("KL finite", kl(p, q) <= 10)
    cert = certify(claim, {"p": np.array([[0.5, 0.5], [0.0, 1.0], [1.0, 0.0]]),
                           "q": np.array([[1.0, 0.0], [0.5, 0.5], [1.0, 0.0]])})
    assert cert.status.tolist() == [VIOLATED, HOLDS, HOLDS]


def test_undecided_draws_are_reported_with_their_precision():
    # KL(p‖q) = KL(q‖p) = log(3)/2 at p = (1/4, 3/4), q = (3/4, 1/4): an exact tie between
    # transcendental values, which balls never decide: reported undecided at the cap.
    claim = Claim("KL below its reverse", kl(p, q) < kl(q, p))
    P = np.array([[0.25, 0.75], [0.5, 0.5]])
    Q = np.array([[0.75, 0.25], [0.5, 0.5]])
    cert = certify(claim, {"p": P, "q": Q}, max_bits=128)
    assert cert.undecided.tolist() == [0]
    assert cert.precision[0] >= 128
    assert cert.status[1] == VIOLATED  # an exact rational tie 0 < 0 is decided
    budget = certify(claim, {"p": P, "q": Q}, budget=0)
    assert budget.balls == 0 and set(budget.undecided.tolist()) >= {0}


def test_assumptions_mark_draws_outside():
    claim = CLAIMS[10]
    P = np.array([[0.2, 0.8]] * 3)
    Q = np.array([[0.6, 0.4]] * 3)
    cert = certify(claim, {"p": P, "q": Q, "lambda": np.array([0.0, 1 / 3, 0.5])})
    assert cert.status.tolist() == [OUTSIDE, OUTSIDE, HOLDS]


GOOD = {"p": np.array([[0.5, 0.5]]), "q": np.array([[0.25, 0.75]]), "lambda": np.array([0.5])}


@pytest.mark.parametrize("change, error, text", [
    ({"q": None}, MissingValue, "q"),
    ({"p": np.array([0.5, 0.5])}, BatchShapeMismatch, "p has shape=(2,)"),
    ({"lambda": np.array([[0.5]])}, BatchShapeMismatch, "lambda has shape=(1, 1)"),
    ({"lambda": np.array([0.5, 0.5])}, BatchShapeMismatch, "lambda has n=2"),
    ({"q": np.array([[0.2, 0.3, 0.5]])}, DimensionMismatch, "q has K=3"),
    ({"q": np.array([[np.nan, 1.0]])}, NonFiniteEntry, "q[0, 0]=nan"),
    ({"q": np.array([[-0.25, 1.25]])}, NegativeEntry, "q[0, 0]=-0.25"),
    ({"q": np.array([[0.25, 0.5]])}, NotNormalized, "q[0] sums to 0.75"),
    ({"q": [["a", "b"]]}, NonFiniteEntry, "q="),
    ({"lambda": np.array([1.5])}, ScalarOutOfRange, "lambda[0]=1.5"),
    ({"lambda": np.array([np.nan])}, ScalarOutOfRange, "lambda[0]=nan"),
])
def test_bad_input_is_named(change, error, text):
    draws = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(error) as info:
        certify(CLAIMS[0], draws)
    assert text in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("call, text", [
    (lambda c: sweep(c, -1, 3), "n=-1"),
    (lambda c: sweep(c, 10, 1), "K=1"),
    (lambda c: sweep(c, 10, 3, chunk=0), "chunk=0"),
    (lambda c: sweep(c, 10, 3, workers=0), "workers=0"),
    (lambda c: certify(c, {"p": np.array([[0.5, 0.5]]), "q": np.array([[0.5, 0.5]])},
                       max_bits=0), "max_bits=0"),
])
def test_bad_settings_are_named(call, text):
    with pytest.raises(InvalidSearchSetting, match=text):
        call(CLAIMS[2])


def test_exact_zeros_and_infinities_are_decided_by_the_filters():
    """0·log 0 = 0 and KL = ∞ where q lacks mass are branches on exact zeros: the float
    filters settle them, no draw goes to ball arithmetic."""
    c = Claim("KL small where finite", kl(p, q) >= 0, assume={"small": kl(p, q) <= 1})
    P = np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    Q = np.array([[0.0, 1.0], [0.5, 0.5], [0.5, 0.5]])
    cert = certify(c, {"p": P, "q": Q})
    assert [STATUS_NAMES[s] for s in cert.status] == ["outside", "holds", "holds"]
    assert cert.balls == 0


def test_empty_batch():
    cert = certify(CLAIMS[0], {"p": np.zeros((0, 3)), "q": np.zeros((0, 3)), "lambda": np.zeros(0)})
    assert cert.status.shape == (0,) and cert.escalated == 0


def test_filter_and_balls_agree_on_every_status():
    """The filters alone (no balls) never contradict the full verdict."""
    claim = CLAIMS[9]
    rng = np.random.default_rng(5)
    c = Certifier(claim)
    for _, P, Q, *_ in families(rng, 40, 5):
        full = certify(claim, {"p": P, "q": Q})
        quick = c.certify({"p": P, "q": Q}, budget=0)
        decided = quick.status != UNDECIDED
        assert (quick.status[decided] == full.status[decided]).all()


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.name)
def test_batched_balls_agree_with_reference_on_every_draw(claim):
    """Every draw sent straight to the ball stage (the filters bypassed): the batched arb
    arrays decide most draws themselves, never against the 120-digit reference, and the
    stage as a whole (with the exact evaluator for the rest) matches it everywhere."""
    rng = np.random.default_rng(11)
    c = Certifier(claim)
    batched = total = 0
    for K in (3, 6):
        for family, *arrays in families(rng, DRAWS, K):
            draws = _draws(claim, *arrays)
            values = {s: np.asarray(draws[s.name], dtype=float)
                      for s in claim.distributions + claim.scalars}
            rows = np.arange(DRAWS)
            first = c._batch(values, rows, K, 64)
            status, bits = c.balls(values, rows, K)
            batched += int(np.count_nonzero(first != UNDECIDED))
            total += DRAWS
            for i in rows:
                ref = reference(claim, draws, i, K)
                if ref is None:
                    continue
                info = (family, K, i, {k: v[i] for k, v in draws.items()})
                assert first[i] in (UNDECIDED, ref), (STATUS_NAMES[first[i]],) + info
                assert status[i] == ref, (STATUS_NAMES[status[i]],) + info
    assert batched >= total // 4, f"the batched stage decided only {batched} of {total}"


def test_a_branch_the_balls_cannot_settle_goes_to_the_exact_evaluator():
    # log(0) = -inf is outside what the batched balls follow: the condition stays unknown,
    # so the batch leaves that draw open instead of taking a branch, and the exact evaluator
    # decides it (-inf ≠ 0, so the value is 1 > 1/2).
    claim = Claim("branch on log", sp.Piecewise((0, sp.Eq(sp.log(lam), 0)), (1, True))
                  <= sp.Rational(1, 2))
    c = Certifier(claim)
    values = {lam: np.array([0.0, 1.0, 0.5])}
    assert c._batch(values, np.arange(3), 1, 64).tolist() == [UNDECIDED, HOLDS, VIOLATED]
    assert c.balls(values, np.arange(3), 1)[0].tolist() == [VIOLATED, HOLDS, VIOLATED]


def test_sweep_streams_and_is_reproducible():
    claim = CLAIMS[9]
    a = sweep(claim, 3000, 4, seed=3, chunk=512, workers=1)
    b = sweep(claim, 3000, 4, seed=3, chunk=1000, workers=1)
    assert a.n == b.n == 3000 and a.chunks == 6
    assert sum(a.counts[s] for s in STATUS_NAMES) == 3000
    assert a.counts["violated"] > 0 and len(a.violations) <= 8
    i, point = a.violations[0]
    assert certify(claim, {k: np.array([v]) for k, v in point.items()}).violated.all()
    c = sweep(claim, 3000, 4, seed=3, chunk=512, workers=1)
    assert c.counts == a.counts and c.violations == a.violations


@pytest.mark.skipif(sys.platform == "win32", reason="fork-based pool")
def test_sweep_in_a_process_pool_matches_one_process():
    claim = CLAIMS[9]
    one = sweep(claim, 2048, 3, seed=4, chunk=256, workers=1)
    two = sweep(claim, 2048, 3, seed=4, chunk=256, workers=2)
    assert one.counts == two.counts and one.violations == two.violations


def _dirichlet(rng, claim, K, n):
    return {d.name: _normalise(rng.gamma(np.ones((n, K)))) for d in claim.distributions}


def test_sweep_memory_is_bounded_by_the_chunk():
    """Peak traced memory of a sweep does not grow with the number of draws."""
    import tracemalloc

    claim = CLAIMS[2]

    def peak(n):
        tracemalloc.start()
        sweep(claim, n, 20, chunk=256, workers=1, sampler=_dirichlet)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(512), peak(32768)
    assert large < 1.5 * small + 2 ** 20, (small, large)
    assert math.isfinite(large)


def test_the_search_samples_through_certify():
    from numerics.search import SearchSettings, search

    settings = SearchSettings(dims=(2, 3), samples=300, climb_steps=0, hypothesis_examples=0)
    report = search(CLAIMS[2], settings)
    assert sum(report.certified[s] for s in STATUS_NAMES) == report.draws == 600
    assert report.certified["holds"] > 0


def test_draws_are_taken_as_given_not_renormalised():
    """q is p with one entry one ulp larger: Σq > Σp exactly, so KL(p‖q) < 0 < 2·TV² and
    Pinsker's inequality fails at these floats (it holds on the simplex)."""
    P = np.array([[0.1, 0.2, 0.7]])
    Q = P.copy()
    Q[0, 2] = np.nextafter(0.7, 1.0)
    cert = certify(CLAIMS[2], {"p": P, "q": Q})
    assert cert.violated.all()
    assert reference(CLAIMS[2], {"p": P, "q": Q}, 0, 3) == VIOLATED


def test_conditions_are_never_settled_from_a_rows_placeholder():
    """Where a divergence is infinite (support mismatch) or float64 cannot resolve it (a near
    tie), the fast filter holds a placeholder for it: an assumption or a branch condition on
    it must be left to the later stages, which agree with the reference."""
    inf_p, inf_q = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])     # KL(p||q) = +oo
    branch = Claim("branch on KL", sp.Piecewise((0, kl(p, q) > sp.Rational(1, 10)), (1, True))
                   <= sp.Rational(1, 2))
    far = Claim("KL below TV where KL > 1/10", kl(p, q) <= tv(p, q),
                assume={"far": kl(p, q) > sp.Rational(1, 10)})
    for claim in (branch, far):
        draws = {"p": inf_p, "q": inf_q}
        assert int(certify(claim, draws).status[0]) == reference(claim, draws, 0, 2), claim.name
    rng = np.random.default_rng(0)
    n, K = 200, 20
    P = rng.dirichlet(np.ones(K), n)
    Q = P * (1 + 1e-9 * rng.standard_normal((n, K)))
    Q /= Q.sum(axis=1, keepdims=True)
    distinct = Claim("KL below TV where KL > 0", kl(p, q) <= tv(p, q),
                     assume={"distinct": kl(p, q) > 0})
    draws = {"p": P, "q": Q}
    status = certify(distinct, draws).status
    for i in range(n):
        if status[i] != UNDECIDED:
            assert int(status[i]) == reference(distinct, draws, i, K), i
