"""Peak memory of the finite-sample simulator: streaming statistics against keeping every
chain's history (``record=True``), side by side, as chains and generations grow.

    PYTHONPATH=. python benchmarks/simulate_memory.py

Memory is the peak traced by ``tracemalloc`` during ``simulate`` (NumPy reports its buffers to
it); the streaming engine should stay flat while the baseline grows with chains × generations.
"""
import time
import tracemalloc
from fractions import Fraction

from numerics.experiments import random_pair
from numerics.simulate import Recursion, Schedule, simulate
from numerics.students import FiniteSample

K, N = 5, 100


def peak(chains, generations, record):
    anchor, start = random_pair(K, 0)
    rec = Recursion(student=FiniteSample(N), schedule=Schedule.constant(Fraction(1, 5)))
    tracemalloc.start()
    t0 = time.perf_counter()
    simulate(rec, anchor, start, generations, chains=chains, seed=1, record=record)
    seconds = time.perf_counter() - t0
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2 ** 20, seconds


def main():
    peak(100, 2, False)  # warm up: compiled expressions, SymPy caches
    print(f"finite-sample student, K={K}, N={N}; peak traced memory (MiB) and time (s)")
    print(f"{'chains':>8} {'generations':>12} | {'streaming':>10} {'s':>6} | "
          f"{'every history (baseline)':>24} {'s':>6}")
    for chains in (2000, 20000, 80000):
        for generations in (20, 100):
            stream, ts = peak(chains, generations, False)
            if chains * (generations + 1) * K * 8 <= 100 * 2 ** 20:
                base, tb = peak(chains, generations, True)
                base_text, tb_text = f"{base:24.1f}", f"{tb:6.2f}"
            else:
                base_text, tb_text = f"{'(skipped: > 200 MiB)':>24}", f"{'-':>6}"
            print(f"{chains:>8} {generations:>12} | {stream:10.1f} {ts:6.2f} | {base_text} {tb_text}")


if __name__ == "__main__":
    main()
