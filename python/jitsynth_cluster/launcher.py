"""The launcher: checks OUT and the cluster, submits one task per missing chunk, reports progress,
writes the manifest last. Exit codes as the CLI's: 0 done, 1 a chunk failed, 2 bad input (an
unreachable cluster, an OUT the nodes cannot write, an OUT holding another run), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import time

from . import chunk as chunk_module
from . import manifest as manifest_module
from .storage import PARTS, Out

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 1, 2, 130


class BadInput(Exception):
    """A problem the user fixes: exit 2, before any chunk task runs."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m jitsynth_cluster", description=__doc__)
    p.add_argument("--address", required=True, help="'local' or a Ray cluster address")
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--chunk-size", type=int, required=True)
    p.add_argument("--cpus-per-task", type=int, default=1)
    p.add_argument("--max-retries", type=int, default=3)
    p.add_argument("--policy", default="")
    p.add_argument("--policy-hash", required=True)
    p.add_argument("--cli", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--command-json", default="[]")
    p.add_argument("--cli-flag", action="append", default=[])
    p.add_argument("--quiet", action="store_true")
    # Test only: these chunks' CLI fails on every attempt.
    p.add_argument("--test-fail-chunk", type=int, action="append", default=[])
    return p.parse_args(argv)


def identity(args: argparse.Namespace) -> dict:
    return {"seed": args.seed, "count": args.count, "chunk_size": args.chunk_size,
            "policy_hash": args.policy_hash}


def prepare_out(out: Out, args: argparse.Namespace) -> bool:
    """Check OUT can take this run; True when it already holds it, complete."""
    want = identity(args)
    try:
        out.make_dirs()
        if out.exists("manifest.json"):
            m = json.loads(out.read("manifest.json"))
            have = {"seed": m.get("seed"), "count": m.get("count"), "chunk_size": m.get("chunk_size"),
                    "policy_hash": m.get("provenance", {}).get("policy_hash")}
            if have != want:
                raise BadInput(f"{args.out} holds another run ({json.dumps(have)}); choose a new --out")
            if m.get("complete") and "partial" not in m:
                return True
            raise BadInput(f"{args.out} holds an unfinished local run; continue it with `jitsynth "
                           f"generate --resume` without --ray, or choose a new --out")
        if out.exists(f"{PARTS}/run.json"):
            have = json.loads(out.read(f"{PARTS}/run.json"))
            if have != want:
                raise BadInput(f"{args.out} holds chunks of another run ({json.dumps(have)}); choose a new --out")
        elif [n for n in out.list() if not n.startswith(".")]:
            raise BadInput(f"{args.out} is not empty and holds no jitsynth Ray run; choose a new --out")
        out.write_atomic(f"{PARTS}/run.json", json.dumps(want).encode())
        out.remove_temporaries()
    except BadInput:
        raise
    except Exception as error:
        raise BadInput(f"cannot write {args.out}: {type(error).__name__}: {error}") from error
    return False


def committed(out: Out, count: int, chunk_size: int) -> dict[int, dict]:
    """Commit records of chunks whose data file is in OUT at the size their manifest says."""
    records = {}
    for name in out.list(PARTS):
        if not (name.startswith("data-") and name.endswith(".json")):
            continue
        record = json.loads(out.read(f"{PARTS}/{name}"))
        entry = record["manifest"]["chunks"][0]
        if out.size(entry["file"]) == entry["bytes"]:
            records[record["chunk"]] = record
    return records


def attempts(out: Out) -> dict[int, int]:
    counts: dict[int, int] = {}
    for name in out.list(f"{PARTS}/attempts"):
        chunk = int(name.split(".")[0].removeprefix("data-"))
        counts[chunk] = counts.get(chunk, 0) + 1
    return counts


def reachable(address: str) -> None:
    """Fail fast on HOST:PORT that accepts no connection (ray.init would retry for minutes)."""
    if address in ("local", "auto"):
        return
    host_port = address.removeprefix("ray://")
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise BadInput(f"--ray {address}: expected 'local', 'auto', HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as error:
        raise BadInput(f"--ray {address}: cannot reach the Ray cluster ({error}); is `ray start --head` "
                       f"running there?") from error


def start_ray(address: str):
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    options = {"include_dashboard": False, "log_to_driver": False, "logging_level": "WARNING"}
    try:
        if address == "local":  # "local" makes Ray start a new instance, even beside a running one
            ray.init(address="local", **options)
        else:
            ray.init(address=address, **{k: v for k, v in options.items() if k != "include_dashboard"})
    except Exception as error:
        raise BadInput(f"--ray {address}: cannot join the Ray cluster: {type(error).__name__}: {error}") from error
    return ray


def probe_nodes(ray, spec: chunk_module.RunSpec) -> None:
    """Every node with CPUs can run the CLI and write OUT, or exit 2 before any chunk runs."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
    if not nodes:
        raise BadInput("the Ray cluster has no node with CPUs")
    task = ray.remote(num_cpus=0, max_retries=0)(chunk_module.probe)
    refs = [task.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote(spec)
            for n in nodes]
    problems = [p for p in ray.get(refs, timeout=300) if p]
    if problems:
        raise BadInput("; ".join(problems))


class Progress:
    """One line on a TTY: chunks done/total, records/s, ETA, retries, failures."""

    def __init__(self, enabled: bool, total: int, done: int):
        self.enabled, self.total, self.first_done, self.done = enabled, total, done, done
        self.records, self.retries, self.failures = 0, 0, 0
        self.start = time.monotonic()

    def show(self, final: bool = False) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        rate = self.records / elapsed if elapsed > 0 else 0.0
        chunk_rate = (self.done - self.first_done) / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / chunk_rate if chunk_rate > 0 else 0.0
        sys.stderr.write(f"\r\033[Kchunks {self.done}/{self.total}  {rate:.1f} records/s  ETA {eta:.0f}s  "
                         f"retries {self.retries}  failures {self.failures}" + ("\n" if final else ""))
        sys.stderr.flush()


def run_chunks(ray, out: Out, spec: chunk_module.RunSpec, missing: list[int], total: int,
               max_retries: int, progress: Progress) -> dict[int, str]:
    """Run MISSING chunks; the chunks that failed every attempt, with why."""
    task = ray.remote(chunk_module.run_chunk)
    refs = {task.options(num_cpus=spec.cpus_per_task, max_retries=max_retries, retry_exceptions=True,
                         scheduling_strategy="SPREAD").remote(spec, k): k for k in missing}
    failed: dict[int, str] = {}
    pending = list(refs)
    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=1, timeout=0.5)
            for ref in ready:
                k = refs[ref]
                try:
                    record = ray.get(ref)
                    progress.done += 1
                    progress.records += record["manifest"]["counts"]["records"]
                except Exception as error:  # the task's last attempt failed: Ray re-raises it
                    failed[k] = _reason(error)
                    progress.failures += 1
            if ready:
                progress.retries = sum(n - 1 for n in attempts(out).values() if n > 1)
            progress.show()
    except KeyboardInterrupt:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    progress.show(final=True)
    return failed


def _reason(error: Exception) -> str:
    cause = getattr(error, "cause", None)
    if isinstance(cause, chunk_module.ChunkFailed):
        return str(cause)
    return str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__


def finish(out: Out, records: dict[int, dict], args: argparse.Namespace, wall: float, tries: dict[int, int],
           address: str) -> None:
    ordered = [records[k] for k in sorted(records)]
    figures = {"address": address, "tasks": len(ordered), "cpus_per_task": args.cpus_per_task,
               "attempts": sum(tries.values()), "retries": sum(n - 1 for n in tries.values() if n > 1),
               "nodes": sorted({r["node"] for r in ordered})}
    m = manifest_module.assemble(ordered, command=json.loads(args.command_json), cpus_per_task=args.cpus_per_task,
                                 wall_seconds=wall, ray_figures=figures)
    out.write_atomic("failures.jsonl", "".join(r["failures"] for r in ordered).encode())
    out.write_atomic("manifest.json", manifest_module.dump(m))  # last: the run is whole
    out.delete_folder(PARTS)
    failures = sum(m["counts"]["failures"].values())
    print(f"{m['counts']['records']} records, {failures} failures in {wall:.1f}s on Ray "
          f"({m['counts']['records'] / wall if wall > 0 else 0:.2f} pairs/s, {figures['retries']} retries) -> {args.out}")


def launch(args: argparse.Namespace) -> int:
    started = time.monotonic()
    out = Out(args.out)
    if prepare_out(out, args):
        print(f"{args.out} already holds this run, complete")
        return 0
    policy_text = open(args.policy, encoding="utf-8").read() if args.policy else ""
    spec = chunk_module.RunSpec(out=args.out, count=args.count, seed=args.seed, chunk_size=args.chunk_size,
                                cli=args.cli, python=args.python, cpus_per_task=args.cpus_per_task,
                                policy_text=policy_text, cli_flags=args.cli_flag, fail_chunks=args.test_fail_chunk)
    total = -(-args.count // args.chunk_size)
    reachable(args.address)
    ray = start_ray(args.address)
    try:
        probe_nodes(ray, spec)
        done = committed(out, args.count, args.chunk_size)
        missing = [k for k in range(total) if k not in done]
        progress = Progress(not args.quiet and sys.stderr.isatty(), total, len(done))
        failed = run_chunks(ray, out, spec, missing, total, args.max_retries, progress) if missing else {}
        if failed:
            for k, why in sorted(failed.items()):
                print(f"jitsynth: chunk {k} ({chunk_module.chunk_name(k)}) failed after {args.max_retries + 1} "
                      f"attempts: {why}", file=sys.stderr)
            print(f"jitsynth: {len(failed)} of {total} chunks failed; the others are committed in {args.out}: "
                  f"fix the cause and run the same command again to do only the missing chunks", file=sys.stderr)
            return EXIT_FAILED
        done = committed(out, args.count, args.chunk_size)
        finish(out, done, args, time.monotonic() - started, attempts(out), args.address)
        return 0
    finally:
        ray.shutdown()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGINT too, explicitly: Python leaves an inherited SIG_IGN alone (a CLI started from a
    # background job), where the local engine's own handlers would still stop the run.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return launch(args)
    except BadInput as error:
        print(f"jitsynth: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"\njitsynth: interrupted; the committed chunks in {args.out} are intact: run the same command "
              f"again to do only the missing ones", file=sys.stderr)
        return EXIT_INTERRUPTED
