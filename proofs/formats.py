"""Verdicts as Markdown (pull-request comments), LaTeX (documents, Jupyter), HTML (Jupyter)
and the failure message of the pytest plugin.

Every function reads the same :class:`~proofs.runner.Verdict` objects that ``metadistill
check`` prints; nothing here searches or evaluates. A witness is always shown as the exact
fractions the search decided; ``lhs``/``rhs`` are the decimal strings of the verdict,
truncated (never rounded) where a format shortens them, with ``…``/``\\ldots`` to say so.
"""
from __future__ import annotations

import html

from proofs.files import MARKER_LINE
from proofs.report import witness_text

SHORT_DIGITS = 20


def _short(decimal: str | None, digits: int = SHORT_DIGITS, more: str = "…") -> str:
    """The first ``digits`` characters of a decimal string, marked when cut."""
    if decimal is None:
        return "?"
    if "e" in decimal:
        mantissa, exponent = decimal.split("e", 1)
        return (mantissa[:digits] + more if len(mantissa) > digits else mantissa) + "e" + exponent
    return decimal[:digits] + more if len(decimal) > digits else decimal


def outcome(verdict) -> str:
    """``ok`` when the verdict meets the claim's expectation, ``FAIL`` otherwise."""
    return "ok" if verdict.ok else "FAIL"


def evidence(verdict) -> str:
    """One line of plain text: the witness and both sides, or what was searched."""
    if verdict.witness:
        return (f"{witness_text(verdict.witness)}; lhs = {_short(verdict.lhs)}, "
                f"rhs = {_short(verdict.rhs)}")
    if verdict.report is not None:
        return f"nothing found; searched {verdict.report.effort()}"
    return verdict.detail


def settings_line(settings) -> str:
    dims = ",".join(map(str, settings.dims))
    return (f"K in {{{dims}}}, {settings.samples} draws per K, seed {settings.seed}, "
            f"{settings.precision} digits")


# --- Markdown ---------------------------------------------------------------------------

def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(verdicts, settings, necessity=None) -> str:
    """A GitHub-flavoured Markdown report: one table row per claim (claim, expectation,
    verdict, witness or search effort), then the necessity table when it was computed."""
    bad = sum(not v.ok for v in verdicts)
    lines = [f"**metadistill check**: {len(verdicts)} claims, {len(verdicts) - bad} as "
             f"expected, {bad} not ({settings_line(settings)})", "",
             "| result | claim | expectation | verdict | witness / effort |",
             "| --- | --- | --- | --- | --- |"]
    for v in verdicts:
        mark = "✅ ok" if v.ok else "❌ **FAIL**"
        lines.append(f"| {mark} | {_md_cell(v.claim.name)} | {v.claim.expect} | {v.verdict} "
                     f"| {_md_cell(evidence(v))} |")
    if necessity:
        lines += ["", "**Necessity** (each named assumption dropped in turn)", "",
                  "| outcome | assumption | claim | witness |", "| --- | --- | --- | --- |"]
        for c in necessity:
            witness = witness_text(c.witness) if c.witness else "—"
            lines.append(f"| {c.outcome} | {_md_cell(c.assumption)} | {_md_cell(c.claim.name)} "
                         f"| {_md_cell(witness)} |")
    return "\n".join(lines) + "\n"


# --- LaTeX ------------------------------------------------------------------------------

# Characters outside OT1 text fonts go through math mode (no extra fonts needed).
_TEX_SPECIAL = {"\\": r"$\backslash$", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}",
                "<": r"$<$", ">": r"$>$", "|": r"$|$"}


