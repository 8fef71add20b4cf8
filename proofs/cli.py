"""The ``metadistill`` command line.

Exit codes: 0 every claim met its expectation; 1 some claim did not; 2 bad usage or input
(missing file, a file that does not import or holds no claims, a malformed claim, an output
path that would destroy a file). Errors print one line, never a traceback.

Each command is a module ``proofs.cmd_<name>`` with ``add_parser(subparsers)`` and
``run(args) -> int``; :data:`COMMANDS` lists them. Heavy libraries (SymPy, NumPy, Hypothesis,
flint) load only inside ``run``, so ``--help`` is fast.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from proofs.options import integer, one_line_errors

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _dims(text: str):
    try:
        dims = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dims={text!r}: expected comma-separated integers") from None
    if not dims or any(k < 2 for k in dims):
        raise argparse.ArgumentTypeError(
            f"--dims={text!r}: every K must be at least 2 (the simplex of K = 1 is one point)")
    return tuple(sorted(set(dims)))


def database_directory(text):
    """``--database DIR``: an existing directory, or one that can be created."""
    path = os.path.abspath(text)
    if os.path.exists(path) and not os.path.isdir(path):
        raise argparse.ArgumentTypeError(f"--database={text!r}: exists and is not a directory")
    parent = path
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(
            f"--database={text!r}: cannot be created ({parent} is not a writable directory)")
    return text


def _precision(text):
    v = integer("--precision", 1)(text)
    if v < 15:
        raise argparse.ArgumentTypeError(f"--precision={text!r}: use at least 15 digits")
    return v


#: The subcommands, in the order ``--help`` lists them.
COMMANDS = ("check", "falsify", "tightness", "simulate", "figures", "axioms", "constants",
            "latex")


def add_search_options(p):
    """``--dims``, ``--samples``, ``--seed``, ``--precision``: shared by every searching command."""
    p.add_argument("--dims", type=_dims, default=(2, 3, 5, 10),
                   help="dimensions K to try, comma-separated (default 2,3,5,10)")
    p.add_argument("--samples", type=integer("--samples", 1), default=2000,
                   help="random draws per dimension (default 2000)")
    p.add_argument("--seed", type=integer("--seed", 0), default=0, help="random seed (default 0)")
    p.add_argument("--precision", type=_precision, default=50,
                   help="working precision in decimal digits (default 50)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metadistill",
        description="Check, falsify and render claims about recursive knowledge distillation.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"proofs.cmd_{name}")
        p = module.add_parser(sub)
        p.set_defaults(handler=module.run)
        one_line_errors(p)
    return one_line_errors(parser)


def collect_claims(files):
    """``[(claim, source)]`` from claim files, or the catalog when ``files`` is empty."""
    from proofs.loader import ClaimFileError, load_claims

    if not files:
        from proofs.catalog import catalog_claims

        return [(c, "catalog") for c in catalog_claims()]
    out = []
    for f in files:
        try:
            out.extend((c, f) for c in load_claims(f))
        except ClaimFileError as exc:
            raise UsageError(str(exc)) from None
    return out


def progress_bar(total):
    """A progress bar on stderr that appears only after two seconds, and only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, delay=2.0, file=sys.stderr, disable=None, unit="step",
                leave=False, dynamic_ncols=True)


def refuse_early(path, kind):
    """Fail before a long run if writing ``path`` would destroy something of the user's."""
    from proofs.files import refusal

    reason = refusal(path, kind)
    if reason is not None:
        raise UsageError(reason)


def write_or_refuse(path, text, kind):
    from proofs.files import OutputRefused, write_output

    try:
        return write_output(path, text, kind)
    except (OutputRefused, OSError) as exc:
        raise UsageError(str(exc)) from None


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"metadistill: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("metadistill: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (``| head``) left: stop quietly, and keep Python from complaining
        # about the closed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    # Run the importable module, not this __main__ copy, so that the commands (which import
    # proofs.cli) and this entry point share one UsageError class.
    from proofs.cli import main as _main

    sys.exit(_main())
