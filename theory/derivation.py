"""Checked derivations: chains of steps, each an equality proved by SymPy or a cited lemma.

A :class:`Derivation` starts from an expression and applies :class:`Step` s. A step's
``because`` is either

- a string: the step is an equality, and SymPy must prove ``previous = this`` on the interior of
  the simplex (:mod:`theory._equality`): for symbolic ``K`` when the reduction succeeds,
  otherwise for every ``K`` in the derivation's ``k_range``; the check records which; or
- a :class:`Use` of a :class:`Lemma` ``L ≤ R`` (or ``L = R``) with a substitution σ of the
  lemma's pattern symbols and a context ``f`` (identity by default). The step ``a ≤ b`` is
  accepted when SymPy proves ``a = f(σL)`` and ``b = f(σR)`` with ``f`` non-decreasing (or
  ``a = f(σR)``, ``b = f(σL)`` with ``f`` non-increasing), and every side condition of the
  lemma holds after substitution: each pattern scalar's range, and the lemma's own conditions.
  ``f`` must be continuous and differentiable (built from ``+``, ``·``, powers of positive
  numbers, ``exp`` and ``log`` of positive numbers; no ``Piecewise``, ``Abs``, ``Min``...),
  with a derivative of provable sign (strict for a strict step) on the range of the lemma's
  sides: ``[0, ∞)`` when both instantiated sides are provably non-negative (divergences are,
  by Gibbs), otherwise all reals.

Scope of "proved": the equalities hold where every entry of every distribution is positive and
the scalars avoid the values where a formula switches branch (``α = 1`` in a Rényi divergence,
``0^0``). Scalar side conditions are proved on the open ranges, hence on the closed ones by
continuity. The boundary of the simplex is not covered; :mod:`proofs.runner` covers it by search.
Lemmas are standard results, cited, not re-proved.

A wrong step raises :class:`~theory.errors.WrongStep` (or
:class:`~theory.errors.WrongLemmaInstance`) naming the derivation, the step and its
justification.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import sympy as sp

from ._equality import equal_for_each_k, equal_symbolic_k
from ._structure import DIST, SCALAR, kind_of, symbols_of
from .errors import MalformedClaim, MalformedDerivation, WrongLemmaInstance, WrongStep
from .printing import latex
from .symbols import DistributionSymbol, ScalarSymbol

RELATIONS = ("=", "<=", "<", ">=", ">")
_LATEX_REL = {"=": "=", "<=": r"\le", "<": "<", ">=": r"\ge", ">": ">"}
_SYMPY_REL = {sp.Equality: "=", sp.LessThan: "<=", sp.StrictLessThan: "<",
              sp.GreaterThan: ">=", sp.StrictGreaterThan: ">"}


@dataclass(frozen=True, eq=False)
class Lemma:
    """A named, cited result ``lhs REL rhs`` over pattern symbols (theory's ``dist`` and
    ``scalar``): it holds for every value of them in their ranges satisfying ``conditions``.

    ``premises`` are hypotheses SymPy cannot check (e.g. "r is the M-projection of m"); a
    derivation citing such a lemma lists them among its own assumptions."""

    name: str
    statement: sp.core.relational.Relational
    source: str
    conditions: tuple = ()
    premises: tuple = ()

    @property
    def op(self) -> str:
        return _SYMPY_REL[type(self.statement)]

    @property
    def symbols(self) -> dict:
        d, s = symbols_of(self.statement, *self.conditions)
        return {x.name: x for x in d + s}

    def at(self, substitution: dict | None = None, context=None, **names) -> "Use":
        """This lemma instantiated: pattern names (strings) mapped to expressions."""
        return Use(self, {**(substitution or {}), **names}, context)

    def latex(self) -> str:
        body = latex(self.statement)
        conds = [latex(c) for c in self.conditions] + list(self.premises)
        return body + (r"\quad(" + ",\\ ".join(conds) + ")" if conds else "")

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"


@dataclass(frozen=True, eq=False)
class Use:
    """A lemma cited with a substitution ``{pattern name: expression}`` and a context
    ``f`` (a one-argument ``sympy.Lambda``, identity when None)."""

    lemma: Lemma
    substitution: dict
    context: sp.Lambda | None = None

    def sigma(self) -> dict:
        """The substitution as ``{pattern symbol: expression}``."""
        symbols = self.lemma.symbols
        unknown = sorted(set(self.substitution) - set(symbols))
        if unknown:
            raise MalformedDerivation(
                f"lemma {self.lemma.name!r} has no symbol named {unknown[0]!r}; "
                f"it has {sorted(symbols)}")
        return {symbols[k]: sp.sympify(v) for k, v in self.substitution.items()}

    def sides(self):
        """``(f(σL), f(σR))``, the instantiated lemma inside its context."""
        sigma = self.sigma()
        lhs, rhs = (self.lemma.statement.lhs.xreplace(sigma),
                    self.lemma.statement.rhs.xreplace(sigma))
        f = self.context
        return (f(lhs), f(rhs)) if f is not None else (lhs, rhs)

    def side_conditions(self):
        """``[(description, expression that must be ≥ 0 or > 0, strict)]`` after substitution."""
        sigma = self.sigma()
        out = []
        for s in self.lemma.symbols.values():
            if isinstance(s, ScalarSymbol) and s in sigma:
                v = sigma[s]
                if s.low.is_finite:
                    out.append((f"{s.name} = {v} >= {s.low}", v - s.low, False))
                if s.high.is_finite:
                    out.append((f"{s.name} = {v} <= {s.high}", s.high - v, False))
        for c in self.lemma.conditions:
            c2 = c.xreplace(sigma)
            if c2 in (sp.true, sp.false):
                out.append((f"{c} after substitution", sp.Integer(1 if c2 else -1), False))
                continue
            op = _SYMPY_REL[type(c2)]
            if op in ("<=", "<"):
                out.append((str(c2), c2.rhs - c2.lhs, op == "<"))
            elif op in (">=", ">"):
                out.append((str(c2), c2.lhs - c2.rhs, op == ">"))
            else:
                raise MalformedDerivation(f"lemma {self.lemma.name!r}: condition={c} must be an inequality")
        return out

    def latex(self) -> str:
        symbols = self.lemma.symbols
        parts = [f"{latex(symbols[k])} = {latex(sp.sympify(v))}" for k, v in self.substitution.items()]
        return r"\text{" + latex_text(self.lemma.name) + "}" + (
            r"\ (" + ",\\ ".join(parts) + ")" if parts else "")


@dataclass(frozen=True, eq=False)
class Step:
    """``REL expr``, justified by ``because``: a string (an equality checked by SymPy) or a
    :class:`Use` of a lemma."""

    rel: str
    expr: sp.Expr
    because: object

    def __post_init__(self):
        if self.rel not in RELATIONS:
            raise MalformedDerivation(f"step relation rel={self.rel!r} must be one of {RELATIONS}")
        if isinstance(self.because, str) and self.rel != "=":
            raise MalformedDerivation(
                f"step {self.rel} {self.expr}: because={self.because!r} is algebra, which only "
                "justifies an equality; cite a lemma with Lemma.at(...)")
        object.__setattr__(self, "expr", sp.sympify(self.expr))

    def justification(self) -> str:
        return self.because if isinstance(self.because, str) else f"lemma {self.because.lemma.name}"


@dataclass(frozen=True)
class StepCheck:
    """How one step was checked: ``method`` says what SymPy proved."""

    index: int
    rel: str
    justification: str
    method: str


@dataclass(frozen=True)
class DerivationCheck:
    derivation: "Derivation"
    steps: tuple

    @property
    def symbolic_k(self) -> bool:
        """Whether every equality was proved for symbolic ``K`` (none needed a range)."""
        return all("each K" not in s.method for s in self.steps)

    def summary(self) -> str:
        d = self.derivation
        ks = ("symbolic K" if self.symbolic_k else
              f"some equalities only for each K in {d.k_range[0]}..{d.k_range[-1]}")
        lemmas = sorted({s.because.lemma.name for s in d.steps if isinstance(s.because, Use)})
        steps = f"{len(self.steps)} step" + ("s" if len(self.steps) > 1 else "")
        return (f"derivation '{d.name}' checked by SymPy: {steps}, {ks}, interior of the "
                f"simplex; lemmas: {', '.join(lemmas) or 'none'}")


@dataclass(eq=False)
class Derivation:
    """``start REL_1 e_1 REL_2 e_2 ...``: a chain establishing ``start REL end``.

    ``result`` is the number of the result in THEORY.md; ``claim`` (optional) is the Claim the
    chain establishes (its lhs must equal ``start`` and its rhs the last expression);
    ``assume`` are named conditions the steps may use (an ``Eq(symbol, value)`` is substituted
    before the equalities are checked); ``gaps`` say, in words, what the chain does not prove
    and stays numerical: a derivation with gaps never certifies a claim.
    """

    name: str
    result: int
    start: sp.Expr
    steps: tuple
    claim: object = None
    assume: dict = field(default_factory=dict)
    gaps: tuple = ()
    note: str = ""
    k_range: tuple = (2, 3, 4)

    def __post_init__(self):
        self.start = sp.sympify(self.start)
        self.steps = tuple(self.steps)
        if not self.steps:
            raise MalformedDerivation(f"derivation {self.name!r} has no steps")
        if self.claim is not None and not self.assume:
            self.assume = dict(self.claim.assume)
        self.assume = MappingProxyType(dict(self.assume))
        self.relation  # raises on mixed directions

    @property
    def end(self) -> sp.Expr:
        return self.steps[-1].expr

    @property
    def relation(self) -> str:
        """The relation the chain establishes between ``start`` and ``end``."""
        rels = {s.rel for s in self.steps} - {"="}
        if not rels:
            return "="
        if rels <= {"<=", "<"}:
            return "<" if "<" in rels else "<="
        if rels <= {">=", ">"}:
            return ">" if ">" in rels else ">="
        raise MalformedDerivation(f"derivation {self.name!r} mixes directions {sorted(rels)}")

    @property
    def premises(self) -> tuple:
        """The hypotheses of the cited statements that SymPy cannot check (an induction
        hypothesis, "r is the M-projection of m", an axiom the result assumes)."""
        return tuple(p for s in self.steps if isinstance(s.because, Use)
                     for p in s.because.lemma.premises)

    @property
    def complete(self) -> bool:
        """No gaps and no premises: only such a derivation can certify a claim."""
        return not self.gaps and not self.premises

    def substitution(self) -> dict:
        """The equality assumptions ``symbol = value``, used in every equality check."""
        out = {}
        for cond in self.assume.values():
            if isinstance(cond, sp.Equality) and isinstance(cond.lhs, sp.Symbol):
                out[cond.lhs] = cond.rhs
        return out

    def pairs(self):
        """``[(index, previous expression, step)]`` with 1-based step numbers."""
        prev = self.start
        for n, step in enumerate(self.steps, 1):
            yield n, prev, step
            prev = step.expr

    def _equal(self, a, b) -> str | None:
        subs = self.substitution()
        if equal_symbolic_k(a, b, subs):
            return "symbolic K"
        if equal_for_each_k(a, b, self.k_range, subs):
            return f"each K in {self.k_range[0]}..{self.k_range[-1]}"
        return None

    def fail_step(self, cls, n, step, message):
        """Raise ``cls`` (a :class:`WrongStep`) naming this derivation, step ``n`` and its
        justification."""
        raise cls(f"derivation {self.name!r}, step {n} ({step.rel} {step.expr}; "
                  f"{step.justification()}): {message}")

    def check(self) -> DerivationCheck:
        """Check every step symbolically; raise :class:`WrongStep` at the first that fails."""
        out = []
        for n, prev, step in self.pairs():
            if isinstance(step.because, str):
                how = self._equal(prev, step.expr)
                if how is None:
                    self.fail_step(WrongStep, n, step,
                               f"SymPy cannot show {prev} = {step.expr} (K symbolic, nor each K in "
                               f"{self.k_range[0]}..{self.k_range[-1]})")
                out.append(StepCheck(n, step.rel, step.because, f"SymPy equality, {how}"))
            else:
                out.append(StepCheck(n, step.rel, step.justification(),
                                     self._check_use(n, prev, step)))
        if self.claim is not None:
            self._check_claim()
        return DerivationCheck(self, tuple(out))

    def _discharged(self, what, expr, strict) -> bool:
        """A side condition holds by SymPy, or is one of the derivation's assumptions."""
        if strict:
            if sp.sympify(expr).is_positive:
                return True
        elif provably_nonnegative(expr):
            return True
        for cond in self.assume.values():
            op = _SYMPY_REL.get(type(cond))
            if op in ("<", "<=") and (strict <= (op == "<")):
                given = cond.rhs - cond.lhs
            elif op in (">", ">=") and (strict <= (op == ">")):
                given = cond.lhs - cond.rhs
            else:
                continue
            if sp.simplify(given - expr) == 0:
                return True
        return False

    def orientation(self, prev, step):
        """For a step citing a lemma: ``[(x, y)]``, pairs SymPy must show equal, and whether
        the step's own relation follows from the lemma (``"inequality"``) or is an identity
        rearranged (``"identity"``)."""
        use = step.because
        lo, hi = use.sides()  # f(σL), f(σR)
        if step.rel == "=":
            return [(prev - step.expr, lo - hi)], "identity"
        if use.lemma.op in (">=", ">"):
            lo, hi = hi, lo  # the lemma now reads lo <= hi (before the context)
        direction = _monotone(use.context, _nonnegative_sides(use), step.rel in ("<", ">"))
        if direction is None:
            return None, None
        if direction == "-":
            lo, hi = hi, lo
        small, big = (step.expr, prev) if step.rel in (">=", ">") else (prev, step.expr)
        return [(small, lo), (big, hi)], "inequality"

    def _check_use(self, n, prev, step) -> str:
        use = step.because
        lem_op = use.lemma.op
        if (lem_op == "=") != (step.rel == "="):
            self.fail_step(WrongLemmaInstance, n, step,
                       f"lemma {use.lemma.name!r} states {lem_op}, the step claims {step.rel}")
        if step.rel in ("<", ">") and lem_op not in ("<", ">"):
            self.fail_step(WrongLemmaInstance, n, step, "a non-strict lemma cannot give a strict step")
        for pattern, value in use.sigma().items():
            want = DIST if isinstance(pattern, DistributionSymbol) else SCALAR
            try:
                got = kind_of(value)
            except MalformedClaim as exc:
                got = str(exc)
            if got != want:
                self.fail_step(WrongLemmaInstance, n, step,
                           f"{pattern.name} = {value} must be a {want} ({got})")
        for what, expr, strict in use.side_conditions():
            if not self._discharged(what, expr, strict):
                self.fail_step(WrongLemmaInstance, n, step,
                           f"side condition {what} of lemma {use.lemma.name!r} is not proved")
        pairs, kind = self.orientation(prev, step)
        if pairs is None:
            self.fail_step(WrongLemmaInstance, n, step,
                       f"context {use.context} is not provably monotone")
        hows = []
        for x, y in pairs:
            how = self._equal(x, y)
            if how is None and kind == "identity":
                how = self._equal(x, -y)
            if how is None:
                self.fail_step(WrongLemmaInstance, n, step,
                           f"{x} is not {y}, the instantiated lemma {use.lemma.name!r}")
            hows.append(how)
        return f"instance of lemma {use.lemma.name!r} checked, " + " / ".join(sorted(set(hows)))

    def _check_claim(self):
        c = self.claim
        want = {"==": "=", "<=": "<=", "<": "<", ">=": ">=", ">": ">"}[c.op]
        got = self.relation
        # A strict claim needs a strict step: a chain of equalities proves lhs = rhs, not <.
        implied = {"=": {"="}, "<=": {"<=", "<", "="}, "<": {"<"}, ">=": {">=", ">", "="},
                   ">": {">"}}
        if got not in implied[want]:
            raise MalformedDerivation(f"derivation {self.name!r} establishes {got}, "
                                      f"claim {c.name!r} states {want}")
        extra = [k for k, v in self.assume.items() if v not in c.assume.values()]
        if extra:
            raise MalformedDerivation(f"derivation {self.name!r} assumes {extra[0]!r}, which "
                                      f"claim {c.name!r} does not")
        for side, mine, theirs in (("lhs", self.start, c.lhs), ("rhs", self.end, c.rhs)):
            if self._equal(mine, theirs) is None:
                raise WrongStep(f"derivation {self.name!r} does not end at claim {c.name!r}: "
                                f"its {side} {theirs} is not {mine}")

    def latex(self) -> str:
        """The chain as an ``align*`` environment, each step with its justification; a long
        sum continues on further rows, a long justification on the row below."""
        rows, head = [], latex(self.start)
        if len(head) > 90:
            start = display_pieces(self.start, 110)
            rows += [f"& {start[0]}"] + [rf"&\quad {p}" for p in start[1:]]
            head = ""
        for n, prev, step in self.pairs():
            head = head if n == 1 else ""
            why = (r"\text{" + latex_text(step.because) + "}" if isinstance(step.because, str)
                   else step.because.latex())
            pieces = display_pieces(step.expr)
            first = f"{head} &{_LATEX_REL[step.rel]} {pieces[0]}"
            more = [rf"&\quad {p}" for p in pieces[1:]]
            if len(pieces) == 1 and len(first) + len(why) < 140:
                rows.append(f"{first} && {why}")
            else:
                # The justification goes on its own line below, from the left margin: after
                # the alignment point it would run off the page.
                why = (latex_text(step.because) if isinstance(step.because, str)
                       else "$" + why + "$")
                rows += [first] + more + [r"\intertext{\small\hspace*{3em}" + why + "}"]
        body = ""
        for i, row in enumerate(rows):
            # \intertext follows a row's \\ and the next row follows it directly.
            sep = "" if i == 0 or rows[i - 1].startswith(r"\intertext") else " \\\\"
            body += sep + "\n" + row
        return "\\begin{align*}" + body + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        return self.latex()


