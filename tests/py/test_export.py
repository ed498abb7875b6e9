"""`jitsynth export`: Parquet that Hugging Face `datasets` loads offline, zstd JSONL, bad input."""

import json
import os
import shutil

import pyarrow as pa
import pytest

from conftest import (DAMAGES, ROOT, assert_refused, damaged_copy, read_records, run_cli,
                      tree_digest)
from jitsynth_tools.export import OPTIONAL_LEVELS, SCHEMA, schema_for

SCHEMA_JSON = json.loads((ROOT / "docs" / "schema.json").read_text())


@pytest.fixture
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))


def chunk_bytes(run):
    return b"".join(p.read_bytes() for p in sorted(run.glob("data-*.jsonl")))


def test_parquet_round_trips_every_record_through_datasets(run_small, tmp_path, offline):
    import datasets

    before = tree_digest(run_small)
    out = tmp_path / "small.parquet"
    proc = run_cli("export", run_small, "--format", "parquet", "--out", out)
    assert proc.stdout.startswith(f"24 records -> {out} (")
    assert tree_digest(run_small) == before, "export modified its input"
    assert not list(tmp_path.glob("*.tmp"))

    ds = datasets.load_dataset("parquet", data_files=str(out), split="train",
                               cache_dir=os.environ["HF_HOME"])
    records = read_records(run_small)
    # Every field of the schema the records have (a run without --gpu-target has no gpu).
    assert ds.column_names == [k for k in SCHEMA_JSON["properties"] if k in records[0]]
    assert len(ds) == len(records)
    for row, record in zip(ds, records):
        for field, value in record.items():
            assert without_null_ranges(row[field]) == value, (record["id"], field)


def without_null_ranges(value):
    """VALUE with the null `low`/`high` Parquet gives an argument that has no range (the
    backward module's): a struct column has every field, so absent reads back as null."""
    if isinstance(value, dict):
        return {k: without_null_ranges(v) for k, v in value.items()
                if not (k in ("low", "high") and v is None)}
    if isinstance(value, list):
        return [without_null_ranges(v) for v in value]
    return value


def test_parquet_pages_are_zstd_and_a_null_grad_stays_null(run_small, tmp_path):
    import pyarrow.parquet as pq

    run = tmp_path / "run"
    shutil.copytree(run_small, run)
    chunk = run / "data-00000.jsonl"
    lines = chunk.read_text().splitlines()
    first = json.loads(lines[0])
    first["grad"] = None
    chunk.write_text("\n".join([json.dumps(first, separators=(",", ":")), *lines[1:]]) + "\n")
    out = tmp_path / "x.parquet"
    run_cli("export", run, "--format", "parquet", "--out", out)
    table = pq.read_table(out)
    assert table.column("grad")[0].as_py() is None
    assert table.column("grad")[1].as_py() is not None
    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "ZSTD"


def arrow_fields(json_schema, node):
    """The field names JSON Schema NODE gives a Parquet column: {name: sub-fields} for objects."""
    if "$ref" in node:
        node = json_schema["$defs"][node["$ref"].split("/")[-1]]
    if "oneOf" in node:  # grad: null or an object; input_seed: null or an integer
        objects = [n for n in node["oneOf"] if n.get("type") == "object"]
        if not objects:
            return None
        (node,) = objects
    if node.get("type") == "object":
        return {k: arrow_fields(json_schema, v) for k, v in node["properties"].items()}
    if node.get("type") == "array" and "items" in node:
        return [arrow_fields(json_schema, node["items"])]
    return None


def arrow_type_fields(arrow_type):
    if pa.types.is_struct(arrow_type):
        return {f.name: arrow_type_fields(f.type) for f in arrow_type}
    if pa.types.is_list(arrow_type):
        return [arrow_type_fields(arrow_type.value_type)]
    return None


def test_parquet_columns_follow_the_record_schema():
    """One column per schema field, nested fields included, in the schema's order (the levels
    below HLO and `gpu`, which a run may lack, as far as docs/schema.json lists them)."""
    expected = arrow_fields(SCHEMA_JSON, SCHEMA_JSON)
    grad = expected["grad"] or {}
    schema = schema_for(set(OPTIONAL_LEVELS) & set(expected), set(OPTIONAL_LEVELS) & set(grad),
                        "gpu" in expected)
    actual = {f.name: arrow_type_fields(f.type) for f in schema}
    assert actual == expected
    assert list(actual) == list(expected)


def test_jsonl_zst_decompresses_to_exactly_the_records(run_small, tmp_path):
    out = tmp_path / "small.jsonl.zst"
    run_cli("export", run_small, "--format", "jsonl.zst", "--out", out)
    frame = out.read_bytes()
    assert frame[:4] == b"\x28\xb5\x2f\xfd"  # a zstd frame
    assert frame[4] & 0x04, "the frame carries a content checksum"
    with pa.CompressedInputStream(pa.OSFile(str(out)), "zstd") as f:
        assert f.read() == chunk_bytes(run_small)


def test_an_existing_file_is_replaced(run_small, tmp_path):
    out = tmp_path / "small.jsonl.zst"
    out.write_text("old")
    run_cli("export", run_small, "--format", "jsonl.zst", "--out", out)
    with pa.CompressedInputStream(pa.OSFile(str(out)), "zstd") as f:
        assert f.read() == chunk_bytes(run_small)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl.zst"])
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_chunk_is_refused_and_nothing_written(run_small, tmp_path, fmt, damage):
    run = damaged_copy(run_small, tmp_path / "run", damage)
    out = tmp_path / f"out.{fmt}"
    assert_refused(run_cli("export", run, "--format", fmt, "--out", out, check=False),
                   "data-00001.jsonl:")
    assert not out.exists() and not (tmp_path / f"out.{fmt}.tmp").exists()


def test_bad_input(run_small, tmp_path):
    out = tmp_path / "x.parquet"
    assert_refused(run_cli("export", tmp_path, "--format", "parquet", "--out", out, check=False),
                   "not a jitsynth output directory")
    assert_refused(run_cli("export", run_small, "--format", "csv", "--out", out, check=False),
                   "--format")
    assert_refused(run_cli("export", run_small, "--format", "parquet", "--out", tmp_path,
                           check=False), "is a directory")
    assert_refused(run_cli("export", run_small, "--format", "parquet", "--out",
                           tmp_path / "absent" / "x.parquet", check=False), "does not exist")
    assert_refused(run_cli("export", run_small, "--format", "parquet", "--out",
                           run_small / "x.parquet", check=False), "tools never modify their input")
    assert not out.exists()


def test_help_has_examples(cli):
    help_text = run_cli("export", "--help").stdout
    assert "--format" in help_text and "Examples" in help_text
