"""Checking an operator against the axioms of its family.

For each axiom, in order: a symbolic certificate from :meth:`theory.axioms.Axiom.certify`
(verdict ``certified``); otherwise the axiom's claims go through the claim search of
:mod:`numerics.search`, and the axioms no claim can state (closure, support, continuity,
ranking, limits, convex hull) through a probe on exact rational points (verdict ``verified``
with what was tried, or ``violated`` with a witness).

A probe evaluates the operator's coordinates exactly with SymPy
(:func:`theory._coordinates.coordinates`): a zero entry is an exact zero, a sign is decided
only when the values at ``d`` and ``2d`` digits agree and lie clear of zero, and a continuity
violation is confirmed by SymPy's ``limit`` along an exact path, compared exactly with the
value at the base point.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import ctx, fmpq

from theory._coordinates import coordinates
from theory.errors import MalformedClaim
from theory.symbols import K as K_SYMBOL
from theory.axioms import (AGGREGATION, LAM, META, OMEGA, P, P1, P2, PS, Q, SOFTENING, T, Axiom,
                           Decided, Operator, axioms)

from . import _ball, samplers
from ._ball import BallBackend, Undecided, Undefined
from ._compile import compile_expr
from .evaluate import digits_to_bits
from .points import decimal_simplex, simplest_simplex
from .search import SearchSettings

#: Exact points per dimension a probe evaluates (each costs SymPy arithmetic).
PROBE_POINTS = 24
#: Largest numerator or denominator SymPy's limit is asked to handle (S5, S6).
LIMIT_SIZE = 10 ** 12
#: Points per dimension whose limits SymPy takes (continuity confirmation, S5/S6).
LIMIT_POINTS = 6


@dataclass
class AxiomResult:
    """The verdict on one axiom for one operator."""

    code: str
    name: str
    operator: str
    verdict: str  # certified / verified / violated / undecided
    detail: str
    statement: str
    witness: dict | None = None
    searched: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"axiom": self.code, "name": self.name, "operator": self.operator,
                "verdict": self.verdict, "detail": self.detail, "statement": self.statement,
                "witness": self.witness, "searched": self.searched}

    def _repr_latex_(self) -> str:
        return rf"$\textbf{{{self.code}}}\ ({self.verdict}):\quad {self.statement}$"


def check_operator(op: Operator, settings: SearchSettings = SearchSettings(), progress=None) -> list:
    """One :class:`AxiomResult` per axiom of ``op``'s family, in order."""
    out = []
    for ax in axioms(op.family):
        out.append(check_axiom(ax, op, settings))
        if progress is not None:
            progress.update(1)
    return out


def check_axiom(ax: Axiom, op: Operator, settings: SearchSettings) -> AxiomResult:
    def result(verdict, detail, witness=None, searched=None):
        return AxiomResult(ax.code, ax.name, op.name, verdict, detail, ax.statement(op),
                           witness, searched or {})

    cert = ax.certify(op)
    if cert is not None:
        return result("certified", "SymPy-checked argument, every K: " + cert.text())
    if ax.kind == "claims":
        return _by_claims(ax, op, settings, result)
    probe = _PROBES[ax.kind](op, settings, ax)
    return result(probe.verdict, probe.detail, probe.witness, probe.searched)


# -- claims -------------------------------------------------------------------------------

def _by_claims(ax, op, settings, result):
    from .search import search

    try:
        statements = ax.claims(op)
    except MalformedClaim as exc:
        return result("undecided", f"the statement cannot be formed for this operator: {exc}")
    details, searched = [], {}
    claims = [c for c in statements if not isinstance(c, Decided)]
    for d in statements:
        if isinstance(d, Decided) and not d.value:
            return result("violated", f"{d.name}: SymPy decides the statement false at every "
                                      "point (no search needed)")
    if not claims:
        return result("certified", "SymPy decides every statement true identically: "
                      + ", ".join(d.name for d in statements))
    details += [f"{d.name}: true identically (SymPy)" for d in statements
                if isinstance(d, Decided)]
    for claim in claims:
        report = search(claim, settings)
        searched[claim.name] = {"dims": list(report.dims_tried), "draws": report.draws,
                                "climbing_steps": report.climb_evaluations,
                                "hypothesis_examples": report.hypothesis_examples,
                                "exact_checks": report.exact_checks,
                                "precision_digits": settings.precision}
        w = report.witness
        if w is not None:
            how = ("an exact tie, proved by SymPy" if w.exact_tie else
                   f"decided at {settings.precision} and {2 * settings.precision} digits")
            witness = dict(w.to_json(), lhs=w.lhs, rhs=w.rhs, claim=str(claim.relation))
            return result("violated", f"{claim.name}: counterexample at K={w.K}, {how}",
                          witness, searched)
        details.append(f"{claim.name}: no violation; searched {report.effort()}")
    return result("verified", "; ".join(details), None, searched)


