"""Which assumptions does a claim need? Drop one and search the wider domain.

Dropping the assumption ``A`` from a claim gives the same relation over a wider domain (every
point the other assumptions allow). The search (:func:`numerics.search.search`) then looks
there for a counterexample, trying first the exact boundary that ``A`` guarded (``λ = 0``
for ``λ > 0``, ``q = p`` for ``KL(p‖q) > 0``, …; see :mod:`numerics.boundary`). Outcomes:

- ``"counterexample"``: a witness with exact fractions whose violation is certain at the
  working precision and at twice that; the assumption is necessary for the claim as stated.
  :attr:`Necessity.assumption_fails_at_witness` records that the witness indeed lies outside
  the dropped assumption (it must, for a true claim).
- ``"not needed"``: no counterexample in the widened search. Like ``verified``, this says
  what was searched, not that the claim is proved without the assumption; the detail also
  counts points where the widened claim has no value (``undefined``), which is often why an
  assumption is "not needed" (it only excluded meaningless points).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from numerics.search import SearchReport, SearchSettings, search
from theory import Claim

OUTCOMES = ("counterexample", "not needed")


def drop(claim: Claim, names, settings: SearchSettings, progress=None) -> SearchReport:
    """Search ``claim`` without the assumptions ``names``, their boundaries first.

    Raises :class:`~theory.errors.MalformedClaim` naming the claim for an unknown name."""
    names = tuple(names)
    widened = claim.without(*names)
    return search(widened, settings, progress, boundary=[claim.assume[n] for n in names])


def table_settings(settings: SearchSettings) -> SearchSettings:
    """The budget of one cell of the necessity table: the two smallest dimensions and a
    quarter of the draws, climbing and Hypothesis examples of ``settings``. Counterexamples
    to a dropped assumption sit at small ``K`` and on its boundary, which is tried exactly
    whatever the budget."""
    return replace(settings, dims=tuple(sorted(settings.dims)[:2]),
                   samples=max(100, settings.samples // 4),
                   climb_starts=max(2, settings.climb_starts // 2),
                   climb_steps=max(5, settings.climb_steps // 2),
                   hypothesis_examples=max(10, settings.examples // 4))


@dataclass
class Necessity:
    """One cell of the table: ``claim`` with ``assumption`` dropped."""

    claim: Claim
    assumption: str
    outcome: str
    report: SearchReport = field(repr=False)
    source: str = "catalog"
    assumption_fails_at_witness: bool | None = None

    @property
    def witness(self) -> dict | None:
        w = self.report.witness
        return None if w is None else w.to_json()

    @property
    def condition(self) -> str:
        return str(self.claim.assume[self.assumption])

    def detail(self) -> str:
        r = self.report
        tried = ", ".join(r.boundary) if r.boundary else "none"
        if self.outcome == "counterexample":
            w = r.witness
            where = ("outside the dropped assumption" if self.assumption_fails_at_witness
                     else "INSIDE the dropped assumption (the claim itself fails there)")
            return (f"counterexample at K={w.K} (found by {w.stage}) {where}, decided at "
                    f"{r.settings.precision} and {2 * r.settings.precision} digits; "
                    f"boundary tried: {tried}")
        skipped = {k: v for k, v in r.statuses.items() if k in ("undefined", "undecided", "outside")}
        extra = ("; not decided: " + ", ".join(f"{v} {k}" for k, v in sorted(skipped.items()))
                 if skipped else "")
        return f"no counterexample; searched {r.effort()}; boundary tried: {tried}{extra}"

    def to_json(self) -> dict:
        w = self.report.witness
        return {"result": self.claim.name, "assumption": self.assumption,
                "outcome": self.outcome, "witness": self.witness,
                "condition": self.condition, "source": self.source,
                "lhs": w.lhs if w else None, "rhs": w.rhs if w else None,
                "assumption_fails_at_witness": self.assumption_fails_at_witness,
                "boundary": list(self.report.boundary), "detail": self.detail(),
                "searched": {"dims": self.report.dims_tried, "draws": self.report.draws,
                             "hypothesis_examples": self.report.hypothesis_examples,
                             "exact_checks": self.report.exact_checks,
                             "replayed": self.report.replayed}}


def _fails_at(claim: Claim, name: str, witness, digits: int) -> bool:
    """Whether the assumption ``name`` is certainly false at the witness (exact check of the
    original claim: inside every other assumption, so "outside" can only mean ``name``)."""
    from numerics.evaluate import CompiledClaim

    env = {s: witness.values[s.name] for s in claim.distributions + claim.scalars}
    return CompiledClaim(claim).check(env, witness.K, digits).status == "outside"


def necessity(claim: Claim, name: str, settings: SearchSettings, source="catalog",
              progress=None) -> Necessity:
    """The outcome of dropping the assumption ``name`` from ``claim``."""
    report = drop(claim, (name,), settings, progress)
    if report.witness is None:
        return Necessity(claim, name, "not needed", report, source)
    return Necessity(claim, name, "counterexample", report, source,
                     _fails_at(claim, name, report.witness, settings.precision))


def cells(claims) -> list:
    """``(claim, assumption, source)`` for every named assumption of every claim expected to
    hold, in order."""
    return [(c, name, src) for c, src in claims if c.expect == "holds" for name in c.assume]


def necessity_table(claims, settings: SearchSettings, progress=None) -> list:
    """Drop each assumption of each ``(claim, source)`` in turn, with :func:`table_settings`."""
    budget = table_settings(settings)
    return [necessity(c, name, budget, src, progress) for c, name, src in cells(claims)]
