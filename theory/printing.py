"""LaTeX rendering: SymPy's printer with distributions written after their coefficients."""
from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class _Printer(LatexPrinter):
    def _print_Mul(self, expr):
        dists = [f for f in expr.args if getattr(f, "is_distribution", False)
                 or getattr(getattr(f, "func", None), "is_distribution_node", False)]
        if not dists or len(dists) == len(expr.args):
            return super()._print_Mul(expr)
        coeff = sp.Mul(*[f for f in expr.args if f not in dists])
        c = self._print(coeff)
        if coeff.is_Add:
            c = rf"\left({c}\right)"
        elif coeff == -1:
            c = "-"
        return c + " " + " ".join(self._print(d) for d in dists)


def latex(expr, **settings) -> str:
    """Readable LaTeX for any expression, relation or boolean built from theory's names."""
    return _Printer(settings).doprint(expr)