# -- exact points -------------------------------------------------------------------------

@dataclass
class _Probe:
    verdict: str
    detail: str
    witness: dict | None = None
    searched: dict = field(default_factory=dict)


def _symbols(op):
    return {META: ((Q, P), (LAM,)), SOFTENING: ((PS,), (T,)),
            AGGREGATION: ((P1, P2), (OMEGA,))}[op.family]


def _points(op: Operator, settings: SearchSettings, K: int, rng):
    """Exact points ``{symbol: fmpq values}`` for ``op``'s family at dimension ``K``, from the
    adversarial float draws (vertices, faces, tiny entries, ties, scalar endpoints) rounded to
    six significant digits, the largest entry absorbing the remainder (sum exactly 1)."""
    dists, scalars = _symbols(op)
    n = min(settings.samples, PROBE_POINTS)
    values, _ = samplers.draw(rng, list(dists), list(scalars), K, n)
    for row in range(n):
        pt = {}
        for d in dists:
            ex = decimal_simplex(values[d][row], 6)
            if ex is None:
                break
            pt[d] = ex
        else:
            for s in scalars:
                f = Fraction(float(values[s][row])).limit_denominator(10 ** 6)
                f = min(max(f, Fraction(str(s.low))), Fraction(str(s.high)))
                pt[s] = fmpq(f.numerator, f.denominator)
            yield pt
            for s in scalars:  # the tight cases sit at the scalar's endpoints
                for end in (s.high, s.low):
                    f = Fraction(str(end))
                    yield {**pt, s: fmpq(f.numerator, f.denominator)}


class _Evaluator:
    """``op`` at the standard symbols, compiled once per precision for ball arithmetic."""

    def __init__(self, op):
        self.expr = op.at_symbols()
        self._compiled = {}

    def __call__(self, pt, K, digits):
        """Entries (exact ``fmpq`` or arb balls) at ``digits``; raises ``Undefined``."""
        bits = digits_to_bits(digits)
        if bits not in self._compiled:
            self._compiled[bits] = (BallBackend(bits), None)
            self._compiled[bits] = (self._compiled[bits][0],
                                    compile_expr(self.expr, self._compiled[bits][0]))
        backend, f = self._compiled[bits]
        backend.reset()
        env = dict(pt)
        env[K_SYMBOL] = fmpq(K)
        with ctx.workprec(bits):
            return f(env)


def _sgn(v):
    """-1, 0, 1 certainly, or :data:`TIE` when the ball straddles 0."""
    try:
        return _ball.sign(v)
    except Undecided:
        return TIE


#: The sign of a quantity a ball cannot separate from 0 (not an exact zero).
TIE = "tie"


def _witness(pt, K, digits, **extra):
    out = {getattr(s, "name", str(s)): ([str(x) for x in v] if isinstance(v, list) else str(v))
           for s, v in pt.items()}
    out["K"] = K
    for k, v in extra.items():
        out[k] = [_ball.to_decimal(x, min(digits, 30)) for x in v] if isinstance(v, list) and v and \
            not isinstance(v[0], str) else v
    return out


def _scan(op, settings, test):
    """Run ``test(point, K, digits)`` -> (status, note) over the probe points. A violation is
    shrunk to the simplest rounding of the point that still violates, and counts only if the
    test reports it at ``digits`` and again at ``2·digits``."""
    rng = np.random.default_rng(settings.seed)
    counts = {"checked": 0, "undefined": 0, "undecided": 0, "outside": 0, "skipped": 0}
    d = settings.precision

    def run(pt, K, digits):
        try:
            return test(dict(pt), K, digits)
        except Undefined:
            return "undefined", None
        except Undecided:
            return "undecided", None

    for K in settings.dims:
        for pt in _points(op, settings, K, rng):
            status, note = run(pt, K, d)
            if status == "violated":
                pt = _shrunk(pt, lambda x: run(x, K, d)[0] == "violated")
                status, note = run(pt, K, 2 * d)
                if status == "violated":
                    return _Probe("violated", note[0] + f" (decided at {d} and {2 * d} digits)",
                                  note[1], dict(counts, K=K))
                status = "undecided"
            counts[status] += 1
    return counts


