"""One chunk on one node: the body of a Ray task (and of nothing else).

It runs the C++ CLI with `--chunks K:K+1` into node-local scratch, checks what the CLI wrote
against the partial manifest the CLI wrote beside it, and publishes the chunk into OUT: first the
data file, then the commit record `.parts/data-NNNNN.json` (the partial manifest and the chunk's
failure lines). A chunk counts as committed only once its commit record exists.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field

import xxhash

from .storage import PARTS, Out


@dataclass
class RunSpec:
    """What every task of a run gets."""

    out: str
    count: int
    seed: int
    chunk_size: int
    cli: str
    python: str
    cpus_per_task: int
    policy_text: str = ""  # the policy file's content; empty: the default policy
    cli_flags: list[str] = field(default_factory=list)
    fail_chunks: list[int] = field(default_factory=list)  # test only: these chunks' CLI fails


class ChunkFailed(RuntimeError):
    """The CLI failed on a chunk, or what it wrote does not check out."""


def chunk_name(chunk: int) -> str:
    return f"data-{chunk:05d}.jsonl"


def commit_name(chunk: int) -> str:
    return f"{PARTS}/data-{chunk:05d}.json"


# Looked up now, not in the forked child, where only async-signal-safe work is wise.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the CLI's child, before exec: SIGKILL it when the task's process dies (a node lost, a
    cancelled task), so no CLI outlives its task; the CLI's own JAX workers follow it."""
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _child_setup(cpus: set[int] | None):
    """The CLI child's set-up before exec: die with the task; run on CPUS where some were claimed."""
    def setup() -> None:
        _die_with_parent()
        if cpus:
            os.sched_setaffinity(0, cpus)
    return setup


# Per-host lock files, one per CPU: the chunk tasks of one host claim distinct CPUs with them.
CPU_LOCK_DIR = os.path.join(tempfile.gettempdir(), f"jitsynth-cpus-{os.getuid()}")


