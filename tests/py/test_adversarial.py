"""Every subcommand as a careless or hostile user would call it: huge and negative numbers,
devices, FIFOs, sockets and symbolic links as --out, read-only and full file systems, paths with
line breaks or bytes that are not UTF-8, signals at every phase, more workers than the machine
holds, and a driver that would grow without end.

Each case asserts the documented exit code (0, 1, 2, or 130/143 for a signal), a single line on
stderr, and that nothing outside --out changed."""

import json
import os
import pathlib
import signal
import socket
import stat
import subprocess
import sys
import time
import uuid

import pytest

from conftest import CLI, tagged_pids, wait_until

PY = sys.executable  # passes the --python check; the refused cases never run it
EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "saxpy.py"


def call(*args, env_extra=None, timeout=120):
    """Runs build/jitsynth with ARGS (str, path or bytes); returns the CompletedProcess."""
    argv = [os.fsencode(CLI)] + [a if isinstance(a, bytes) else os.fsencode(str(a)) for a in args]
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                          env=env)


def one_line(proc, code, *words):
    """Exit CODE and exactly one line on stderr that holds every word."""
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == code, (proc.returncode, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


def state(root):
    """{relative path: (kind, size, mtime, link target)} of everything under ROOT, links unfollowed."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            link = os.readlink(p) if stat.S_ISLNK(st.st_mode) else None
            out[os.path.relpath(p, root)] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns,
                                             link)
    return out


def make_target(sandbox, kind):
    """An existing path of KIND in SANDBOX that no command may write to or through."""
    victim = sandbox / "victim.txt"
    victim.write_text("keep me\n")
    target = sandbox / f"target-{kind}"
    if kind == "char_device":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a private /dev/full
        except PermissionError:
            pytest.skip("mknod needs root")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(target))
        s.close()
    elif kind == "link_to_file":
        target.symlink_to(victim)
    elif kind == "link_to_dir":
        (sandbox / "victim_dir").mkdir()
        target.symlink_to(sandbox / "victim_dir")
    elif kind == "dangling_link":
        target.symlink_to(sandbox / "nowhere")
    elif kind == "file":
        target.write_text("a file\n")
    elif kind == "dir":
        target.mkdir()
    return target


def out_commands(run, out):
    """Every subcommand that writes --out, with OUT as its --out."""
    return {
        "generate": ["generate", "--count", 1, "--out", out, "--python", PY],
        "dedup": ["dedup", run, "--out", out],
        "split": ["split", run, "--out", out],
        "stats": ["stats", run, "--out", out],
        "export_zst": ["export", run, "--format", "jsonl.zst", "--out", out],
        "export_parquet": ["export", run, "--format", "parquet", "--out", out, "--python", PY],
        "extract": ["extract", f"{EXAMPLE}:saxpy", "--arg", "f32[]", "--arg", "f32[4]", "--arg",
                    "f32[4]", "--out", out, "--python", PY],
    }


FILE_WRITERS = {"export_zst", "export_parquet", "extract"}
KINDS = ["char_device", "fifo", "socket", "link_to_file", "link_to_dir", "dangling_link", "file",
         "dir"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", sorted(out_commands("IN", "OUT")))
def test_out_that_is_not_what_the_command_writes_is_refused(run_small, tmp_path, command, kind):
    # A command that writes a file may replace a regular file (documented); one that writes a
    # directory accepts an empty directory. Everything else is refused.
    if (command in FILE_WRITERS and kind == "file") or (command not in FILE_WRITERS
                                                        and kind == "dir"):
        pytest.skip("a valid --out for this command")
    target = make_target(tmp_path, kind)
    before = state(tmp_path)
    proc = call(*out_commands(run_small, target)[command], timeout=60)
    one_line(proc, 2, "--out")
    assert state(tmp_path) == before


def test_export_to_a_device_node_leaves_it_a_device(run_small, tmp_path):
    """The reported case: `export --format parquet --out /dev/full` as root replaced the node."""
    device = make_target(tmp_path, "char_device")
    for fmt in ("parquet", "jsonl.zst"):
        proc = call("export", run_small, "--format", fmt, "--out", device, "--python", PY)
        one_line(proc, 2, "not a regular file")
        assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_planted_temporary_name_is_not_written_through(run_small, tmp_path):
    """The temporary is created exclusively under a fresh name: a link planted at the name an
    older version used (OUT.tmp) is left alone, and so is what it points to."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    out = tmp_path / "out.jsonl.zst"
    (tmp_path / "out.jsonl.zst.tmp").symlink_to(victim)
    proc = call("export", run_small, "--format", "jsonl.zst", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "keep me\n"
    assert out.stat().st_size > 0 and not list(tmp_path.glob("out.jsonl.zst.*.tmp"))


NUMBERS = [
    ["generate", "--count", "-1"],
    ["generate", "--count", "0"],
    ["generate", "--count", "99999999999999999999999"],
    ["generate", "--count", "1e3"],
    ["generate", "--count", "3", "--workers", "-2"],
    ["generate", "--count", "3", "--workers", "0"],
    ["generate", "--count", "3", "--seed", "-1"],
    ["generate", "--count", "3", "--chunk-size", "-5"],
    ["generate", "--count", "3", "--timeout", "0"],
    ["generate", "--count", "3", "--max-driver-rss", "-1"],
    ["generate", "--count", "3", "--max-worker-rss", "18446744073709551616"],
    ["generate", "--count", "3", "--max-requests-per-worker", "0x10"],
    ["dedup", "RUN", "--threshold", "-0.5"],
    ["dedup", "RUN", "--threshold", "1e400"],
    ["dedup", "RUN", "--threshold", "nan"],
    ["split", "RUN", "--ratios", "-1,1,1"],
    ["split", "RUN", "--ratios", "1e309,1,1"],
    ["split", "RUN", "--seed", "-3"],
    ["extract", f"{EXAMPLE}:saxpy", "--arg", "f32[-1]", "--python", PY],
    ["extract", f"{EXAMPLE}:saxpy", "--arg", "f32[99999999999999999999]", "--python", PY],
    ["extract", f"{EXAMPLE}:saxpy", "--arg", "f32[]", "--timeout", "-1", "--python", PY],
    ["sample", "--count", "-1"],
    ["sample", "--count", "99999999999999999999999"],
    ["sample", "--start", "-1"],
]


@pytest.mark.parametrize("args", NUMBERS, ids=lambda a: " ".join(a))
def test_huge_and_negative_numbers_are_refused(run_small, tmp_path, args):
    out = tmp_path / "out"
    argv = [run_small if a == "RUN" else a for a in args]
    if args[0] in ("generate", "dedup", "split"):
        argv += ["--out", out]
    before = state(tmp_path)
    proc = call(*argv, timeout=60)
    one_line(proc, 2)
    assert state(tmp_path) == before


def test_paths_with_line_breaks_and_bytes_that_are_not_utf8(run_small, tmp_path):
    # Refused: the message names the path on one line, its line break escaped.
    bad = os.fsencode(tmp_path) + b"/no\nsuch dir/\xff.zst"
    proc = call("export", run_small, "--format", "jsonl.zst", "--out", bad)
    one_line(proc, 2, "does not exist")
    assert "\\n" in proc.stderr.decode("utf-8", "replace")
    # Accepted: such a name is a valid file name, written as given and nowhere else.
    odd = os.fsencode(tmp_path) + b"/odd\nname\xff.zst"
    before = state(tmp_path)
    proc = call("export", run_small, "--format", "jsonl.zst", "--out", odd)
    assert proc.returncode == 0, proc.stderr
    after = state(tmp_path)
    assert set(after) - set(before) == {os.fsdecode(b"odd\nname\xff.zst")}
    report = os.fsencode(tmp_path) + b"/card\n\xfe"
    proc = call("stats", run_small, "--out", report)
    assert proc.returncode == 0, proc.stderr
    assert os.path.isfile(report + b"/README.md")


@pytest.fixture
def read_only_dir(tmp_path):
    """A directory no one may write in, root included: a read-only tmpfs when mount is allowed,
    else a mode-0555 directory (which binds only users other than root)."""
    d = tmp_path / "ro"
    d.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(d)],
                             capture_output=True).returncode == 0
    if not mounted:
        if os.geteuid() == 0:
            pytest.skip("cannot mount a read-only tmpfs, and root ignores mode bits")
        d.chmod(0o555)
    yield d
    if mounted:
        subprocess.run(["umount", str(d)], check=False)
    else:
        d.chmod(0o755)


