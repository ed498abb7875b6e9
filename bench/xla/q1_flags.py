"""Q1: do LLVM/codegen-only XLA options leave optimized HLO identical, and how much faster is compile()?

For every record's forward and backward module: trace once, then compile it under each variant
(per-compile `lowered.compile(compiler_options=...)`), the variants in a rotated order per module
(A/B interleaving), JAX's compile cache cleared before each compile. Records:
  - compiled.as_text() byte-identical to the baseline's (and to the record's optimized_hlo)
  - cost_analysis() identical
  - outputs bitwise identical when executed on fixed inputs (fwd and bwd)
  - size of the serialized executable (object code; shows the option really took effect)
  - compile() seconds
Usage: python q1_flags.py [N_RECORDS] [OUT_JSON]
"""
import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa
from jax._src.interpreters import pxla

VARIANTS = {
    "base": {},
    "O0": {"xla_backend_optimization_level": 0},
    "noexp": {"xla_llvm_disable_expensive_passes": True},
    "split1": {"xla_cpu_parallel_codegen_split_count": 1},
    "O0+noexp": {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True},
    "O0+noexp+split1": {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True,
                        "xla_cpu_parallel_codegen_split_count": 1},
    # exploratory extras (run with Q1_VARIANTS=...)
    "O1": {"xla_backend_optimization_level": 1},
    "O2": {"xla_backend_optimization_level": 2},
    "misc": {"xla_llvm_force_inline_before_split": False, "xla_enable_scoped_logging_timers": False,
             "xla_llvm_enable_alias_scope_metadata": False, "xla_llvm_enable_noalias_metadata": False,
             "xla_llvm_enable_invariant_load_metadata": False},
    "O0+misc": {"xla_backend_optimization_level": 0, "xla_llvm_force_inline_before_split": False,
                "xla_enable_scoped_logging_timers": False, "xla_llvm_enable_alias_scope_metadata": False,
                "xla_llvm_enable_noalias_metadata": False, "xla_llvm_enable_invariant_load_metadata": False},
    "fe_off": {"xla_cpu_use_fusion_emitters": False},  # control: not codegen-only (FusionWrapper is an HLO pass)
}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    out_path = sys.argv[2] if len(sys.argv) > 2 else "q1_results.json"
    names = [v for v in os.environ.get("Q1_VARIANTS", ",".join(VARIANTS)).split(",")]
    recs = load_records(limit=n)
    rows = []
    t_start = time.time()
    load_samples = []
    for i, rec in enumerate(recs):
        for kind, py, entry, args in modules(rec):
            traced = trace(py, entry, args)
            order = names[i % len(names):] + names[:i % len(names)]
            if kind == "bwd":
                order = order[::-1]
            res = {}
            inputs = fixed_inputs(args, seed=1234 + i)
            for v in order:
                lowered = traced.lower()
                pxla._cached_compilation.cache_clear()
                opts = VARIANTS[v] or None
                t0, c0 = time.perf_counter(), time.process_time()
                compiled = lowered.compile(compiler_options=opts) if opts else lowered.compile()
                dt, dc = time.perf_counter() - t0, time.process_time() - c0
                text = compiled.as_text()
                try:
                    obj = len(compiled.runtime_executable().serialize())
                except Exception:
                    obj = -1
                outs = leaves_bytes(compiled(*inputs))
                res[v] = {"t": dt, "cpu": dc, "sha": hashlib.sha1(text.encode()).hexdigest(),
                          "cost": cost3(compiled),
                          "out": hashlib.sha1(b"".join(outs)).hexdigest(), "obj": obj}
            want = rec["optimized_hlo"] if kind == "fwd" else rec["grad"]["optimized_hlo"]
            rows.append({"id": rec["id"], "kind": kind,
                         "record_match": res["base"]["sha"] == hashlib.sha1(want.encode()).hexdigest(),
                         **{v: res[v] for v in names}})
        load_samples.append(loadavg())
        if (i + 1) % 25 == 0:
            print(f"{i+1}/{len(recs)} records, {time.time()-t_start:.0f}s, load {loadavg():.2f}", flush=True)
    json.dump({"variants": {v: VARIANTS[v] for v in names}, "rows": rows, "load": load_samples}, open(out_path, "w"))
    summarize(rows, names, load_samples)


def summarize(rows, names, load_samples):
    print(f"\nmodules: {len(rows)} (fwd {sum(r['kind']=='fwd' for r in rows)}, bwd {sum(r['kind']=='bwd' for r in rows)});"
          f" baseline text == record's optimized_hlo: {sum(r['record_match'] for r in rows)}/{len(rows)}")
    print(f"load average during run: median {med(load_samples):.2f}, max {max(load_samples):.2f}")
    base_tot = {k: sum(r["base"]["t"] for r in rows if r["kind"] == k) for k in ("fwd", "bwd")}
    print(f"{'variant':18s} {'text==':>9s} {'cost==':>9s} {'out==':>9s} {'obj/base':>8s} "
          f"{'med ratio':>9s} {'p10':>6s} {'p90':>6s} {'fwd med':>8s} {'bwd med':>8s} {'sum ratio':>9s} {'med ms':>7s}")
    for v in names:
        same_text = sum(r[v]["sha"] == r["base"]["sha"] for r in rows)
        same_cost = sum(r[v]["cost"] == r["base"]["cost"] for r in rows)
        same_out = sum(r[v]["out"] == r["base"]["out"] for r in rows)
        ratios = [r[v]["t"] / r["base"]["t"] for r in rows]
        fr = [r[v]["t"] / r["base"]["t"] for r in rows if r["kind"] == "fwd"]
        br = [r[v]["t"] / r["base"]["t"] for r in rows if r["kind"] == "bwd"]
        objr = med([r[v]["obj"] / r["base"]["obj"] for r in rows if r["base"]["obj"] > 0])
        tot = sum(r[v]["t"] for r in rows) / sum(base_tot.values())
        cpu = med([r[v]["cpu"] / r["base"]["cpu"] for r in rows]) if "cpu" in rows[0]["base"] else float("nan")
        print(f"{v:18s} {same_text:4d}/{len(rows):<4d} {same_cost:4d}/{len(rows):<4d} {same_out:4d}/{len(rows):<4d} "
              f"{objr:8.2f} {med(ratios):9.3f} {pct(ratios,10):6.2f} {pct(ratios,90):6.2f} {med(fr):8.3f} {med(br):8.3f} "
              f"{tot:9.3f} {1000*med([r[v]['t'] for r in rows]):7.1f} {cpu:7.3f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--summarize":
        d = json.load(open(sys.argv[2]))
        summarize(d["rows"], [v for v in d["variants"] if v in d["rows"][0]], d["load"])
    else:
        main()