@contextlib.contextmanager
def claimed_cpus(count: int, lock_dir: str = CPU_LOCK_DIR):
    """COUNT CPUs of this process's allowed set that no other chunk task of this host holds, held
    (by flock, released when the task ends or dies) until the block ends; None when fewer are free.

    The CLI's workers pin themselves to the slot-th allowed CPU (the declared target compiles on
    one CPU). Ray assigns CPU counts, not CPUs: without a claim, every task of a host, each with
    its own CLI whose first worker takes slot 0, would pin to the same core. The CLI is started
    with its affinity set to the claimed CPUs, so its slots fall on them."""
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    held: list[tuple[int, int]] = []
    try:
        for cpu in sorted(os.sched_getaffinity(0)):
            if len(held) == count:
                break
            fd = os.open(os.path.join(lock_dir, f"cpu-{cpu}.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            held.append((cpu, fd))
        yield {cpu for cpu, _ in held} if len(held) == count else None
    finally:
        for _, fd in held:
            os.close(fd)


def _cli_command(spec: RunSpec, chunk: int, run_dir: str, policy_path: str | None) -> list[str]:
    if chunk in spec.fail_chunks:
        # A real CLI failure: arguments the CLI refuses (exit 2).
        return [spec.cli, "generate", "--count", "0", "--out", run_dir]
    command = [spec.cli, "generate", f"--count={spec.count}", f"--seed={spec.seed}",
               f"--chunk-size={spec.chunk_size}", f"--chunks={chunk}:{chunk + 1}", f"--out={run_dir}",
               f"--workers={spec.cpus_per_task}", f"--python={spec.python}", "--quiet", *spec.cli_flags]
    if policy_path:
        command.append(f"--policy={policy_path}")
    return command


def _check(run_dir: str, chunk: int, spec: RunSpec) -> tuple[dict, str]:
    """The partial manifest and the failure lines, once the chunk file matches the manifest."""
    with open(os.path.join(run_dir, "manifest.json"), "rb") as f:
        manifest = json.load(f)
    entries = manifest.get("chunks", [])
    if (manifest.get("partial") != {"first_chunk": chunk, "end_chunk": chunk + 1}
            or not manifest.get("complete") or len(entries) != 1 or entries[0]["file"] != chunk_name(chunk)):
        raise ChunkFailed(f"chunk {chunk}: the CLI's manifest does not describe chunk {chunk} complete")
    entry = entries[0]
    digest, size, lines = xxhash.xxh64(), 0, 0
    with open(os.path.join(run_dir, entry["file"]), "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
            lines += block.count(b"\n")
    if (digest.hexdigest(), size, lines) != (entry["xxh64"], entry["bytes"], entry["records"]):
        raise ChunkFailed(f"chunk {chunk}: {entry['file']} has {lines} records, {size} bytes, xxh64 "
                          f"{digest.hexdigest()}; its manifest says {entry['records']}, {entry['bytes']}, "
                          f"{entry['xxh64']}")
    with open(os.path.join(run_dir, "failures.jsonl"), encoding="utf-8") as f:
        failures = f.read()
    if failures.count("\n") != entry["failures"]:
        raise ChunkFailed(f"chunk {chunk}: failures.jsonl holds {failures.count(chr(10))} lines, "
                          f"the manifest {entry['failures']}")
    return manifest, failures


def _node_id() -> str:
    """The Ray node this runs on (host names need not differ: nodes may share a machine)."""
    try:
        import ray

        return ray.get_runtime_context().get_node_id()
    except Exception:  # outside Ray (a direct call): the host
        return socket.gethostname()


def run_chunk(spec: RunSpec, chunk: int) -> dict:
    """Make, check and publish CHUNK; its commit record (also returned)."""
    out = Out(spec.out)
    node = _node_id()
    # One marker per attempt: the launcher counts the retries from them.
    out.write_atomic(f"{PARTS}/attempts/data-{chunk:05d}.{uuid.uuid4().hex}", node.encode())
    scratch = tempfile.mkdtemp(prefix=f"jitsynth-chunk-{chunk:05d}-")
    started = time.monotonic()
    try:
        policy_path = None
        if spec.policy_text:
            policy_path = os.path.join(scratch, "policy.toml")
            with open(policy_path, "w", encoding="utf-8") as f:
                f.write(spec.policy_text)
        run_dir = os.path.join(scratch, "run")
        with claimed_cpus(spec.cpus_per_task) as cpus:
            done = subprocess.run(_cli_command(spec, chunk, run_dir, policy_path), stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  preexec_fn=_child_setup(cpus), check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1]
            raise ChunkFailed(f"chunk {chunk}: the CLI exited with {done.returncode} on {node}: {tail}")
        manifest, failures = _check(run_dir, chunk, spec)
        out.publish_file(chunk_name(chunk), os.path.join(run_dir, chunk_name(chunk)))
        record = {"chunk": chunk, "manifest": manifest, "failures": failures, "node": node,
                  "seconds": time.monotonic() - started}
        out.write_atomic(commit_name(chunk), json.dumps(record).encode())
        return record
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def probe(spec: RunSpec) -> str:
    """On one node before any chunk runs: '' when it can run chunks and write OUT, else why not."""
    node = f"{socket.gethostname()} (node {_node_id()[:12]})"
    for what, path in (("the jitsynth CLI", spec.cli), ("the Python interpreter", spec.python)):
        if not os.access(path, os.X_OK):
            return f"{node}: {what} {path} is not there (every node needs the same build and .venv at the same path)"
    out = Out(spec.out)
    name = f"{PARTS}/probe-{uuid.uuid4().hex}"
    try:
        out.make_dirs()
        out.write_atomic(name, b"probe")
        out.delete(name)
    except Exception as error:  # any failure to write is the answer
        return f"{node}: cannot write {spec.out}: {type(error).__name__}: {error}"
    return ""
