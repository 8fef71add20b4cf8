"""``metadistill check``: verify or falsify claims (the built-in catalog by default)."""
from __future__ import annotations

from proofs.cli import (EXIT_FAILED, EXIT_OK, add_search_options, collect_claims, database_directory,
                        progress_bar, refuse_early, write_or_refuse)


def add_parser(sub):
    p = sub.add_parser("check", help="verify or falsify claims (the built-in catalog by default)",
                       description="Verify or falsify every module-level Claim in FILEs; "
                                   "with no FILE, the built-in catalog of THEORY.md.")
    p.add_argument("files", nargs="*", metavar="FILE.py")
    add_search_options(p)
    p.add_argument("--json", metavar="FILE", help="also write the verdicts as JSON")
    p.add_argument("--no-necessity", action="store_true",
                   help="skip the necessity table (dropping each named assumption in turn)")
    p.add_argument("--database", metavar="DIR", default=None, type=database_directory,
                   help="example database to replay counterexamples from and store them in "
                        "(default: none, so the output depends only on the code and --seed)")
    p.add_argument("--format", choices=("text", "markdown", "latex"), default="text",
                   help="output: the text table (default), a Markdown table for a pull-request "
                        "comment, or a standalone LaTeX document")
    return p


def run(args) -> int:
    from numerics.search import SearchSettings
    from proofs.necessity import table_settings
    from proofs.report import json_document, necessity_text, table
    from proofs.runner import check_claim

    claims = collect_claims(args.files)
    settings = SearchSettings(dims=args.dims, samples=args.samples, seed=args.seed,
                              precision=args.precision, database=args.database)
    if args.json:
        refuse_early(args.json, "json")
    bar = progress_bar(3 * len(args.dims) * len(claims))
    verdicts = []
    try:
        for claim, source in claims:
            bar.set_description(claim.name[:40])
            verdicts.append(check_claim(claim, settings, source, lambda: bar.update(1)))
    finally:
        bar.close()
    necessity = [] if args.no_necessity else _necessity(verdicts, settings)
    dims = ",".join(map(str, settings.dims))
    header = (f"metadistill check: {len(verdicts)} claims; K in {{{dims}}}, {settings.samples} "
              f"draws per K, seed {settings.seed}, {settings.precision} digits")
    if args.format != "text":
        print(_formatted(args, verdicts, settings, necessity), end="")
    else:
        print(table(verdicts, header))
        if not args.no_necessity:
            print()
            print(necessity_text(necessity, table_settings(settings)))
    if args.json:
        write_or_refuse(args.json, json_document(verdicts, settings, necessity), "json")
    return EXIT_OK if all(v.ok for v in verdicts) else EXIT_FAILED


def _formatted(args, verdicts, settings, necessity) -> str:
    from proofs.formats import latex_document, markdown

    if args.format == "markdown":
        return markdown(verdicts, settings, necessity)
    return latex_document(verdicts, settings, necessity, command=_command(args))


def _command(args) -> str:
    """The command line that reproduces this run (for the LaTeX document)."""
    import shlex

    words = ["metadistill", "check", *args.files, "--dims", ",".join(map(str, args.dims)),
             "--samples", str(args.samples), "--seed", str(args.seed),
             "--precision", str(args.precision)]
    if args.no_necessity:
        words.append("--no-necessity")
    return shlex.join(words)


def _necessity(verdicts, settings):
    """The necessity table: each named assumption of each claim that held, dropped in turn."""
    from proofs.necessity import cells, necessity, table_settings

    budget = table_settings(settings)
    todo = cells([(v.claim, v.source) for v in verdicts if v.verdict in ("certified", "verified")])
    bar = progress_bar(3 * len(budget.dims) * len(todo))
    try:
        out = []
        for claim, name, source in todo:
            bar.set_description(f"without {name}"[:40])
            out.append(necessity(claim, name, budget, source, lambda: bar.update(1)))
        return out
    finally:
        bar.close()
