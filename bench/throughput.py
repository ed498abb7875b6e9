#!/usr/bin/env python3
"""Throughput of jitsynth against the compile floor (issue: the engine).

Runs, on the same programs (one seed, COUNT samples):
  (a) `jitsynth generate` end to end with each worker count in --workers (wall time of the whole
      command, worker start-up included);
  (b) the compile floor: the least in-process work per record, timed in this one plain Python
      process with JAX warm: make_jaxpr, lower, StableHLO text, HLO text, compile, optimized
      text, for the forward module and the backward module of every record;
  (c) the ratio of (a) to the floor scaled by the number of workers (floor pairs/s x workers).

Usage: .venv/bin/python bench/throughput.py [--count 200] [--seed 7] [--workers 1,2]
Prints a table and writes the figures as JSON (--json FILE). Run it on an otherwise idle machine.
"""

import argparse
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_generate(count, seed, workers, out, extra):
    start = time.perf_counter()
    subprocess.run([str(ROOT / "build" / "jitsynth"), "generate", "--count", str(count),
                    "--seed", str(seed), "--workers", str(workers), "--out", str(out), "--quiet",
                    *extra], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    manifest = json.loads((out / "manifest.json").read_text())
    return wall, manifest


def records_of(out):
    for chunk in sorted(out.glob("data-*.jsonl")):
        with open(chunk, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def floor_seconds(records):
    """Seconds this process needs for the minimal capture of every record, forward and back."""
    import jax

    jax.config.update("jax_traceback_in_locations_limit", 0)
    jax.config.update("jax_platforms", "cpu")

    def capture(source, entry, args):
        namespace = {}
        exec(compile(source, "<floor>", "exec"), namespace)
        f = namespace[entry]
        specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), a["dtype"]) for a in args]
        str(jax.make_jaxpr(f)(*specs))
        lowered = jax.jit(f).lower(*specs)
        lowered.as_text()
        lowered.as_text(dialect="hlo")
        lowered.compile().as_text()

    # Warm JAX up on the first record so that one-time initialisation is not charged.
    first = records[0]
    with jax.enable_x64(first["x64"]):
        capture(first["python"], first["entry"], first["args"])
    start = time.perf_counter()
    for r in records:
        with jax.enable_x64(r["x64"]):
            capture(r["python"], r["entry"], r["args"])
            if r["grad"] is not None:
                g = r["grad"]
                capture(g["python"], g["entry"], g["args"])
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--json", type=pathlib.Path)
    parser.add_argument("--generate-arg", action="append", default=[],
                        help="extra argument passed to generate (repeatable)")
    args = parser.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",")]

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-bench-"))
    results = {"count": args.count, "seed": args.seed, "runs": {}}
    try:
        for w in worker_counts:
            out = tmp / f"w{w}"
            wall, manifest = run_generate(args.count, args.seed, w, out, args.generate_arg)
            records = manifest["counts"]["records"]
            results["runs"][w] = {"wall_seconds": wall, "records": records,
                                  "pairs_per_second": records / wall,
                                  "peak_worker_rss_mib": manifest["pool"]["peak_worker_rss_bytes"] / 2**20,
                                  "worker_stage_seconds": manifest["timings"]["worker_stage_seconds"]}
        records = list(records_of(tmp / f"w{worker_counts[0]}"))
        floor = floor_seconds(records)
        results["floor"] = {"seconds": floor, "pairs_per_second": len(records) / floor,
                            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    floor_rate = results["floor"]["pairs_per_second"]
    print(f"compile floor (one process): {floor_rate:.2f} pairs/s "
          f"({results['floor']['seconds']:.1f}s for {args.count} records)")
    print(f"{'workers':>7} {'wall s':>8} {'pairs/s':>8} {'floor x W':>10} {'ratio':>6} "
          f"{'peak RSS MiB':>13}")
    for w, run in results["runs"].items():
        run["ratio_to_floor"] = run["pairs_per_second"] / (floor_rate * w)
        print(f"{w:>7} {run['wall_seconds']:>8.1f} {run['pairs_per_second']:>8.2f} "
              f"{floor_rate * w:>10.2f} {run['ratio_to_floor']:>6.2f} "
              f"{run['peak_worker_rss_mib']:>13.0f}")
    if 1 in results["runs"] and 2 in results["runs"]:
        results["speedup_2_over_1"] = (results["runs"][2]["pairs_per_second"] /
                                       results["runs"][1]["pairs_per_second"])
        print(f"2 workers / 1 worker: {results['speedup_2_over_1']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
