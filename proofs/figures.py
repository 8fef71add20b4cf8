"""Figures of the recursion (matplotlib, imported only when a figure is drawn).

Sized for a paper: one column is 3.4 in wide, two columns 7 in, with 8 pt text. Matplotlib is
used through ``Figure`` objects and an explicit Agg canvas inside an ``rc_context``, so no global
state (pyplot, rcParams) changes. Files carry the marker ``metadistill`` in their metadata and are
written without dates, so a rerun with the same seed reproduces them byte for byte, and an
existing file is replaced only if metadistill wrote it.
"""
from __future__ import annotations

import os
import tempfile
from fractions import Fraction
from pathlib import Path

from proofs.cli import UsageError

FORMATS = ("png", "pdf", "svg")
COLUMN, PAGE = 3.4, 7.0
STYLE = {"font.size": 8, "axes.labelsize": 8, "axes.titlesize": 8, "legend.fontsize": 7,
         "xtick.labelsize": 7, "ytick.labelsize": 7, "lines.linewidth": 1.2,
         "lines.markersize": 3.5, "axes.linewidth": 0.6, "legend.frameon": False,
         "svg.hashsalt": "metadistill", "savefig.dpi": 200, "figure.dpi": 100}
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")
KL_STAR = r"$\mathrm{KL}(p^*\,\|\,q_t)$ [nats]"


def _new(width, height, ncols=1):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return fig, axes


def style():
    import matplotlib

    return matplotlib.rc_context(STYLE)


def check_path(path) -> str:
    """The format of ``path`` from its suffix; :class:`UsageError` for anything else."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--plot={path}: the file name must end in .png, .pdf or .svg")
    return fmt


def written_by_us(path: Path) -> bool:
    try:
        return b"metadistill" in path.read_bytes()
    except OSError:
        return False


def refuse_existing(path):
    p = Path(path)
    if p.is_dir() or (p.exists() and not written_by_us(p)):
        raise UsageError(f"{path}: exists and was not written by metadistill; "
                         "remove it or choose another path")


def save(fig, path) -> Path:
    """Write ``fig`` atomically, refusing to replace a file metadistill did not write."""
    fmt = check_path(path)
    refuse_existing(path)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    meta = {"png": {"Software": "metadistill"},
            "pdf": {"Creator": "metadistill", "CreationDate": None},
            "svg": {"Creator": "metadistill", "Date": None}}[fmt]
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=f".{fmt}")
    os.close(fd)
    try:
        with style():
            fig.savefig(tmp, format=fmt, metadata=meta)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp made it private; give it the usual mode
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- one run (``metadistill simulate --plot``) --------------------------------------------------

def run_figure(sim, preds):
    """Divergence against generation for one simulated run, with its closed forms."""
    import numpy as np

    with style():
        fig, (ax,) = _new(COLUMN, 2.5)
        t = np.arange(len(sim.generations))
        chains = sim.chains > 1
        if chains:
            mean, se = sim.series("chi2_mean"), sim.series("chi2_se")
            ax.errorbar(t, mean, yerr=1.96 * se, fmt="o", color=COLORS[0], ms=2.5, lw=0.8,
                        label=f"simulated, {sim.chains} chains (95% CI)")
            if "chi2_closed_form" in preds:
                from numerics.predictions import stationary_chi2

                ax.plot(t, preds["chi2_closed_form"].values, color=COLORS[1],
                        label="result 10 (closed form)")
                stationary = stationary_chi2(sim)
                if stationary is not None:
                    ax.axhline(stationary, color="0.5", lw=0.6, ls="--",
                               label="stationary value (result 10)")
            ax.set_ylabel(r"$\mathbb{E}\,\chi^2(q_t\,\|\,p^*)$ [dimensionless]")
        else:
            kl = sim.series("kl_mean")
            ax.plot(t, kl, "o", color=COLORS[0], ms=2.5, label="simulated")
            for key, style_, label in (("kl_closed_form", "-", "closed form"),
                                       ("kl_bound", "--", "bound"),
                                       ("kl_asymptote", ":", r"asymptote $\propto(1-\lambda)^{2t}$")):
                if key in preds:
                    s = preds[key]
                    ax.plot(t, s.values, style_, color=COLORS[1 + ("kl_bound", "kl_asymptote",
                                                                   "kl_closed_form").index(key)],
                            label=f"{label} (result {s.result})")
            ax.set_ylabel(KL_STAR)
        if _positive(ax):
            ax.set_yscale("log")
            lo, hi = ax.get_ylim()
            if hi < 100 * lo:
                _plain_log_ticks(ax)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("generation $t$")
        ax.set_title(_title(sim))
        ax.legend()
    return fig


def _plain_log_ticks(ax):
    """Tick labels 0.2, 0.5, 1, 2 rather than 2×10⁻¹ on a log axis spanning few decades."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:g}")
    ax.yaxis.set_major_formatter(fmt)
    ax.yaxis.set_minor_formatter(FuncFormatter(
        lambda v, _: f"{v:g}" if f"{v:.0e}"[0] in "2345" else ""))


