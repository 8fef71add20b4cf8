"""``metadistill latex``: the checked derivations of THEORY.md's results as one LaTeX document."""
from __future__ import annotations

from proofs.cli import EXIT_FAILED, EXIT_OK, UsageError, refuse_early, write_or_refuse

ENGINES = ("pdflatex", "latexmk")


def add_parser(sub):
    p = sub.add_parser("latex", help="write the checked derivations as a LaTeX document",
                       description="Write one standalone amsmath document: for each result its "
                                   "statement, assumptions, checked derivation (align*, with the "
                                   "justification on each line) and constants. No NAME means "
                                   "all twelve results.")
    p.add_argument("names", nargs="*", metavar="NAME", help="result numbers, 1-12 or R1-R12")
    p.add_argument("-o", "--output", metavar="FILE.tex",
                   help="write the document here (default: standard output; with --pdf, "
                        "derivations.tex)")
    p.add_argument("--pdf", action="store_true",
                   help="also compile it to FILE.pdf with pdflatex or latexmk found on PATH")
    return p


def find_engine():
    """``(name, path)`` of the first LaTeX engine on PATH, or None."""
    import shutil

    for name in ENGINES:
        path = shutil.which(name)
        if path:
            return name, path
    return None


def refuse_foreign_pdf(tex_path) -> "Path":
    """The PDF path next to ``tex_path``; :class:`UsageError` if a file there was not written
    by metadistill (our PDFs carry the marker in their Info dictionary)."""
    from pathlib import Path

    pdf = Path(tex_path).with_suffix(".pdf")
    if pdf.is_dir() or (pdf.exists() and b"metadistill" not in pdf.read_bytes()):
        raise UsageError(f"{pdf}: exists and was not written by metadistill; "
                         "remove it or choose another path")
    return pdf


def compile_pdf(tex_path, engine) -> "Path":
    """Compile ``tex_path`` in a scratch directory and move the PDF next to it.

    Raises :class:`UsageError` when a PDF at the destination was not written by metadistill,
    and ``RuntimeError`` with the end of the log when the engine fails."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    tex_path = Path(tex_path)
    pdf = refuse_foreign_pdf(tex_path)
    name, path = engine
    with tempfile.TemporaryDirectory(prefix="metadistill-latex-") as tmp:
        src = Path(tmp) / tex_path.name
        shutil.copyfile(tex_path, src)
        cmd = ([path, "-pdf", "-interaction=nonstopmode", "-halt-on-error", src.name]
               if name == "latexmk" else
               [path, "-interaction=nonstopmode", "-halt-on-error", src.name])
        run = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
        out = src.with_suffix(".pdf")
        if run.returncode != 0 or not out.exists():
            log = src.with_suffix(".log")
            tail = (log.read_text(errors="replace") if log.exists() else run.stdout)[-2000:]
            raise RuntimeError(f"{name} failed on {tex_path} (exit {run.returncode}):\n{tail}")
        shutil.move(str(out), pdf)
    return pdf


def run(args) -> int:
    import sys

    from proofs.derivation_document import UnknownResult, document, parse_names

    try:
        numbers = parse_names(args.names)
    except UnknownResult as exc:
        raise UsageError(str(exc)) from None
    output = args.output or ("derivations.tex" if args.pdf else None)
    if output is not None:
        refuse_early(output, "tex")
    engine = None
    if args.pdf:
        refuse_foreign_pdf(output)
        engine = find_engine()
        if engine is None:
            raise UsageError("--pdf: no LaTeX engine on PATH (looked for pdflatex and latexmk); "
                             "install one, e.g. apt-get install texlive-latex-base")
    text = document(numbers)
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    path = write_or_refuse(output, text, "tex")
    print(f"wrote {path} ({len(numbers)} result{'' if len(numbers) == 1 else 's'})")
    if engine is not None:
        try:
            pdf = compile_pdf(path, engine)
        except RuntimeError as exc:
            print(f"metadistill: {exc}", file=sys.stderr)
            return EXIT_FAILED
        print(f"wrote {pdf} ({engine[0]})")
    return EXIT_OK
