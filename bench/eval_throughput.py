#!/usr/bin/env python3
"""Throughput of `jitsynth eval` (issue 13: at least 5 candidates/s on 2 cores for
python-to-stablehlo on default records).

Generates COUNT records with the default policy (or takes --run), then times
`jitsynth eval RUN --task python-to-stablehlo --predictions P --workers W --inputs K` for each P in
--predictions. Every candidate costs two sandboxed children (the record's StableHLO and the
prediction, each parsed, compiled by XLA:CPU and run on K input sets); the oracle is the slowest
case, since no candidate fails early. An entry of --predictions joined by "+" (oracle+shuffled)
scores those sets in one command, as a user comparing models does: the record's own program then
runs once per record for all of them. Reported: candidates per second of the whole command (the
sandbox servers' start, JAX's import, included) and of the scoring alone (what eval prints), and
the CPU time per candidate (the eval process and all its children), with the load average before
and after (the machine's other work shows in the wall time, far less in the CPU time).

Usage: .venv/bin/python bench/eval_throughput.py [--count 40] [--seed 7] [--workers 2] [--inputs 3]
       [--predictions oracle,shuffled,oracle+shuffled] [--run DIR] [--json FILE]
"""

import argparse
import json
import os
import pathlib
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLI = ROOT / "build" / "jitsynth"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--inputs", type=int, default=3)
    parser.add_argument("--predictions", default="oracle,shuffled,oracle+shuffled")
    parser.add_argument("--task", default="python-to-stablehlo")
    parser.add_argument("--run", type=pathlib.Path, help="an existing run (else one is generated)")
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures here")
    options = parser.parse_args()

    scratch = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-eval-bench-"))
    try:
        run = options.run
        if run is None:
            run = scratch / "run"
            subprocess.run([str(CLI), "generate", "--count", str(options.count), "--seed", str(options.seed),
                            "--out", str(run), "--workers", str(options.workers), "--quiet"], check=True)
        rows = []
        load_before = round(os.getloadavg()[0], 1)
        for predictions in options.predictions.split(","):
            out = scratch / f"report-{predictions}"
            sets = predictions.split("+")
            command = [str(CLI), "eval", str(run), "--task", options.task, "--out", str(out),
                       "--workers", str(options.workers), "--inputs", str(options.inputs)]
            for name in sets:
                command += ["--predictions", name]
            cpu_before, start = _children_cpu(), time.perf_counter()
            proc = subprocess.run(command, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - start
            cpu = _children_cpu() - cpu_before
            summaries = [json.loads((out / (name if len(sets) > 1 else "") / "summary.json").read_text())
                         for name in sets]
            candidates = sum(summary["overall"]["records"] for summary in summaries)
            equivalent = "/".join(f"{summary['overall']['equivalent']:.3f}" for summary in summaries)
            scoring = re.search(r"candidates in ([0-9.]+) s", proc.stdout)
            rows.append({
                "predictions": predictions, "candidates": candidates, "wall_s": round(wall, 2),
                "candidates_per_s": round(candidates / wall, 2),
                "scoring_s": float(scoring.group(1)) if scoring else None,
                "scoring_candidates_per_s": round(candidates / float(scoring.group(1)), 2) if scoring else None,
                "cpu_s_per_candidate": round(cpu / candidates, 3),
                "equivalent": equivalent,
            })
        figures = {"task": options.task, "workers": options.workers, "inputs": options.inputs,
                   "cores": os.cpu_count(), "load_average_1min_before": load_before,
                   "load_average_1min": round(os.getloadavg()[0], 1),
                   "rows": rows}
        print("| predictions | candidates | wall s | candidates/s (whole command) | candidates/s (scoring) "
              "| CPU s / candidate | equivalent |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['predictions']} | {r['candidates']} | {r['wall_s']} | {r['candidates_per_s']} | "
                  f"{r['scoring_candidates_per_s']} | {r['cpu_s_per_candidate']} | {r['equivalent']} |")
        print(f"({figures['cores']} cores, load average {load_before} before, "
              f"{figures['load_average_1min']} at the end)")
        if options.json:
            options.json.write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
