"""The benchmark runs end to end; its verdict comparisons (not its timings) are checked."""
from numerics.bench import run


def test_quick_benchmark_has_no_mismatch():
    lines = []
    run(quick=True, out=lines.append)
    text = "\n".join(lines)
    targets = [line for line in lines if line.startswith("target ")]
    assert len(targets) == 3, text
    for line in targets[1:]:
        assert ": 0 mismatches" in line, line
    # Last column of the Dirichlet table: draws where certify and mpmath disagree.
    table = lines[lines.index(next(x for x in lines if x.lstrip().startswith("K "))) + 1:][:4]
    for row in table:
        assert row.split()[-1] == "0", row
