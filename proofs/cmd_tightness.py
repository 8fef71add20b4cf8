"""``metadistill tightness``: how close does each claim come to equality? (``sup lhs/rhs``)"""
from __future__ import annotations

import argparse

from proofs.cli import (EXIT_FAILED, EXIT_OK, add_search_options, collect_claims, progress_bar,
                        refuse_early, write_or_refuse)
from proofs.options import one_line_errors


def _tolerance(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--tolerance={text!r}: expected a number") from None
    if not 0 < v < 1:
        raise argparse.ArgumentTypeError(f"--tolerance={text!r}: must lie strictly between 0 and 1")
    return v


def add_parser(sub):
    p = sub.add_parser(
        "tightness", help="estimate sup lhs/rhs: is each claim's constant tight?",
        description="For each claim lhs <= rhs (or lhs >= rhs), search adversarially for the "
                    "supremum of lhs/rhs (rhs/lhs) and say whether the constant is tight. Every "
                    "reported ratio is a certified lower bound at an exact witness (ball "
                    "arithmetic at twice --precision), so it never exceeds the true supremum. "
                    "With no FILE, the built-in catalog.")
    one_line_errors(p)
    p.add_argument("files", nargs="*", metavar="FILE.py")
    add_search_options(p)
    p.add_argument("--tolerance", type=_tolerance, default=1e-6,
                   help="a ratio within this of 1 counts as reaching 1 (default 1e-6)")
    p.add_argument("--json", metavar="FILE", help="also write the findings as JSON")
    return p


def run(args) -> int:
    from numerics.tightness import TightnessSettings, tightness
    from proofs.tightness_report import json_document, table

    claims = collect_claims(args.files)
    settings = TightnessSettings(dims=args.dims, samples=args.samples, seed=args.seed,
                                 precision=args.precision, tolerance=args.tolerance)
    if args.json:
        refuse_early(args.json, "json")
    steps = [1 + (len(settings.slices) if c.scalars else 1) for c, _ in claims]
    bar = progress_bar(sum(steps))
    reports = []
    try:
        for claim, _ in claims:
            bar.set_description(claim.name[:40])
            reports.append(tightness(claim, settings, lambda: bar.update(1)))
    finally:
        bar.close()
    sources = [source for _, source in claims]
    dims = ",".join(map(str, settings.dims))
    header = (f"metadistill tightness: {len(reports)} claims; K in {{{dims}}}, {settings.samples} "
              f"draws per K and search, seed {settings.seed}, {settings.precision} digits, "
              f"tolerance {settings.tolerance:g}")
    print(table(reports, sources, header))
    if args.json:
        write_or_refuse(args.json, json_document(reports, sources, settings), "json")
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FAILED
