#!/usr/bin/env python3
"""Worker memory over a long run: is RSS bounded?

Runs `jitsynth generate --count COUNT` and samples, once a second, the resident set of every
worker process of that run (found by an environment tag). Prints the peak worker RSS per tenth of
the run and overall, and the pool's recycling figures from the manifest. With recycling
(--max-requests-per-worker, --max-worker-rss) the peak should plateau instead of growing.

Usage: .venv/bin/python bench/memory.py [--count 20000] [--workers 2] [--json FILE]
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")


def worker_rss(tag):
    """RSS in bytes of each live process carrying the tag, except the driver itself."""
    marker = f"JITSYNTH_TEST_TAG={tag}".encode()
    out = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            cmdline = (entry / "cmdline").read_bytes()
            if b"jitsynth_worker" not in cmdline:
                continue
            out[int(entry.name)] = int((entry / "statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=pathlib.Path)
    args = parser.parse_args()

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-mem-"))
    tag = uuid.uuid4().hex
    out = tmp / "run"
    env = dict(os.environ, JITSYNTH_TEST_TAG=tag)
    start = time.monotonic()
    proc = subprocess.Popen([str(ROOT / "build" / "jitsynth"), "generate", "--count", str(args.count),
                             "--seed", str(args.seed), "--workers", str(args.workers), "--out",
                             str(out), "--quiet"], env=env, stdout=subprocess.DEVNULL)
    samples = []  # (seconds, committed index, max worker RSS)
    try:
        while proc.poll() is None:
            rss = worker_rss(tag)
            done = 0
            try:
                done = json.loads((out / "manifest.json").read_text())["committed_through"]
            except (OSError, ValueError, KeyError):
                pass
            if rss:
                samples.append((time.monotonic() - start, done, max(rss.values())))
            time.sleep(1)
        manifest = json.loads((out / "manifest.json").read_text())
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode != 0:
        sys.exit(f"generate exited {proc.returncode}")

    tenth = max(1, args.count // 10)
    profile = {}
    for _, done, rss in samples:
        bucket = min(done // tenth, 9)
        profile[bucket] = max(profile.get(bucket, 0), rss)
    print(f"{args.count} samples, {args.workers} workers, "
          f"{manifest['timings']['wall_seconds']:.0f}s, pool: {manifest['pool']}")
    print("peak worker RSS (MiB) per tenth of the run (by committed index):")
    for bucket in sorted(profile):
        print(f"  {bucket * tenth:>6}-{(bucket + 1) * tenth:<6} {profile[bucket] / 2**20:8.0f}")
    peak = max(rss for _, _, rss in samples)
    print(f"overall peak worker RSS: {peak / 2**20:.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps({"count": args.count, "workers": args.workers,
                                         "peak_worker_rss_bytes": peak,
                                         "profile_bytes": profile, "pool": manifest["pool"]},
                                        indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
