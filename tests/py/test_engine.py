"""The engine under faults: kills at random instants, resume, signals, crashing and hanging
programs, dead workers, and the bad input of --resume."""

import json
import os
import pathlib
import random
import signal
import subprocess
import time
import uuid

import pytest

from conftest import CLI, read_records, run_cli, tagged_pids, wait_until

ARGS = ["--count", 36, "--seed", 11, "--chunk-size", 4]
DATA_FILES = [f"data-{i:05d}.jsonl" for i in range(9)] + ["failures.jsonl"]


def start(out, *extra, env_extra=None):
    """Starts generate in the background, tagged so that its workers can be found."""
    tag = uuid.uuid4().hex
    env = dict(os.environ, JITSYNTH_TEST_TAG=tag, **(env_extra or {}))
    proc = subprocess.Popen([str(CLI), "generate", *map(str, ARGS), "--out", str(out), "--quiet",
                             *map(str, extra)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            stdin=subprocess.DEVNULL)
    return proc, tag


def assert_same_data(a, b):
    for name in DATA_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="session")
def reference(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("engine") / "reference"
    run_cli("generate", *ARGS, "--out", out, "--workers", 2, "--quiet")
    return out


def committed_chunks(out):
    """Chunks the manifest says are committed (0 while there is no readable manifest)."""
    try:
        return len(json.loads((out / "manifest.json").read_text())["chunks"])
    except (OSError, ValueError, KeyError):
        return 0


def test_sigkill_at_random_instants_then_resume_gives_identical_data(reference, tmp_path):
    out = tmp_path / "killed"
    rng = random.Random(1234)
    chunks = len(DATA_FILES) - 1
    kills = 0
    resume = []
    # Instants are drawn relative to progress, not to a clock, so that the kills land mid-run
    # however fast the machine is: the first while workers start (before any chunk is committed),
    # the others after a random number of further chunks plus a random fraction of a chunk.
    for attempt in range(4):
        proc, tag = start(out, "--workers", 2, *resume)
        if attempt == 0:
            time.sleep(rng.uniform(0.2, 1.5))
        else:
            done = committed_chunks(out)
            target = min(done + rng.randint(1, 2), chunks - 2)
            wait_until(lambda: committed_chunks(out) >= target or proc.poll() is not None, 120)
            time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is not None:
            break  # it finished before the kill
        proc.kill()
        proc.wait()
        kills += 1
        # No worker outlives its driver.
        assert wait_until(lambda: not tagged_pids(tag), 5), tagged_pids(tag)
        resume = ["--resume"]
    assert kills >= 3, kills
    proc = subprocess.run([str(CLI), "generate", *map(str, ARGS), "--out", str(out), "--quiet",
                           "--workers", "1", "--resume"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert_same_data(reference, out)
    assert not list(out.glob("*.tmp"))
    assert json.loads((out / "manifest.json").read_text())["complete"] is True


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signals_stop_cleanly_and_resume(reference, tmp_path, sig, code):
    out = tmp_path / "signalled"
    proc, tag = start(out, "--workers", 2)
    manifest = out / "manifest.json"
    assert wait_until(lambda: manifest.exists() and json.loads(manifest.read_text())["chunks"], 120)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == code, stderr
    assert "interrupted" in stderr
    m = json.loads(manifest.read_text())
    assert m["complete"] is False and m["chunks"]
    assert wait_until(lambda: not tagged_pids(tag), 5)
    run_cli("generate", *ARGS, "--out", out, "--workers", 2, "--quiet", "--resume")
    assert_same_data(reference, out)


def test_injected_crash_hang_and_rejected_programs_become_failures(cli, tmp_path):
    out = tmp_path / "injected"
    env = dict(os.environ, JITSYNTH_TEST_INJECT="2=crash,5=hang,7=reject,9=abort")
    proc = subprocess.run([str(CLI), "generate", "--count", "12", "--seed", "3", "--out", str(out),
                           "--workers", "2", "--timeout", "15", "--levels", "jaxpr,stablehlo,hlo,optimized_hlo",
                           "--quiet"],  # a timeout that no real compile reaches on a loaded machine
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    failures = {f["index"]: f for f in map(json.loads, (out / "failures.jsonl").open())}
    assert {i: f["stage"] for i, f in failures.items()} == {
        2: "crash", 5: "timeout", 7: "trace", 9: "crash"}
    assert "rejected by JITSYNTH_TEST_INJECT" in failures[7]["message"]
    records = read_records(out)
    assert [r["index"] for r in records] == [i for i in range(12) if i not in failures]
    m = json.loads((out / "manifest.json").read_text())
    assert m["counts"]["failures"] == {"crash": 2, "timeout": 1, "trace": 1}
    assert m["pool"]["retries"] == 3  # crash, hang and abort were each retried once


def test_a_worker_killed_mid_run_loses_nothing(reference, tmp_path):
    out = tmp_path / "worker-killed"
    proc, tag = start(out, "--workers", 2)
    manifest = out / "manifest.json"
    assert wait_until(lambda: manifest.exists() and json.loads(manifest.read_text())["chunks"], 120)
    workers = [p for p in tagged_pids(tag) if p != proc.pid]
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert_same_data(reference, out)
    m = json.loads(manifest.read_text())
    assert m["pool"]["crashes"] + m["pool"]["restarts"] >= 1


def copy_run(src, dst):
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def snapshot(d):
    return {f.name: f.read_bytes() for f in d.iterdir()}


def test_resume_with_other_arguments_is_refused(reference, tmp_path):
    out = copy_run(reference, tmp_path / "other-args")
    before = snapshot(out)
    proc = run_cli("generate", "--count", 36, "--seed", 12, "--chunk-size", 4, "--out", out,
                   "--resume", check=False)
    assert proc.returncode == 2
    assert "--seed 11 (now 12)" in proc.stderr
    assert snapshot(out) == before


def test_resume_with_a_corrupt_manifest_is_refused(reference, tmp_path):
    out = copy_run(reference, tmp_path / "corrupt")
    (out / "manifest.json").write_text('{"format": "jitsynth-run/1", "seed": ')
    before = snapshot(out)
    proc = run_cli("generate", *ARGS, "--out", out, "--resume", check=False)
    assert proc.returncode == 2
    assert "manifest.json is corrupt" in proc.stderr
    assert snapshot(out) == before


def test_resume_with_a_truncated_chunk_is_refused(reference, tmp_path):
    out = copy_run(reference, tmp_path / "truncated")
    m = json.loads((out / "manifest.json").read_text())
    m["complete"] = False
    (out / "manifest.json").write_text(json.dumps(m))
    chunk = out / "data-00003.jsonl"
    chunk.write_bytes(chunk.read_bytes()[:-100])
    before = snapshot(out)
    proc = run_cli("generate", *ARGS, "--out", out, "--resume", check=False)
    assert proc.returncode == 2
    assert "data-00003.jsonl is truncated or altered" in proc.stderr
    assert snapshot(out) == before


def test_resume_without_a_run_is_refused(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    proc = run_cli("generate", *ARGS, "--out", tmp_path, "--resume", check=False)
    assert proc.returncode == 2
    assert "holds no jitsynth run" in proc.stderr


def test_resume_of_a_complete_run_changes_nothing(reference, tmp_path):
    out = copy_run(reference, tmp_path / "complete")
    before = snapshot(out)
    proc = run_cli("generate", *ARGS, "--out", out, "--resume")
    assert "36 records" in proc.stdout or "records" in proc.stdout
    assert snapshot(out) == before


def test_full_disk_stops_with_a_message_and_keeps_committed_data(cli, tmp_path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        out = mnt / "run"
        proc = run_cli("generate", "--count", 60, "--seed", 3, "--chunk-size", 2, "--out", out,
                       "--workers", 2, "--quiet", check=False)
        assert proc.returncode == 1
        assert "No space left on device" in proc.stderr and "--resume" in proc.stderr
        m = json.loads((out / "manifest.json").read_text())
        assert m["complete"] is False and m["chunks"]
        for c in m["chunks"]:  # every committed chunk is whole
            assert (out / c["file"]).stat().st_size == c["bytes"]
            assert len((out / c["file"]).read_text().splitlines()) == c["records"]
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_progress_line_on_a_terminal(cli, tmp_path):
    """On a TTY, stderr carries done/total, rate, ETA and failures; --quiet silences it."""
    import pty

    for quiet, expect in ((False, True), (True, False)):
        master, slave = pty.openpty()
        out = tmp_path / f"progress-{quiet}"
        proc = subprocess.Popen([str(CLI), "generate", "--count", "4", "--seed", "2", "--out",
                                 str(out), "--workers", "1", *(["--quiet"] if quiet else [])],
                                stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait()
        os.close(master)
        text = b"".join(chunks).decode(errors="replace")
        assert proc.returncode == 0
        assert ("4/4 (100%)" in text and "pairs/s" in text and "ETA" in text
                and "failures 0" in text) == expect, text
