"""``metadistill constants``: the closed-form constants SymPy derives, each checked by mpmath."""
from __future__ import annotations

from proofs.cli import EXIT_FAILED, EXIT_OK, refuse_early, write_or_refuse
from proofs.options import one_line_errors


def add_parser(sub):
    from proofs.cli import _precision

    p = sub.add_parser(
        "constants", help="list the closed-form constants SymPy derives, each checked by mpmath",
        description="Derive every closed-form constant of THEORY.md's results with SymPy "
                    "(series, solve, product, rsolve, limit), check each against an "
                    "independent mpmath computation (the recursion iterated, the factors "
                    "multiplied, the ratio followed to its limit), and list them with the "
                    "result each belongs to. Exit 1 when a check fails.")
    one_line_errors(p)
    p.add_argument("--json", metavar="FILE",
                   help='also write {"constants": [{"result", "name", "expr", "latex"}]} '
                        "(expr is SymPy's srepr)")
    p.add_argument("--precision", type=_precision, default=50,
                   help="digits of the mpmath checks (default 50)")
    return p


def run(args) -> int:
    import json

    import sympy as sp

    from numerics.constant_checks import check_constants

    if args.json:
        refuse_early(args.json, "json")
    checks = check_constants(args.precision)
    print(f"metadistill constants: {len(checks)} closed forms derived by SymPy, each checked "
          f"against mpmath at {args.precision} digits\n")
    for ch in checks:
        c = ch.constant
        mark = "ok  " if ch.ok else "FAIL"
        print(f"  {mark} result {c.result:<2} {c.name}\n"
              f"         = {sp.sstr(c.expr)}\n"
              f"         derived: {c.derivation}\n"
              f"         checked: {ch.detail}")
    failed = [ch for ch in checks if not ch.ok]
    if failed:
        print(f"\n{len(failed)} constant(s) failed the independent check: "
              + "; ".join(f"result {ch.constant.result} {ch.constant.name}" for ch in failed))
    if args.json:
        doc = {"generator": "metadistill constants",
               "constants": [{"result": ch.constant.result, "name": ch.constant.name,
                              "expr": sp.srepr(ch.constant.expr), "latex": ch.constant.latex()}
                             for ch in checks]}
        write_or_refuse(args.json, json.dumps(doc, indent=1) + "\n", "json")
    return EXIT_FAILED if failed else EXIT_OK
