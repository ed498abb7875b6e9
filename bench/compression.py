#!/usr/bin/env python3
"""Plain against zstd chunks (`generate --compress zstd`): bytes per record, generate time, and the
read speed of the tools on both.

Generates the same run (COUNT samples, one seed) twice, plain and with --compress zstd, checks
that the zstd chunks decompress to exactly the plain bytes, then times, on each run, the tools
that read every record: `stats`, `dedup --no-near`, `export --format jsonl.zst` and
`export --format parquet` (median of --repeat runs, wall time of the whole command).

With --from-run DIR (a plain run made before) nothing is generated: the zstd copy is
`split DIR --ratios 1,0,0 --compress zstd` (every record in train, written by the same chunk
writer as `generate --compress zstd`), and the generate times are not measured.

Usage: .venv/bin/python bench/compression.py [--count 200] [--seed 0] [--workers 2] [--repeat 3]
                                             [--from-run DIR] [--json FILE]
Run it on an otherwise idle machine: the timings are wall times.
"""

import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLI = ROOT / "build" / "jitsynth"


def jitsynth(*args):
    start = time.perf_counter()
    subprocess.run([str(CLI), *map(str, args)], check=True, stdout=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def chunk_bytes(run):
    """(bytes stored, JSONL bytes) over the run's data chunks."""
    stored = raw = 0
    for chunk in sorted(run.glob("data-*")):
        data = chunk.read_bytes()
        stored += len(data)
        if chunk.name.endswith(".zst"):
            with pa.input_stream(str(chunk), compression="zstd") as stream:
                data = stream.read()
        raw += len(data)
    return stored, raw


def jsonl(run):
    out = b""
    for chunk in sorted(run.glob("data-*")):
        if chunk.name.endswith(".zst"):
            with pa.input_stream(str(chunk), compression="zstd") as stream:
                out += stream.read()
        else:
            out += chunk.read_bytes()
    return out


def time_tools(run, scratch, repeat):
    tools = {
        "stats": lambda out: ["stats", run, "--out", out],
        "dedup --no-near": lambda out: ["dedup", run, "--out", out, "--no-near"],
        "export jsonl.zst": lambda out: ["export", run, "--format", "jsonl.zst", "--out",
                                         f"{out}.jsonl.zst"],
        "export parquet": lambda out: ["export", run, "--format", "parquet", "--out",
                                       f"{out}.parquet"],
    }
    seconds = {}
    for name, command in tools.items():
        times = []
        for i in range(repeat):
            out = scratch / f"{run.name}-{name.split()[0]}-{i}"
            times.append(jitsynth(*command(out)))
        seconds[name] = statistics.median(times)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--from-run", help="a plain run to measure instead of generating one")
    parser.add_argument("--json", help="also write the figures here")
    options = parser.parse_args()
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-compression-"))
    try:
        figures = {"count": options.count, "seed": options.seed, "workers": options.workers}
        runs = {}
        if options.from_run:
            runs["none"] = pathlib.Path(options.from_run)
            jitsynth("split", runs["none"], "--out", scratch / "split", "--ratios", "1,0,0",
                     "--compress", "zstd", "--no-near")
            runs["zstd"] = scratch / "split" / "train"
        for compress in () if options.from_run else ("none", "zstd"):
            run = scratch / compress
            figures[f"generate_seconds_{compress}"] = jitsynth(
                "generate", "--count", options.count, "--seed", options.seed, "--workers",
                options.workers, "--out", run, "--compress", compress, "--quiet")
            runs[compress] = run
        if jsonl(runs["none"]) != jsonl(runs["zstd"]):
            sys.exit("the zstd chunks do not decompress to the plain chunks")
        records = json.loads((runs["none"] / "manifest.json").read_text())["counts"]["records"]
        figures["records"] = records
        for compress, run in runs.items():
            stored, raw = chunk_bytes(run)
            figures[f"bytes_per_record_{compress}"] = stored / records
            figures[f"tool_seconds_{compress}"] = time_tools(run, scratch, options.repeat)
        figures["ratio"] = figures["bytes_per_record_none"] / figures["bytes_per_record_zstd"]
        print(f"{records} records" + (f" of {options.from_run}" if options.from_run else
              f" (--count {options.count} --seed {options.seed}, --workers {options.workers})"))
        print(f"bytes per record: plain {figures['bytes_per_record_none']:.0f}, "
              f"zstd {figures['bytes_per_record_zstd']:.0f} ({figures['ratio']:.1f}x smaller)")
        if not options.from_run:
            print(f"generate: plain {figures['generate_seconds_none']:.1f} s, "
                  f"zstd {figures['generate_seconds_zstd']:.1f} s")
        print("| tool | plain (s) | zstd (s) |\n|---|---:|---:|")
        for name in figures["tool_seconds_none"]:
            print(f"| `{name}` | {figures['tool_seconds_none'][name]:.2f} | "
                  f"{figures['tool_seconds_zstd'][name]:.2f} |")
        if options.json:
            pathlib.Path(options.json).write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
