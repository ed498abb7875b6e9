"""Shared fixtures: the built CLI and generated runs, made once per session."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "build" / "jitsynth"


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
