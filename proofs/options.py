"""Option parsing shared by ``tightness``, ``simulate`` and ``figures`` (no heavy imports).

Argparse reports a bad option with a usage block; these commands print one line instead
(``metadistill <command>: error: --name=value: what is wrong``) and exit with code 2.
"""
from __future__ import annotations

import argparse
import sys
from fractions import Fraction


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    def error(message):
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)

    parser.error = error
    return parser


def integer(name: str, low: int):
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name}={text!r}: expected an integer") from None
        if v < low:
            raise argparse.ArgumentTypeError(f"{name}={text!r}: must be at least {low}")
        return v
    return parse


def fraction(name: str, low=None, high=None, open_low=False):
    """An exact number from decimal or fraction text (``0.2`` is exactly ``1/5``)."""
    def parse(text):
        try:
            v = Fraction(text.strip())
        except (ValueError, ZeroDivisionError):
            raise argparse.ArgumentTypeError(f"{name}={text!r}: expected a number such as 0.2 or 1/5") from None
        if low is not None and (v < low or (open_low and v == low)):
            side = f"> {low}" if open_low else f">= {low}"
            raise argparse.ArgumentTypeError(f"{name}={text!r}: must be {side}")
        if high is not None and v > high:
            raise argparse.ArgumentTypeError(f"{name}={text!r}: must be <= {high}")
        return v
    return parse