_DENOMINATORS = (1, 2, 3, 4, 10, 100, 10 ** 6)


def _round(s, v, den):
    if isinstance(v, list):
        return simplest_simplex([float(x) for x in v], den)
    f = Fraction(int(v.p), int(v.q)).limit_denominator(den)
    return fmpq(f.numerator, f.denominator) if s.contains(f) else None


def _roundings(pt):
    """``pt`` rounded to denominators 1, 2, 3, 4, 10, 100, 10^6 (distributions summing to
    exactly 1, scalars kept in range), all symbols at once, simplest first."""
    for den in _DENOMINATORS:
        small = {s: _round(s, v, den) for s, v in pt.items()}
        if all(v is not None for v in small.values()):
            yield small


def _shrunk(pt, still_fails):
    """Round one symbol at a time to the smallest denominator for which ``still_fails``."""
    for s in list(pt):
        simple = [] if isinstance(pt[s], list) else [(s.low + s.high) / 2, s.high, s.low]
        simple = [fmpq(*_pq(x)) for x in simple if x.is_finite]
        for v in simple + [_round(s, pt[s], den) for den in _DENOMINATORS]:
            if v is not None and v != pt[s] and still_fails({**pt, s: v}):
                pt = {**pt, s: v}
                break
    return pt


def _finish(counts, settings, what, how=None):
    if isinstance(counts, _Probe):
        return counts
    if not counts["checked"]:
        return _Probe("undecided", "no point could be decided: " + ", ".join(
            f"{v} {k}" for k, v in counts.items() if v), None, dict(counts))
    skipped = {k: v for k, v in counts.items() if k != "checked" and v}
    extra = "; not decided: " + ", ".join(f"{v} {k}" for k, v in skipped.items()) if skipped else ""
    tried = (f"{counts['checked']} exact points over K in {{{','.join(map(str, settings.dims))}}} "
             f"(seed {settings.seed}, {how or f'ball arithmetic at {settings.precision} digits'}{extra})")
    return _Probe("verified", f"no violation: {what}; {tried}", None,
                  dict(counts, dims=list(settings.dims), precision_digits=settings.precision))


# -- probes -------------------------------------------------------------------------------

def _closure(op, settings, ax):
    ev = _Evaluator(op)

    def test(pt, K, d):
        c = ev(pt, K, d)
        signs = [_sgn(x) for x in c]
        total = _sgn(_ball.add(sum(c[1:], c[0]), fmpq(-1))) if c else 0
        if -1 in signs or total in (1, -1):
            return "violated", ("an entry is negative or the entries do not sum to 1",
                                _witness(pt, K, d, value=c))
        return ("undecided" if TIE in signs else "checked"), None
    return _finish(_scan(op, settings, test), settings, "entries non-negative and summing to 1")


def _support(op, settings, ax):
    """M4 (anchor made interior, λ > 0) or A2 (an entry a positively weighted teacher supports)."""
    ev = _Evaluator(op)

    def test(pt, K, d):
        if op.family == META:
            if pt[LAM] == 0 or min(pt[P]) == 0:
                return "outside", None
            must = list(range(K))
        else:
            w = pt[OMEGA]
            must = [i for i in range(K) if (w > 0 and pt[P1][i] > 0) or (w < 1 and pt[P2][i] > 0)]
        c = ev(pt, K, d)
        signs = [_sgn(c[i]) for i in must]
        bad = next((i for i, s in zip(must, signs) if s in (0, -1)), None)
        if bad is not None:
            return "violated", (f"entry {bad + 1} of the result is exactly 0",
                                _witness(pt, K, d, value=c))
        return ("undecided" if TIE in signs else "checked"), None
    return _finish(_scan(op, settings, test), settings, "every required entry positive")