def tex_text(text: str) -> str:
    """``text`` escaped for LaTeX's text mode."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(text))


def _tex_number(text: str) -> str:
    if text in ("inf", "+inf"):
        return r"\infty"
    if text == "-inf":
        return r"-\infty"
    if "/" in text:
        num, den = text.split("/")
        sign = "-" if num.startswith("-") else ""
        return rf"{sign}\tfrac{{{num.lstrip('-')}}}{{{den}}}"
    short = _short(text, more=r"\ldots")
    if "e" in short:
        mantissa, exponent = short.split("e", 1)
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
    return short


def witness_latex(verdict) -> str:
    """The witness as math: ``K = 2,\\ p^* = (\\tfrac12, \\tfrac12), …`` (exact fractions)."""
    from theory import latex

    names = {s.name: latex(s) for s in (*verdict.claim.distributions, *verdict.claim.scalars)}
    parts = [f"K = {verdict.witness['K']}"]
    for name, value in verdict.witness.items():
        if name == "K":
            continue
        shown = (r"\left(" + ", ".join(map(_tex_number, value)) + r"\right)"
                 if isinstance(value, list) else _tex_number(value))
        parts.append(f"{names.get(name, name)} = {shown}")
    return r",\quad ".join(parts)


def sides_latex(verdict) -> str:
    return (rf"\text{{lhs}} = {_tex_number(verdict.lhs or '?')},\quad "
            rf"\text{{rhs}} = {_tex_number(verdict.rhs or '?')}")


def verdict_sentence(verdict) -> str:
    expected = "to hold" if verdict.claim.expect == "holds" else "to fail"
    return (f"{verdict.verdict} (expected {expected}): "
            + ("as expected" if verdict.ok else "NOT as expected"))


def latex_document(verdicts, settings, necessity=None, command="metadistill check") -> str:
    """A standalone LaTeX document (``article``, amsmath): each claim as displayed math with
    its verdict, the exact witness and both sides, or what was searched; then the necessity
    table when computed. The first line is the marker that lets metadistill replace the file."""
    bad = sum(not v.ok for v in verdicts)
    out = [MARKER_LINE, r"\documentclass{article}", r"\usepackage{amsmath,amssymb}",
           r"\allowdisplaybreaks", r"\begin{document}", r"\section*{Claims checked by metadistill}",
           rf"\noindent {len(verdicts)} claims, {len(verdicts) - bad} as expected, {bad} not. "
           rf"Searched {tex_text(settings_line(settings))}; reproduce with "
           rf"\texttt{{{tex_text(command)}}}.", "",
           r"\emph{Verified} means that no violation was found in the search described; it is "
           r"not a proof. \emph{Falsified} means an exact counterexample whose violation was "
           r"decided rigorously at the working precision and at twice that precision.", ""]
    for v in verdicts:
        out += [rf"\subsection*{{{tex_text(v.claim.name)}}}",
                rf"\[ {v.claim.latex()} \]",
                rf"\noindent\textbf{{{tex_text(verdict_sentence(v))}}}.", ""]
        if v.witness:
            out += [r"\noindent Counterexample (exact):", rf"\[ {witness_latex(v)} \]",
                    rf"\[ {sides_latex(v)} \]"]
        out += [rf"\noindent{{\small {tex_text(v.detail)}}}", ""]
    if necessity:
        out += [r"\section*{Which assumptions are needed}",
                r"\noindent Each named assumption of a claim that held, dropped in turn.", "",
                r"\begin{itemize}"]
        for c in necessity:
            item = (rf"\item {tex_text(c.claim.name)} without \emph{{{tex_text(c.assumption)}}}: "
                    rf"{tex_text(c.outcome)}")
            if c.witness:
                item += rf" at \texttt{{{tex_text(witness_text(c.witness))}}}"
            out.append(item + ".")
        out.append(r"\end{itemize}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


# --- Jupyter ----------------------------------------------------------------------------

_HTML_HEAD = ("<tr><th>result</th><th>claim</th><th>expectation</th><th>verdict</th>"
              "<th>witness / effort</th></tr>")


def _html_row(verdict) -> str:
    color = "green" if verdict.ok else "red"
    statement = html.escape(rf"\(\displaystyle {verdict.claim.latex()}\)")
    return (f"<tr><td style='color:{color}'><b>{outcome(verdict)}</b></td>"
            f"<td>{html.escape(verdict.claim.name)}<br>{statement}</td>"
            f"<td>{verdict.claim.expect}</td><td>{verdict.verdict}</td>"
            f"<td title='{html.escape(verdict.detail, quote=True)}'>"
            f"{html.escape(evidence(verdict))}</td></tr>")


def verdicts_html(verdicts, caption: str = "") -> str:
    """An HTML table of verdicts (math in ``\\(…\\)`` for MathJax)."""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    rows = "".join(_html_row(v) for v in verdicts)
    return f"<table>{cap}{_HTML_HEAD}{rows}</table>"


def verdicts_latex(verdicts) -> str:
    """Verdicts as one LaTeX array, for ``_repr_latex_`` (math mode, MathJax-compatible)."""
    rows = [rf"\text{{{tex_text(v.claim.name)}}} & {v.claim.latex()} & "
            rf"\text{{{tex_text(verdict_sentence(v))}}}" for v in verdicts]
    return r"$\begin{array}{lll}" + r" \\ ".join(rows) + r"\end{array}$"


# --- pytest -----------------------------------------------------------------------------

def failure_text(verdict, command: str) -> str:
    """Why a claim missed its expectation: both sides, the witness and the command."""
    claim = verdict.claim
    if claim.expect == "holds":
        head = f"claim {claim.name!r} was expected to hold, but it is {verdict.verdict}"
    else:
        head = (f"claim {claim.name!r} was expected to fail, but no counterexample was found "
                f"({verdict.verdict})")
    lines = [head, f"  relation: {claim.relation}"]
    lines += [f"  assume {name}: {cond}" for name, cond in claim.assume.items()]
    if verdict.witness:
        lines.append(f"  witness (exact): {witness_text(verdict.witness)}")
        where = "at the witness"
    else:
        where = "at the point closest to a violation"
    lines += [f"  lhs = {claim.lhs}", f"      = {verdict.lhs or '?'}  ({where})",
              f"  rhs = {claim.rhs}", f"      = {verdict.rhs or '?'}",
              f"  {verdict.detail}", f"  reproduce: {command}"]
    return "\n".join(lines)
