#!/usr/bin/env python3
"""The baselines' table of the README: oracle, shuffled oracle and retrieval, per task, on the
test split of a run.

Generates COUNT records (or takes --run), splits them (`jitsynth split`, default ratios), and runs
`jitsynth eval TEST --task T --predictions oracle --predictions shuffled --predictions retrieval
--train TRAIN` for every task the run serves; prints one Markdown table (a row per task and
baseline, a column per rung) and the test split's size.

Usage: .venv/bin/python bench/eval_baselines.py [--count 1250] [--seed 7] [--workers 2] [--run DIR]
       [--keep DIR] [--tasks a,b,...] [--ratios 0.8,0.1,0.1]
The README's table needs a test split of 1,000 records: --count 10000 with the default ratios.
"""

import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLI = ROOT / "build" / "jitsynth"
TASKS = ["python-to-stablehlo", "python-to-hlo", "hlo-to-optimized-hlo", "optimized-hlo-to-python",
         "stablehlo-to-grad-stablehlo", "optimized-hlo-to-cost"]
BASELINES = ["oracle", "shuffled", "retrieval"]
RUNGS = ["well_formed", "compiles", "equivalent", "exact", "similarity"]


def cell(value, rung):
    if value is None:
        return "n/a"
    return f"{value:.3f}" if rung == "similarity" else f"{100 * value:.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1250)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--inputs", type=int, default=3)
    parser.add_argument("--run", type=pathlib.Path, help="an existing run to split (else one is generated)")
    parser.add_argument("--keep", type=pathlib.Path, help="keep the split and the reports here")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--ratios", default="0.8,0.1,0.1", help="split ratios (train,validation,test)")
    options = parser.parse_args()

    scratch = options.keep or pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-baselines-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        run = options.run
        if run is None:
            run = scratch / "run"
            subprocess.run([str(CLI), "generate", "--count", str(options.count), "--seed", str(options.seed),
                            "--out", str(run), "--workers", str(options.workers), "--quiet"], check=True)
        split = scratch / "split"
        subprocess.run([str(CLI), "split", str(run), "--out", str(split), "--ratios", options.ratios],
                       check=True)
        print("| task | predictions | records | well-formed | compiles | equivalent | exact | similarity |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for task in options.tasks.split(","):
            out = scratch / f"report-{task}"
            args = [str(CLI), "eval", str(split / "test"), "--task", task, "--train", str(split / "train"),
                    "--out", str(out), "--workers", str(options.workers), "--inputs", str(options.inputs)]
            for baseline in BASELINES:
                args += ["--predictions", baseline]
            subprocess.run(args, check=True, capture_output=True, text=True)
            for baseline in BASELINES:
                overall = json.loads((out / baseline / "summary.json").read_text())["overall"]
                cells = " | ".join(cell(overall[rung], rung) for rung in RUNGS)
                print(f"| {task} | {baseline} | {overall['records']} | {cells} |", flush=True)
    finally:
        if options.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
