"""The declared compile target (python/jitsynth_worker/target.py): records do not depend on the
CPUs the run may use. The same samples with the driver restricted to one CPU and to two are
byte-identical, including a module that XLA splits by the core count when nothing is pinned."""

import json
import os
import subprocess
import sys

import pytest

from conftest import CLI, ROOT, read_records
from jitsynth_worker import target

# Large enough that XLA:CPU splits its loop by the number of CPUs it may use (docs/performance.md).
BIG = """import jax.numpy as jnp


def big(x):
    return jnp.exp(jnp.sin(x)) * 2 + jnp.sum(x, axis=0)
"""
PARTITIONED = 'outer_dimension_partitions":["'
TWO_CPUS = sorted(os.sched_getaffinity(0))[:2]

needs_two_cpus = pytest.mark.skipif(len(TWO_CPUS) < 2, reason="the affinity test needs a machine with 2 CPUs")


def taskset(cpus, *argv):
    return subprocess.run(["taskset", "-c", ",".join(map(str, cpus)), *map(str, argv)], capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)


@needs_two_cpus
def test_unpinned_xla_splits_the_big_module_by_core_count(tmp_path):
    """The control: without the declared target, the module's optimized HLO follows the affinity."""
    script = tmp_path / "plain.py"
    script.write_text(BIG + """
import jax
print(jax.jit(big).lower(jax.ShapeDtypeStruct((2048, 2048), "float32")).compile().as_text())
""")
    one = taskset(TWO_CPUS[:1], sys.executable, script)
    two = taskset(TWO_CPUS, sys.executable, script)
    assert one.returncode == 0 and two.returncode == 0, (one.stderr, two.stderr)
    assert PARTITIONED not in one.stdout
    assert PARTITIONED in two.stdout


@needs_two_cpus
def test_extract_of_the_big_module_is_the_same_on_one_cpu_and_two(tmp_path):
    source = tmp_path / "big.py"
    source.write_text(BIG)
    runs = [taskset(cpus, CLI, "extract", f"{source}:big", "--arg", "f32[2048,2048]") for cpus in
            (TWO_CPUS[:1], TWO_CPUS)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout
    record = json.loads(runs[0].stdout)
    assert PARTITIONED not in record["optimized_hlo"]
    assert record["provenance"]["target"] == {"cpu_isa": "AVX2", "compile_cpus": 1}


@needs_two_cpus
def test_generate_is_the_same_on_one_cpu_and_two(tmp_path):
    outs = []
    for name, cpus in (("one", TWO_CPUS[:1]), ("two", TWO_CPUS)):
        out = tmp_path / name
        run = taskset(cpus, CLI, "generate", "--count", 6, "--seed", 11, "--chunk-size", 3, "--workers", 2,
                      "--out", out, "--quiet")
        assert run.returncode == 0, run.stderr
        outs.append(out)
    for chunk in sorted(p.name for p in outs[0].glob("data-*.jsonl")):
        assert (outs[0] / chunk).read_bytes() == (outs[1] / chunk).read_bytes(), chunk
    records = read_records(outs[0])
    assert records and all(r["provenance"]["target"] == target.describe() for r in records)


def test_worker_pins_itself_to_one_cpu_chosen_by_slot():
    code = ("import os, sys; from jitsynth_worker import target; "
            "cpu = target.pin_to_one_cpu(int(sys.argv[1])); print(cpu, sorted(os.sched_getaffinity(0)))")
    allowed = sorted(os.sched_getaffinity(0))
    for slot in range(3):
        out = subprocess.run([sys.executable, "-c", code, str(slot)], capture_output=True, text=True, check=True)
        cpu = allowed[slot % len(allowed)]
        assert out.stdout.split(" ", 1) == [str(cpu), f"[{cpu}]\n"]


def test_a_host_without_avx2_is_refused(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx\n")
    with pytest.raises(target.TargetUnavailable, match="avx2, fma"):
        target.check_host(str(cpuinfo))
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma avx512f\n")
    target.check_host(str(cpuinfo))


def test_every_compile_caps_the_isa():
    assert target.with_target({"xla_cpu_max_isa": "AVX512", "other": 1}) == {"xla_cpu_max_isa": "AVX2", "other": 1}
