"""The declared compile target: what makes a record the same on every x86-64 host.

XLA:CPU reads two things from the host while it compiles, and both reach the IR a record keeps:

  - the number of CPUs the compiling thread may run on (`tsl::port::NumSchedulableCPUs()`, the
    size of its affinity mask): `ParallelTaskAssigner` splits large loops into that many parts,
    visible as `outer_dimension_partitions` in the optimized HLO's `backend_config`. XLA has no
    option that fixes it for a JAX compile (`intra_op_parallelism_threads` is not reachable from
    JAX's compile options), so the worker pins itself to exactly one CPU before JAX starts:
    every thread it makes inherits the mask, and the count is 1 on any host.
  - the instruction set: by default the host's best, which changes the code XLA emits (LLVM IR,
    assembly). `xla_cpu_max_isa` caps it; it is a DebugOptions field, so it travels as a
    per-compile `compiler_options` entry and the user's XLA_FLAGS cannot change it.

Both are recorded in provenance as `target` ({"cpu_isa": "AVX2", "compile_cpus": 1}).
"""

from __future__ import annotations

import os

CPU_ISA = "AVX2"
COMPILE_CPUS = 1
# What every compile of the worker is given.
COMPILER_OPTIONS = {"xla_cpu_max_isa": CPU_ISA}
# The /proc/cpuinfo flags a host needs to compile for CPU_ISA at full width: with fewer, XLA would
# fall below the declared target and write other bytes.
_REQUIRED_FLAGS = ("avx", "avx2", "fma")


class TargetUnavailable(RuntimeError):
    """The host cannot compile for the declared target."""


def describe() -> dict:
    """The target as provenance records it."""
    return {"cpu_isa": CPU_ISA, "compile_cpus": COMPILE_CPUS}


def with_target(options: dict | None) -> dict:
    """OPTIONS (a compile's own) with the declared target's; the target's win."""
    return {**(options or {}), **COMPILER_OPTIONS}


def check_host(cpuinfo: str = "/proc/cpuinfo") -> None:
    """Raise TargetUnavailable when the host lacks an instruction set extension of the target."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), None)
    except OSError:
        return  # not Linux, or no /proc: nothing to check against
    if flags is None:
        return
    missing = [flag for flag in _REQUIRED_FLAGS if flag not in flags]
    if missing:
        raise TargetUnavailable(
            f"this CPU lacks {', '.join(missing)}: it cannot compile for the declared target "
            f"{CPU_ISA}, and records made here would differ from other hosts'")


def pin_to_one_cpu(slot: int) -> int:
    """Restrict this process to one CPU of those it may use, chosen by SLOT; returns the CPU.

    Called before JAX is imported, so every thread XLA makes inherits the one-CPU mask. Slots
    spread the workers of one driver over its CPUs, so `--workers N` still uses N cores.
    """
    allowed = sorted(os.sched_getaffinity(0))
    cpu = allowed[slot % len(allowed)]
    os.sched_setaffinity(0, {cpu})
    return cpu