def display_pieces(expr, width: int = 150) -> list:
    """LaTeX of ``expr`` cut into rows of about ``width`` characters at the terms of a sum
    (each later row starting with its sign); a single term longer than twice ``width`` is
    scaled to the line width (``graphicx``)."""
    s = latex(expr)
    if len(s) <= width or not isinstance(expr, sp.Add):
        return [_fit(s, width)]
    rows, current = [], ""
    for term in expr.as_ordered_terms():
        t = latex(term)
        piece = t if not current and not rows else (t if t.startswith("-") else "+ " + t)
        if current and len(current) + len(piece) > width:
            rows.append(current)
            current = ""
        current = (current + " " + piece).strip()
    rows.append(current)
    return [_fit(r, width) for r in rows]


def _fit(s: str, width: int) -> str:
    """``s`` as is when short; otherwise in a box shrunk to at most 0.75 of the line width
    (never enlarged): the length of LaTeX source only hints at the printed width."""
    if len(s) <= width // 2:
        return s
    return (r"\resizebox{\ifdim\width>0.75\linewidth 0.75\linewidth\else\width\fi}{!}"
            r"{$\displaystyle " + s + "$}")


def latex_text(text: str) -> str:
    """Plain text for a LaTeX document: special characters escaped outside ``$...$``, math
    between dollar signs kept as written."""
    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}",
             "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
    parts = text.split("$")
    if len(parts) % 2 == 0:  # an unmatched dollar: escape everything
        return "".join(table.get(ch, ch) for ch in text).replace("$", r"\$")
    return "".join(f"${p}$" if k % 2 else "".join(table.get(ch, ch) for ch in p)
                   for k, p in enumerate(parts))


