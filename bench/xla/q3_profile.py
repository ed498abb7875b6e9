"""Q3: where does a worker's per-record time go? The sequence of jitsynth_worker/capture.py, step by step.

Reimplements capture._capture with a perf_counter around every step (same calls, same order), using the
worker's own vjp_module/_random_inputs/_check_finite helpers (imported read-only from /work/main/python).
Records carry no input ranges, so floats are drawn from [0.1, 1.0], ints from [0, 5].
Usage: python q3_profile.py [N_RECORDS=100] [WARMUP=5]
"""
import collections
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jitsynth_worker import capture as W  # configures JAX exactly like the worker
from common import load_records, med, loadavg  # noqa
import jax
import numpy as np

STEPS = ["fwd: exec source", "fwd: jit.trace", "fwd: str(jaxpr)", "fwd: lower", "fwd: as_text stablehlo",
         "fwd: as_text hlo", "fwd: compile", "fwd: compiled.as_text", "fwd: cost_analysis",
         "fwd: input generation", "fwd: execute + finite check",
         "bwd: build vjp source", "bwd: exec source", "bwd: jit.trace", "bwd: str(jaxpr)", "bwd: lower",
         "bwd: as_text stablehlo", "bwd: as_text hlo", "bwd: compile", "bwd: compiled.as_text"]


def with_ranges(args):
    out = []
    for a in args:
        a = dict(a)
        if W._is_float(a["dtype"]):
            a["low"], a["high"] = 0.1, 1.0
        else:
            a["low"], a["high"] = 0, 5
        out.append(a)
    return out


def one(rec, seed, T, C):
    def step(name):
        class S:
            def __enter__(self):
                self.t, self.c = time.perf_counter(), time.process_time()

            def __exit__(self, *exc):
                T[name] += time.perf_counter() - self.t
                C[name] += time.process_time() - self.c  # all threads of the process (XLA's pools too)
        return S()

    args = with_ranges(rec["args"])
    with jax.enable_x64(False):
        def tlc(prefix, source, entry, args_):
            with step(f"{prefix}: exec source"):
                ns = W._run_module(source)
            with step(f"{prefix}: jit.trace"):
                traced = jax.jit(W._lookup(ns, entry)).trace(*W._specs(args_))
            with step(f"{prefix}: str(jaxpr)"):
                str(traced.jaxpr)
            with step(f"{prefix}: lower"):
                lowered = traced.lower()
            with step(f"{prefix}: as_text stablehlo"):
                lowered.as_text()
            with step(f"{prefix}: as_text hlo"):
                lowered.as_text(dialect="hlo")
            with step(f"{prefix}: compile"):
                compiled = lowered.compile()
            with step(f"{prefix}: compiled.as_text"):
                compiled.as_text()
            return ns, traced, compiled

        ns, traced, compiled = tlc("fwd", rec["python"], rec["entry"], args)
        outputs = [W._shape_dtype(l) for l in jax.tree_util.tree_leaves(traced.out_info)]
        with step("fwd: cost_analysis"):
            W._cost(compiled)
        with step("fwd: input generation"):
            inputs = W._random_inputs(args, seed)
        with step("fwd: execute + finite check"):
            try:
                W._check_finite(compiled(*inputs))
            except W.NonFiniteOutput:
                pass
        if W._differentiable(args, outputs):
            with step("bwd: build vjp source"):
                python, vjp_entry, cts = W.vjp_module(rec["python"], rec["entry"], args, outputs,
                                                      W._output_form(traced.out_info), ns)
                gargs = [{"name": a["name"], "shape": a["shape"], "dtype": a["dtype"]} for a in args] + cts
            tlc("bwd", python, vjp_entry, gargs)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    warm = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    recs = load_records(limit=n + warm)
    T0 = collections.defaultdict(float)
    t_start = time.perf_counter()
    for i, rec in enumerate(recs[:warm]):
        one(rec, 1000 + i, T0, collections.defaultdict(float))
    t_warm = time.perf_counter() - t_start
    T = collections.defaultdict(float)
    C = collections.defaultdict(float)
    per_rec = []
    loads = []
    t1 = time.perf_counter()
    for i, rec in enumerate(recs[warm:]):
        Tr = collections.defaultdict(float)
        one(rec, 2000 + i, Tr, C)
        per_rec.append(Tr)
        for k, v in Tr.items():
            T[k] += v
        loads.append(loadavg())
    wall = time.perf_counter() - t1
    tot = sum(T.values())
    print(f"{len(recs)-warm} records after {warm} warm-up records ({t_warm:.2f}s, first one included);"
          f" loop wall {wall:.2f}s, sum of steps {tot:.2f}s ({1000*tot/(len(recs)-warm):.1f} ms/record);"
          f" load avg median {med(loads):.2f}")
    ctot = sum(C.values())
    print(f"{'step':28s} {'total s':>8s} {'wall %':>6s} {'mean ms':>8s} {'median ms':>9s} {'CPU s':>7s} {'CPU %':>6s}")
    for k in STEPS:
        vals = [r.get(k, 0.0) for r in per_rec]
        print(f"{k:28s} {T[k]:8.3f} {100*T[k]/tot:6.1f} {1000*T[k]/len(per_rec):8.2f} {1000*med(vals):9.2f}"
              f" {C[k]:7.3f} {100*C[k]/ctot:6.1f}")
    groups = collections.OrderedDict([
        ("trace (exec+trace+jaxpr)", ["exec source", "jit.trace", "str(jaxpr)", "build vjp source"]),
        ("lower + as_text x2", ["lower", "as_text stablehlo", "as_text hlo"]),
        ("compile", ["compile"]),
        ("compiled.as_text + cost", ["compiled.as_text", "cost_analysis"]),
        ("inputs + execute", ["input generation", "execute + finite check"])])
    print("\ngrouped (fwd | bwd | both):")
    for g, parts in groups.items():
        f = sum(T[f"fwd: {p}"] for p in parts)
        b = sum(T[f"bwd: {p}"] for p in parts)
        cf_ = sum(C[f"fwd: {p}"] for p in parts) + sum(C[f"bwd: {p}"] for p in parts)
        print(f"  {g:26s} fwd {1000*f/len(per_rec):7.2f} ms ({100*f/tot:5.1f}%)  bwd {1000*b/len(per_rec):7.2f} ms"
              f" ({100*b/tot:5.1f}%)  both {100*(f+b)/tot:5.1f}% of wall, {100*cf_/ctot:5.1f}% of CPU")


if __name__ == "__main__":
    main()
