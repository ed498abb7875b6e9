"""The levels below optimized HLO: XLA:CPU's kernels as LLVM IR and x86-64 assembly, the GPU
levels (--gpu-target), and --levels (issue 12).

The 200-record run of test_generate.py (default levels) is reused: every record with a kernel
has all three kernel levels, and sampled records recomputed in a fresh worker process give the
same bytes. The GPU tests need XLA's CUDA plugin (scripts/bootstrap --with-cuda) and skip,
saying so, where it is absent.
"""

import importlib.util
import json
import os
import random
import re
import subprocess
import sys

import pytest

from conftest import ROOT, assert_refused, read_records, run_cli

KERNEL_LEVELS = ("llvm_ir_unoptimized", "llvm_ir", "asm")
HEADERS = {"llvm_ir_unoptimized": "; ---- kernel: ", "llvm_ir": "; ---- kernel: ", "asm": "# ---- kernel: "}
FORBIDDEN = ("/tmp", "/dev/shm", "/work", "/root", str(ROOT), "jitsynth-dump", "module_0", "file format", ".o:")


def _has_cuda_plugin():
    try:
        return importlib.util.find_spec("jax_plugins.xla_cuda12") is not None
    except ModuleNotFoundError:  # no jax_plugins package at all
        return False


HAS_CUDA = _has_cuda_plugin()
NO_CUDA = "XLA's CUDA plugin is not installed (scripts/bootstrap --with-cuda): GPU levels not tested"
# A fusion XLA:CPU emits as a kernel (kCustom fusions are library calls: YNNPACK, oneDNN).
_KERNEL_FUSION = re.compile(r" fusion\(.*kind=k(Loop|Input|Output)")
_FUSION_NAME = re.compile(r"^\s*(?:ROOT )?%(\S+) = .* fusion\(.*kind=k(?:Loop|Input|Output)", re.MULTILINE)

# Recomputes records in a fresh process, as a worker would: argv[1] a JSON list of requests.
RECOMPUTE = """
import json, sys
from jitsynth_worker import capture
print(json.dumps([capture.capture(r) for r in json.loads(sys.argv[1])]))
"""


def kernel_names(text, header):
    return [line[len(header):] for line in text.split("\n") if line.startswith(header)]


def test_default_levels_are_in_every_record(run_200):
    """Every record has the three kernel levels; the same kernels, in the same order, at each;
    non-empty wherever the optimized HLO has a kernel fusion; never a path or temp name."""
    with_kernels = 0
    for r in read_records(run_200):
        names = [kernel_names(r[level], HEADERS[level]) for level in KERNEL_LEVELS]
        assert names[0] == names[1] == names[2], r["id"]
        assert names[0] == sorted(names[0], key=str.encode), r["id"]
        if _KERNEL_FUSION.search(r["optimized_hlo"]):
            assert all(r[level].strip() for level in KERNEL_LEVELS), r["id"]
        # Every kind of loop, input or output fusion XLA emitted is a kernel of the levels,
        # whichever naming its files had (`*_kernel_module`, `__compute_module_*`). By base name:
        # fusions of identical computations share one kernel (`f.1` may stand for `f` too).
        base = lambda name: re.sub(r"\.\d+$", "", name)  # noqa: E731
        # Fusions around a dot or a convolution become library calls (Eigen, YNNPACK): no kernel.
        fusions = {base(n) for n in _FUSION_NAME.findall(r["optimized_hlo"])
                   if not re.search(r"dot|convolution|ynn", n)}
        kernels = {base(n) for n in names[0]}
        assert fusions <= kernels, (r["id"], sorted(fusions - kernels))
        with_kernels += bool(names[0])
        for level in KERNEL_LEVELS:
            for word in FORBIDDEN:
                assert word not in r[level], (r["id"], level, word)
        if r["grad"] is not None:  # the backward's kernel levels are not in the default
            assert not set(KERNEL_LEVELS) & set(r["grad"]), r["id"]
    assert with_kernels >= 150, with_kernels
    manifest = json.loads((run_200 / "manifest.json").read_text())
    assert manifest["levels"] == ["jaxpr", "stablehlo", "hlo", "optimized_hlo", *KERNEL_LEVELS,
                                  "grad.jaxpr", "grad.stablehlo", "grad.hlo", "grad.optimized_hlo"]
    assert "xla_cpu_small_while_loop_byte_threshold=0" in manifest["provenance"]["xla_flags"]


