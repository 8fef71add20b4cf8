"""Checking claims: the search's report turned into a verdict against the expectation.

Verdicts:

- ``certified``: a complete derivation of :mod:`proofs.derivations` checks (every equality by
  SymPy for symbolic ``K`` on the interior of the simplex, every inequality an instance of a
  cited lemma, every step also at random points in ball arithmetic) *and* the search, which
  draws the boundary and the scalar endpoints explicitly, finds no violation;
- ``verified``: no violation found; the detail says what was searched;
- ``falsified``: a witness with exact fractions whose violation was decided rigorously at the
  working precision and again at twice that precision.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from numerics.search import SearchReport, SearchSettings, search
from theory import Claim


@dataclass
class Verdict:
    claim: Claim
    verdict: str
    detail: str
    witness: dict | None = None
    lhs: str | None = None
    rhs: str | None = None
    source: str = "catalog"
    report: SearchReport | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the verdict meets the claim's expectation."""
        if self.claim.expect == "fails":
            return self.verdict == "falsified"
        return self.verdict in ("certified", "verified")

    def _repr_html_(self) -> str:
        from proofs.formats import verdicts_html

        return verdicts_html([self])

    def _repr_latex_(self) -> str:
        from proofs.formats import verdicts_latex

        return verdicts_latex([self])

    def to_json(self) -> dict:
        out = {"name": self.claim.name, "verdict": self.verdict, "expect": self.claim.expect,
               "witness": self.witness, "lhs": self.lhs, "rhs": self.rhs, "detail": self.detail,
               "ok": self.ok, "source": self.source, "relation": str(self.claim.relation),
               "assume": {k: str(v) for k, v in self.claim.assume.items()}}
        if self.report is not None:
            r = self.report
            out["searched"] = {"dims": r.dims_tried, "draws": r.draws,
                               "climbing_steps": r.climb_evaluations,
                               "hypothesis_examples": r.hypothesis_examples,
                               "exact_checks": r.exact_checks,
                               "precision_digits": r.settings.precision,
                               "seed": r.settings.seed, "seconds": round(r.seconds, 3),
                               "outcomes": dict(r.statuses),
                               "sampled_draws": dict(r.certified)}
        return out


def _describe(report: SearchReport) -> str:
    parts = [f"no violation found; searched {report.effort()}"]
    c = report.closest
    if report.claim.op == "==":
        if c.score > -1:
            parts.append(f"sides agree within {c.score:.1e} (relative) at every decided point")
    elif c.score > -1:
        parts.append(f"worst margin (relative, 0 = equality) {c.score:.3g} at K={c.K} "
                     f"(lhs={_short(c.lhs)}, rhs={_short(c.rhs)})")
    if c.equalities:
        parts.append(f"equality at {c.equalities} points")
    skipped = {k: v for k, v in report.statuses.items() if k in ("undefined", "undecided", "outside")}
    if skipped:
        parts.append("not decided: " + ", ".join(f"{v} {k}" for k, v in sorted(skipped.items())))
    return "; ".join(parts)


def _short(s: str, n: int = 12) -> str:
    if s is None:
        return "?"
    if "e" in s:
        mant, exp = s.split("e", 1)
        return mant[:n] + "e" + exp
    return s[:n]


def check_claim(claim: Claim, settings: SearchSettings = SearchSettings(), source="catalog",
                progress=None) -> Verdict:
    """Search for a counterexample and return the verdict."""
    report = search(claim, settings, progress)
    if report.witness is not None:
        w = report.witness
        how = ("an exact tie of a strict relation, proved by SymPy" if w.exact_tie else
               f"decided at {settings.precision} and {2 * settings.precision} digits")
        detail = f"counterexample at K={w.K} (found by {w.stage}), {how}; {report.effort()}"
        return Verdict(claim, "falsified", detail, w.to_json(), w.lhs, w.rhs, source, report)
    c = report.closest
    lhs, rhs = (c.lhs or None, c.rhs or None)
    decided = (report.statuses.get("holds", 0) + report.statuses.get("agrees", 0)
               + report.certified.get("holds", 0))
    if not decided:
        # Every point was outside the assumptions, undefined or undecided: nothing was
        # checked, and "verified" would claim otherwise.
        detail = "no point of the domain could be decided; " + _describe(report)
        return Verdict(claim, "undecided", detail, None, lhs, rhs, source, report)
    proof = _certificate(claim, settings) if claim.expect == "holds" else None
    if proof is not None:
        detail = f"{proof}; boundary and endpoints by search: {_describe(report)}"
        return Verdict(claim, "certified", detail, None, lhs, rhs, source, report)
    return Verdict(claim, "verified", _describe(report), None, lhs, rhs, source, report)


def _certificate(claim, settings):
    """A checked derivation of a catalog claim (:mod:`proofs.derivations`), or None. The
    derivation covers the interior of the simplex; the search above covers the boundary."""
    from proofs.derivations import certificate

    return certificate(claim, settings.seed, settings.precision)
