"""``metadistill axioms OPERATOR``: which axioms of THEORY.md does an operator meet?"""
from __future__ import annotations

from proofs.cli import EXIT_OK, UsageError, add_search_options, progress_bar, refuse_early, write_or_refuse
from proofs.options import one_line_errors

BUILTIN = ("linear", "geometric", "soften", "mixture", "geometric-mixture")


def add_parser(sub):
    p = sub.add_parser(
        "axioms", help="check an operator against the axioms of its family",
        description="Report, for each axiom of the operator's family (meta-teacher M1-M7, "
                    "softening S1-S6, aggregation A1-A5), whether it is certified (a "
                    "SymPy-checked argument for every K), verified (searched, with what was "
                    "tried) or violated (an exact witness, decided at --precision and twice "
                    "that). OPERATOR is one of " + ", ".join(BUILTIN) + ", or FILE.py:NAME, a "
                    "function of (q, anchor, lambda) built from theory's expressions.")
    one_line_errors(p)
    p.add_argument("operator", metavar="OPERATOR")
    add_search_options(p)
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    return p


def _operator(spec: str):
    from theory.axioms import operator, user_operator
    from theory.errors import MetadistillError

    try:
        if ":" in spec and spec.rsplit(":", 1)[0].endswith(".py"):
            from proofs.loader import ClaimFileError, import_file

            path, name = spec.rsplit(":", 1)
            try:
                module = import_file(path)
            except ClaimFileError as exc:
                raise UsageError(f"operator={spec!r}: {exc}") from None
            if not hasattr(module, name):
                raise UsageError(f"operator={spec!r}: {path} defines no {name!r}")
            return user_operator(spec, getattr(module, name))
        return operator(spec)
    except MetadistillError as exc:
        raise UsageError(f"{type(exc).__name__}: {exc}") from None


def run(args) -> int:
    import json

    from numerics.axiom_checks import check_operator
    from numerics.search import SearchSettings
    from theory.axioms import axioms

    op = _operator(args.operator)
    if args.json:
        refuse_early(args.json, "json")
    settings = SearchSettings(dims=args.dims, samples=args.samples, seed=args.seed,
                              precision=args.precision)
    bar = progress_bar(len(axioms(op.family)))
    try:
        results = check_operator(op, settings, bar)
    finally:
        bar.close()
    dims = ",".join(map(str, settings.dims))
    print(f"metadistill axioms: {op.name} ({op.family} operator); K in {{{dims}}}, "
          f"{settings.samples} draws per K, seed {settings.seed}, {settings.precision} digits\n")
    width = max(len(r.name) for r in results)
    print(f"  axiom  {'name':{width}}  verdict")
    for r in results:
        print(f"  {r.code:5}  {r.name:{width}}  {r.verdict}")
    for r in results:
        print(f"\n{r.code} {r.name}: {r.verdict}\n    {r.detail}")
        if r.witness:
            print("    witness: " + " ".join(f"{k}={_show(v)}" for k, v in r.witness.items()))
    if args.json:
        doc = {"generator": "metadistill axioms", "operator": op.name, "family": op.family,
               "settings": {"dims": list(settings.dims), "samples": settings.samples,
                            "seed": settings.seed, "precision": settings.precision},
               "axioms": [r.to_json() for r in results]}
        write_or_refuse(args.json, json.dumps(doc, indent=1) + "\n", "json")
    return EXIT_OK


def _show(v):
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return str(v)
