"""Output of ``metadistill simulate``: the table, the JSON document and the run's summary."""
from __future__ import annotations

import json
import math

#: GenerationStats field → JSON name.
FIELDS = (("chi2_mean", "chi2_mean"), ("chi2_se", "chi2_se"), ("kl_mean", "kl_mean"),
          ("kl_se", "kl_se"), ("kl_infinite", "kl_infinite_fraction"),
          ("kl_finite_mean", "kl_finite_mean"), ("reverse_kl_mean", "reverse_kl_mean"),
          ("tv_mean", "tv_mean"), ("support_lost", "support_lost_fraction"),
          ("at_vertex", "at_vertex_fraction"))


def _num(x):
    """A JSON-safe number: ``"inf"``/``"-inf"`` for infinities, None for NaN."""
    if isinstance(x, list):
        return [_num(v) for v in x]
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def summary(sim, preds, digits: int) -> dict:
    """What the run converges to, with the closed form where one exists."""
    from numerics.predictions import constant_value, stationary_chi2
    from numerics.simulate import NotConverged, _Exact, fixed_point
    from numerics.students import ExponentialFamily, FiniteSample, Realizable

    rec, out = sim.recursion, {}
    last = sim.generations[-1]
    if isinstance(rec.student, FiniteSample):
        stationary = stationary_chi2(sim)
        if stationary is not None and rec.operator == "linear" and not rec.softened:
            out["chi2_stationary_closed_form"] = stationary
        out["chi2_final"] = [last.chi2_mean, last.chi2_se]
        out["at_vertex_fraction_final"] = last.at_vertex
    elif isinstance(rec.student, ExponentialFamily):
        from flint import fmpq

        exact = _Exact(type(rec)(), sim.anchor, digits)
        proj = rec.student.project([fmpq(x.numerator, x.denominator) for x in sim.anchor], digits)
        out["fixed_point"] = [_decimal(x, 20) for x in proj]
        out["fixed_point_bias_kl"] = _float(exact.divergence("kl", proj))
        final = [fmpq(x.numerator, x.denominator) for x in sim.final]
        out["tv_final_to_fixed_point"] = float(sum(abs(a - b) for a, b in zip(final, proj)) / 2)
    elif isinstance(rec.student, Realizable):
        if rec.softened:
            try:
                q, n = fixed_point(rec, sim.anchor, sim.start, digits=min(digits, 30))
                exact = _Exact(type(rec)(), sim.anchor, 3 * min(digits, 30))
                from flint import fmpq

                qq = [fmpq(x.numerator, x.denominator) for x in q]
                out["fixed_point"] = [_decimal(x, 20) for x in q]
                out["fixed_point_bias_kl"] = _float(exact.divergence("kl", qq))
                out["fixed_point_generations"] = n
            except NotConverged as exc:
                out["fixed_point"] = None
                out["fixed_point_note"] = str(exc)
        elif rec.schedule.kind == "constant" and rec.delta is None and rec.schedule.lam > 0:
            eps = 1e-6
            kl0 = sim.generations[0].kl_mean
            if math.isfinite(kl0) and kl0 > eps:
                t_eps = float(constant_value("generations to reach epsilon", 5, 30,
                                             epsilon="1/1000000", KL_0=_fraction(kl0),
                                             **{"lambda": rec.schedule.lam}))
                reached = next((g.t for g in sim.generations if g.kl_mean <= eps), None)
                out["generations_to_reach"] = {"epsilon": eps, "closed_form_bound": t_eps,
                                               "simulated": reached}
        if rec.delta is not None and rec.schedule.kind == "constant" and rec.schedule.lam > 0:
            out["error_floor"] = float(constant_value("error floor", 8, 30, delta=rec.delta,
                                                      **{"lambda": rec.schedule.lam}))
    return out


def _fraction(x: float):
    from fractions import Fraction

    return Fraction(x)


def _float(v) -> float:
    from numerics import _ball

    return _ball.to_float(v)


def _decimal(x, digits) -> str:
    from numerics._rounding import scientific

    return scientific(x, digits)


