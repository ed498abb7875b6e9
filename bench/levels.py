#!/usr/bin/env python3
"""What the levels below optimized HLO cost (issue 12): bytes, compile time, end-to-end throughput.

  sizes RUN            bytes per record of every level in a run's records (mean, median, max),
                       and the share of records with a CPU kernel
  compile RUN          per-record worker time (median over --sample records, each captured with
                       every variant in turn, in one process with JAX warm) for: no kernel level,
                       each kernel level alone, all three, and all three for the backward too
  throughput BIN...    `BIN generate --count N --seed S --workers W --quiet` for each binary in
                       turn, --rounds times (alternating, since the machine is shared and noisy),
                       reporting each binary's median wall time and pairs/s; --levels-arg passes
                       extra generate arguments to every binary after the first

Usage:
  .venv/bin/python bench/levels.py sizes DIR
  .venv/bin/python bench/levels.py compile DIR --sample 40
  .venv/bin/python bench/levels.py throughput /work/main/build/jitsynth build/jitsynth --count 100 --rounds 3
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
LEVELS = ("jaxpr", "stablehlo", "hlo", "optimized_hlo", "llvm_ir_unoptimized", "llvm_ir", "asm")
SMALL_WHILE_LOOP_FLAG = "--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=0"


def records_of(run):
    for chunk in sorted(pathlib.Path(run).glob("data-*.jsonl")):
        with open(chunk, encoding="utf-8") as f:
            yield from (json.loads(line) for line in f)


def sizes(run):
    records = list(records_of(run))
    table = {}
    for prefix, pick in (("", lambda r: r), ("grad.", lambda r: r["grad"])):
        for level in LEVELS:
            values = [len(pick(r)[level].encode()) for r in records if pick(r) and level in pick(r)]
            if values:
                table[prefix + level] = {"records": len(values), "mean": statistics.mean(values),
                                         "median": statistics.median(values), "max": max(values)}
    with_kernel = sum(1 for r in records if r.get("llvm_ir"))
    print(f"{len(records)} records, {with_kernel} with a CPU kernel")
    print("| level | records | mean bytes | median bytes | max bytes |\n|---|---:|---:|---:|---:|")
    for level, row in table.items():
        print(f"| {level} | {row['records']} | {row['mean']:.0f} | {row['median']:.0f} | {row['max']} |")
    return table


VARIANTS = {
    "no kernel level": [],
    "llvm_ir_unoptimized": ["llvm_ir_unoptimized"],
    "llvm_ir": ["llvm_ir"],
    "asm": ["asm"],
    "all three (default)": ["llvm_ir_unoptimized", "llvm_ir", "asm"],
    "all three, forward and backward": ["llvm_ir_unoptimized", "llvm_ir", "asm", "grad.llvm_ir_unoptimized",
                                        "grad.llvm_ir", "grad.asm"],
}


def compile_cost(run, sample):
    """Run in a child with the workers' XLA_FLAGS (the flag is process-wide)."""
    env = dict(os.environ, XLA_FLAGS=SMALL_WHILE_LOOP_FLAG)
    proc = subprocess.run([sys.executable, __file__, "--compile-child", str(run), str(sample)], env=env,
                          check=True, capture_output=True, text=True)
    table = json.loads(proc.stdout.strip().split("\n")[-1])
    base = table["no kernel level"]
    print("| levels captured | median worker s/record | vs no kernel level |\n|---|---:|---:|")
    for name, seconds in table.items():
        print(f"| {name} | {seconds:.4f} | {seconds / base:.3f}x |")
    return table


def compile_child(run, sample):
    sys.path.insert(0, str(ROOT / "python"))
    from jitsynth_worker import capture

    records = list(records_of(run))
    step = max(1, len(records) // sample)
    chosen = records[::step][:sample]

    def request(r, levels):
        args = [dict(a, low=-1.0, high=1.0) for a in r["args"]]
        return {"id": 0, "python": r["python"], "entry": r["entry"], "args": args, "x64": r["x64"],
                "grad": r["grad"] is not None, "levels": levels}

    capture.capture(request(chosen[0], VARIANTS["all three, forward and backward"]))  # warm
    times = {name: [] for name in VARIANTS}
    for r in chosen:
        for name, levels in VARIANTS.items():  # interleaved: load changes hit every variant alike
            start = time.perf_counter()
            reply = capture.capture(request(r, levels))
            times[name].append(time.perf_counter() - start)
            assert reply["ok"], reply
    print(json.dumps({name: statistics.median(values) for name, values in times.items()}))


def throughput(binaries, count, seed, workers, rounds, extra):
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-levels-bench-"))
    walls = {b: [] for b in binaries}
    try:
        for round_index in range(rounds):
            for i, binary in enumerate(binaries):
                out = tmp / f"{i}-{round_index}"
                args = [binary, "generate", "--count", str(count), "--seed", str(seed), "--workers",
                        str(workers), "--quiet", "--out", str(out), *(extra if i > 0 else [])]
                start = time.perf_counter()
                subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
                walls[binary].append(time.perf_counter() - start)
                print(f"round {round_index} {binary}: {walls[binary][-1]:.1f} s "
                      f"(load {os.getloadavg()[0]:.1f})", flush=True)
                shutil.rmtree(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("| binary | runs (s) | median wall s | pairs/s |\n|---|---|---:|---:|")
    for binary, values in walls.items():
        median = statistics.median(values)
        print(f"| {binary} | {', '.join(f'{v:.1f}' for v in values)} | {median:.1f} | {count / median:.2f} |")
    first = statistics.median(walls[binaries[0]])
    for binary in binaries[1:]:
        print(f"{binary}: {first / statistics.median(walls[binary]):.3f}x the throughput of {binaries[0]}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--compile-child":
        return compile_child(sys.argv[2], int(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sizes")
    p.add_argument("run")
    p = sub.add_parser("compile")
    p.add_argument("run")
    p.add_argument("--sample", type=int, default=40)
    p = sub.add_parser("throughput")
    p.add_argument("binaries", nargs="+")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--levels-arg", action="append", default=[])
    args = parser.parse_args()
    if args.command == "sizes":
        sizes(args.run)
    elif args.command == "compile":
        compile_cost(args.run, args.sample)
    else:
        throughput(args.binaries, args.count, args.seed, args.workers, args.rounds, args.levels_arg)


if __name__ == "__main__":
    main()
