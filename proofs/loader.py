"""Collecting claims from users' Python files."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from theory import Claim


class ClaimFileError(Exception):
    """A claim file cannot be used; the message is one line naming the file (and claim)."""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def import_file(path):
    """The module at ``path``, run once; :class:`ClaimFileError` when it is missing or does
    not import."""
    p = Path(path)
    if not p.is_file():
        raise ClaimFileError(f"{path}: no such file")
    name = f"_metadistill_claims_{abs(hash(p.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, p)
    if spec is None or spec.loader is None:
        raise ClaimFileError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    folder = str(p.resolve().parent)
    sys.path.insert(0, folder)
    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:
        raise ClaimFileError(f"{path}: does not import: exits with {exc.code!r}") from None
    except BaseException as exc:  # any error while the user's module runs
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise ClaimFileError(f"{path}: does not import: {_one_line(exc)}") from None
    finally:
        if sys.path and sys.path[0] == folder:
            sys.path.pop(0)
    return module


def load_claims(path) -> list:
    """Every module-level :class:`~theory.Claim` of the file at ``path``, in source order.

    Raises :class:`ClaimFileError` when the file is missing, does not import (a malformed
    claim raises while the module runs) or holds no claims.
    """
    module = import_file(path)
    claims, seen = [], set()
    for value in vars(module).values():
        if isinstance(value, Claim) and id(value) not in seen:
            seen.add(id(value))
            claims.append(value)
    if not claims:
        raise ClaimFileError(f"{path}: holds no claims (define module-level Claim objects)")
    names = [c.name for c in claims]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise ClaimFileError(f"{path}: claim {dup!r}: two claims share this name")
    return claims
