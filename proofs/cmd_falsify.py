"""``metadistill falsify``: look for a counterexample, optionally with assumptions dropped.

Targets are claim files (``FILE.py``: every module-level Claim) or catalog selectors:
``R1`` (every claim of THEORY.md's result 1), ``R1.2`` (its second claim), an exact catalog
claim name, or ``catalog`` (everything); no target means the whole catalog. ``--list`` shows
the selectors and the named assumptions.

Exit codes: 0 a counterexample was found for every claim searched; 1 nothing was found for
some claim; 2 bad usage (unknown target or ``--drop`` name, bad file, bad option).
"""
from __future__ import annotations

import re

from proofs.cli import (EXIT_FAILED, EXIT_OK, UsageError, add_search_options, database_directory,
                        progress_bar, refuse_early, write_or_refuse)

_SELECTOR = re.compile(r"^R(\d+)(?:\.(\d+))?$")


def add_parser(sub):
    p = sub.add_parser(
        "falsify", help="search for a counterexample, optionally with assumptions dropped",
        description="Search each claim (of FILE.py, or catalog selectors R1, R1.2, 'catalog' or "
                    "an exact claim name; default: the catalog) for an exact counterexample. "
                    "--drop NAME widens the domain by dropping the named assumption and tries "
                    "its boundary exactly first. Exit 0 when every claim searched was "
                    "falsified, 1 otherwise.")
    p.add_argument("targets", nargs="*", metavar="FILE.py|R<n>[.<k>]")
    p.add_argument("--drop", action="append", default=[], metavar="NAME",
                   help="drop the assumption NAME (repeatable); claims without it are skipped")
    add_search_options(p)
    db = p.add_mutually_exclusive_group()
    db.add_argument("--database", metavar="DIR", default=None, type=database_directory,
                    help="example database: counterexamples found are stored here and replayed "
                         "first next time (default .metadistill/examples)")
    db.add_argument("--no-database", action="store_true", help="neither read nor write a database")
    p.add_argument("--list", action="store_true",
                   help="list the claims selected (with catalog selectors) and their assumptions")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    return p


def catalog_selectors():
    """``[(selector, claim)]`` for the catalog: ``R<number>.<index>`` (1-based)."""
    from proofs.catalog import RESULTS

    return [(f"R{r.number}.{i}", c) for r in RESULTS for i, c in enumerate(r.claims, 1)]


def _select_catalog(target):
    from proofs.catalog import RESULTS

    if target == "catalog":
        return catalog_selectors()
    m = _SELECTOR.match(target)
    if m:
        number, index = int(m.group(1)), m.group(2)
        result = next((r for r in RESULTS if r.number == number), None)
        if result is None:
            known = ", ".join(f"R{r.number}" for r in RESULTS)
            raise UsageError(f"target={target!r}: no catalog result {number} (results: {known})")
        picked = [(f"R{number}.{i}", c) for i, c in enumerate(result.claims, 1)]
        if index is None:
            return picked
        if not 1 <= int(index) <= len(picked):
            raise UsageError(f"target={target!r}: result {number} has claims "
                             f"R{number}.1 to R{number}.{len(picked)}")
        return [picked[int(index) - 1]]
    named = [(sel, c) for sel, c in catalog_selectors() if c.name == target]
    if not named:
        raise UsageError(f"target={target!r}: not a file, and not a catalog selector (R1, R1.2, "
                         "catalog) or claim name; see 'metadistill falsify --list'")
    return named


def select(targets):
    """``[(claim, source)]`` for the targets (files and catalog selectors), in order."""
    from pathlib import Path

    from proofs.loader import ClaimFileError, load_claims

    out, seen = [], set()
    for target in targets or ["catalog"]:
        if target.endswith(".py") or Path(target).exists():
            try:
                found = [(c, target) for c in load_claims(target)]
            except ClaimFileError as exc:
                raise UsageError(str(exc)) from None
        else:
            found = [(c, f"catalog {sel}") for sel, c in _select_catalog(target)]
        for claim, source in found:
            if id(claim) not in seen:
                seen.add(id(claim))
                out.append((claim, source))
    return out


def _plan(selected, drop):
    """``[(claim, source, names to drop)]``; claims with none of ``drop`` are skipped when
    ``drop`` is given. An unknown name is a usage error naming every assumption there is."""
    if not drop:
        return [(c, s, ()) for c, s in selected], []
    known = sorted({n for c, _ in selected for n in c.assume})
    for name in drop:
        if name not in known:
            have = ", ".join(repr(n) for n in known) or "none"
            raise UsageError(f"--drop {name!r}: no selected claim has an assumption of that "
                             f"name (assumptions: {have})")
    plan, skipped = [], []
    for c, s in selected:
        names = tuple(n for n in drop if n in c.assume)
        (plan if names else skipped).append((c, s, names))
    return plan, skipped