def _monotone(f, nonnegative: bool = True, strict: bool = False) -> str | None:
    """``"+"`` when ``f`` is non-decreasing on the range of the lemma's sides (``[0, ∞)`` when
    ``nonnegative``, else all reals), ``"-"`` when non-increasing; strictly when ``strict``.
    Proved as: ``f`` continuous on the range (:func:`_smooth`) with a derivative of provable
    sign inside it."""
    if f is None:
        return "+"
    (x,) = f.variables
    inside = sp.Dummy("x", positive=True) if nonnegative else sp.Dummy("x", real=True)
    closed = sp.Dummy("x", nonnegative=True) if nonnegative else inside
    if not _smooth(f.expr, x, inside, closed):
        return None
    d = sp.diff(f.expr, x).xreplace({x: inside})
    if provably_nonnegative(d, strict):
        return "+"
    if provably_nonnegative(-d, strict):
        return "-"
    return None


def _smooth(e, x, inside, closed) -> bool:
    """Whether ``e`` (a function of ``x``) is continuous for ``x`` in the closed range and
    differentiable inside it (``inside``/``closed``: dummies carrying the range): built from
    ``+``, ``·``, constants, integer powers, real powers of positive numbers (or of
    non-negative ones with a positive exponent), ``exp``, and ``log`` of positive numbers."""
    if not e.has(x) or e == x:
        return True

    def positive(g, at):
        return provably_nonnegative(g.xreplace({x: at}), strict=True)

    def nonnegative(g, at):
        return provably_nonnegative(g.xreplace({x: at}))

    if isinstance(e, (sp.Add, sp.Mul)):
        return all(_smooth(a, x, inside, closed) for a in e.args)
    if isinstance(e, sp.exp):
        return _smooth(e.args[0], x, inside, closed)
    if isinstance(e, sp.log):
        return positive(e.args[0], closed) and _smooth(e.args[0], x, inside, closed)
    if isinstance(e, sp.Pow):
        b, n = e.args
        if n.has(x):
            ok = positive(b, closed)
        elif n.is_integer and n.is_nonnegative:
            ok = True
        else:
            ok = bool(n.is_extended_real) and (positive(b, closed) or (
                positive(b, inside) and nonnegative(b, closed) and provably_nonnegative(n, True)))
        return ok and _smooth(b, x, inside, closed) and _smooth(n, x, inside, closed)
    return False


