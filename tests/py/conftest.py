"""Shared fixtures: the built CLI and generated runs, made once per session."""

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "build" / "jitsynth"
sys.path.insert(0, str(ROOT / "bench"))  # measure_coverage: the figures the tests share


SLOW = os.environ.get("JITSYNTH_SLOW") == "1"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a long test that a quicker one of the default set covers in part; runs with "
        "JITSYNTH_SLOW=1 (.ci/run sets it), skipped with that reason otherwise")


def pytest_collection_modifyitems(config, items):
    if SLOW:
        return
    skip = pytest.mark.skip(reason="long test: set JITSYNTH_SLOW=1 to run it (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def run_cli(*args, check=True, timeout=1200):
    """Runs build/jitsynth; returns the CompletedProcess."""
    proc = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"jitsynth {' '.join(map(str, args))} exited {proc.returncode}:\n"
                             f"{proc.stderr}")
    return proc


def assert_refused(proc, *words):
    """Bad input: exit code 2 and one line on stderr that holds every word of WORDS."""
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


def read_records(out_dir):
    """All data records of an output directory, in file order."""
    records = []
    for chunk in sorted(pathlib.Path(out_dir).glob("data-*.jsonl")):
        with open(chunk, encoding="utf-8") as f:
            records.extend(json.loads(line) for line in f)
    return records


def tree_digest(directory):
    """{relative path: sha256} of every file under DIRECTORY: to show a tool left its input alone."""
    root = pathlib.Path(directory)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def tagged_pids(tag):
    """Processes whose environment carries the tag: the driver and its workers."""
    pids = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        zombie = stat.rsplit(")", 1)[1].split()[0] == "Z"
        if f"JITSYNTH_TEST_TAG={tag}".encode() in environ.split(b"\0") and not zombie:
            pids.append(int(entry.name))
    return pids


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


# How a run can be damaged; the tools must refuse each with exit 2, naming the file and line.
DAMAGES = {
    # A chunk cut short mid-line, as a full disk or a copy interrupted would leave it.
    "truncated": lambda text: text[: text.index("\n", len(text) // 2) - 40],
    # A line that is not JSON.
    "corrupt": lambda text: text.replace("\n", "\n{not json\n", 1),
    # JSON, but not a record.
    "not_a_record": lambda text: text.replace("\n", '\n{"id": "x"}\n', 1),
}


def damaged_copy(run, destination, damage):
    """A copy of RUN at DESTINATION with its second chunk damaged by DAMAGES[DAMAGE]."""
    shutil.copytree(run, destination)
    chunk = destination / "data-00001.jsonl"
    chunk.write_text(DAMAGES[damage](chunk.read_text(encoding="utf-8")), encoding="utf-8")
    return destination


@pytest.fixture(scope="session")
def hlo_levels_run(cli, tmp_path_factory):
    """A run made without the levels below HLO (eval and tasks refuse the kernel tasks on it)."""
    out = tmp_path_factory.mktemp("runs") / "hlo_run"
    run_cli("generate", "--count", 2, "--seed", 3, "--out", out, "--workers", 1, "--quiet",
            "--levels", "jaxpr,stablehlo,hlo,optimized_hlo")
    return out


def generated_run(tmp_path_factory, name, count, seed, chunk_size):
    """A run of `jitsynth generate` with two workers, in a fresh temporary directory."""
    out = tmp_path_factory.mktemp("runs") / name
    run_cli("generate", "--count", count, "--seed", seed, "--out", out, "--workers", 2,
            "--chunk-size", chunk_size, "--quiet")
    return out


@pytest.fixture(scope="session")
def cli():
    if not CLI.exists():
        pytest.fail(f"{CLI} is missing: run scripts/bootstrap first")
    return CLI


@pytest.fixture(scope="session")
def run_200(cli, tmp_path_factory):
    """The acceptance run of the end-to-end issue: 200 samples, seed 7, two workers."""
    return generated_run(tmp_path_factory, "seed7", count=200, seed=7, chunk_size=50)


@pytest.fixture(scope="session")
def run_small(cli, tmp_path_factory):
    """A quick run for the dataset tools: 24 samples in three chunks, one worker."""
    out = tmp_path_factory.mktemp("runs") / "small"
    run_cli("generate", "--count", 24, "--seed", 3, "--out", out, "--workers", 1,
            "--chunk-size", 10, "--quiet")
    return out
