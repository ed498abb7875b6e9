"""The chunk tasks of one host claim distinct CPUs (python/jitsynth_cluster/chunk.py).

Every CLI pins its first worker to the first CPU it may use; without a claim, two Ray tasks on one
host would both compile on the same core while the other idles."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "python"))
from jitsynth_cluster.chunk import claimed_cpus  # noqa: E402

ALLOWED = sorted(os.sched_getaffinity(0))


@pytest.mark.skipif(len(ALLOWED) < 2, reason="needs two allowed CPUs to claim distinct ones")
def test_claims_are_distinct_until_released(tmp_path):
    with claimed_cpus(1, str(tmp_path)) as first:
        with claimed_cpus(1, str(tmp_path)) as second:
            assert first and second and first.isdisjoint(second)
            with claimed_cpus(len(ALLOWED) - 1, str(tmp_path)) as rest:
                assert rest is None  # fewer free than asked: no claim, the CLI runs unrestricted
    with claimed_cpus(len(ALLOWED), str(tmp_path)) as everything:
        assert everything == set(ALLOWED)  # released on leaving the block


@pytest.mark.skipif(len(ALLOWED) < 2, reason="needs two allowed CPUs to claim distinct ones")
def test_a_claim_held_by_another_process_is_respected_and_dies_with_it(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, sys.argv[1]); from jitsynth_cluster.chunk import claimed_cpus\n"
         "with claimed_cpus(1, sys.argv[2]) as c:\n    print(min(c), flush=True); sys.stdin.read()",
         str(ROOT / "python"), str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        theirs = int(holder.stdout.readline())
        with claimed_cpus(1, str(tmp_path)) as mine:
            assert mine and theirs not in mine
    finally:
        holder.kill()
        holder.wait()
    with claimed_cpus(len(ALLOWED), str(tmp_path)) as everything:
        assert everything == set(ALLOWED)  # a dead holder's locks are gone


def test_the_cli_child_runs_on_the_claimed_cpus(tmp_path):
    from jitsynth_cluster.chunk import _child_setup

    with claimed_cpus(1, str(tmp_path)) as cpus:
        out = subprocess.run([sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"],
                             preexec_fn=_child_setup(cpus), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(sorted(cpus))