def _positive(ax) -> bool:
    import numpy as np

    ys = [np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()]
    finite = [y[np.isfinite(y)] for y in ys]
    return all((y > 0).all() for y in finite if y.size)


def _title(sim) -> str:
    rec = sim.recursion
    student = rec.student.name + (f" N={rec.student.N}" if hasattr(rec.student, "N") else "")
    parts = [f"{rec.operator}, {rec.schedule.describe().replace('lambda', 'λ')}", student,
             f"K={sim.K}"]
    if rec.T is not None:
        parts.append(f"T={rec.T}")
    return ", ".join(parts)


# -- the standard set ---------------------------------------------------------------------------

def divergence_figure(seed: int = 0, K: int = 10):
    """KL(p*‖q_t) against t on a log axis for constant λ, with the (1−λ)^t bound and the
    (1−λ)^(2t) asymptote (left), and for λ_t = 1/(t+2) with the 1/(t+1) bound (right)."""
    import numpy as np

    from numerics.experiments import random_pair
    from numerics.predictions import predictions
    from numerics.simulate import Recursion, Schedule, simulate

    anchor, start = random_pair(K, seed)
    with style():
        fig, (left, right) = _new(PAGE, 2.6, ncols=2)
        for i, lam in enumerate(("1/10", "3/10", "1/2")):
            lam = Fraction(lam)
            sim = simulate(Recursion(schedule=Schedule.constant(lam)), anchor, start, 60)
            pr = predictions(sim)
            t = np.arange(61)
            c = COLORS[i]
            left.plot(t[::3], sim.series("kl_mean")[::3], "o", color=c, label=f"λ = {lam}: simulated")
            left.plot(t, pr["kl_bound"].values, "--", color=c, lw=0.9)
            left.plot(t, pr["kl_asymptote"].values, ":", color=c, lw=1.1)
        left.plot([], [], "--", color="0.3", lw=0.9, label=r"bound $(1-\lambda)^t\,\mathrm{KL}_0$")
        left.plot([], [], ":", color="0.3", lw=1.1, label=r"asymptote $\propto(1-\lambda)^{2t}$")
        left.set_yscale("log")
        left.set_xlabel("generation $t$")
        left.set_ylabel(KL_STAR)
        left.set_title(f"(a) constant anchoring, K = {K} (results 1, 5)")
        left.legend(ncol=1, loc="lower left")
        G = 300
        sim = simulate(Recursion(schedule=Schedule.harmonic()), anchor, start, G)
        pr = predictions(sim)
        t = np.arange(1, G + 1)
        right.loglog(t, sim.series("kl_mean")[1:], color=COLORS[0], label="simulated")
        right.loglog(t, pr["kl_bound"].values[1:], "--", color=COLORS[1],
                     label=r"bound $\mathrm{KL}_0/(t+1)$ (result 7)")
        right.set_xlabel("generation $t$")
        right.set_ylabel(KL_STAR)
        right.set_title(r"(b) $\lambda_t = 1/(t+2)$: the $O(1/t)$ rate")
        right.legend(loc="lower left")
    return fig


def stationary_figure(seed: int = 0, chains: int = 4000, K: int = 5, N: int = 20,
                      progress=None):
    """Stationary E χ² against λ: result 10's curve, simulated points with 95% intervals, and
    the collapse to K − 1 at λ = 0."""
    import numpy as np

    from numerics.experiments import stationary_sweep
    from numerics.predictions import constant_value

    lams = ["0", "0.05", "0.1", "0.2", "0.3", "0.5", "0.7", "1"]
    points = stationary_sweep(lams, K, N, chains, seed, generations=120,
                              collapse_generations=20 * N, progress=progress)
    grid = np.linspace(0, 1, 201)
    curve = [float(constant_value("stationary expected chi-square", 10, 20, N=N, K=K,
                                  **{"lambda": Fraction(x).limit_denominator(1000)}))
             for x in grid]
    with style():
        fig, (ax,) = _new(COLUMN, 2.6)
        ax.plot(grid, curve, color=COLORS[1], label="result 10 (closed form)")
        ax.errorbar([float(p.lam) for p in points], [p.mean for p in points],
                    yerr=[1.96 * p.se for p in points], fmt="o", color=COLORS[0], capsize=2,
                    lw=0.8, label=f"simulated, {chains} chains (95% CI)")
        ax.axhline(K - 1, color="0.5", lw=0.6, ls="--")
        ax.annotate(f"λ = 0: collapse onto a vertex,\nE χ² = K − 1 = {K - 1}",
                    xy=(0, K - 1), xytext=(0.12, K - 2.2), fontsize=7,
                    arrowprops={"arrowstyle": "->", "lw": 0.6})
        ax.set_yscale("log")
        _plain_log_ticks(ax)
        ax.set_xlabel(r"anchoring weight $\lambda$")
        ax.set_ylabel(r"stationary $\mathbb{E}\,\chi^2(q_t\,\|\,p^*)$ [dimensionless]")
        ax.set_title(f"Finite-sample students, K = {K}, N = {N}")
        ax.legend(loc="upper right", bbox_to_anchor=(1, 0.82))
    return fig


