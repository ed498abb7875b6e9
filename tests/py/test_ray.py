"""`jitsynth generate --ray`: one run spread over a Ray cluster (ray.cluster_utils.Cluster: a head
of 0 CPUs and two 1-CPU nodes, shared by the tests of this module) writes the same data files as
`--workers 2` on one machine, survives a lost node, a killed launcher, an always-failing chunk and
SIGINT, and publishes into an emulated S3 bucket."""

import json
import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest

from conftest import CLI, assert_refused, run_cli, wait_until

ray = pytest.importorskip("ray", reason="ray is pinned in requirements.lock: run scripts/bootstrap")
from ray.cluster_utils import Cluster  # noqa: E402

COUNT, SEED, CHUNK = 6, 5, 2  # three chunks of two samples
CHUNKS = [f"data-{k:05d}.jsonl" for k in range(3)]
# Fields of the manifest that say how the run was made rather than what it holds.
HOW_IT_RAN = {"command", "workers", "timings", "pool", "ray"}
QUIET_RAY = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0", "RAY_BACKEND_LOG_LEVEL": "error",
             # the emulated S3 bucket's credentials, inherited by every node's workers
             "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def node_args():
    return {"num_cpus": 1, "object_store_memory": 80 << 20}


@pytest.fixture(scope="module")
def cluster():
    os.environ.update(QUIET_RAY)
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False,
                                                      "object_store_memory": 80 << 20})
    try:
        for _ in range(2):
            c.add_node(**node_args())
        c.wait_for_nodes()
        yield c
    finally:
        c.shutdown()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The reference: the same samples with --workers 2 on this machine."""
    out = tmp_path_factory.mktemp("local") / "run"
    run_cli("generate", "--count", COUNT, "--seed", SEED, "--chunk-size", CHUNK, "--workers", 2, "--out", out,
            "--quiet")
    return out


def ray_command(cluster, out, *extra):
    return [str(CLI), "generate", "--count", str(COUNT), "--seed", str(SEED), "--chunk-size", str(CHUNK),
            "--out", str(out), "--ray", cluster.address, "--quiet", *map(str, extra)]


def run_ray(cluster, out, *extra, env=None, timeout=900):
    return subprocess.run(ray_command(cluster, out, *extra), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def start_ray(cluster, out, *extra):
    return subprocess.Popen(ray_command(cluster, out, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, stdin=subprocess.DEVNULL)


def assert_same_as_local(out, local_run):
    out = pathlib.Path(out)
    for name in CHUNKS + ["failures.jsonl"]:
        assert (out / name).read_bytes() == (local_run / name).read_bytes(), name
    mine = json.loads((out / "manifest.json").read_text())
    theirs = json.loads((local_run / "manifest.json").read_text())
    assert {k: v for k, v in mine.items() if k not in HOW_IT_RAN} == \
        {k: v for k, v in theirs.items() if k not in HOW_IT_RAN}
    assert set(mine) - set(theirs) == {"ray"}
    assert not (out / ".parts").exists()
    return mine


def commit_records(out):
    return sorted((pathlib.Path(out) / ".parts").glob("data-*.json"))


def attempt_markers(out):
    return sorted((pathlib.Path(out) / ".parts" / "attempts").glob("data-*"))


def chunk_clis():
    """PIDs of the jitsynth CLIs that chunk tasks started (their command line has --chunks=)."""
    pids = []
    for entry in pathlib.Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == str(CLI).encode() and any(a.startswith(b"--chunks=") for a in argv):
            pids.append(int(entry.name))
    return pids


def test_ray_run_is_byte_identical_to_a_local_run(cluster, local_run, tmp_path):
    out = tmp_path / "ray"
    proc = run_ray(cluster, out)
    assert proc.returncode == 0, proc.stderr
    manifest = assert_same_as_local(out, local_run)
    assert manifest["ray"]["tasks"] == 3 and manifest["ray"]["retries"] == 0
    assert len(manifest["ray"]["nodes"]) == 2  # spread over both nodes
    # The tools read it as a run, and the same command again has nothing to do.
    run_cli("stats", out, "--out", tmp_path / "card")
    again = run_ray(cluster, out)
    assert again.returncode == 0 and "already holds this run" in again.stdout


def test_a_node_removed_while_its_chunk_runs(cluster, local_run, tmp_path):
    out = tmp_path / "ray"
    launcher = start_ray(cluster, out)
    try:
        assert wait_until(lambda: attempt_markers(out), 300), "no chunk started"
        node_id = attempt_markers(out)[0].read_text()
        victim = next(n for n in cluster.list_all_nodes() if n.node_id == node_id)
        cluster.remove_node(victim)
        _, stderr = launcher.communicate(timeout=900)
        assert launcher.returncode == 0, stderr
    finally:
        launcher.kill()
        cluster.add_node(**node_args())
        cluster.wait_for_nodes()
    manifest = assert_same_as_local(out, local_run)
    assert manifest["ray"]["retries"] >= 1
    assert manifest["ray"]["attempts"] == 3 + manifest["ray"]["retries"]


def test_launcher_killed_then_the_same_command_runs_only_missing_chunks(cluster, local_run, tmp_path):
    out = tmp_path / "ray"
    launcher = start_ray(cluster, out)
    assert wait_until(lambda: commit_records(out) or launcher.poll() is not None, 600)
    launcher.kill()
    launcher.wait()
    assert wait_until(lambda: not chunk_clis(), 60), "a chunk's CLI outlived its launcher"
    done = {p.name.replace(".json", ".jsonl") for p in commit_records(out)}
    assert 1 <= len(done) < 3 or launcher.returncode == 0
    before = {name: os.stat(out / name).st_ino for name in done}
    proc = run_ray(cluster, out)
    assert proc.returncode == 0, proc.stderr
    assert_same_as_local(out, local_run)
    # Committed chunks were not made again: the same files (a republished one is a new inode).
    assert {name: os.stat(out / name).st_ino for name in done} == before


def test_an_always_failing_chunk_is_retried_then_reported(cluster, local_run, tmp_path):
    out = tmp_path / "ray"
    proc = run_ray(cluster, out, "--ray-retries", 1, env={"JITSYNTH_TEST_RAY_FAIL_CHUNK": "1"})
    assert proc.returncode == 1, proc.stderr
    assert "chunk 1 (data-00001.jsonl) failed after 2 attempts" in proc.stderr
    assert "exited with 2" in proc.stderr
    assert not (out / "manifest.json").exists() and not (out / CHUNKS[1]).exists()
    for name in (CHUNKS[0], CHUNKS[2]):  # the rest is committed, intact
        assert (out / name).read_bytes() == (local_run / name).read_bytes()
    assert len([m for m in attempt_markers(out) if m.name.startswith("data-00001.")]) == 2
    again = run_ray(cluster, out)
    assert again.returncode == 0, again.stderr
    assert_same_as_local(out, local_run)


def test_sigint_cancels_the_tasks_and_leaves_no_torn_chunk(cluster, tmp_path):
    # Chunks of 20 samples: long enough (seconds of compiling each) that the interrupt lands while
    # they run; the run of 6 samples could finish between seeing a chunk's CLI and the signal.
    out, count, chunk_size = tmp_path / "ray", 40, 20
    launcher = subprocess.Popen(
        [str(CLI), "generate", "--count", str(count), "--seed", str(SEED), "--chunk-size", str(chunk_size),
         "--out", str(out), "--ray", cluster.address, "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    assert wait_until(lambda: attempt_markers(out) and chunk_clis(), 300), "no chunk started"
    launcher.send_signal(signal.SIGINT)
    _, stderr = launcher.communicate(timeout=120)
    assert launcher.returncode == 130, stderr
    assert "interrupted" in stderr
    assert wait_until(lambda: not chunk_clis(), 60), "a chunk's CLI outlived the cancel"
    for path in out.iterdir():  # every chunk there is whole and the local run's
        assert not path.name.endswith(".tmp") and ".tmp-" not in path.name, path
        if path.name.startswith("data-"):  # a chunk committed before the signal: the local one's
            k = int(path.name[len("data-"):].split(".")[0])
            local = tmp_path / f"local-{k}"
            run_cli("generate", "--count", count, "--seed", SEED, "--chunk-size", chunk_size,
                    "--chunks", f"{k}:{k + 1}", "--out", local, "--quiet")
            assert path.read_bytes() == (local / path.name).read_bytes()
    assert not (out / "manifest.json").exists()


def test_bad_address_or_unwritable_out_exit_2_before_any_task(cluster, tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "never"
    proc = subprocess.run([str(CLI), "generate", "--count", "4", "--out", str(out), "--ray", f"127.0.0.1:{port}"],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert_refused(proc, "cannot reach the Ray cluster", f"127.0.0.1:{port}")
    assert not list(out.glob("data-*"))
    proc = run_ray(cluster, "/proc/jitsynth-cannot-write-here")
    assert_refused(proc, "cannot write /proc/jitsynth-cannot-write-here")
    proc = run_ray(cluster, tmp_path / "x", "--chunks", "0:1")
    assert_refused(proc, "--chunks and --ray")


@pytest.fixture(scope="module")
def s3_bucket():
    from moto.server import ThreadedMotoServer
    import pyarrow.fs as pafs

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"127.0.0.1:{port}"
        fs = pafs.S3FileSystem(endpoint_override=endpoint, scheme="http", access_key="testing",
                               secret_key="testing", region="us-east-1", allow_bucket_creation=True)
        fs.create_dir("jitsynth-test")
        yield fs, f"endpoint_override={endpoint}&scheme=http&region=us-east-1"
    finally:
        server.stop()


def test_a_run_into_an_emulated_s3_bucket(cluster, local_run, s3_bucket, tmp_path):
    fs, query = s3_bucket
    proc = run_ray(cluster, f"s3://jitsynth-test/run1?{query}")
    assert proc.returncode == 0, proc.stderr
    copy = tmp_path / "copy"
    copy.mkdir()
    names = sorted(info.base_name for info in fs.get_file_info(
        __import__("pyarrow.fs").fs.FileSelector("jitsynth-test/run1", recursive=True)))
    assert names == CHUNKS + ["failures.jsonl", "manifest.json"]
    for name in names:
        with fs.open_input_stream(f"jitsynth-test/run1/{name}") as f:
            (copy / name).write_bytes(f.read())
    assert_same_as_local(copy, local_run)
    proc = run_ray(cluster, f"s3://no-such-bucket/run?{query}")
    assert proc.returncode == 2 and "no-such-bucket" in proc.stderr, proc.stderr
