"""Human and machine output of ``metadistill tightness``.

Every ratio printed is rounded *down* from a certified lower bound (``1 − gap`` with the gap
rounded up), so no printed number exceeds the ratio at its witness, hence the supremum.
"""
from __future__ import annotations

import json
import math
from fractions import Fraction

from flint import fmpq

from numerics._rounding import as_fraction, decimal_up, scientific
from proofs.report import witness_text


def number(x, digits: int = 3) -> str:
    """A value for reading, from its exact form (``1e-400`` is not shown as 0)."""
    if x is None:
        return "?"
    if isinstance(x, float):
        return "inf" if math.isinf(x) else f"{x:.{digits}g}"
    x = as_fraction(x)
    return "0" if x == 0 else scientific(x, digits, round)


def ratio_value(x) -> str:
    """A certified lower bound for reading: ``1 − gap`` (gap rounded up) near 1, otherwise six
    digits rounded down; never above the value."""
    if isinstance(x, float):
        return "inf"
    if Fraction(999, 1000) < x < 1:
        return f"1 − {scientific(1 - x, 2, math.ceil)}"
    return scientific(x, 6, math.floor)


def geometry(point) -> str:
    """Where a witness lies: each distribution's smallest entry and the distances between
    distributions (the shape of a boundary or tie witness)."""
    parts = []
    dists = [(s, v) for s, v in point.env.items() if isinstance(v, list)]
    for s, v in dists:
        parts.append(f"min {s.name} entry {number(min(v))}")
    for i in range(len(dists)):
        for j in range(i + 1, len(dists)):
            (a, x), (b, y) = dists[i], dists[j]
            tv = sum((abs(u - w) for u, w in zip(x, y)), fmpq(0)) / 2
            parts.append(f"TV({a.name}, {b.name}) = {number(tv)}")
    return ", ".join(parts)


def _scalars(values: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def describe(report) -> str:
    """One paragraph: verdict, witness geometry, each slice, effort."""
    s, what = report.settings, report.ratio_name
    if report.verdict == "identity":
        return f"an identity: {what} = 1 wherever both sides are defined and nonzero"
    if report.best is None:
        return f"undetermined: {report.note}"
    best = report.best
    head = {
        "violated": (f"violated: {what} exceeds 1 at the witness, or equals 1 where the claim "
                     "is strict (the claim is false)"),
        "tight": f"tight: {what} comes within {s.tolerance:g} of 1 on every slice",
        "tight at an edge": (f"tight only at an edge of the scalar range: sup {what} ≥ "
                             f"{ratio_value(best.lower)}, but some fixed slice stays below"),
        "unsettled": ("unsettled: on some slice the ratio was still rising when the search "
                      "stopped (the supremum may be 1, approached slowly)"),
        "loose": (f"loose as far as searched: no point found with {what} above "
                  f"{ratio_value(best.lower)} (a lower bound of the supremum, not a proof "
                  "that the constant can be improved)"),
        "undetermined": "undetermined",
    }[report.verdict]
    parts = [head]
    if best.attained:
        parts.append("attained: the two sides are exactly equal at the witness")
    where = geometry(best)
    parts.append(f"witness: K={best.K}" + (f", {where}" if where else ""))
    for sl in report.slices:
        if sl.infeasible:
            parts.append(f"[{_scalars(sl.scalars)}] no point found where the assumptions hold "
                         "and the bound side is positive")
            continue
        bits = []
        if sl.boundary is not None:
            notes = [n for n in (geometry(sl.boundary), "still rising" if sl.boundary.rising else "") if n]
            bits.append(f"sup ≥ {ratio_value(sl.boundary.lower)}"
                        + (f" ({', '.join(notes)})" if notes else ""))
        if sl.interior is not None:
            bits.append(f"with every entry ≥ {s.floor}: best {ratio_value(sl.interior.lower)}")
        if sl.tie is not None:
            lo, hi = min(sl.tie.values), max(sl.tie.values)
            val = (number(lo, 10) if hi - lo <= 1e-9 * max(1.0, abs(hi))
                   else f"{number(lo, 6)}..{number(hi, 6)}")
            bits.append(f"as {sl.tie.moving} → {sl.tie.fixed} from interior points the ratio → {val}")
        if bits:
            parts.append((f"[{_scalars(sl.scalars)}] " if sl.scalars else "") + "; ".join(bits))
    parts.append(f"searched K in {{{','.join(map(str, s.dims))}}}: {report.draws} float draws, "
                 f"{report.exact_evaluations} exact evaluations at {s.precision} digits; the "
                 f"witness's ratio certified at {best.digits} digits")
    return "; ".join(parts)


def to_json(report) -> dict:
    s = report.settings
    best = report.best
    out = {"name": report.claim.name, "sup_ratio": report.sup_ratio,
           "witness": best.witness() if best else None, "detail": describe(report),
           "verdict": report.verdict, "expect": report.claim.expect, "ok": report.ok,
           "ratio": report.ratio_name,
           "ratio_at_witness": ([best.lower_text(s.reported_digits),
                                 decimal_up(best.upper, s.reported_digits)] if best else None),
           "lhs": best.lhs if best else None, "rhs": best.rhs if best else None,
           "slices": [_slice_json(sl, s) for sl in report.slices],
           "effort": {"dims": list(s.dims), "draws": report.draws,
                      "exact_evaluations": report.exact_evaluations,
                      "precision_digits": s.precision, "seed": s.seed,
                      "tolerance": s.tolerance}}
    return out


def _slice_json(sl, s) -> dict:
    out = {"scalars": {k: str(v) for k, v in sl.scalars.items()}, "feasible": not sl.infeasible}
    for key in ("boundary", "interior"):
        p = getattr(sl, key)
        out[f"{key}_sup_ratio"] = p.lower_text(s.reported_digits) if p else None
        out[f"{key}_witness"] = p.witness() if p else None
    out["still_rising"] = bool(sl.boundary and sl.boundary.rising)
    out["tie_limit"] = ({"moving": sl.tie.moving, "towards": sl.tie.fixed,
                         "values": sl.tie.values, "convergence": sl.tie.spread}
                        if sl.tie else None)
    return out


def table(reports, sources, header: str) -> str:
    rows = [("result", "verdict", "sup ratio ≥", "claim")]
    for r in reports:
        sup = "-" if r.best is None else ratio_value(r.best.lower)
        rows.append(("ok" if r.ok else "FAIL", r.verdict, sup, r.claim.name))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [header, ""]
    for row in rows:
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row[:3], widths)) + "  " + row[3])
    lines.append("")
    for r, source in zip(reports, sources):
        lines.append(f"{r.claim.name} [{source}]")
        if r.best is not None:
            lines.append(f"    witness: {witness_text(r.best.witness())}")
            lines.append(f"    {r.ratio_name} ≥ {r.sup_ratio} (certified lower bound at the witness)")
        lines.append(f"    {describe(r)}")
    bad = sum(not r.ok for r in reports)
    lines.append("")
    lines.append(f"{len(reports)} claims: {len(reports) - bad} as expected, {bad} not.")
    return "\n".join(lines)


def json_document(reports, sources, settings) -> str:
    claims = []
    for r, source in zip(reports, sources):
        c = to_json(r)
        c["source"] = source
        claims.append(c)
    doc = {"generator": "metadistill tightness",
           "settings": {"dims": list(settings.dims), "samples": settings.samples,
                        "seed": settings.seed, "precision": settings.precision,
                        "tolerance": settings.tolerance},
           "claims": claims}
    return json.dumps(doc, indent=2) + "\n"