def capacity_figure(seed: int = 0, K: int = 10, degree: int = 2, lam="1/5", generations=40):
    """An exponential-family student (p* outside the family): the trajectory converges to
    Π_E(p*), not p* (left); the three distributions (right)."""
    import numpy as np

    from numerics.experiments import capacity_run

    run = capacity_run(K, degree, Fraction(lam), generations, seed)
    t = np.arange(generations + 1)
    with style():
        fig, (left, right) = _new(PAGE, 2.6, ncols=2)
        left.semilogy(t, run.kl_to_anchor, color=COLORS[0],
                      label=r"$\mathrm{KL}(p^*\,\|\,q_t)$")
        left.axhline(run.bias, color=COLORS[0], ls="--", lw=0.8,
                     label=r"bias $\mathrm{KL}(p^*\,\|\,\Pi_E(p^*))$")
        left.semilogy(t, run.kl_to_projection, color=COLORS[2],
                      label=r"$\mathrm{KL}(\Pi_E(p^*)\,\|\,q_t)$")
        left.semilogy(t[::2], run.moment_error[::2], "o", color=COLORS[3], ms=2.5,
                      label=r"moment error $\max_j |E_{q_t}\phi_j - E_{p^*}\phi_j|$")
        left.semilogy(t, run.moment_error_closed_form, ":", color=COLORS[3],
                      label=r"result 9: $(1-\lambda)^t$ decay")
        left.set_xlabel("generation $t$")
        left.set_ylabel("divergence [nats] / moment error")
        left.set_title(f"(a) {degree}-feature exponential family, λ = {lam}, K = {K}")
        left.legend(loc="lower left", fontsize=6.5)
        x = np.arange(1, K + 1)
        w = 0.27
        right.bar(x - w, [float(v) for v in run.anchor], w, color=COLORS[0], label=r"anchor $p^*$")
        right.bar(x, [float(v) for v in run.projection], w, color=COLORS[2],
                  label=r"$\Pi_E(p^*)$ (fixed point)")
        right.bar(x + w, [float(v) for v in run.final], w, color=COLORS[4],
                  label=f"$q_{{{generations}}}$")
        right.set_xticks(x)
        right.set_xlabel("outcome $i$")
        right.set_ylabel("probability")
        right.set_title(r"(b) the student settles on $\Pi_E(p^*) \neq p^*$")
        right.legend()
    return fig


def softening_figure(seed: int = 0, K: int = 10, progress=None):
    """Result 11: KL(p*‖q_∞) of the fixed point of q ↦ (1−λ) S_T(q) + λ p* against T."""
    import numpy as np

    from numerics.experiments import random_pair, softening_bias

    anchor, start = random_pair(K, seed)
    temps = [Fraction(x).limit_denominator(100) for x in np.linspace(0.6, 2.0, 22)]
    if Fraction(1) not in temps:
        temps = sorted(set(temps) | {Fraction(1)})
    with style():
        fig, (ax,) = _new(COLUMN, 2.5)
        for i, lam in enumerate(("1/5", "2/5", "3/5")):
            pts = softening_bias(temps, Fraction(lam), anchor, start, digits=15, progress=progress)
            ax.plot([float(p.T) for p in pts], [max(p.kl, 0.0) for p in pts], "o-",
                    color=COLORS[i], ms=2.5, lw=0.9, label=f"λ = {lam}")
        ax.axvline(1, color="0.5", lw=0.6, ls="--")
        ax.text(1.02, ax.get_ylim()[1] * 0.9, "T = 1: no bias (result 1)", fontsize=7, va="top")
        ax.set_xlabel("softening temperature $T$ inside the loop")
        ax.set_ylabel(r"fixed-point bias $\mathrm{KL}(p^*\,\|\,q_\infty)$ [nats]")
        ax.set_title(f"Softening inside the loop (result 11), K = {K}")
        ax.legend()
    return fig


STANDARD = ("divergence", "stationary", "capacity", "softening")


def standard_set(directory, seed: int = 0, chains: int = 4000, fmt: str = "png",
                 progress=None) -> list:
    """Write the four standard figures into ``directory``; returns their paths."""
    d = Path(directory)
    paths = {name: d / f"{name}.{fmt}" for name in STANDARD}
    for p in paths.values():
        refuse_existing(p)
    tick = progress or (lambda n=1: None)
    out = [save(divergence_figure(seed), paths["divergence"])]
    tick(1)
    out.append(save(stationary_figure(seed, chains), paths["stationary"]))
    tick(1)
    out.append(save(capacity_figure(seed), paths["capacity"]))
    tick(1)
    out.append(save(softening_figure(seed), paths["softening"]))
    tick(1)
    return out
