"""``metadistill figures``: the standard set is written, marked as ours, and reproducible."""
import pytest

from proofs.cli import main
from proofs.figures import STANDARD, save, stationary_figure


@pytest.mark.slow
def test_standard_set_is_written(tmp_path, capsys):
    assert main(["figures", str(tmp_path), "--chains", "300", "--seed", "2"]) == 0
    for name in STANDARD:
        data = (tmp_path / f"{name}.png").read_bytes()
        assert data[:4] == b"\x89PNG" and b"metadistill" in data and len(data) > 20000
    assert capsys.readouterr().out.count(".png") == 4


def test_random_figure_is_reproducible_from_seed(tmp_path):
    """The Monte Carlo figure, drawn twice with one seed, is the same file byte for byte (and
    a rerun replaces the file it wrote itself)."""
    path = tmp_path / "stationary.svg"
    save(stationary_figure(seed=5, chains=200), path)
    first = path.read_bytes()
    save(stationary_figure(seed=5, chains=200), path)
    assert path.read_bytes() == first
    save(stationary_figure(seed=6, chains=200), path)
    assert path.read_bytes() != first
