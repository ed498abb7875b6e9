#!/usr/bin/env python3
"""Throughput of jitsynth against the compile floor (issue: the engine).

Runs, on the same programs (one seed, COUNT samples):
  (a) `jitsynth generate` end to end with each worker count in --workers (wall time of the whole
      command, worker start-up included), and the CPU time it used (driver and workers);
  (b) the compile floor: the least in-process work per record, timed in plain Python processes with
      JAX warm: make_jaxpr, lower, StableHLO text, HLO text, compile, optimized text, for the forward
      module and the backward module of every record, with JAX's default compile options. Measured
      twice: in one process (the "floor"), and, for every W in --workers above 1, in W processes at
      once, each on every W-th record and started together (the "W-process floor": what W cores do
      with the floor's work, XLA's own compile threads included);
  (c) the ratio of (a) to the floor scaled by the number of workers (floor pairs/s x W), and to the
      W-process floor.

XLA compiles on several threads of its own, so one process uses more than one core (the "cores"
column). Two workers on two cores can then be at most 2 / cores(1 worker) times as fast as one.

Usage: .venv/bin/python bench/throughput.py [--count 200] [--seed 7] [--workers 1,2] [--json FILE]
Run it on an otherwise idle machine.
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


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_generate(count, seed, workers, out, extra):
    cpu0 = children_cpu_seconds()
    start = time.perf_counter()
    subprocess.run([str(ROOT / "build" / "jitsynth"), "generate", "--count", str(count),
                    "--seed", str(seed), "--workers", str(workers), "--out", str(out), "--quiet",
                    *extra], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    cpu = children_cpu_seconds() - cpu0
    manifest = json.loads((out / "manifest.json").read_text())
    return wall, cpu, manifest


def records_of(out):
    for chunk in sorted(out.glob("data-*.jsonl")):
        with open(chunk, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def floor_child(records_path, part, parts):
    """Floor work on records part, part+parts, ...; waits for a line on stdin before timing."""
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

    records = [json.loads(line) for line in open(records_path, encoding="utf-8")][part::parts]
    # Warm JAX up on the first record so that one-time initialisation is not charged.
    first = records[0]
    with jax.enable_x64(first["x64"]):
        capture(first["python"], first["entry"], first["args"])
    print("ready", flush=True)
    sys.stdin.readline()
    start, cpu0 = time.perf_counter(), time.process_time()
    for r in records:
        with jax.enable_x64(r["x64"]):
            capture(r["python"], r["entry"], r["args"])
            if r["grad"] is not None:
                g = r["grad"]
                capture(g["python"], g["entry"], g["args"])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu0
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "records": len(records),
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
          flush=True)


def floor(records_path, processes):
    """The floor in `processes` processes started together: pairs/s over all of them."""
    children = [subprocess.Popen([sys.executable, __file__, "--floor-child", str(records_path),
                                  str(p), str(processes)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for p in range(processes)]
    for child in children:
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError("a floor process failed before timing")
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    results = []
    for child in children:
        results.append(json.loads(child.stdout.readline()))
        if child.wait() != 0:
            raise RuntimeError("a floor process failed")
    seconds = max(r["seconds"] for r in results)
    cpu = sum(r["cpu_seconds"] for r in results)
    records = sum(r["records"] for r in results)
    return {"processes": processes, "seconds": seconds, "records": records,
            "pairs_per_second": records / seconds, "cpu_seconds": cpu,
            "cores": cpu / seconds, "cpu_seconds_per_record": cpu / records,
            "peak_rss_mib": max(r["peak_rss_mib"] for r in results)}


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--floor-child":
        return floor_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
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
    results = {"count": args.count, "seed": args.seed, "host_cores": os.cpu_count(),
               "load_average_before": os.getloadavg()[0], "runs": {}, "floors": {}}
    try:
        for w in worker_counts:
            out = tmp / f"w{w}"
            wall, cpu, manifest = run_generate(args.count, args.seed, w, out, args.generate_arg)
            records = manifest["counts"]["records"]
            results["runs"][w] = {"wall_seconds": wall, "records": records,
                                  "pairs_per_second": records / wall,
                                  "cpu_seconds": cpu, "cores": cpu / wall,
                                  "cpu_seconds_per_record": cpu / records,
                                  "peak_worker_rss_mib": manifest["pool"]["peak_worker_rss_bytes"] / 2**20,
                                  "worker_stage_seconds": manifest["timings"]["worker_stage_seconds"]}
        records_path = tmp / "records.jsonl"
        with open(records_path, "w", encoding="utf-8") as f:
            for r in records_of(tmp / f"w{worker_counts[0]}"):
                f.write(json.dumps(r) + "\n")
        for p in sorted({1, *worker_counts}):
            results["floors"][p] = floor(records_path, p)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    floor1 = results["floors"][1]
    print(f"floor, 1 process: {floor1['pairs_per_second']:.2f} pairs/s "
          f"({floor1['seconds']:.1f}s for {floor1['records']} records, {floor1['cores']:.2f} cores, "
          f"{floor1['cpu_seconds_per_record']:.3f} CPU s/record)")
    for p, fl in results["floors"].items():
        if p != 1:
            print(f"floor, {p} processes at once: {fl['pairs_per_second']:.2f} pairs/s "
                  f"({fl['cores']:.2f} cores, {fl['cpu_seconds_per_record']:.3f} CPU s/record)")
    print(f"{'workers':>7} {'wall s':>7} {'pairs/s':>8} {'cores':>6} {'CPU s/rec':>9} "
          f"{'floor x W':>10} {'ratio':>6} {'W-proc floor':>12} {'ratio':>6} {'peak RSS MiB':>13}")
    for w, run in results["runs"].items():
        run["ratio_to_floor_x_workers"] = run["pairs_per_second"] / (floor1["pairs_per_second"] * w)
        wfloor = results["floors"][w]["pairs_per_second"]
        run["ratio_to_w_process_floor"] = run["pairs_per_second"] / wfloor
        print(f"{w:>7} {run['wall_seconds']:>7.1f} {run['pairs_per_second']:>8.2f} "
              f"{run['cores']:>6.2f} {run['cpu_seconds_per_record']:>9.3f} "
              f"{floor1['pairs_per_second'] * w:>10.2f} {run['ratio_to_floor_x_workers']:>6.2f} "
              f"{wfloor:>12.2f} {run['ratio_to_w_process_floor']:>6.2f} "
              f"{run['peak_worker_rss_mib']:>13.0f}")
    if 1 in results["runs"] and 2 in results["runs"]:
        one, two = results["runs"][1], results["runs"][2]
        results["speedup_2_over_1"] = two["pairs_per_second"] / one["pairs_per_second"]
        results["speedup_bound_2_over_1"] = min(2.0, results["host_cores"]) / one["cores"]
        print(f"2 workers / 1 worker: {results['speedup_2_over_1']:.2f}x "
              f"(bound from the cores 1 worker already uses: "
              f"{results['speedup_bound_2_over_1']:.2f}x)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
