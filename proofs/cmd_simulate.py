"""``metadistill simulate``: run the recursion q_{t+1} = Π_Q(Φ_{λ_t}(q_t; p*)) and set it
against THEORY.md's closed forms."""
from __future__ import annotations

import sys

from proofs.cli import EXIT_FAILED, EXIT_OK, UsageError, progress_bar, refuse_early, write_or_refuse
from proofs.options import fraction, integer, one_line_errors


def add_parser(sub):
    p = sub.add_parser(
        "simulate", help="simulate the anchored recursion and compare with the closed forms",
        description="Simulate q_{t+1} = Pi_Q(Phi_{lambda_t}(q_t; p*)) and compare every "
                    "generation with the closed forms of THEORY.md that apply (results 5, 7, 8, "
                    "9, 10). Deterministic students run one trajectory in exact/ball arithmetic; "
                    "the finite-sample student runs --chains float64 chains. Exit 1 when a "
                    "closed form disagrees with the simulation.")
    one_line_errors(p)
    p.add_argument("--operator", choices=("linear", "geometric"), default="linear",
                   help="anchoring operator (default linear)")
    p.add_argument("--student", choices=("realizable", "expfam", "samples"), default="realizable",
                   help="student class: realizable, exponential family (moment matching) or "
                        "finite-sample (default realizable)")
    p.add_argument("--lam", type=fraction("--lam", 0, 1), default=None,
                   help="anchoring weight lambda in [0, 1] (default 0.2)")
    p.add_argument("--K", type=integer("--K", 2), default=10, help="outcomes (default 10)")
    p.add_argument("--N", type=integer("--N", 1), default=None,
                   help="draws per generation, finite-sample student (default 1000)")
    p.add_argument("--generations", type=integer("--generations", 0), default=60,
                   help="generations to run (default 60)")
    p.add_argument("--chains", type=integer("--chains", 1), default=None,
                   help="independent chains, finite-sample student (default 20000)")
    p.add_argument("--seed", type=integer("--seed", 0), default=0, help="random seed (default 0)")
    p.add_argument("--T", type=fraction("--T", 0, open_low=True), default=None,
                   help="softening temperature inside the loop: Phi_lambda(S_T(q); p*)")
    p.add_argument("--schedule", default="constant",
                   help="lambda_t: constant (uses --lam), harmonic (= 1/(t+2)), or one weight "
                        "per generation, comma-separated (default constant)")
    p.add_argument("--features", type=integer("--features", 1), default=2,
                   help="expfam: polynomial features x, x^2, ... of the outcome (default 2)")
    p.add_argument("--delta", type=fraction("--delta", 0, open_low=True), default=None,
                   help="result 8: worst-case error added to KL(p*||q) each generation "
                        "(deterministic students)")
    p.add_argument("--anchor", default="random",
                   help="p*: random (from --seed), uniform, or K comma-separated probabilities")
    p.add_argument("--start", default="random",
                   help="q_0: random (from --seed), uniform, vertex, or K probabilities")
    p.add_argument("--precision", type=integer("--precision", 15), default=50,
                   help="digits for deterministic students (default 50)")
    p.add_argument("--json", metavar="FILE", help="write anchor, start and per-generation values")
    p.add_argument("--plot", metavar="FILE", help="draw divergence against generation (.png, .pdf or .svg)")
    return p


def _distribution(option, text, K, random_value):
    from fractions import Fraction

    from numerics.points import validate_distribution
    from theory.errors import InvalidDistribution

    t = text.strip()
    if t == "random":
        return random_value
    if t == "uniform":
        return [Fraction(1, K)] * K
    if t == "vertex" and option == "--start":
        return [Fraction(int(i == 0)) for i in range(K)]
    try:
        entries = [Fraction(x.strip()) for x in t.split(",") if x.strip()]
    except (ValueError, ZeroDivisionError):
        raise UsageError(f"{option}={text!r}: expected random, uniform"
                         f"{', vertex' if option == '--start' else ''} or K numbers") from None
    try:
        exact = validate_distribution(option.lstrip("-"), entries, K)
    except InvalidDistribution as exc:
        raise UsageError(f"{option}={text!r}: {exc} (--K={K})") from None
    total = sum(Fraction(int(x.p), int(x.q)) for x in exact)
    return [Fraction(int(x.p), int(x.q)) / total for x in exact]


