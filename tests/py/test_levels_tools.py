"""The tools on runs with the levels below HLO, and on zstd-compressed chunks.

The levels are put into the records of a small generated run by hand, from the fixtures of
tests/golden/machine_code (XLA:CPU's own LLVM IR and objdump listing of two kernels, nvcc's
PTX), with the agreed fields: `llvm_ir_unoptimized`, `llvm_ir`, `asm` (also in `grad`), and
`gpu` = {target, optimized_hlo, llvm_ir, ptx}. Copies differ from each other only in their
kernel names, so that only the canonicalizers can find them.
"""

import io
import json
import os
import re
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, assert_refused, read_records, run_cli, tree_digest
from jitsynth_tools.export import SCHEMA

FIXTURES = ROOT / "tests" / "golden" / "machine_code"
IR = (FIXTURES / "fused.llvm_ir").read_text()
IR_UNOPT = (FIXTURES / "fused.llvm_ir_unoptimized").read_text()
ASM = (FIXTURES / "fused.no_addresses.asm").read_text()
PTX = (FIXTURES / "fused.ptx").read_text()
COPIES_A = (0, 1, 2, 3)  # one program's kernels under four names
COPIES_B = (4, 5, 6)  # another program (fmul -> fadd, vmulps -> vaddps, neg -> abs)
NO_KERNEL = (7, 8)  # empty levels: a program without kernels


def zstd_lines(path):
    with pa.input_stream(str(path), compression="zstd") as stream:
        return io.TextIOWrapper(stream, encoding="utf-8").read().splitlines()


def records_of(run):
    """The records of RUN, in index order, whatever its chunks' compression."""
    records = []
    for chunk in sorted(run.glob("data-*.jsonl*")):
        lines = zstd_lines(chunk) if chunk.name.endswith(".zst") else chunk.read_text().splitlines()
        records.extend(json.loads(line) for line in lines)
    return records


def levels_for(position, record):
    """The level fields given to the record at POSITION."""
    if position in NO_KERNEL:
        ir = ir_unopt = asm = ptx = ""
    else:
        ir, ir_unopt, asm, ptx = IR, IR_UNOPT, ASM, PTX
        if position in COPIES_B:
            ir, ir_unopt = ir.replace("fmul", "fadd"), ir_unopt.replace("fmul", "fadd")
            asm, ptx = asm.replace("vmulps", "vaddps"), ptx.replace("neg.f32", "abs.f32")
        if position not in COPIES_A + COPIES_B:  # a program of its own: other constants
            ir = ir.replace("i64 24", f"i64 {1000 + position}")
            ir_unopt = ir_unopt.replace("i32 0, i32 3", f"i32 0, i32 {100 + position}")
            asm = asm.replace("0x18(%rdi)", f"{hex(0x100 + position)}(%rdi)")
            ptx = ptx.replace("613566757", str(1000 + position))
        name = f"loop_fusion_{position}"
        ir, ir_unopt = (t.replace("select_reduce_fusion", name) for t in (ir, ir_unopt))
        asm = asm.replace("select_reduce_fusion", name)
        ptx = ptx.replace("fusion_add", name)
    levels = {"llvm_ir_unoptimized": ir_unopt, "llvm_ir": ir, "asm": asm}
    gpu = {"target": "sm_90", "optimized_hlo": record["optimized_hlo"], "llvm_ir": ir, "ptx": ptx}
    return levels, gpu


KERNEL_LEVELS = ("llvm_ir_unoptimized", "llvm_ir", "asm")


def without_levels(record, position=None):
    """RECORD without the levels below HLO (a run made with --levels of the HLO levels only)."""
    out = {key: value for key, value in record.items() if key not in KERNEL_LEVELS + ("gpu",)}
    if isinstance(out["grad"], dict):
        out["grad"] = {k: v for k, v in out["grad"].items() if k not in KERNEL_LEVELS}
    return out


def with_levels(record, position):
    """RECORD with the levels below HLO, in the record's field order (after optimized_hlo)."""
    levels, gpu = levels_for(position, record)
    out = {}
    for key, value in without_levels(record).items():
        out[key] = value
        if key == "optimized_hlo":
            out.update(levels)
    if isinstance(out["grad"], dict):
        out["grad"] = dict(out["grad"], **levels)
    out["gpu"] = gpu
    return out


def rewrite_chunks(run, transform):
    """Rewrites the plain chunks of RUN with TRANSFORM(record, position) applied to each."""
    position = 0
    for chunk in sorted(run.glob("data-*.jsonl")):
        lines = []
        for line in chunk.read_text().splitlines():
            lines.append(json.dumps(transform(json.loads(line), position)))
            position += 1
        chunk.write_text("".join(line + "\n" for line in lines))


