"""Checking claims from Python (a notebook, a script): :func:`check` → :class:`Results`.

``check`` runs exactly what ``metadistill check`` runs for each claim (no necessity table),
with the same defaults, so a verdict seen in Jupyter is the verdict the CLI and the pytest
plugin report for the same settings and seed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from numerics.search import SearchSettings
from proofs.runner import Verdict, check_claim
from theory import Claim
from theory.errors import InvalidSearchSetting, NotAClaim, integer_setting


@dataclass(frozen=True)
class Results:
    """The verdicts of one run, in order; indexable by position or claim name."""

    verdicts: tuple
    settings: SearchSettings

    @property
    def ok(self) -> bool:
        """Whether every claim met its expectation (``metadistill check`` would exit 0)."""
        return all(v.ok for v in self.verdicts)

    def __len__(self):
        return len(self.verdicts)

    def __iter__(self):
        return iter(self.verdicts)

    def __getitem__(self, key) -> Verdict:
        if isinstance(key, str):
            for v in self.verdicts:
                if v.claim.name == key:
                    return v
            raise KeyError(f"name={key!r}: no claim of that name; there are "
                           f"{[v.claim.name for v in self.verdicts]}")
        return self.verdicts[key]

    def markdown(self) -> str:
        """The table of ``metadistill check --format markdown``."""
        from proofs.formats import markdown

        return markdown(self.verdicts, self.settings)

    def latex(self) -> str:
        """The document of ``metadistill check --format latex``."""
        from proofs.formats import latex_document

        return latex_document(self.verdicts, self.settings, command="proofs.results.check(...)")

    def _repr_html_(self) -> str:
        from proofs.formats import settings_line, verdicts_html

        bad = sum(not v.ok for v in self.verdicts)
        caption = (f"{len(self)} claims, {len(self) - bad} as expected, {bad} not "
                   f"({settings_line(self.settings)})")
        return verdicts_html(self.verdicts, caption)

    def _repr_latex_(self) -> str:
        from proofs.formats import verdicts_latex

        return verdicts_latex(self.verdicts)

    def __repr__(self) -> str:
        inner = ", ".join(f"{v.claim.name!r}: {v.verdict}" for v in self.verdicts)
        return f"Results({{{inner}}}, ok={self.ok})"


def check(*claims, dims=(2, 3, 5, 10), samples=2000, seed=0, precision=50,
          progress=None) -> Results:
    """Check claims as ``metadistill check`` does and return their :class:`Results`.

    Each argument is a :class:`~theory.Claim` or the path of a claim file (every module-level
    Claim in it). Raises :class:`~theory.errors.NotAClaim` for anything else,
    :class:`~theory.errors.InvalidSearchSetting` for a bad ``dims``/``samples``/``seed``/
    ``precision`` and :class:`proofs.loader.ClaimFileError` for a file that cannot be used.
    """
    from proofs.loader import load_claims

    try:
        ks = tuple(sorted({integer_setting("dims", k, 2) for k in dims}))
    except TypeError:
        raise InvalidSearchSetting(f"dims={dims!r}: expected integers >= 2") from None
    if not ks:
        raise InvalidSearchSetting(f"dims={dims!r}: expected at least one dimension")
    settings = SearchSettings(dims=ks, samples=integer_setting("samples", samples, 1),
                              seed=integer_setting("seed", seed, 0),
                              precision=integer_setting("precision", precision, 15))
    todo = []
    for item in claims:
        if isinstance(item, Claim):
            todo.append((item, "python"))
        elif isinstance(item, (str, os.PathLike)):
            todo += [(c, os.fspath(item)) for c in load_claims(item)]
        else:
            raise NotAClaim(f"claim={item!r}: expected a theory.Claim or a claim file's path")
    if not todo:
        raise NotAClaim("claims=(): give at least one Claim or claim file")
    return Results(tuple(check_claim(c, settings, source, progress) for c, source in todo),
                   settings)