def test_dump_folder_is_in_memory_only_with_room_to_spare(tmp_path, monkeypatch):
    """The dump goes to /dev/shm when it exists with room (here a stand-in folder), else to the
    default temporary folder; either way it is removed afterwards."""
    import tempfile

    from jitsynth_worker import kernels

    monkeypatch.setattr(kernels, "_SHM", str(tmp_path))
    monkeypatch.setattr(kernels, "_SHM_MIN_FREE", 0)
    with kernels.dump_folder() as folder:
        assert os.path.dirname(folder) == str(tmp_path) and not os.listdir(folder)
        open(os.path.join(folder, "module_0000.x.ir-no-opt.ll"), "w").close()
    assert not os.path.exists(folder)
    for shm, room in ((str(tmp_path), 1 << 62), (str(tmp_path / "missing"), 0)):
        monkeypatch.setattr(kernels, "_SHM", shm)
        monkeypatch.setattr(kernels, "_SHM_MIN_FREE", room)
        with kernels.dump_folder() as folder:
            assert os.path.dirname(folder) == tempfile.gettempdir()
        assert not os.path.exists(folder)


def request_of(record, levels):
    args = [dict(a, low=-1.0, high=1.0) for a in record["args"]]
    return {"op": "compile", "id": record["index"], "python": record["python"], "entry": record["entry"],
            "args": args, "x64": record["x64"], "grad": record["grad"] is not None, "levels": levels}


def recompute(requests, xla_flags):
    env = dict(os.environ, XLA_FLAGS=xla_flags)
    proc = subprocess.run([sys.executable, "-c", RECOMPUTE, json.dumps(requests)], capture_output=True,
                          text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().split("\n")[-1])


def test_levels_recomputed_in_a_fresh_process_are_the_same_bytes(run_200):
    """Sampled records, while loops among them, recomputed by a new process: every level equal."""
    records = read_records(run_200)
    loops = [r for r in records if " while(" in r["optimized_hlo"]][:4]
    sample = loops + random.Random(12).sample([r for r in records if r not in loops], 12)
    replies = recompute([request_of(r, list(KERNEL_LEVELS)) for r in sample],
                        sample[0]["provenance"]["xla_flags"])
    for record, reply in zip(sample, replies):
        assert reply["ok"], reply
        for level in ("jaxpr", "stablehlo", "hlo", "optimized_hlo", *KERNEL_LEVELS):
            assert reply[level] == record[level], (record["id"], level)


SMALL = """import jax
import jax.numpy as jnp


def kernel(x, w):
    y = jnp.tanh(x) * 2.0
    z = jax.lax.fori_loop(0, 3, lambda i, c: c * 0.5 + y, y)
    return (z @ w).sum(axis=0)
"""
MATMUL = "import jax.numpy as jnp\n\n\ndef kernel(x, w):\n    return x @ w\n"


def capture_module(python, levels, tmp_path, gpu_target=None, xla_flags=None):
    (tmp_path / "m.py").write_text(python)
    args = ["extract", f"{tmp_path / 'm.py'}:kernel", "--arg", "f32[4,8]", "--arg", "f32[8,8]",
            "--levels", ",".join(levels)]
    if gpu_target:
        args += ["--gpu-target", gpu_target]
    return json.loads(run_cli(*args).stdout)


def test_extract_captures_the_backward_kernel_levels(cli, tmp_path):
    r = capture_module(SMALL, ["asm", "grad.llvm_ir", "grad.asm"], tmp_path)
    assert r["asm"].startswith("# ---- kernel: ") and "llvm_ir" not in r
    assert r["grad"]["llvm_ir"].startswith("; ---- kernel: ") and r["grad"]["asm"].startswith("# ---- kernel: ")
    assert "llvm_ir_unoptimized" not in r["grad"]
    assert "xla_cpu_small_while_loop_byte_threshold=0" in r["provenance"]["xla_flags"]


def test_a_bare_matmul_has_empty_kernel_levels(cli, tmp_path):
    r = capture_module(MATMUL, list(KERNEL_LEVELS), tmp_path)
    assert [r[level] for level in KERNEL_LEVELS] == ["", "", ""]


def test_without_kernel_levels_nothing_changes(cli, tmp_path):
    """Only the HLO levels: no kernel fields, and the workers' XLA_FLAGS untouched."""
    r = capture_module(SMALL, ["jaxpr", "optimized_hlo"], tmp_path)
    assert not set(KERNEL_LEVELS) & set(r)
    assert "small_while_loop" not in r["provenance"]["xla_flags"]


def test_bad_level_flags_are_refused(cli, tmp_path):
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path / "a", "--levels", "llvm,asm",
                           check=False), "--levels", "'llvm'", "grad.asm")
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path / "b", "--gpu-target", "sm_99",
                           check=False), "--gpu-target", "sm_80", "sm_90")
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path / "c", "--levels", "grad.gpu",
                           check=False), "grad.gpu", "--gpu-target")
    assert not any((tmp_path / name).exists() for name in "abc")


