"""Shared fixtures: the built CLI and generated runs, made once per session."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "build" / "jitsynth"
sys.path.insert(0, str(ROOT / "bench"))  # measure_coverage: the figures the tests share


def run_cli(*args, check=True, timeout=1200):
    """Runs build/jitsynth; returns the CompletedProcess."""
    proc = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"jitsynth {' '.join(map(str, args))} exited {proc.returncode}:\n"
                             f"{proc.stderr}")
    return proc


def read_records(out_dir):
    """All data records of an output directory, in file order."""
    records = []
    for chunk in sorted(pathlib.Path(out_dir).glob("data-*.jsonl")):
        with open(chunk, encoding="utf-8") as f:
            records.extend(json.loads(line) for line in f)
    return records


@pytest.fixture(scope="session")
def cli():
    if not CLI.exists():
        pytest.fail(f"{CLI} is missing: run scripts/bootstrap first")
    return CLI


@pytest.fixture(scope="session")
def run_200(cli, tmp_path_factory):
    """The acceptance run of the end-to-end issue: 200 samples, seed 7, two workers."""
    out = tmp_path_factory.mktemp("runs") / "seed7"
    run_cli("generate", "--count", 200, "--seed", 7, "--out", out, "--workers", 2,
            "--chunk-size", 50, "--quiet")
    return out