def json_document(sim, preds, checks, extra, args) -> str:
    rows = []
    for i, g in enumerate(sim.generations):
        row = {"t": g.t, "chains": g.chains}
        for attr, name in FIELDS:
            row[name] = _num(getattr(g, attr))
        if g.moments is not None:
            row["moments"] = _num(g.moments)
        for key, s in preds.items():
            row[key] = _num(s.values[i])
        rows.append(row)
    rec = sim.recursion
    G = len(sim.generations) - 1
    doc = {
        "generator": "metadistill simulate",
        "settings": {"operator": rec.operator, "student": rec.student.name,
                     "lam": str(rec.schedule.lam) if rec.schedule.kind == "constant" else None,
                     "schedule": rec.schedule.kind, "K": sim.K,
                     "N": getattr(rec.student, "N", None), "generations": G,
                     "chains": sim.chains, "seed": args.seed,
                     "T": str(rec.T) if rec.T is not None else None,
                     "delta": str(rec.delta) if rec.delta is not None else None,
                     "features": getattr(rec.student, "dimension", None),
                     "precision": sim.digits or None},
        "description": rec.describe(),
        "anchor": [str(x) for x in sim.anchor],
        "start": [str(x) for x in sim.start],
        "lambda_schedule": [str(rec.schedule.at(t)) for t in range(G)],
        "closed_forms": {k: {"result": s.result, "constant": s.source, "kind": s.kind,
                             "compared_with": s.compares} for k, s in preds.items()},
        "generations": rows,
        "checks": [{"closed_form": c.key, "result": c.result, "constant": c.source,
                    "passed": c.passed, "detail": c.detail} for c in checks],
        "summary": {k: _num(v) if isinstance(v, (float, int)) and not isinstance(v, bool) else v
                    for k, v in extra.items()},
    }
    return json.dumps(doc, indent=2) + "\n"


def _cell(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, list):
        return "[" + ", ".join(_cell(v) for v in x) + "]"
    if isinstance(x, float) and math.isnan(x):
        return "-"
    return f"{x:.6g}"


def text(sim, preds, checks, extra) -> str:
    rec = sim.recursion
    G = len(sim.generations) - 1
    lines = [f"metadistill simulate: {rec.describe()}; K={sim.K}, {G} generations"
             + (f", {sim.chains} chains, seed {sim.seed}" if sim.chains > 1 else
                f", one trajectory at {sim.digits} digits"
                + (" (exact rationals)" if sim.exact else "")),
             "  anchor p* = [" + ", ".join(str(x) for x in sim.anchor) + "]",
             "  start q_0 = [" + ", ".join(str(x) for x in sim.start) + "]", ""]
    chains = sim.chains > 1
    cols = [("t", lambda g, i: str(g.t))]
    if chains:
        cols.append(("E chi2 (± se)", lambda g, i: f"{g.chi2_mean:.6g} ± {g.chi2_se:.2g}"))
    else:
        cols.append(("chi2(q_t||p*)", lambda g, i: _cell(g.chi2_mean)))
    for key in ("chi2_closed_form",):
        if key in preds:
            cols.append(("closed form (R10)", lambda g, i, k=key: _cell(preds[k].values[i])))
    cols.append(("KL(p*||q_t)" if not chains else "mean KL(p*||q_t)",
                 lambda g, i: "inf" if math.isinf(g.kl_mean) else _cell(g.kl_mean)))
    for key, label in (("kl_closed_form", "closed form"), ("kl_bound", "bound")):
        if key in preds:
            cols.append((f"{label} (R{preds[key].result})",
                         lambda g, i, k=key: _cell(preds[k].values[i])))
    if sim.generations[0].moments is not None:
        cols.append(("E_q[phi]", lambda g, i: _cell(g.moments)))
        if "moments_closed_form" in preds:
            cols.append(("closed form (R9)", lambda g, i: _cell(preds["moments_closed_form"].values[i])))
    if chains:
        cols.append(("support lost", lambda g, i: f"{100 * g.support_lost:.3g}%"))
    step = max(1, -(-G // 20))
    shown = sorted(set(range(0, G + 1, step)) | {G})
    table = [[name for name, _ in cols]]
    for i in shown:
        g = sim.generations[i]
        table.append([f(g, i) for _, f in cols])
    widths = [max(len(r[j]) for r in table) for j in range(len(cols))]
    for r in table:
        lines.append("  " + "  ".join(c.rjust(w) for c, w in zip(r, widths)))
    lines.append("")
    if checks:
        lines.append("closed forms against the simulation:")
        for c in checks:
            lines.append(f"  {'ok  ' if c.passed else 'FAIL'} result {c.result}: {c.source}: {c.detail}")
    elif preds:
        lines.append(f"closed forms listed but not compared: {sim.chains} chain(s) give no "
                     "confidence interval")
    else:
        lines.append("no closed form applies to this run (THEORY.md has none for it)")
    for k, v in extra.items():
        lines.append(f"  {k}: {v}")
    bad = sum(not c.passed for c in checks)
    lines.append("")
    lines.append(f"{len(checks)} comparisons: {len(checks) - bad} agree, {bad} do not.")
    return "\n".join(lines)