def test_resume_refuses_other_levels(cli, tmp_path):
    out = tmp_path / "run"
    run_cli("generate", "--count", 2, "--seed", 5, "--out", out, "--workers", 1, "--chunk-size", 1,
            "--levels", "llvm_ir", "--quiet")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = run_cli("generate", "--count", 2, "--seed", 5, "--out", out, "--workers", 1, "--chunk-size", 1,
                   "--resume", "--quiet", check=False)
    assert_refused(proc, "--levels", "llvm_ir")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_gpu_targets_match_the_configs():
    """The CLI's list of targets (src/engine/request.h) names exactly the config files."""
    from jitsynth_worker import gpu

    header = (ROOT / "src" / "engine" / "request.h").read_text()
    listed = re.search(r"kGpuTargets = \{([^}]*)\}", header).group(1)
    assert sorted(re.findall(r'"(\w+)"', listed)) == gpu.targets() == ["sm_80", "sm_90"]


@pytest.mark.skipif(HAS_CUDA, reason="the plugin is installed: the refusal cannot be seen")
def test_gpu_target_without_the_plugin_names_the_fix(cli, tmp_path):
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path / "g", "--gpu-target", "sm_90",
                           check=False), "scripts/bootstrap --with-cuda")


@pytest.mark.skipif(not HAS_CUDA, reason=NO_CUDA)
def test_gpu_levels_of_a_module(cli, tmp_path):
    r = capture_module(SMALL, ["grad.gpu"], tmp_path, gpu_target="sm_90")
    gpu = r["gpu"]
    assert gpu["target"] == "sm_90"
    assert gpu["ptx"].startswith("// ---- kernel: ") and ".target sm_90" in gpu["ptx"]
    assert kernel_names(gpu["ptx"], "// ---- kernel: ") == kernel_names(gpu["llvm_ir"], "; ---- kernel: ")
    assert gpu["grad"]["ptx"].startswith("// ---- kernel: ")
    for text in (gpu["optimized_hlo"], gpu["llvm_ir"], gpu["ptx"]):
        for word in FORBIDDEN:
            assert word not in text, word


@pytest.mark.skipif(not HAS_CUDA, reason=NO_CUDA)
@pytest.mark.skipif(os.environ.get("JITSYNTH_SLOW") != "1", reason="50 GPU compiles: JITSYNTH_SLOW=1")
def test_gpu_target_on_50_samples(cli, tmp_path):
    """50 samples with --gpu-target sm_90: no failure, PTX wherever the GPU HLO has a kernel, and
    sampled records recomputed by a fresh process give the same GPU levels."""
    out = tmp_path / "gpu"
    run_cli("generate", "--count", 50, "--seed", 7, "--out", out, "--workers", 2, "--gpu-target", "sm_90",
            "--quiet", timeout=3000)
    records = read_records(out)
    assert len(records) == 50 and (out / "failures.jsonl").read_text() == ""
    for r in records:
        if re.search(r" fusion\(", r["gpu"]["optimized_hlo"]):
            assert r["gpu"]["ptx"].startswith("// ---- kernel: "), r["id"]
    sample = random.Random(3).sample(records, 6)
    requests = [dict(request_of(r, []), gpu_target="sm_90") for r in sample]
    for record, reply in zip(sample, recompute(requests, records[0]["provenance"]["xla_flags"])):
        assert reply["gpu"] == record["gpu"], record["id"]


def readme_blocks():
    """{level: lines} of README's "One program at every level" code blocks."""
    text = (ROOT / "README.md").read_text()
    return {m.group(1): m.group(2).split("\n")
            for m in re.finditer(r"<!-- level: ([\w.]+) -->\n```\w*\n(.*?)\n```", text, re.DOTALL)}


@pytest.mark.skipif(not HAS_CUDA, reason=NO_CUDA)
def test_readme_example_is_what_extract_gives(cli):
    """Every line README shows of SAXPY's levels is a line of a fresh capture's level."""
    blocks = readme_blocks()
    assert set(blocks) == {"python", "jaxpr", "optimized_hlo", "llvm_ir", "asm", "gpu.ptx"}
    r = json.loads(run_cli("extract", ROOT / "examples" / "saxpy.py:saxpy", "--arg", "f32[]", "--arg",
                           "f32[8]", "--arg", "f32[8]", "--gpu-target", "sm_90").stdout)
    for level, lines in blocks.items():
        text = r["python"] if level == "python" else r["gpu"]["ptx"] if level == "gpu.ptx" else r[level]
        have = set(text.split("\n"))
        for line in lines:
            assert line.strip() == "..." or line in have, (level, line)