def build(args):
    """``(recursion, anchor, start, chains)`` from the options; UsageError on bad input."""
    from numerics.experiments import random_pair
    from numerics.simulate import Recursion, Schedule, parse_schedule
    from numerics.students import ExponentialFamily, FiniteSample, InvalidSetting, Realizable

    K, lam = args.K, args.lam
    try:
        if args.schedule.strip() == "constant":
            schedule = Schedule.constant(lam if lam is not None else "0.2")
        else:
            if lam is not None:
                raise UsageError(f"--lam={lam} conflicts with --schedule={args.schedule}: "
                                 "give one or the other")
            schedule = parse_schedule(args.schedule)
        if args.student == "samples":
            student = FiniteSample(args.N if args.N is not None else 1000)
        elif args.student == "expfam":
            student = ExponentialFamily.polynomial(K, args.features)
        else:
            student = Realizable()
        rec = Recursion(args.operator, student, schedule, T=args.T, delta=args.delta)
    except InvalidSetting as exc:
        raise UsageError(_option_text(str(exc))) from None
    ignored = [o for o, v in (("--N", args.N), ("--chains", args.chains)) if v is not None]
    if student.deterministic and ignored:
        print(f"metadistill simulate: note: {' and '.join(ignored)} ignored: the {student.name} "
              "student is deterministic (one trajectory)", file=sys.stderr)
    rand_anchor, rand_start = random_pair(K, args.seed)
    anchor = _distribution("--anchor", args.anchor, K, rand_anchor)
    start = _distribution("--start", args.start, K, rand_start)
    if min(anchor) <= 0:
        raise UsageError(f"--anchor={args.anchor!r}: p* needs every entry > 0")
    chains = (args.chains if args.chains is not None else 20000) if not student.deterministic else 1
    return rec, anchor, start, chains


def _option_text(message: str) -> str:
    for name, option in (("lambda=", "--lam="), ("schedule", "--schedule"), ("N=", "--N="),
                         ("features=", "--features="), ("T=", "--T="), ("delta=", "--delta=")):
        if message.startswith(name):
            return option + message[len(name):]
    return message


def run(args) -> int:
    if args.plot:
        from proofs.figures import check_path, refuse_existing

        check_path(args.plot)
        refuse_existing(args.plot)
    if args.json:
        refuse_early(args.json, "json")
    from numerics.predictions import compare, predictions
    from numerics.simulate import simulate
    from numerics.students import InvalidSetting, MomentMatchingFailed
    from proofs.simulate_report import json_document, summary, text

    rec, anchor, start, chains = build(args)
    chunks = -(-chains // 16384) if not rec.student.deterministic else 1
    bar = progress_bar(args.generations * chunks)
    try:
        sim = simulate(rec, anchor, start, args.generations, chains=chains, seed=args.seed,
                       digits=args.precision, progress=bar.update)
    except (InvalidSetting, MomentMatchingFailed) as exc:
        raise UsageError(_option_text(str(exc))) from None
    finally:
        bar.close()
    preds = predictions(sim)
    checks = compare(sim, preds)
    extra = summary(sim, preds, args.precision)
    print(text(sim, preds, checks, extra))
    if args.json:
        write_or_refuse(args.json, json_document(sim, preds, checks, extra, args), "json")
    if args.plot:
        from proofs.figures import run_figure, save

        save(run_figure(sim, preds), args.plot)
    return EXIT_OK if all(c.passed for c in checks) else EXIT_FAILED
