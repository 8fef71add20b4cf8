"""pytest plugin: claim files are tests, one test per :class:`~theory.Claim`.

Registered under the ``pytest11`` entry point, so installing metadistill enables it. Files
matching the ini option ``claims_files`` (default ``claims_*.py``) are collected as claim files;
each module-level Claim becomes an item named after it, which passes when ``metadistill check``
would say the claim meets its expectation (``holds``: verified or certified; ``fails``:
falsified) and otherwise fails with both sides, the exact witness and the command that
reproduces it. ``--claims-dims``, ``--claims-samples``, ``--claims-seed`` and
``--claims-precision`` mirror ``check``'s options (same defaults); with ``-v`` each passing
claim shows its verdict and a summary says what was searched. Verdicts are attached as
``user_properties`` (``verdict``, ``expect``, ``witness``, ``lhs``, ``rhs``, ``detail``,
``command``), which ``--junitxml`` writes as properties of each test case.

This module imports neither SymPy nor the search: they load when a claim file is collected.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shlex

import pytest

from proofs import cli
from proofs.options import integer

DEFAULT_PATTERNS = ("claims_*.py",)


def _renamed(parse, cli_name: str, name: str):
    """``metadistill check``'s option parser, its messages naming the pytest option."""
    def convert(text):
        try:
            return parse(text)
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(str(exc).replace(cli_name, name, 1)) from None
    return convert


def pytest_addoption(parser):
    group = parser.getgroup("metadistill", "claim files (metadistill check)")
    group.addoption("--claims-dims", type=_renamed(cli._dims, "--dims", "--claims-dims"),
                    default=(2, 3, 5, 10), metavar="2,3,5,10",
                    help="dimensions K to try, comma-separated (default 2,3,5,10)")
    group.addoption("--claims-samples", type=integer("--claims-samples", 1), default=2000,
                    metavar="N", help="random draws per dimension (default 2000)")
    group.addoption("--claims-seed", type=integer("--claims-seed", 0),
                    default=0, metavar="S",
                    help="random seed (default 0)")
    group.addoption("--claims-precision",
                    type=_renamed(cli._precision, "--precision", "--claims-precision"),
                    default=50, metavar="DIGITS",
                    help="working precision in decimal digits (default 50)")
    parser.addini("claims_files", type="args", default=list(DEFAULT_PATTERNS),
                  help="glob patterns of files collected as metadistill claim files "
                       "(default claims_*.py)")


def pytest_collect_file(file_path, parent):
    patterns = parent.config.getini("claims_files")
    if file_path.suffix == ".py" and any(fnmatch.fnmatch(file_path.name, p) for p in patterns):
        return ClaimFile.from_parent(parent, path=file_path)
    return None


class ClaimFile(pytest.File):
    """A Python file of module-level claims; importing it is part of collection."""

    def collect(self):
        from proofs.loader import ClaimFileError, load_claims

        try:
            claims = load_claims(self.path)
        except ClaimFileError as exc:
            raise self.CollectError(str(exc)) from None
        for claim in claims:
            yield ClaimItem.from_parent(self, name=claim.name, claim=claim)


class ClaimMissed(Exception):
    """A claim's verdict does not meet its expectation."""

    def __init__(self, verdict):
        super().__init__(verdict.claim.name)
        self.verdict = verdict


class ClaimItem(pytest.Item):
    """One claim, checked as ``metadistill check`` checks it (no necessity table)."""

    def __init__(self, *, claim, **kwargs):
        super().__init__(**kwargs)
        self.claim = claim

    def runtest(self):
        from numerics.search import SearchSettings
        from proofs.runner import check_claim

        opt = self.config.option
        settings = SearchSettings(dims=opt.claims_dims, samples=opt.claims_samples,
                                  seed=opt.claims_seed, precision=opt.claims_precision)
        verdict = check_claim(self.claim, settings, source=self._relpath())
        self.user_properties += [
            ("verdict", verdict.verdict), ("expect", self.claim.expect),
            ("witness", json.dumps(verdict.witness)), ("lhs", verdict.lhs or ""),
            ("rhs", verdict.rhs or ""), ("detail", verdict.detail), ("command", self.command())]
        if not verdict.ok:
            raise ClaimMissed(verdict)

    def _relpath(self) -> str:
        return os.path.relpath(self.path, self.config.invocation_params.dir)

    def command(self) -> str:
        """The ``metadistill check`` command line that reproduces this verdict."""
        opt = self.config.option
        return shlex.join(["metadistill", "check", self._relpath(),
                           "--dims", ",".join(map(str, opt.claims_dims)),
                           "--samples", str(opt.claims_samples), "--seed", str(opt.claims_seed),
                           "--precision", str(opt.claims_precision), "--no-necessity"])

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ClaimMissed):
            from proofs.formats import failure_text

            return failure_text(excinfo.value.verdict, self.command())
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"claim: {self.name}"


def _claim_properties(report) -> dict | None:
    props = dict(report.user_properties)
    return props if {"verdict", "expect", "command"} <= props.keys() else None


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report, config):
    """With ``-v``, a passing claim shows its verdict (``VERIFIED``, ``FALSIFIED``, …)."""
    if report.when == "call" and report.passed:
        props = _claim_properties(report)
        if props is not None:
            return "passed", ".", (props["verdict"].upper(), {"green": True})
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """With ``-v``, what was searched for each passing claim (and each expected witness)."""
    if config.option.verbose < 1:
        return
    passed = [(r, p) for r in terminalreporter.stats.get("passed", [])
              if (p := _claim_properties(r)) is not None]
    if not passed:
        return
    terminalreporter.write_sep("=", "claims that met their expectation")
    for report, props in passed:
        terminalreporter.write_line(f"{report.nodeid}: {props['verdict']} "
                                    f"(expected: {props['expect']})")
        witness = json.loads(props["witness"])
        if witness:
            from proofs.report import witness_text

            terminalreporter.write_line(f"    witness: {witness_text(witness)}")
        terminalreporter.write_line(f"    {props['detail']}")