@pytest.fixture(scope="module")
def levels_run(run_small, tmp_path_factory):
    run = tmp_path_factory.mktemp("levels") / "run"
    shutil.copytree(run_small, run)
    rewrite_chunks(run, with_levels)
    return run


@pytest.fixture(scope="module")
def hlo_only_run(run_small, tmp_path_factory):
    """RUN_SMALL as a run made without the levels below HLO."""
    run = tmp_path_factory.mktemp("levels") / "hlo_only"
    shutil.copytree(run_small, run)
    rewrite_chunks(run, without_levels)
    return run


@pytest.fixture(scope="module")
def levels_zstd(levels_run, tmp_path_factory):
    """LEVELS_RUN with zstd chunks: a split that puts every record in train."""
    out = tmp_path_factory.mktemp("levels") / "split"
    run_cli("split", levels_run, "--out", out, "--ratios", "1,0,0", "--compress", "zstd",
            "--no-near")
    return out / "train"


def positions_kept(run, levels_run):
    ids = [r["id"] for r in read_records(levels_run)]
    return [ids.index(r["id"]) for r in records_of(run)]


# --- zstd chunks ---------------------------------------------------------------------------

def test_zstd_chunks_hold_exactly_the_plain_lines(levels_run, levels_zstd):
    manifest = json.loads((levels_zstd / "manifest.json").read_text())
    assert manifest["compression"] == "zstd"
    assert all(c["file"].endswith(".jsonl.zst") for c in manifest["chunks"])
    plain = b"".join(p.read_bytes() for p in sorted(levels_run.glob("data-*.jsonl")))
    packed = "".join(line + "\n" for p in sorted(levels_zstd.glob("data-*.jsonl.zst"))
                     for line in zstd_lines(p)).encode()
    assert packed == plain
    stored = sum(p.stat().st_size for p in levels_zstd.glob("data-*.jsonl.zst"))
    assert stored * 4 < len(plain), (stored, len(plain))
    assert sum(c["jsonl_bytes"] for c in manifest["chunks"]) == len(plain)
    assert not json.loads((levels_run / "manifest.json").read_text()).get("compression")


def test_load_dataset_reads_zst_chunks(levels_zstd, monkeypatch, tmp_path):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    ds = datasets.load_dataset("json", data_files=str(levels_zstd / "data-*.jsonl.zst"),
                               split="train", cache_dir=str(tmp_path / "hf"))
    records = records_of(levels_zstd)
    assert len(ds) == len(records) == 24
    for i in (0, 5, 23):
        assert ds[i]["python"] == records[i]["python"]
        assert ds[i]["asm"] == records[i]["asm"]
        assert ds[i]["gpu"]["ptx"] == records[i]["gpu"]["ptx"]


def test_every_tool_reads_zstd_as_plain(levels_run, levels_zstd, tmp_path):
    for run, name in ((levels_run, "plain"), (levels_zstd, "zstd")):
        run_cli("stats", run, "--out", tmp_path / f"card-{name}")
        run_cli("export", run, "--format", "jsonl.zst", "--out", tmp_path / f"{name}.jsonl.zst")
        run_cli("dedup", run, "--out", tmp_path / f"dedup-{name}", "--key", "python,llvm_ir")
    assert ((tmp_path / "card-plain" / "stats.json").read_text()
            == (tmp_path / "card-zstd" / "stats.json").read_text())
    assert zstd_lines(tmp_path / "plain.jsonl.zst") == zstd_lines(tmp_path / "zstd.jsonl.zst")
    assert records_of(tmp_path / "dedup-plain") == records_of(tmp_path / "dedup-zstd")
    # A derived run keeps its input's compression unless told otherwise.
    assert list((tmp_path / "dedup-zstd").glob("data-*.jsonl.zst"))
    assert not list((tmp_path / "dedup-plain").glob("data-*.jsonl.zst"))


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty"])
def test_a_damaged_zst_chunk_is_refused_naming_it(levels_zstd, tmp_path, damage):
    run = tmp_path / "run"
    shutil.copytree(levels_zstd, run)
    chunk = run / "data-00001.jsonl.zst"
    data = chunk.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        data = data[:100] + bytes([data[100] ^ 0x10]) + data[101:]
    else:
        data = b""
    chunk.write_bytes(data)
    before = tree_digest(run)
    for command in (["stats", run, "--out", tmp_path / "card"],
                    ["export", run, "--format", "parquet", "--out", tmp_path / "x.parquet"],
                    ["dedup", run, "--out", tmp_path / "d"],
                    ["split", run, "--out", tmp_path / "s"]):
        assert_refused(run_cli(*command, check=False), "data-00001.jsonl.zst")
    assert tree_digest(run) == before
    assert not (tmp_path / "x.parquet").exists() and not (tmp_path / "d").exists()


