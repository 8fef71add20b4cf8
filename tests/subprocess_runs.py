"""Running pytest with metadistill's plugin, and the CLI, in subprocesses, as a user would.

``PYTHONPATH`` puts this checkout first, so the code under test is this tree's even when the
installed package (and its ``pytest11`` entry point) comes from another checkout. The plugin is
also requested explicitly with ``-p``, which must work whether or not the entry point is
registered.
"""
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(**extra) -> dict:
    path = os.pathsep.join(filter(None, [*extra.pop("path", ()), str(ROOT),
                                         os.environ.get("PYTHONPATH")]))
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return {**env, "PYTHONPATH": path, **extra}


def run_pytest(cwd, *args, plugin=True, env=None, timeout=300):
    """``python -m pytest`` in ``cwd`` (no cache directory written)."""
    first = ["-p", "proofs.pytest_plugin"] if plugin else []
    return subprocess.run([sys.executable, "-m", "pytest", *first, "-p", "no:cacheprovider",
                           *args], cwd=cwd, env=env or environment(), capture_output=True,
                          text=True, timeout=timeout)


def run_cli(cwd, *args, timeout=300):
    """``metadistill ARGS`` in ``cwd``."""
    return subprocess.run([sys.executable, "-m", "proofs.cli", *args], cwd=cwd,
                          env=environment(), capture_output=True, text=True, timeout=timeout)


def outcome_counts(stdout: str) -> dict:
    """``{"passed": 5, "failed": 1}`` from pytest's last summary line."""
    last = stdout.strip().splitlines()[-1]
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|error|errors|skipped)",
                                                   last)}


def reproduce(cwd, command: str, json_path) -> dict:
    """Run a printed ``metadistill check …`` command with ``--json`` and return the document."""
    words = shlex.split(command)
    assert words[:2] == ["metadistill", "check"], command
    r = run_cli(cwd, *words[1:], "--json", str(json_path))
    assert r.returncode in (0, 1), r.stderr
    return json.loads(Path(json_path).read_text())
