"""What the necessity table adds to ``metadistill check`` on the catalog, side by side.

    PYTHONPATH=. python benchmarks/necessity_budget.py [--samples N] [--seed S]

Runs, in one process and with the same settings, (1) the verdicts of every catalog claim, as
``metadistill check --no-necessity`` computes them, and (2) the necessity table ``check`` adds
(each named assumption of each claim that held, dropped in turn, at the per-cell budget of
``proofs.necessity.table_settings``), and prints the CPU time of each. Deriving the closed
forms of ``theory.constants`` (needed by the catalog's results 8 and 10) is timed separately.
"""
from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from numerics.search import SearchSettings
    from proofs.catalog import catalog_claims
    from proofs.necessity import necessity_table, table_settings
    from proofs.runner import check_claim

    settings = SearchSettings(samples=args.samples, seed=args.seed)
    t0 = time.process_time()
    claims = catalog_claims()
    t_constants = time.process_time() - t0

    t0 = time.process_time()
    verdicts = [check_claim(c, settings) for c in claims]
    t_verdicts = time.process_time() - t0

    t0 = time.process_time()
    held = [(v.claim, "catalog") for v in verdicts if v.verdict in ("certified", "verified")]
    table = necessity_table(held, settings)
    t_table = time.process_time() - t0

    budget = table_settings(settings)
    needed = sum(c.outcome == "counterexample" for c in table)
    dims = ",".join(map(str, settings.dims))
    print(f"catalog: {len(claims)} claims, K in {{{dims}}}, {settings.samples} draws "
          f"per K, seed {settings.seed}")
    print(f"{'part':<42}{'CPU seconds':>12}")
    print(f"{'closed forms (theory.constants, once)':<42}{t_constants:>12.1f}")
    print(f"{'verdicts (check --no-necessity)':<42}{t_verdicts:>12.1f}")
    print(f"{'necessity table (' + str(len(table)) + ' cells)':<42}{t_table:>12.1f}")
    print(f"necessity adds {100 * t_table / (t_constants + t_verdicts):.0f}% to the check; "
          f"{needed} counterexamples, {len(table) - needed} not needed; per cell: K in "
          f"{{{','.join(map(str, budget.dims))}}}, {budget.samples} draws per K")


if __name__ == "__main__":
    main()