def _nonnegative_sides(use) -> bool:
    """Whether both sides of the instantiated lemma are provably ``≥ 0``: built from
    non-negative scalars and KL, TV, χ², Hellinger, Jensen–Shannon, entropy and Rényi (of
    non-negative order) divergences, each ``≥ 0`` (Gibbs)."""
    from .divergences import TV, ChiSquare, Entropy, Hellinger, JensenShannon, KL, Renyi

    sigma = use.sigma()
    sides = (use.lemma.statement.lhs.xreplace(sigma), use.lemma.statement.rhs.xreplace(sigma))

    def nonnegative_node(n):
        if isinstance(n, (KL, TV, ChiSquare, Hellinger, JensenShannon, Entropy)):
            return True
        return isinstance(n, Renyi) and provably_nonnegative(n.scalar_args()[0])

    out = []
    for side in sides:
        nodes = {n: sp.Dummy("D", nonnegative=True) for n in side.atoms(sp.Function)
                 if nonnegative_node(n)}
        out.append(provably_nonnegative(side.xreplace(nodes)))
    return all(out)


def provably_nonnegative(expr, strict: bool = False) -> bool:
    """Whether SymPy proves ``expr ≥ 0`` (``> 0`` when strict) for every value of its scalar
    symbols in their open ranges (so on the closed ranges too when ``expr`` is continuous)."""
    e = sp.sympify(expr)
    test = (lambda v: v.is_positive) if strict else (lambda v: v.is_nonnegative)
    if test(e) or (not strict and _one_minus_unit(e)):
        return True
    subs = {}
    for s in e.free_symbols:
        if isinstance(s, ScalarSymbol):
            u, v = sp.Dummy("u", positive=True), sp.Dummy("v", positive=True)
            if s.low.is_finite and s.high.is_finite:
                subs[s] = s.low + (s.high - s.low) * u / (u + v)
            elif s.low.is_finite:
                subs[s] = s.low + u
            elif s.high.is_finite:
                subs[s] = s.high - u
    e2 = e.xreplace(subs)
    for candidate in (e2, sp.factor(sp.together(e2))):
        if test(candidate):
            return True
    return bool(test(sp.simplify(e2)))


