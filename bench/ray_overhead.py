#!/usr/bin/env python3
"""Ray's overhead: `generate --ray` on a cluster of two 1-CPU nodes against `--workers 2` on the
same machine, on the same samples (issue 11: Ray must reach at least 0.95x the local throughput).

The cluster is `ray.cluster_utils.Cluster` on this machine (a head of 0 CPUs, two nodes of 1 CPU:
the same two cores the local run uses). The two kinds of run alternate, ROUNDS times each, so
that load from other work on the machine falls on both alike; the medians are compared. Each
run is timed end to end (the command's wall time: Ray's task start-up, every chunk's CLI and JAX
import, publication and the manifest included; not the cluster's own start).

Usage: .venv/bin/python bench/ray_overhead.py [--count 1000] [--seed 1] [--chunk-size 250]
                                              [--rounds 3] [--json FILE]
Run it on an otherwise idle machine; the load average before and after each run is reported.
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
CLI = ROOT / "build" / "jitsynth"


def load() -> float:
    return os.getloadavg()[0]


def timed(argv: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk-size", type=int, default=250)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", type=pathlib.Path)
    args = p.parse_args()

    os.environ.update({"RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0"})
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False,
                                                            "object_store_memory": 80 << 20})
    for _ in range(2):
        cluster.add_node(num_cpus=1, object_store_memory=80 << 20)
    cluster.wait_for_nodes()
    common = [str(CLI), "generate", f"--count={args.count}", f"--seed={args.seed}",
              f"--chunk-size={args.chunk_size}", "--quiet"]
    runs = {"local": [], "ray": []}
    loads = []
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="ray-overhead-"))
    try:
        for round_ in range(args.rounds):
            for kind in ("local", "ray"):
                out = scratch / f"{kind}-{round_}"
                extra = ["--workers=2"] if kind == "local" else [f"--ray={cluster.address}"]
                before = load()
                seconds = timed(common + [f"--out={out}", *extra])
                loads.append((kind, round_, before, load()))
                records = json.loads((out / "manifest.json").read_text())["counts"]["records"]
                runs[kind].append(records / seconds)
                print(f"round {round_} {kind}: {records} records in {seconds:.1f}s = {records / seconds:.3f} "
                      f"records/s (load {before:.2f} -> {load():.2f})", flush=True)
                if round_ == 0 and kind == "ray":
                    chunks = sorted((scratch / "local-0").glob("data-*.jsonl"))
                    assert chunks, "the local run of round 0 left no data files to compare with"
                    for chunk in chunks:
                        assert chunk.read_bytes() == (out / chunk.name).read_bytes(), chunk.name
                    print(f"round 0: Ray's {len(chunks)} data files equal the local run's", flush=True)
                    shutil.rmtree(scratch / "local-0")
                if not (round_ == 0 and kind == "local"):  # kept until Ray's first run is compared
                    shutil.rmtree(out)
    finally:
        cluster.shutdown()
        shutil.rmtree(scratch, ignore_errors=True)
    local, ray = statistics.median(runs["local"]), statistics.median(runs["ray"])
    result = {"count": args.count, "seed": args.seed, "chunk_size": args.chunk_size, "rounds": args.rounds,
              "local_records_per_s": runs["local"], "ray_records_per_s": runs["ray"],
              "median_local": local, "median_ray": ray, "ratio": ray / local, "load": loads}
    print(f"median: local --workers 2 {local:.3f} records/s, Ray on two 1-CPU nodes {ray:.3f} records/s, "
          f"ratio {ray / local:.3f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
