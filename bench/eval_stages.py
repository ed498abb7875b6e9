#!/usr/bin/env python3
"""Where `jitsynth eval`'s CPU time goes, per stage, for python-to-stablehlo (issue 13).

Drives the sandbox server (python/jitsynth_eval/server.py) in this process, pinned to one CPU as
the pool pins it, on the first COUNT records of RUN: per record one request holding SETS
candidates (the oracle, then the shuffled oracle: another record's StableHLO, alternately). Each
child reports its process CPU time per stage (before the job came, confinement, parse and
compile, running the K input sets, the rest: serializing its outputs); the server's own CPU
(forking the spares with the garbage collection before, handing jobs out, reading and comparing
outputs, killing and reaping children) and the children's whole CPU (exit included, from
RUSAGE_CHILDREN) are measured around it. Prints CPU s per candidate for each stage.

Usage: .venv/bin/python bench/eval_stages.py RUN [--count 40] [--sets 1] [--inputs 3]
       [--cpu-slot 0]
"""

import argparse
import json
import os
import pathlib
import resource
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

LIMITS = {"cpu_s": 20, "wall_s": 60, "memory_bytes": 8 << 30, "file_bytes": 16 << 20, "processes": 1024}


def _records(run: pathlib.Path, count: int) -> list[dict]:
    records = []
    for chunk in sorted(run.glob("data-*.jsonl")):
        with chunk.open(encoding="utf-8") as lines:
            records += [json.loads(line) for line in lines if line.strip()]
        if len(records) >= count:
            break
    return records[:count]


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=pathlib.Path)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--sets", type=int, default=1, help="candidates per request (prediction sets)")
    parser.add_argument("--inputs", type=int, default=3)
    parser.add_argument("--cpu-slot", type=int, default=0)
    options = parser.parse_args()

    from jitsynth_worker import target

    target.pin_to_one_cpu(options.cpu_slot)
    os.environ["JAX_PLATFORMS"] = "cpu"
    start = resource.getrusage(resource.RUSAGE_SELF)
    from jitsynth_eval import server

    server.gc.collect()
    server.gc.freeze()
    import_cpu = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(start)
    records = _records(options.run, options.count)
    sandbox = server.Server([str(options.run.resolve())], options.sets)
    stages: dict[str, float] = {}

    def add(name: str, seconds: float) -> None:
        stages[name] = stages.get(name, 0.0) + seconds

    children_before, wall_before = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)), time.perf_counter()
    candidates = 0
    for i, record in enumerate(records):
        before = _cpu(resource.getrusage(resource.RUSAGE_SELF))
        sandbox.refill()
        between = _cpu(resource.getrusage(resource.RUSAGE_SELF))
        add("server: gc + fork the spares", between - before)
        programs = [{"kind": "stablehlo", "entry": record["entry"],
                     "text": (record if s % 2 == 0 else records[(i + 1) % len(records)])["stablehlo"]}
                    for s in range(options.sets)]
        reply = sandbox.check({
            "op": "check", "id": i, "candidates": programs,
            "reference": {"kind": "stablehlo", "text": record["stablehlo"], "entry": record["entry"]},
            "args": record["args"], "record_hlo": record["hlo"], "input_seed": record["input_seed"],
            "inputs": options.inputs, "x64": record["x64"], "limits": LIMITS})
        add("server: jobs out, outputs in, compare, kill + reap", _cpu(resource.getrusage(resource.RUSAGE_SELF)) - between)
        children = [reply["verdicts"][0]["reference_cpu_s"]] + [v["cpu_s"] for v in reply["verdicts"]]
        for cpu in children:
            rest = cpu.get("total", 0.0)
            for stage in ("before_job", "confine", "compile", "run"):
                add(f"child: {stage}", cpu.get(stage, 0.0))
                rest -= cpu.get(stage, 0.0)
            add("child: serialize outputs", rest)
            add("child: reported total", cpu.get("total", 0.0))
        candidates += len(programs)
    wall = time.perf_counter() - wall_before
    children = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - children_before
    sandbox.close()
    add("children: whole (RUSAGE_CHILDREN, exit included)", children)
    print(f"{len(records)} records, {candidates} candidates ({options.sets} per request), "
          f"K = {options.inputs}; {wall:.1f} s wall; server import of JAX {import_cpu:.2f} CPU s (once)")
    print("| stage | CPU s per candidate |")
    print("|---|---:|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds / candidates:.4f} |")
    total = stages["children: whole (RUSAGE_CHILDREN, exit included)"] + \
        stages["server: gc + fork the spares"] + stages["server: jobs out, outputs in, compare, kill + reap"]
    print(f"| **server + children** | **{total / candidates:.4f}** |")
    print(f"(load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