def _continuity(op, settings, ax):
    """Along two exact paths from the base point (the scalar moved by ``h`` into its range;
    the distributions moved toward a random interior point by ``h``), the value at
    ``h = 10^-(d/2)`` is compared with the value at ``h = 0``. Where the gap exceeds
    ``10^-(d/4)``, the point is shrunk to the simplest rationals that keep the gap, and SymPy
    takes ``lim_{h→0+}`` of every coordinate there; a jump is reported only when that limit
    differs from the value by an exact nonzero rational."""
    ev = _Evaluator(op)
    dists, scalars = _symbols(op)
    seed = random.Random(settings.seed)
    tries = {"limits": 0}

    def test(pt, K, d):
        w = [seed.randint(1, 9) for _ in range(K)]
        r = {s: [fmpq(x, sum(w)) for x in w] for s in dists}
        for which in ("scalar", "distributions"):
            if which == "distributions" and op.family == SOFTENING:
                continue
            if not _gap(ev, pt, K, d, r, which, scalars, dists):
                continue
            small = _shrink(ev, pt, K, d, r, which, scalars, dists)
            if small is None or tries["limits"] >= LIMIT_POINTS * len(settings.dims):
                return "undecided", None  # a steep but possibly continuous spot
            tries["limits"] += 1
            verdict = _confirm_jump(op, small, r, K, d, which, scalars, dists)
            if verdict is not None:
                return verdict
        return "checked", None
    return _finish(_scan(op, settings, test), settings,
                   f"the value moves by less than 1e-{settings.precision // 4} along exact paths "
                   f"of length 1e-{settings.precision // 2} in the scalar and in the distributions "
                   "(larger moves: no jump in an exact SymPy limit)")


def _moved(pt, h, r, which, scalars, dists):
    out = dict(pt)
    if which == "distributions":
        for s in dists:
            out[s] = [(1 - h) * x + h * y for x, y in zip(pt[s], r[s])]
    else:
        for s in scalars:
            out[s] = pt[s] + h if pt[s] < _high(s) else pt[s] - h
    return out


def _pq(x):
    f = Fraction(str(x))
    return f.numerator, f.denominator


def _high(s):
    return fmpq(*_pq(s.high))


