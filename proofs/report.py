"""Human and machine output of a check run."""
from __future__ import annotations

import json


def _fraction_list(v):
    return "[" + ", ".join(v) + "]" if isinstance(v, list) else v


def witness_text(w: dict) -> str:
    parts = [f"K={w['K']}"] + [f"{k}={_fraction_list(v)}" for k, v in w.items() if k != "K"]
    return " ".join(parts)


def table(verdicts, header: str) -> str:
    rows = [("result", "verdict", "expect", "claim")]
    for v in verdicts:
        rows.append(("ok" if v.ok else "FAIL", v.verdict, v.claim.expect, v.claim.name))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [header, ""]
    for r in rows:
        lines.append("  " + "  ".join(c.ljust(wd) for c, wd in zip(r[:3], widths)) + "  " + r[3])
    lines.append("")
    for v in verdicts:
        lines.append(f"{v.claim.name} [{v.source}]")
        if v.witness:
            lines.append(f"    witness: {witness_text(v.witness)}")
            lines.append(f"    lhs = {v.lhs}")
            lines.append(f"    rhs = {v.rhs}")
        lines.append(f"    {v.detail}")
    bad = sum(not v.ok for v in verdicts)
    lines.append("")
    lines.append(f"{len(verdicts)} claims: {len(verdicts) - bad} as expected, {bad} not.")
    return "\n".join(lines)


def json_document(verdicts, settings, necessity=None) -> str:
    doc = {"generator": "metadistill check",
           "settings": {"dims": list(settings.dims), "samples": settings.samples,
                        "seed": settings.seed, "precision": settings.precision},
           "claims": [v.to_json() for v in verdicts]}
    if necessity is not None:
        doc["necessity"] = [n.to_json() for n in necessity]
    return json.dumps(doc, indent=2) + "\n"


def necessity_text(cells, settings) -> str:
    """The necessity table: result × assumption → counterexample (witness) or not needed."""
    dims = ",".join(map(str, settings.dims))
    lines = [f"Necessity: each named assumption dropped in turn (K in {{{dims}}}, "
             f"{settings.samples} draws per K, its boundary tried exactly)", ""]
    if not cells:
        lines.append("  (no claim that held has named assumptions)")
        return "\n".join(lines)
    rows = [("outcome", "assumption", "result")]
    rows += [(c.outcome, c.assumption, c.claim.name) for c in cells]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for r in rows:
        lines.append("  " + "  ".join(x.ljust(w) for x, w in zip(r[:2], widths)) + "  " + r[2])
    lines.append("")
    for c in cells:
        lines.append(f"{c.claim.name} without {c.assumption!r} ({c.condition}) [{c.source}]")
        if c.witness:
            lines.append(f"    witness: {witness_text(c.witness)}")
            lines.append(f"    lhs = {c.report.witness.lhs}")
            lines.append(f"    rhs = {c.report.witness.rhs}")
        lines.append(f"    {c.detail()}")
    needed = sum(c.outcome == "counterexample" for c in cells)
    lines.append("")
    lines.append(f"{len(cells)} assumptions dropped: {needed} needed (counterexample), "
                 f"{len(cells) - needed} not needed (nothing found).")
    return "\n".join(lines)
