"""The catalog of the paper's results, the runner, the ``metadistill`` CLI and LaTeX output.

Imports ``theory`` and ``numerics``. Kept light: importing ``proofs`` loads nothing heavy, so
the CLI and the pytest plugin start fast.
"""
