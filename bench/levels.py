#!/usr/bin/env python3
"""What the levels below optimized HLO cost (issue 12): bytes, compile time, end-to-end throughput.

  sizes RUN            bytes per record of every level in a run's records (mean, median, max),
                       and the share of records with a CPU kernel
  compile RUN          per-record worker time (median over --sample records, each captured with
                       every variant in turn, in one process with JAX warm) for: no kernel level,
                       each kernel level alone, all three, and all three for the backward too
  profile RUN          where the kernel levels' worker time goes: CPU seconds per program (the
                       worker pinned to one CPU, as generate pins it; its children, objdump,
                       included) of a capture and of its parts, for the HLO levels without the
                       while-loop flag, then with it, and the default levels with the dump folder
                       on disk (/tmp) and in memory (/dev/shm); variants rotated per program
  dump RUN             the forward compile alone (CPU seconds, worker pinned to one CPU) without a
                       dump, with the dump folder on /tmp and on /dev/shm, each program compiled
                       twice per variant, variants rotated per program
  throughput BIN...    `BIN generate --count N --seed S --workers W --quiet` for each binary in
                       turn, --rounds times (alternating, since the machine is shared and noisy),
                       reporting each binary's median wall time and pairs/s, and its median CPU
                       seconds per program (driver and workers, user + system: less sensitive to
                       the machine's load than wall time); --levels-arg passes extra generate
                       arguments to every binary after the first, --base-arg to the first only

Usage:
  .venv/bin/python bench/levels.py sizes DIR
  .venv/bin/python bench/levels.py compile DIR --sample 40
  .venv/bin/python bench/levels.py profile DIR --sample 60
  .venv/bin/python bench/levels.py dump DIR --sample 30
  .venv/bin/python bench/levels.py throughput /work/main/build/jitsynth build/jitsynth --count 100 --rounds 3
  .venv/bin/python bench/levels.py throughput build/jitsynth build/jitsynth --count 60 --rounds 3 \
      --base-arg=--levels --base-arg=jaxpr,stablehlo,hlo,optimized_hlo     # HLO levels only, then the default
"""

import argparse
import json
import os
import pathlib
import resource
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


PROFILE_VARIANTS = {  # name: (XLA_FLAGS has the while-loop flag, levels asked, dump folder parent)
    "HLO levels, no flag": (False, [], None),
    "HLO levels, flag": (True, [], None),
    "default, dump on /tmp": (True, ["llvm_ir_unoptimized", "llvm_ir", "asm"], "/nonexistent"),
    "default, dump on /dev/shm": (True, ["llvm_ir_unoptimized", "llvm_ir", "asm"], "/dev/shm"),
}
PROFILE_PARTS = ("capture", "forward compile (+ dump written)", "dump read", "objdump", "dump removed",
                 "backward optimized HLO")


def profile(run, sample):
    """One child per XLA_FLAGS (the flag is process-wide); each child rotates its variants."""
    table = {}
    for flag in (False, True):
        names = [name for name, (f, _, _) in PROFILE_VARIANTS.items() if f == flag]
        env = dict(os.environ, XLA_FLAGS=SMALL_WHILE_LOOP_FLAG if flag else "")
        proc = subprocess.run([sys.executable, __file__, "--profile-child", str(run), str(sample), *names],
                              env=env, check=True, capture_output=True, text=True)
        table.update(json.loads(proc.stdout.strip().split("\n")[-1]))
    base = table["HLO levels, no flag"]["capture"]
    print("CPU ms per program (sum over the programs / programs):")
    print("| variant | " + " | ".join(PROFILE_PARTS) + " | vs HLO levels, no flag |")
    print("|---|" + "---:|" * (len(PROFILE_PARTS) + 1))
    for name, parts in table.items():
        cells = " | ".join(f"{1000 * parts.get(part, 0.0):.1f}" for part in PROFILE_PARTS)
        print(f"| {name} | {cells} | {base / parts['capture']:.3f}x |")
    return table