def test_bad_compress_flags(levels_run, tmp_path):
    assert_refused(run_cli("dedup", levels_run, "--out", tmp_path / "d", "--compress", "gzip",
                           check=False), "--compress must be none or zstd")
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path / "g", "--compress", "lz4",
                           check=False), "--compress must be none or zstd")
    assert not (tmp_path / "d").exists() and not (tmp_path / "g").exists()


def test_generate_compressed_resumes_and_matches_plain(cli, tmp_path):
    """Four samples in chunks of two: zstd holds the plain bytes; a run cut after its first
    chunk resumes to the same files; resuming with another --compress is refused."""
    common = ["--count", 4, "--seed", 11, "--chunk-size", 2, "--workers", 1, "--quiet"]
    run_cli("generate", *common, "--out", tmp_path / "plain")
    run_cli("generate", *common, "--out", tmp_path / "zstd", "--compress", "zstd")
    assert records_of(tmp_path / "zstd") == records_of(tmp_path / "plain")
    # Cut: the second chunk never committed.
    cut = tmp_path / "cut"
    shutil.copytree(tmp_path / "zstd", cut)
    manifest = json.loads((cut / "manifest.json").read_text())
    dropped = manifest["chunks"].pop()
    manifest["complete"] = False
    manifest["committed_through"] = manifest["chunks"][-1]["end_index"]
    (cut / dropped["file"]).unlink()
    (cut / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    assert_refused(run_cli("generate", *common, "--out", cut, "--resume", check=False),
                   "--compress \"zstd\" (now \"none\")")
    run_cli("generate", *common, "--out", cut, "--resume", "--compress", "zstd")
    for chunk in sorted((tmp_path / "zstd").glob("data-*")):
        assert (cut / chunk.name).read_bytes() == chunk.read_bytes()
    # A committed chunk altered on disk: resume refuses it by its checksum.
    data = (cut / "data-00000.jsonl.zst").read_bytes()
    (cut / "data-00000.jsonl.zst").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert_refused(run_cli("generate", *common, "--out", cut, "--resume", "--compress", "zstd",
                           check=False), "data-00000.jsonl.zst is truncated or altered")


# --- stats -------------------------------------------------------------------------------

def test_stats_reports_the_levels_below_hlo(levels_run, tmp_path):
    run_cli("stats", levels_run, "--out", tmp_path / "card")
    card = (tmp_path / "card" / "README.md").read_text()
    figures = json.loads((tmp_path / "card" / "stats.json").read_text())
    assert "## Below HLO: LLVM IR, assembly and PTX" in card
    below = figures["below_hlo"]
    for level in ("llvm_ir_unoptimized", "llvm_ir", "asm", "gpu.llvm_ir", "gpu.ptx",
                  "gpu.optimized_hlo"):
        assert below[level]["records"] == 24, level
    assert below["llvm_ir"]["without_kernels"] == len(NO_KERNEL)
    assert below["llvm_ir"]["kernels"]["max"] == 2 and below["llvm_ir"]["kernels"]["min"] == 0
    assert below["gpu.ptx"]["kernels"]["max"] == 1
    assert len(IR) - 100 < below["llvm_ir"]["chars"]["max"] < len(IR) + 100
    assert "gpu.optimized_hlo" in below and "kernels" not in below["gpu.optimized_hlo"]
    with_grad = sum(isinstance(r["grad"], dict) for r in read_records(levels_run))
    assert below["grad.asm"]["records"] == with_grad
    mix = below["llvm_ir"]["instruction_mix"]
    assert mix["fadd"]["records"] == 24 - len(NO_KERNEL)
    assert mix["load"]["uses"] > mix["load"]["records"]
    assert "ret" in mix and "vector.body" not in mix
    assert below["asm"]["instruction_mix"]["vbroadcastss"]["records"] > 0
    assert {"ld", "st", "fma", "bra", "setp"} <= set(below["gpu.ptx"]["instruction_mix"])
    assert figures["gpu_targets"] == {"sm_90": 24}
    assert "| `sm_90` | 24 |" in card
    assert "![Instructions of asm](charts/mix_asm.svg)" in card
    assert (tmp_path / "card" / "charts" / "mix_gpu.ptx.svg").exists()


def test_stats_of_a_run_without_them_is_unchanged(hlo_only_run, tmp_path):
    run_cli("stats", hlo_only_run, "--out", tmp_path / "card")
    card = (tmp_path / "card" / "README.md").read_text()
    figures = json.loads((tmp_path / "card" / "stats.json").read_text())
    assert "Below HLO" not in card and "below_hlo" not in figures
    assert not list((tmp_path / "card" / "charts").glob("mix_*"))
    assert figures["records"] == 24 and "optimized_hlo" in figures["lengths"]
    assert 'path: "data-*.jsonl"' in card


def test_the_card_of_a_zstd_run_names_its_files(levels_zstd, tmp_path):
    run_cli("stats", levels_zstd, "--out", tmp_path / "card")
    card = (tmp_path / "card" / "README.md").read_text()
    assert 'path: "data-*.jsonl.zst"' in card and 'data_files="data-*.jsonl.zst"' in card


# --- dedup and split keys ----------------------------------------------------------------

@pytest.mark.parametrize("key", ["llvm_ir", "llvm_ir_unoptimized", "asm", "ptx"])
def test_dedup_by_a_level_below_hlo_finds_renamed_kernels(levels_run, key, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("dedup", levels_run, "--out", out, "--key", key, "--no-near")
    removed = len(COPIES_A) - 1 + len(COPIES_B) - 1
    assert f"{24 - removed} kept, {removed} exact duplicates" in proc.stdout, proc.stdout
    kept = positions_kept(out, levels_run)
    assert set(COPIES_A) & set(kept) == {COPIES_A[0]}
    assert set(COPIES_B) & set(kept) == {COPIES_B[0]}
    assert set(NO_KERNEL) <= set(kept), "programs without kernels are not one program"
    step = json.loads((out / "manifest.json").read_text())["derivation"][0]
    assert step["key"] == key


def test_keys_combine_and_near_duplicates_work_below_hlo(levels_run, tmp_path):
    proc = run_cli("dedup", levels_run, "--out", tmp_path / "a", "--key", "python,asm,ptx")
    assert "key python,asm,ptx" in proc.stdout
    kept = positions_kept(tmp_path / "a", levels_run)
    assert not set(COPIES_A[1:] + COPIES_B[1:]) & set(kept)


def test_split_keeps_kernel_copies_together(levels_run, tmp_path):
    out = tmp_path / "split"
    run_cli("split", levels_run, "--out", out, "--key", "llvm_ir", "--no-near")
    part_of = {}
    for part in ("train", "validation", "test"):
        for position in positions_kept(out / part, levels_run):
            part_of[position] = part
        step = json.loads((out / part / "manifest.json").read_text())["derivation"][0]
        assert step["key"] == "llvm_ir"
    assert len(part_of) == 24
    assert len({part_of[p] for p in COPIES_A}) == 1 and len({part_of[p] for p in COPIES_B}) == 1


def test_a_key_on_a_level_the_run_lacks_is_refused(hlo_only_run, tmp_path):
    assert_refused(run_cli("dedup", hlo_only_run, "--out", tmp_path / "d", "--key", "asm",
                           check=False), "no string field 'asm'", "made without that level")
    assert_refused(run_cli("split", hlo_only_run, "--out", tmp_path / "s", "--key", "ptx",
                           check=False), "gpu.ptx")
    assert_refused(run_cli("dedup", hlo_only_run, "--out", tmp_path / "d", "--key", "python,sass",
                           check=False), "'sass' is none of them")
    assert not (tmp_path / "d").exists() and not (tmp_path / "s").exists()


# --- export ------------------------------------------------------------------------------

def test_parquet_has_the_new_levels_as_columns(levels_zstd, tmp_path):
    out = tmp_path / "levels.parquet"
    run_cli("export", levels_zstd, "--format", "parquet", "--out", out)
    table = pq.read_table(out)
    names = table.column_names
    assert names[names.index("optimized_hlo") + 1: names.index("optimized_hlo") + 4] == [
        "llvm_ir_unoptimized", "llvm_ir", "asm"]
    assert names[names.index("grad") + 1] == "gpu"
    grad_fields = [f.name for f in table.schema.field("grad").type]
    assert grad_fields[-3:] == ["llvm_ir_unoptimized", "llvm_ir", "asm"]
    rows = table.to_pylist()
    records = records_of(levels_zstd)
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        assert row["asm"] == record["asm"] and row["llvm_ir"] == record["llvm_ir"]
        gpu = dict(record["gpu"], grad=None)
        assert row["gpu"] == gpu
        if record["grad"] is not None:
            assert row["grad"]["llvm_ir"] == record["grad"]["llvm_ir"]


def test_parquet_of_a_run_without_them_keeps_its_columns(hlo_only_run, tmp_path):
    out = tmp_path / "small.parquet"
    run_cli("export", hlo_only_run, "--format", "parquet", "--out", out)
    assert pq.read_schema(out).names == SCHEMA.names