def test_read_only_directories_are_refused(run_small, read_only_dir):
    for name, argv in out_commands(run_small, read_only_dir / "out").items():
        proc = call(*argv, timeout=60)
        one_line(proc, 2, "--out")
        assert not list(read_only_dir.iterdir()), name


@pytest.fixture
def full_dir(tmp_path):
    d = tmp_path / "full"
    d.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(d)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield d
    subprocess.run(["umount", str(d)], check=False)


def test_a_full_disk_fails_with_a_message_and_leaves_no_temporary(run_small, full_dir):
    for name, argv in [("export", ["export", run_small, "--format", "jsonl.zst"]),
                       ("dedup", ["dedup", run_small, "--no-near"])]:
        out = full_dir / name
        proc = call(*argv, "--out", out, timeout=60)
        one_line(proc, 1, "No space left on device")
        assert not list(full_dir.glob("*.tmp")), name


# --- generate: workers, signals and the driver's memory --------------------------------------


def start(out, *args, env_extra=None):
    """generate in the background, tagged so that the driver and its workers can be found."""
    tag = uuid.uuid4().hex
    env = dict(os.environ, JITSYNTH_TEST_TAG=tag, **(env_extra or {}))
    proc = subprocess.Popen([str(CLI), "generate", "--out", str(out), "--quiet",
                             *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)
    return proc, tag


def stop_within(proc, tag, sig, seconds=5.0):
    """Sends SIG; the driver must exit within SECONDS and leave no worker behind."""
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        _, stderr = proc.communicate(timeout=seconds + 20)
    finally:
        proc.kill()
    took = time.monotonic() - sent
    assert took < seconds, (took, stderr)
    assert wait_until(lambda: not tagged_pids(tag), 5), tagged_pids(tag)
    return stderr


def resident_mib(pid):
    try:
        return int(pathlib.Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096 >> 20
    except (OSError, IndexError, ValueError):
        return 0


def worker_count(tag, driver_pid):
    """The driver's workers: its tagged children (a worker's own children, objdump reading a
    kernel's object file, carry the tag too but are not workers)."""
    def parent(pid):
        try:
            return int(pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return None
    return len([p for p in tagged_pids(tag) if p != driver_pid and parent(p) == driver_pid])


def test_too_many_workers_are_capped_with_a_note(cli, tmp_path):
    """The reported case: `--workers 999` for three samples started hundreds of workers."""
    proc, tag = start(tmp_path / "out", "--count", 3, "--seed", 1, "--workers", 999)
    seen = 0
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and proc.poll() is None:
        seen = max(seen, worker_count(tag, proc.pid))
        time.sleep(0.1)
    if proc.poll() is None:
        stderr = stop_within(proc, tag, signal.SIGTERM)
    else:
        stderr = proc.communicate()[1]
    assert 1 <= seen <= min(3, os.cpu_count()), seen
    note = [line for line in stderr.splitlines() if "--workers 999 capped to" in line]
    assert len(note) == 1, stderr
    # Capped so that the workers' memory fits in half of what is available.
    available = int(next(line.split()[1] for line in open("/proc/meminfo")
                         if line.startswith("MemAvailable:"))) * 1024
    assert seen * (500 << 20) <= available / 2


PHASES = ["start-up", "running", "shutdown", "stuck generator"]


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("phase", PHASES)
def test_signals_are_honored_within_5_s_in_every_phase(cli, tmp_path, phase, sig, code):
    out = tmp_path / "out"
    env = {"JITSYNTH_TEST_INJECT": "0=bloat"} if phase == "stuck generator" else None
    count = 2 if phase == "shutdown" else 400
    proc, tag = start(out, "--count", count, "--seed", 5, "--workers", 2, "--chunk-size", 1,
                      "--max-driver-rss", 100000, env_extra=env)
    if phase == "shutdown":  # the last chunk is committed: the workers are being shut down
        assert wait_until(lambda: (out / "data-00001.jsonl").exists(), 120)
        stderr = stop_within(proc, tag, sig)
        assert proc.returncode in (0, code), stderr
        assert len(stderr.strip().splitlines()) == (proc.returncode != 0), stderr
        return
    if phase == "start-up":  # the workers are importing JAX
        assert wait_until(lambda: worker_count(tag, proc.pid) >= 1, 10)
        time.sleep(0.3)
    elif phase == "running":  # a chunk is committed, more are being compiled
        assert wait_until(lambda: (out / "data-00000.jsonl").exists(), 120)
    else:  # the driver allocates in a loop that never returns
        assert wait_until(lambda: resident_mib(proc.pid) > 200, 60)
    stderr = stop_within(proc, tag, sig)
    assert proc.returncode == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0], stderr


def test_the_driver_memory_budget_stops_the_run_with_a_message(cli, tmp_path):
    """The reported case: a policy that made the generator grow the driver to 24 GB, killed by
    the kernel without a word. Here a budget below what the driver needs to start."""
    out = tmp_path / "out"
    proc, tag = start(out, "--count", 3, "--workers", 1, "--max-driver-rss", 1)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "--max-driver-rss" in lines[0] and "budget of 1 MiB" in lines[0]
    assert wait_until(lambda: not tagged_pids(tag), 5)


def test_a_driver_that_keeps_growing_is_stopped_at_its_budget(cli, tmp_path):
    """A generator that allocates without end (injected) cannot even return: the watchdog ends
    the process with the budget's message, the committed chunks intact."""
    out = tmp_path / "out"
    proc, tag = start(out, "--count", 3, "--workers", 1, "--max-driver-rss", 256,
                      env_extra={"JITSYNTH_TEST_INJECT": "2=bloat"})
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "budget of 256 MiB" in lines[0], stderr
    assert wait_until(lambda: not tagged_pids(tag), 5)
    for f in out.glob("data-*.jsonl"):  # whatever was committed is whole
        for line in f.read_text().splitlines():
            json.loads(line)
