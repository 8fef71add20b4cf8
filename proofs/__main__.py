"""``python -m proofs`` runs the ``metadistill`` command line."""
import sys

from proofs.cli import main

sys.exit(main())
