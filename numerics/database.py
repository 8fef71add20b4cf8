"""A local database of counterexamples, replayed first on the next run.

The database is a directory (commit it to share what was found) in the layout of Hypothesis's
:class:`~hypothesis.database.DirectoryBasedExampleDatabase`: one sub-directory per claim, one
small JSON file per witness. It stores the *exact witness* (fractions for every symbol and
``K``), not a Hypothesis choice sequence, so an entry stays meaningful when the strategies or
the search change, and anyone can read it.

A claim is identified by its mathematics (relation, assumption conditions, scalar ranges),
not by its name: renaming a claim keeps its counterexamples, and dropping an assumption gives
a different claim with entries of its own. A replayed entry is only a candidate: the search
decides it exactly again (and simplifies it) before reporting it, and silently skips entries
that no longer fit the claim (other symbols, values outside the domain, no violation).
Nothing here is needed for correctness: tests pin counterexamples with ``@example``.
"""
from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import sympy as sp

#: Where ``metadistill falsify`` keeps counterexamples unless told otherwise.
DEFAULT_DIRECTORY = ".metadistill/examples"


def claim_digest(claim) -> str:
    """A stable identifier of the claim's mathematics (hex SHA-256)."""
    parts = [sp.srepr(claim.relation)]
    parts += sorted(sp.srepr(c) for c in claim.assume.values())
    parts += [f"{s.name} in [{s.low}, {s.high}]" for s in claim.scalars]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _size(entry: dict) -> int:
    return sum(len(v) if isinstance(v, str) else sum(map(len, v))
               for k, v in entry.items() if k != "K")


class WitnessDatabase:
    """Exact witnesses per claim in a directory; see the module docstring."""

    def __init__(self, path):
        from hypothesis.database import DirectoryBasedExampleDatabase

        self.path = str(path)
        self._db = DirectoryBasedExampleDatabase(self.path)

    def _key(self, claim) -> bytes:
        return f"metadistill witness {claim_digest(claim)}".encode()

    def save(self, claim, witness: dict) -> None:
        """Store ``witness`` (``Witness.to_json()``: names → fraction strings, and ``K``)."""
        entry = {"claim": claim.name, "relation": str(claim.relation),
                 "assume": {k: str(v) for k, v in sorted(claim.assume.items())},
                 "witness": witness}
        self._db.save(self._key(claim), json.dumps(entry, sort_keys=True).encode())

    def fetch(self, claim) -> list:
        """Stored witnesses of ``claim``, smallest ``K`` and shortest first (a fixed order, so
        that replaying is deterministic); unreadable entries are skipped."""
        out = []
        for raw in self._db.fetch(self._key(claim)):
            try:
                w = json.loads(raw.decode())["witness"]
                if isinstance(w, dict) and isinstance(w.get("K"), int):
                    out.append(w)
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                continue
        return sorted(out, key=lambda w: (w["K"], _size(w), json.dumps(w, sort_keys=True)))


def witness_values(entry: dict) -> tuple:
    """``(values, K)`` from a stored witness: names → Fraction or list of Fraction."""
    values = {}
    for name, v in entry.items():
        if name == "K":
            continue
        values[name] = [Fraction(x) for x in v] if isinstance(v, list) else Fraction(v)
    return values, entry["K"]
