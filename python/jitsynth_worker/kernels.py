"""The CPU kernel levels: each fused kernel's LLVM IR (before and after LLVM's passes) and x86-64 assembly.

XLA:CPU writes, per compile with `compiler_options={"xla_dump_to": DIR}`, for every kernel it
emits `module_NNNN.<module>.<kernel>_kernel_module.ir-no-opt.ll`, `...ir-with-opt.ll` and
`module_NNNN.<module>.obj-file.<kernel>_kernel_module.o` (a small while loop, hoisted into one
kernel, is `<call>_computation_kernel_module`; the fusion emitters' kernels are
`__compute_module_<kernel>`, the scatter emitter's the bare `<kernel>`). One `objdump -d -r` over the objects gives the
assembly. Matmuls and convolutions become library calls and make no kernel: a program made only of
them has empty kernel levels.

Each level is the text of every kernel, sorted by kernel name (bytewise), each preceded by one
header line (`; ---- kernel: NAME` in LLVM IR, `# ---- kernel: NAME` in assembly). NAME is the HLO
instruction the kernel was made from, renamed as the record's optimized HLO renames it
(names.renumber), so the header names the instruction of `optimized_hlo`. No path or temporary
name reaches the texts: objdump runs in the dump folder on bare file names and its per-file
`file format` lines become the headers.

A compile served from JAX's cache writes no files, so every compile gets a fresh folder (its
options then differ, so it is never served from the cache), removed afterwards. The folder is in
memory (/dev/shm) where the host has one with room to spare: XLA writes some 20-30 files per
compile (HLO texts and buffer assignments beside the kernels' files), and on a disk-backed /tmp
creating and removing them cost 6-12% of the forward compile's CPU time, in memory half that or
less (docs/performance.md: `bench/levels.py dump`).
"""

import contextlib
import os
import re
import shutil
import subprocess
import tempfile

LEVELS = ("llvm_ir_unoptimized", "llvm_ir", "asm")

# The argument order of a hoisted small-while-loop kernel comes from iterating an
# absl::flat_hash_set, which changes from one compile to the next; the driver sets this flag in
# the workers' XLA_FLAGS whenever a kernel level is asked, so that XLA keeps such loops as while
# loops made of ordinary (deterministic) kernels. See docs/worker-protocol.md.
SMALL_WHILE_LOOP_FLAG = "--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=0"

_SUFFIXES = {"llvm_ir_unoptimized": ".ir-no-opt.ll", "llvm_ir": ".ir-with-opt.ll"}
# Three namings, all seen in jaxlib 0.10.2: `<kernel>_kernel_module` (a hoisted small while loop's
# `<call>_computation_kernel_module`), `__compute_module_<kernel>` (elementwise fusions and wrapped
# single ops, made by XLA:CPU's fusion emitters) and the bare `<kernel>` (the scatter emitter's).
_KERNEL_FILE = re.compile(r"module_\d+\.[^.]+\.(?P<stem>.+)\.ir-no-opt\.ll")
_KERNEL_AFFIXES = (("__compute_module_", ""), ("", "_computation_kernel_module"), ("", "_kernel_module"))


def _kernel_of(stem: str) -> str:
    """The HLO instruction a kernel file's STEM names."""
    for prefix, suffix in _KERNEL_AFFIXES:
        if stem.startswith(prefix) and stem.endswith(suffix) and len(stem) > len(prefix) + len(suffix):
            return stem[len(prefix):len(stem) - len(suffix)]
    return stem


_FILE_FORMAT = re.compile(r"^(?P<file>\S+\.o):\s+file format \S+$")
_OBJDUMP = ("objdump", "-d", "-r", "-w", "--no-show-raw-insn", "--no-addresses")


# A dump is a few MB at most; below this much free memory the dump goes to the default temporary
# folder instead, so that XLA never runs out of room mid-dump (it would leave files cut short).
_SHM = "/dev/shm"
_SHM_MIN_FREE = 256 << 20


def _dump_parent() -> str | None:
    """/dev/shm when it is a writable folder with _SHM_MIN_FREE bytes free, else None (tempfile's default)."""
    try:
        stat = os.statvfs(_SHM)
    except OSError:
        return None
    if stat.f_bavail * stat.f_frsize < _SHM_MIN_FREE or not os.access(_SHM, os.W_OK | os.X_OK):
        return None
    return _SHM


@contextlib.contextmanager
def dump_folder():
    """A fresh, empty folder for one compile's dump, in memory where possible; removed with everything in it afterwards."""
    folder = tempfile.mkdtemp(prefix="jitsynth-dump-", dir=_dump_parent())
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compiler_options(folder: str) -> dict:
    """The per-compile options that make XLA write the kernels' files into FOLDER."""
    return {"xla_dump_to": folder}


def read(folder: str, wanted: tuple[str, ...] | list[str], rename) -> dict[str, str]:
    """The levels of WANTED (names from LEVELS) from the dump in FOLDER.

    RENAME maps an HLO instruction name as XLA wrote it to the record's name (names.renumber's
    mapping; unknown names are kept).
    """
    kernels = _kernels(folder, rename)
    levels: dict[str, str] = {}
    for level in wanted:
        if level == "asm":
            levels[level] = _assembly(folder, kernels)
            continue
        parts = []
        for name, stem in kernels:
            with open(os.path.join(folder, stem + _SUFFIXES[level]), encoding="utf-8") as f:
                parts.append(f"; ---- kernel: {name}\n" + f.read())
        levels[level] = _join(parts)
    return levels


def _kernels(folder: str, rename) -> list[tuple[str, str]]:
    """(record name, file stem) of every kernel in FOLDER, sorted by record name."""
    found = []
    for file_name in os.listdir(folder):
        match = _KERNEL_FILE.fullmatch(file_name)
        if match is not None:
            found.append((rename(_kernel_of(match.group("stem"))),
                          file_name[: -len(_SUFFIXES["llvm_ir_unoptimized"])]))
    found.sort(key=lambda kernel: kernel[0].encode())
    return found


def _assembly(folder: str, kernels: list[tuple[str, str]]) -> str:
    if not kernels:
        return ""
    objects = [_object_name(stem) for _, stem in kernels]
    text = subprocess.run(
        [*_OBJDUMP, *objects], cwd=folder, check=True, capture_output=True, text=True
    ).stdout
    names = dict(zip(objects, (name for name, _ in kernels)))
    parts: list[list[str]] = []
    for line in text.split("\n"):
        header = _FILE_FORMAT.match(line)
        if header is not None:
            parts.append([f"# ---- kernel: {names[header.group('file')]}"])
        elif parts and (line or len(parts[-1]) > 1):  # the blank lines after a header are dropped
            parts[-1].append(line)
    return _join("\n".join(lines).rstrip("\n") + "\n" for lines in parts)


def _object_name(stem: str) -> str:
    """`module_0000.jit_f.fusion_kernel_module` -> `module_0000.jit_f.obj-file.fusion_kernel_module.o`."""
    prefix, module, rest = stem.split(".", 2)
    return f"{prefix}.{module}.obj-file.{rest}.o"


def _join(parts) -> str:
    return "".join(part if part.endswith("\n") else part + "\n" for part in parts)