def _listing(selected) -> str:
    lines = []
    for claim, source in selected:
        lines.append(f"{source}: {claim.name}  [expect {claim.expect}]")
        lines.append(f"    {claim.relation}")
        for name, cond in claim.assume.items():
            lines.append(f"    assume {name!r}: {cond}")
        if not claim.assume:
            lines.append("    (no named assumptions)")
    return "\n".join(lines)


def _block(claim, source, names, report) -> list:
    lines = [f"{claim.name} [{source}]"]
    if names:
        conds = ", ".join(f"{n} ({claim.assume[n]})" for n in names)
        lines.append(f"    dropped: {conds}")
        lines.append("    boundary tried exactly: " + (", ".join(report.boundary) or "none"))
    if report.replayed:
        lines.append(f"    replayed {report.replayed} stored counterexample(s) first")
    w = report.witness
    if w is None:
        lines.append(f"    nothing found: searched {report.effort()}")
        c = report.closest
        if c.score > -1 and claim.op != "==":
            lines.append(f"    closest approach: relative margin {c.score:.3g} at K={c.K}")
        return lines
    P = report.settings.precision
    lines.append(f"    COUNTEREXAMPLE at K={w.K} (found by {w.stage}; violation certain at "
                 f"{P} and {2 * P} digits)")
    data = w.to_json()
    width = max(len(k) for k in data)
    lines.append(f"        {'K'.ljust(width)} = {w.K}")
    for name, v in data.items():
        if name != "K":
            text = "[" + ", ".join(v) + "]" if isinstance(v, list) else v
            lines.append(f"        {name.ljust(width)} = {text}")
    lines.append(f"    lhs = {w.lhs}")
    lines.append(f"    rhs = {w.rhs}")
    lines.append(f"    relation: {claim.relation} fails")
    return lines


def _entry(claim, source, names, report) -> dict:
    w = report.witness
    return {"name": claim.name, "source": source, "dropped": list(names),
            "outcome": "counterexample" if w else "nothing found",
            "witness": w.to_json() if w else None, "lhs": w.lhs if w else None,
            "rhs": w.rhs if w else None, "stage": w.stage if w else None,
            "relation": str(claim.relation),
            "assume": {k: str(v) for k, v in claim.assume.items()},
            "boundary": list(report.boundary), "replayed": report.replayed,
            "searched": {"dims": report.dims_tried, "draws": report.draws,
                         "climbing_steps": report.climb_evaluations,
                         "hypothesis_examples": report.hypothesis_examples,
                         "exact_checks": report.exact_checks,
                         "precision_digits": report.settings.precision,
                         "seed": report.settings.seed, "seconds": round(report.seconds, 3)}}


def run(args) -> int:
    import json

    from numerics.database import DEFAULT_DIRECTORY
    from numerics.search import SearchSettings, search
    from proofs.necessity import drop as drop_search

    selected = select(args.targets)
    if args.list:
        print(_listing(selected))
        return EXIT_OK
    plan, skipped = _plan(selected, args.drop)
    database = None if args.no_database else (args.database or DEFAULT_DIRECTORY)
    settings = SearchSettings(dims=args.dims, samples=args.samples, seed=args.seed,
                              precision=args.precision, database=database)
    if args.json:
        refuse_early(args.json, "json")
    dims = ",".join(map(str, settings.dims))
    dropped = f"; dropping {', '.join(args.drop)}" if args.drop else ""
    print(f"metadistill falsify: {len(plan)} claim(s){dropped}; K in {{{dims}}}, "
          f"{settings.samples} draws per K, seed {settings.seed}, {settings.precision} digits; "
          f"database {database or 'off'}")
    for claim, source, _ in skipped:
        print(f"skipped (none of the dropped assumptions): {claim.name} [{source}]")
    bar = progress_bar(3 * len(settings.dims) * len(plan))
    results = []
    try:
        for claim, source, names in plan:
            bar.set_description(claim.name[:40])
            if names:
                report = drop_search(claim, names, settings, lambda: bar.update(1))
            else:
                report = search(claim, settings, lambda: bar.update(1))
            results.append((claim, source, names, report))
    finally:
        bar.close()
    for claim, source, names, report in results:
        print()
        print("\n".join(_block(claim, source, names, report)))
    found = sum(r.witness is not None for *_, r in results)
    print()
    print(f"{len(results)} claim(s) searched: {found} falsified, {len(results) - found} with "
          "nothing found.")
    if args.json:
        doc = {"generator": "metadistill falsify",
               "settings": {"dims": list(settings.dims), "samples": settings.samples,
                            "seed": settings.seed, "precision": settings.precision,
                            "database": database, "drop": list(args.drop)},
               "results": [_entry(*r) for r in results],
               "skipped": [{"name": c.name, "source": s} for c, s, _ in skipped]}
        write_or_refuse(args.json, json.dumps(doc, indent=2) + "\n", "json")
    return EXIT_OK if results and found == len(results) else EXIT_FAILED