def _one_minus_unit(e) -> bool:
    """``e = 1 − y`` with ``y`` provably in ``[0, 1]``."""
    return _unit(sp.expand(1 - e))


def _unit(y, depth: int = 0) -> bool:
    """``y ∈ [0, 1]``: scalars ranging inside ``[0, 1]``, products and non-negative powers
    of such numbers, and ``1 − y`` for such ``y``."""
    if depth > 6:
        return False
    if y.is_number:
        return bool(y >= 0) and bool(y <= 1)
    if isinstance(y, ScalarSymbol):
        return bool(y.low >= 0) and bool(y.high <= 1)
    if isinstance(y, sp.Mul):
        return all(_unit(f, depth + 1) for f in y.args)
    if isinstance(y, sp.Pow):
        return _unit(y.base, depth + 1) and bool(y.exp.is_nonnegative)
    if y.is_nonnegative and sp.factor(sp.together(1 - y)).is_nonnegative:
        return True
    if isinstance(y, sp.Add) and sp.Integer(1) in y.args:
        return _unit(sp.expand(1 - y), depth + 1)
    return False


def lemma_from_claim(claim, source: str) -> Lemma:
    """A proved claim, cited as a lemma: its symbols become pattern symbols, its scalar
    assumptions side conditions (an assumption that is not an inequality between numbers
    is not allowed here)."""
    conds = []
    for name, cond in claim.assume.items():
        if _SYMPY_REL.get(type(cond)) in (None, "="):
            raise MalformedDerivation(f"claim {claim.name!r}: assumption {name!r}={cond} "
                                      "cannot be a lemma's side condition")
        conds.append(cond)
    return Lemma(claim.name, claim.relation, source, tuple(conds))
