"""Q4: the optimized HLO taken at XLA's POST_SCHEDULER hook, without code generation.

The worker (python/jitsynth_worker/optimized.py) takes each backward module's optimized HLO from a
`jax.extend.xla` transformation at the POST_SCHEDULER stage and stops the compile there. This
script checks and times that against full compiles.

  --verify RUN [--forward-sample K]
      In a process that never imports the worker's hook, compile every backward module of the run
      (and K forward modules, default all) in full with JAX's default options and compare
      `compiled.as_text()`, renumbered as the worker renumbers (jitsynth_worker/names.py), with
      the record's text. Prints the counts, names every mismatch, exits 1 if there is one.
      tests/py/test_generate.py runs it on its test run.
  --time RUN N
      For N records, compile each module in full (forward with default options, backward with the
      worker's backward options) and the worker's way (forward: full compile, text from the hook;
      backward: stopped at the hook); compare the texts; print wall and CPU seconds of both ways.
      The two ways are interleaved module by module.

Usage: .venv/bin/python bench/xla/q4_post_scheduler.py --verify RUN | --time RUN N
"""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from jitsynth_worker import target  # noqa: E402  (no JAX)

# Compile for the records' declared target: one CPU (pinned before JAX starts its threads, as the
# workers do), the capped instruction set.
target.pin_to_one_cpu(0)
from common import jax, load_records, lower  # noqa: E402


def verify(run, forward_sample):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
    from jitsynth_worker.names import renumber  # noqa: E402  (no JAX, no hook)

    records = load_records(run)
    forward = records if forward_sample is None else random.Random(0).sample(
        records, min(forward_sample, len(records)))
    modules = [("forward", r, r["python"], r["entry"], r["args"], r["optimized_hlo"]) for r in forward]
    modules += [("backward", r, r["grad"]["python"], r["grad"]["entry"], r["grad"]["args"],
                 r["grad"]["optimized_hlo"]) for r in records if r["grad"]]
    counts = {kind: {"modules": 0, "equal": 0, "verbatim": 0} for kind in ("forward", "backward")}
    bad = []
    for kind, r, python, entry, args, want in modules:
        counts[kind]["modules"] += 1
        with jax.enable_x64(r["x64"]):
            text = lower(python, entry, args).compile(compiler_options=target.with_target(None)).as_text()
        counts[kind]["verbatim"] += text == want
        if renumber(text) == want:
            counts[kind]["equal"] += 1
        else:
            bad.append(f"{r['id']} {kind}")
    for kind, c in counts.items():
        print(f"{kind}: {c['modules']} modules; record text == renumbered full compile text "
              f"{c['equal']}; different {c['modules'] - c['equal']} (equal without renumbering: "
              f"{c['verbatim']})")
    for b in bad:
        print("mismatch:", b)
    return 1 if bad else 0


def time_both(run, n):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
    from jitsynth_worker import capture, optimized  # noqa: E402  (registers the hook)
    from jitsynth_worker.names import renumber  # noqa: E402
    from jax._src.interpreters import pxla

    assert optimized.HOOK_REGISTERED, "this jaxlib has no POST_SCHEDULER hook"
    totals = {(way, kind): [0.0, 0.0] for way in ("full", "hook") for kind in ("fwd", "bwd")}
    same = {"fwd": 0, "bwd": 0}
    count = {"fwd": 0, "bwd": 0}
    for i, r in enumerate(load_records(run, limit=n)):
        modules = [("fwd", r["python"], r["entry"], r["args"], None)]
        if r["grad"]:
            g = r["grad"]
            modules.append(("bwd", g["python"], g["entry"], g["args"], capture.BACKWARD_COMPILER_OPTIONS))
        for kind, python, entry, args, options in modules:
            texts = {}
            for way in (("full", "hook") if i % 2 == 0 else ("hook", "full")):
                with jax.enable_x64(r["x64"]):
                    lowered = lower(python, entry, args)
                    pxla._cached_compilation.cache_clear()
                    t0, c0 = time.perf_counter(), time.process_time()
                    if way == "full":
                        texts[way] = renumber(lowered.compile(compiler_options=options).as_text())
                    elif kind == "bwd":
                        texts[way] = optimized.optimized_hlo(lowered, options)
                    else:
                        texts[way] = optimized.compile_with_text(lowered)[1]
                    totals[(way, kind)][0] += time.perf_counter() - t0
                    totals[(way, kind)][1] += time.process_time() - c0
            count[kind] += 1
            same[kind] += texts["full"] == texts["hook"]
    for kind in ("fwd", "bwd"):
        full, hook = totals[("full", kind)], totals[("hook", kind)]
        print(f"{kind}: {count[kind]} modules, hook text == renumbered full compile text {same[kind]}/{count[kind]}; "
              f"full compile {full[0]:.1f}s wall {full[1]:.1f}s CPU; hook {hook[0]:.1f}s wall "
              f"{hook[1]:.1f}s CPU (wall ratio {hook[0] / max(full[0], 1e-9):.3f})")
    return 0 if same["fwd"] == count["fwd"] and same["bwd"] == count["bwd"] else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--verify", metavar="RUN")
    group.add_argument("--time", nargs=2, metavar=("RUN", "N"))
    parser.add_argument("--forward-sample", type=int)
    args = parser.parse_args()
    if args.verify:
        return verify(args.verify, args.forward_sample)
    return time_both(args.time[0], int(args.time[1]))


if __name__ == "__main__":
    sys.exit(main())
