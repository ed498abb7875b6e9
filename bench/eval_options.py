#!/usr/bin/env python3
"""The XLA options the eval sandbox compiles with (candidate.COMPILER_OPTIONS), against XLA's
defaults and against `xla_backend_optimization_level=0` alone: compile CPU time and outputs.

For the first COUNT records of RUN, compiles the record's StableHLO (as the sandbox does:
parse, XLA:CPU compile_and_load) under each option set, interleaved record by record in one
process pinned to one CPU, runs it on K seeded input sets, and compares every option set's
outputs with the defaults' by eval's own rule (server.compare: per-dtype tolerances, integers
exactly) and bitwise.

Usage: .venv/bin/python bench/eval_options.py RUN [--count 40] [--inputs 3] [--cpu-slot 0]
"""

import argparse
import io
import json
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=pathlib.Path)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--inputs", type=int, default=3)
    parser.add_argument("--cpu-slot", type=int, default=0)
    options = parser.parse_args()

    from jitsynth_worker import target

    target.pin_to_one_cpu(options.cpu_slot)
    os.environ["JAX_PLATFORMS"] = "cpu"
    import numpy as np
    from jitsynth_eval import candidate, server

    adopted = dict(candidate.COMPILER_OPTIONS)
    option_sets = {"XLA defaults": {}, "xla_backend_optimization_level=0": {"xla_backend_optimization_level": 0},
                   "adopted: " + ", ".join(f"{k}={v}" for k, v in adopted.items()): adopted}
    records = []
    for chunk in sorted(options.run.glob("data-*.jsonl")):
        records += [json.loads(line) for line in chunk.read_text().splitlines() if line.strip()]
    records = records[:options.count]
    cpu = dict.fromkeys(option_sets, 0.0)
    within = dict.fromkeys(option_sets, 0)
    bitwise = dict.fromkeys(option_sets, 0)
    for record in records:
        outputs = {}
        for name, compiler_options in option_sets.items():
            candidate.COMPILER_OPTIONS = compiler_options
            job = {"kind": "stablehlo", "text": record["stablehlo"], "entry": record["entry"],
                   "args": record["args"], "input_seed": record["input_seed"], "inputs": options.inputs,
                   "x64": record["x64"], "kept": None}
            start = time.process_time()
            header, blob = candidate.evaluate(job)
            cpu[name] += header["cpu_s"].get("compile", time.process_time() - start)
            if header["ran"]:
                with np.load(io.BytesIO(blob)) as archive:
                    outputs[name] = [[archive[f"k{k}_{j}"] for j in range(header["outputs"])]
                                     for k in range(header["sets"])]
        want = outputs.get("XLA defaults")
        for name, got in outputs.items():
            if want is not None and not server.compare(want, got):
                within[name] += 1
            if want is not None and all(a.tobytes() == b.tobytes() for ws, gs in zip(want, got)
                                        for a, b in zip(ws, gs)):
                bitwise[name] += 1
    print(f"{len(records)} records of {options.run}, K = {options.inputs}, one process on one CPU")
    print("| options | compile CPU s (all records) | ratio to defaults | outputs within eval's tolerances "
          "of the defaults' | bitwise identical |")
    print("|---|---:|---:|---:|---:|")
    base = cpu["XLA defaults"] or 1.0
    for name in option_sets:
        print(f"| {name} | {cpu[name]:.2f} | {cpu[name] / base:.2f} | {within[name]}/{len(records)} | "
              f"{bitwise[name]}/{len(records)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
