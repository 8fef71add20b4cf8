"""``metadistill figures DIR``: the standard figures of the recursion."""
from __future__ import annotations

from proofs.cli import EXIT_OK, progress_bar
from proofs.options import integer, one_line_errors


def add_parser(sub):
    p = sub.add_parser(
        "figures", help="draw the standard figures into a directory",
        description="Write divergence.*, stationary.*, capacity.* and softening.* into DIR: "
                    "KL(p*||q_t) against t with the (1-lambda)^t bound and (1-lambda)^(2t) "
                    "asymptote; stationary E chi^2 against lambda (finite samples; collapse at "
                    "lambda = 0); a capacity-limited student converging to Pi_E(p*); the "
                    "fixed-point bias of softening inside the loop against T. Existing files "
                    "are replaced only if metadistill wrote them.")
    one_line_errors(p)
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--seed", type=integer("--seed", 0), default=0, help="random seed (default 0)")
    p.add_argument("--chains", type=integer("--chains", 2), default=4000,
                   help="chains per lambda in the stationary figure (default 4000)")
    p.add_argument("--format", choices=("png", "pdf", "svg"), default="png",
                   help="file format (default png)")
    return p


def run(args) -> int:
    from pathlib import Path

    from proofs.cli import UsageError
    from proofs.figures import standard_set

    d = Path(args.directory)
    if d.exists() and not d.is_dir():
        raise UsageError(f"{args.directory}: exists and is not a directory")
    bar = progress_bar(4)
    try:
        paths = standard_set(d, args.seed, args.chains, args.format, bar.update)
    finally:
        bar.close()
    for path in paths:
        print(path)
    return EXIT_OK