def _gap(ev, pt, K, d, r, which, scalars, dists) -> bool:
    """Whether the value moves by more than ``10^-(d/4)`` over a path step ``10^-(d/2)``."""
    try:
        base = ev(pt, K, d)
        near = ev(_moved(pt, fmpq(1, 10 ** (d // 2)), r, which, scalars, dists), K, d)
    except Undefined:
        return False
    floor = fmpq(1, 10 ** (d // 4))
    return any(_sgn(_ball.add(_ball.absolute(_ball.add(a, _ball.neg(b))), -floor)) == 1
               for a, b in zip(near, base))


def _shrink(ev, pt, K, d, r, which, scalars, dists):
    """The simplest rounding of ``pt`` that keeps the gap, or None."""
    return next((small for small in _roundings(pt)
                 if _gap(ev, small, K, d, r, which, scalars, dists)), None)


def _confirm_jump(op, pt, r, K, d, which, scalars, dists):
    """A violation if ``lim_{h→0+}`` along the path differs exactly from the value; None
    when SymPy shows no jump."""
    h = sp.Symbol("h", positive=True)

    def rat(v):
        return ([sp.Rational(int(x.p), int(x.q)) for x in v] if isinstance(v, list)
                else sp.Rational(int(v.p), int(v.q)))

    point = {s: rat(v) for s, v in pt.items()}
    path = dict(point)
    if which == "distributions":
        for s in dists:
            path[s] = [(1 - h) * x + h * y for x, y in zip(point[s], rat(r[s]))]
        desc = {s.name: f"(1-h)*{s.name} + h*{[str(x) for x in rat(r[s])]}" for s in dists}
    else:
        for s in scalars:
            path[s] = point[s] + h if point[s] < s.high else point[s] - h
        desc = {s.name: str(path[s]) for s in scalars}
    at0 = coordinates(op.at_symbols(), point)
    lim = [sp.limit(x, h, 0, "+") for x in coordinates(op.at_symbols(), path)]
    diff = [sp.nsimplify(a - b) for a, b in zip(lim, at0)]
    if all(x == 0 for x in diff):
        return None
    if not all(x.is_Rational for x in diff):
        return "undecided", None
    return "violated", ("the limit along an exact path differs from the value there "
                        "(SymPy limit h -> 0+; the difference is an exact nonzero rational)",
                        _witness(pt, K, d, value=[str(x) for x in at0],
                                 limit=[str(x) for x in lim], path=desc))


def _ranking(op, settings, ax):
    ev = _Evaluator(op)

    def test(pt, K, d):
        p, c = pt[PS], ev(pt, K, d)
        undecided = False
        for i in range(K):
            for j in range(K):
                if p[i] >= p[j]:
                    s = _sgn(_ball.add(c[i], _ball.neg(c[j])))
                    if s == -1:
                        return "violated", (f"p_{i + 1} >= p_{j + 1} but the order flips",
                                            _witness(pt, K, d, value=c))
                    undecided |= s == TIE and p[i] != p[j]
        return ("undecided" if undecided else "checked"), None
    return _finish(_scan(op, settings, test), settings, "order of entries preserved")


def _limit(op, settings, ax):
    """S5 (``T → 0+``: mass off the argmax set → 0) and S6 (``T → ∞``: uniform on the
    support), each an exact SymPy limit at sampled points with small enough numbers."""
    seen = {"n": 0}

    def test(pt, K, d):
        p = [sp.Rational(int(x.p), int(x.q)) for x in pt[PS]]
        if seen["n"] >= LIMIT_POINTS * len(settings.dims) or any(x.q > LIMIT_SIZE for x in p):
            return "skipped", None
        seen["n"] += 1
        u = sp.Symbol("u", positive=True)  # u = 1/T: SymPy's limits handle r**u better
        c = coordinates(op.at_symbols(), {PS: p, T: 1 / u})
        try:
            if ax.code == "S5":
                top = max(p)
                off = sp.together(sp.Add(*[c[i] for i in range(K) if p[i] != top]))
                num, den = (sp.expand(sp.powsimp(sp.expand(x) / top ** u, force=True))
                            for x in sp.fraction(off))  # divide through by max(p)^(1/T)
                got = [sp.limit(num / den, u, sp.oo)]
                want = [sp.Integer(0)]
            else:
                support = sum(1 for x in p if x > 0)
                want = [sp.Rational(1, support) if x > 0 else sp.Integer(0) for x in p]
                got = [sp.limit(x, u, 0, "+") for x in c]
        except (NotImplementedError, ValueError, TypeError):
            return "undecided", None
        if any(sp.nsimplify(g - w) != 0 for g, w in zip(got, want)):
            return "violated", ("the exact limit differs",
                                _witness(pt, K, d, limit=[str(g) for g in got], expected=[str(w) for w in want]))
        return "checked", None
    return _finish(_scan(op, settings, test), settings, "the exact limit is as stated",
                   f"SymPy limits, at most {LIMIT_POINTS} points per K")


def _hull(op, settings, ax):
    """A1 with two teachers: ``A = t p_1 + (1−t) p_2`` for one ``t ∈ [0, 1]``."""
    ev = _Evaluator(op)

    def test(pt, K, d):
        a, b, c = pt[P1], pt[P2], ev(pt, K, d)
        k = next((i for i in range(K) if a[i] != b[i]), None)
        t = fmpq(1) if k is None else _ball.div(_ball.add(c[k], -b[k]), a[k] - b[k])
        res = [_sgn(_ball.add(c[i], _ball.neg(_ball.add(_ball.mul(t, a[i]),
                                                       _ball.mul(_ball.add(fmpq(1), _ball.neg(t)), b[i])))))
               for i in range(K)]
        ends = [_sgn(t), _sgn(_ball.add(fmpq(1), _ball.neg(t)))]
        if any(s in (1, -1) for s in res) or -1 in ends:
            return "violated", ("the aggregate is not on the segment [p_1, p_2]",
                                _witness(pt, K, d, value=c))
        return ("undecided" if TIE in res + ends else "checked"), None
    return _finish(_scan(op, settings, test), settings, "aggregate on the segment [p_1, p_2]")


_PROBES = {"closure": _closure, "support": _support, "continuity": _continuity,
           "ranking": _ranking, "limit": _limit, "hull": _hull}
