"""The GPU levels: a module compiled for an NVIDIA GPU on a machine without one.

With XLA's CUDA plugin installed (`scripts/bootstrap --with-cuda`), a compile-only topology made
from a GpuTargetConfig (gpu_targets/<target>.txtpb) lets XLA's GPU compiler run to PTX without a
device: the module is lowered for "cuda" with its arguments placed on that topology's one device,
compiled with `xla_dump_to` (a fresh folder per compile), and the dump read back:
  - `optimized_hlo`: the compiled module's text, names renumbered as for the CPU (names.py);
  - `llvm_ir`: every LLVM module's `*.ir-with-opt.ll` that holds a kernel;
  - `ptx`: the same modules' `*.ptx`.
Each module's text is preceded by a header line naming its first kernel (`; ---- kernel: NAME`,
`// ---- kernel: NAME`), modules sorted by that name (bytewise). Modules without a kernel (the
constants' module, with empty PTX) are left out. `xla_gpu_force_compilation_parallelism=1`
keeps XLA from splitting the LLVM module between threads, which made the files differ between
compiles. Without a device there is no autotuning: XLA takes its default for every choice, and
its default Triton GEMM tiling failed on a small dot ("Couldn't find output tile sizes", 1 of 50
default samples of seed 7), so `xla_gpu_enable_triton_gemm=false` sends dots to cuBLAS.
"""

import os
import re

import jax

from . import kernels
from .names import renumber

TARGETS_DIR = os.path.join(os.path.dirname(__file__), "gpu_targets")
COMPILER_OPTIONS = {"xla_gpu_force_compilation_parallelism": 1, "xla_gpu_enable_triton_gemm": False}

_PTX_ENTRY = re.compile(r"^\.visible \.entry (?P<name>[\w$.]+)\(", re.MULTILINE)
_FILE = re.compile(r"module_\d+\.[^.]+\.(?P<number>\d+)\.(?P<what>ir-with-opt\.ll|ptx)")
_topologies: dict[str, object] = {}


class MissingPlugin(Exception):
    """XLA's CUDA plugin is not installed in this interpreter."""


def targets() -> list[str]:
    """The target names of the configs in gpu_targets/."""
    return sorted(name[: -len(".txtpb")] for name in os.listdir(TARGETS_DIR) if name.endswith(".txtpb"))


def capture(function, args: list[dict], target: str) -> dict[str, str]:
    """{optimized_hlo, llvm_ir, ptx} of FUNCTION for ARGS ({shape, dtype}) compiled for TARGET."""
    device = _device(target)
    sharding = jax.sharding.SingleDeviceSharding(device)
    specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), jax.numpy.dtype(a["dtype"]), sharding=sharding) for a in args]
    lowered = jax.jit(function).trace(*specs).lower(lowering_platforms=("cuda",))
    with kernels.dump_folder() as folder:
        compiled = lowered.compile(compiler_options={**COMPILER_OPTIONS, **kernels.compiler_options(folder)})
        modules = _modules(folder)
    return {
        "optimized_hlo": renumber(compiled.as_text()),
        "llvm_ir": "".join(f"; ---- kernel: {name}\n{ir}" for name, ir, _ in modules),
        "ptx": "".join(f"// ---- kernel: {name}\n{ptx}" for name, _, ptx in modules),
    }


def _device(target: str):
    if target not in _topologies:
        path = os.path.join(TARGETS_DIR, f"{target}.txtpb")
        if target not in targets():
            raise ValueError(f"unknown GPU target {target!r}; the known ones are {', '.join(targets())}")
        try:
            from jax.experimental import topologies
            with open(path, encoding="utf-8") as f:
                config = f.read()
            _topologies[target] = topologies.get_topology_desc(
                platform="cuda", target_config=config, topology="1x1x1"
            )
        except (ImportError, RuntimeError, NotImplementedError) as error:
            raise MissingPlugin(f"cannot compile for {target}: {error} (scripts/bootstrap --with-cuda)") from error
    return _topologies[target].devices[0]


def _modules(folder: str) -> list[tuple[str, str, str]]:
    """(first kernel name, LLVM IR, PTX) of every dumped LLVM module with a kernel, sorted by name."""
    files: dict[str, dict[str, str]] = {}
    for file_name in os.listdir(folder):
        match = _FILE.fullmatch(file_name)
        if match is not None:
            with open(os.path.join(folder, file_name), encoding="utf-8") as f:
                files.setdefault(match.group("number"), {})[match.group("what")] = f.read()
    modules = []
    for texts in files.values():
        ptx = texts.get("ptx", "")
        entry = _PTX_ENTRY.search(ptx)
        if entry is None:
            continue
        modules.append((entry.group("name"), _ends_in_newline(texts.get("ir-with-opt.ll", "")), _ends_in_newline(ptx)))
    modules.sort(key=lambda module: module[0].encode())
    return modules


def _ends_in_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"