def _cpu_now():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + usage.ru_utime + usage.ru_stime


def profile_child(run, sample, names):
    sys.path.insert(0, str(ROOT / "python"))
    from jitsynth_worker import target

    target.pin_to_one_cpu(0)  # as the workers are: the declared target compiles on one CPU
    import types

    from jitsynth_worker import capture, kernels, optimized

    spent: dict[str, float] = {}

    def timed(part, function):
        def wrapper(*args, **kwargs):
            start = _cpu_now()
            try:
                return function(*args, **kwargs)
            finally:
                spent[part] = spent.get(part, 0.0) + _cpu_now() - start
        return wrapper

    optimized.compile_with_text = timed("forward compile (+ dump written)", optimized.compile_with_text)
    optimized.optimized_hlo = timed("backward optimized HLO", optimized.optimized_hlo)
    kernels.read = timed("dump read", kernels.read)
    kernels._assembly = timed("objdump", kernels._assembly)
    kernels.shutil = types.SimpleNamespace(rmtree=timed("dump removed", kernels.shutil.rmtree))
    records = list(records_of(run))
    chosen = records[::max(1, len(records) // sample)][:sample]

    def request(r, levels):
        return {"op": "compile", "id": 0, "python": r["python"], "entry": r["entry"], "args": r["args"],
                "x64": r["x64"], "grad": r["grad"] is not None, "execute": True, "input_seed": r["input_seed"],
                "levels": levels}

    totals = {name: {} for name in names}
    for index, r in enumerate([chosen[0], *chosen]):  # the first, twice: a warm-up, not counted
        for name in names[index % len(names):] + names[:index % len(names)]:
            _, levels, shm = PROFILE_VARIANTS[name]
            kernels._SHM = shm or kernels._SHM
            spent.clear()
            start = _cpu_now()
            reply = capture.capture(request(r, levels))
            spent["capture"] = _cpu_now() - start
            assert reply["ok"], reply
            for part, seconds in spent.items():
                if index:
                    totals[name][part] = totals[name].get(part, 0.0) + seconds / len(chosen)
    print(json.dumps(totals))


def dump_cost(run, sample):
    env = dict(os.environ, XLA_FLAGS=SMALL_WHILE_LOOP_FLAG)
    proc = subprocess.run([sys.executable, __file__, "--dump-child", str(run), str(sample)], env=env,
                          check=True, capture_output=True, text=True)
    table = json.loads(proc.stdout.strip().split("\n")[-1])
    print("| forward compile | CPU s (all compiles) | vs no dump | files per compile |\n|---|---:|---:|---:|")
    for name, (cpu, files) in table.items():
        print(f"| {name} | {cpu:.2f} | {cpu / table['no dump'][0]:.3f}x | {files:.1f} |")


def dump_child(run, sample):
    sys.path.insert(0, str(ROOT / "python"))
    from jitsynth_worker import target

    target.pin_to_one_cpu(0)
    import itertools

    import jax

    from jitsynth_worker import capture

    records = list(records_of(run))
    chosen = records[::max(1, len(records) // sample)][:sample]
    unique = itertools.count(1 << 20)  # a new option value per compile: never served from JAX's cache
    parents = {"no dump": None, "dump on /tmp": tempfile.gettempdir(), "dump on /dev/shm": "/dev/shm"}
    names = list(parents)
    totals = {name: [0.0, 0] for name in names}
    for index, r in enumerate(chosen):
        with jax.enable_x64(bool(r["x64"])):
            namespace = capture._run_module(r["python"])
            lowered = jax.jit(namespace[r["entry"]]).trace(*capture._specs(r["args"])).lower()
            for name in (names[index % 3:] + names[:index % 3]) * 2:
                folder = parents[name] and tempfile.mkdtemp(prefix="jitsynth-dump-", dir=parents[name])
                options = {**target.COMPILER_OPTIONS, "xla_dump_max_hlo_modules": next(unique)}
                if folder:
                    options["xla_dump_to"] = folder
                start = time.process_time()
                lowered.compile(compiler_options=options)
                if folder:
                    totals[name][1] += len(os.listdir(folder))
                    shutil.rmtree(folder)
                totals[name][0] += time.process_time() - start
    print(json.dumps({name: (cpu, files / (2 * len(chosen))) for name, (cpu, files) in totals.items()}))


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def throughput(binaries, count, seed, workers, rounds, extra, base_extra):
    """Each entry of BINARIES is a variant (the same binary may be given twice, with --base-arg)."""
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-levels-bench-"))
    names = [f"{binary} {' '.join(base_extra if i == 0 else extra)}".strip() for i, binary in enumerate(binaries)]
    walls = [[] for _ in binaries]
    cpus = [[] for _ in binaries]
    try:
        for round_index in range(rounds):
            for i, binary in enumerate(binaries):
                out = tmp / f"{i}-{round_index}"
                args = [binary, "generate", "--count", str(count), "--seed", str(seed), "--workers",
                        str(workers), "--quiet", "--out", str(out), *(base_extra if i == 0 else extra)]
                cpu, start = _children_cpu(), time.perf_counter()
                subprocess.run(args, check=True, stdout=subprocess.DEVNULL)  # the workers are the driver's reaped children
                walls[i].append(time.perf_counter() - start)
                cpus[i].append((_children_cpu() - cpu) / count)
                print(f"round {round_index} {names[i]}: {walls[i][-1]:.1f} s, {cpus[i][-1]:.3f} CPU s/program "
                      f"(load {os.getloadavg()[0]:.1f})", flush=True)
                shutil.rmtree(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("| variant | runs (s) | median wall s | pairs/s | median CPU s/program |\n|---|---|---:|---:|---:|")
    for i, name in enumerate(names):
        median = statistics.median(walls[i])
        print(f"| {name} | {', '.join(f'{v:.1f}' for v in walls[i])} | {median:.1f} | {count / median:.2f} "
              f"| {statistics.median(cpus[i]):.3f} |")
    for i in range(1, len(binaries)):
        print(f"{names[i]}: {statistics.median(walls[0]) / statistics.median(walls[i]):.3f}x the throughput of "
              f"{names[0]} (wall), {statistics.median(cpus[0]) / statistics.median(cpus[i]):.3f}x (CPU per program)")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--compile-child":
        return compile_child(sys.argv[2], int(sys.argv[3]))
    if len(sys.argv) == 4 and sys.argv[1] == "--dump-child":
        return dump_child(sys.argv[2], int(sys.argv[3]))
    if len(sys.argv) > 4 and sys.argv[1] == "--profile-child":
        return profile_child(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sizes")
    p.add_argument("run")
    p = sub.add_parser("compile")
    p.add_argument("run")
    p.add_argument("--sample", type=int, default=40)
    p = sub.add_parser("profile")
    p.add_argument("run")
    p.add_argument("--sample", type=int, default=60)
    p = sub.add_parser("dump")
    p.add_argument("run")
    p.add_argument("--sample", type=int, default=30)
    p = sub.add_parser("throughput")
    p.add_argument("binaries", nargs="+")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--levels-arg", action="append", default=[], help="generate argument for every binary after the first")
    p.add_argument("--base-arg", action="append", default=[], help="generate argument for the first binary only")
    args = parser.parse_args()
    if args.command == "sizes":
        sizes(args.run)
    elif args.command == "compile":
        compile_cost(args.run, args.sample)
    elif args.command == "dump":
        dump_cost(args.run, args.sample)
    elif args.command == "profile":
        profile(args.run, args.sample)
    else:
        throughput(args.binaries, args.count, args.seed, args.workers, args.rounds, args.levels_arg, args.base_arg)


if __name__ == "__main__":
    main()
