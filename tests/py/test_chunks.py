"""`generate --chunks A:B`: a partial run holds exactly chunks A..B-1 of the whole run,
byte-identical, and says so in its manifest; --resume continues it only with the same range; the
tools read the chunks it holds, and the runs they derive from it stay partial with the same range.

"Correctly", for the tools: a partial run is a run of the indices its chunks cover. `stats`
describes those records and says which part of which run they are; `dedup` and `split` write
derived runs with the same chunk boundaries and range; `export` exports those records.
"""

import json
import shutil

import pytest

from conftest import assert_refused, run_cli

COUNT, SEED, CHUNK = 9, 4, 3  # chunks 0, 1, 2


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    out = tmp_path_factory.mktemp("whole") / "run"
    run_cli("generate", "--count", COUNT, "--seed", SEED, "--chunk-size", CHUNK, "--workers", 2, "--out", out, "--quiet")
    return out


@pytest.fixture(scope="module")
def part(tmp_path_factory):
    out = tmp_path_factory.mktemp("part") / "run"
    run_cli("generate", "--count", COUNT, "--seed", SEED, "--chunk-size", CHUNK, "--chunks", "1:3", "--workers", 2,
            "--out", out, "--quiet")
    return out


def failure_indices(run):
    return [json.loads(line)["index"] for line in (run / "failures.jsonl").read_text().splitlines()]


def test_a_partial_run_holds_exactly_its_chunks_byte_identical(whole, part):
    assert sorted(p.name for p in part.glob("data-*.jsonl")) == ["data-00001.jsonl", "data-00002.jsonl"]
    for name in ("data-00001.jsonl", "data-00002.jsonl"):
        assert (part / name).read_bytes() == (whole / name).read_bytes()
    assert failure_indices(part) == [i for i in failure_indices(whole) if i >= CHUNK]
    m = json.loads((part / "manifest.json").read_text())
    w = json.loads((whole / "manifest.json").read_text())
    assert m["partial"] == {"first_chunk": 1, "end_chunk": 3}
    assert m["complete"] and m["committed_through"] == COUNT
    assert m["chunks"] == w["chunks"][1:]
    assert "partial" not in w


def test_resume_continues_a_partial_run_only_with_its_range(whole, part, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(part, broken)
    m = json.loads((broken / "manifest.json").read_text())
    dropped = m["chunks"].pop()  # as if killed before the last chunk was committed
    m["committed_through"], m["complete"] = dropped["first_index"], False
    (broken / "manifest.json").write_text(json.dumps(m))
    (broken / dropped["file"]).unlink()
    assert_refused(run_cli("generate", "--count", COUNT, "--seed", SEED, "--chunk-size", CHUNK, "--out", broken,
                           "--resume", check=False), "--chunks \"1:3\" (now \"all\")")
    assert_refused(run_cli("generate", "--count", COUNT, "--seed", SEED, "--chunk-size", CHUNK, "--chunks", "0:3",
                           "--out", broken, "--resume", check=False), "--chunks \"1:3\" (now \"0:3\")")
    run_cli("generate", "--count", COUNT, "--seed", SEED, "--chunk-size", CHUNK, "--chunks", "1:3", "--out", broken,
            "--resume", "--quiet")
    for name in ("data-00001.jsonl", "data-00002.jsonl"):
        assert (broken / name).read_bytes() == (whole / name).read_bytes()
    assert json.loads((broken / "manifest.json").read_text())["complete"]


@pytest.mark.parametrize("chunks, words", [("3:4", "A < B <= 3"), ("2:2", "A < B"), ("1", "A:B"), ("x:2", "--chunks")])
def test_bad_ranges_are_refused(chunks, words, tmp_path):
    proc = run_cli("generate", "--count", COUNT, "--chunk-size", CHUNK, "--chunks", chunks, "--out", tmp_path / "o",
                   check=False)
    assert_refused(proc, words)
    assert not (tmp_path / "o").exists()


def test_tools_read_the_chunks_a_partial_run_holds(whole, part, tmp_path):
    records = (part / "data-00001.jsonl").read_bytes() + (part / "data-00002.jsonl").read_bytes()
    n = records.count(b"\n")
    stats = run_cli("stats", part, "--out", tmp_path / "card")
    assert stats.stdout.startswith(f"{n} records described")
    card = (tmp_path / "card" / "README.md").read_text()
    assert f"a part of a run of {COUNT} samples: chunks 1 to 2 (indices {CHUNK} to {COUNT - 1})" in card
    run_cli("dedup", part, "--out", tmp_path / "dedup", "--no-near")
    derived = json.loads((tmp_path / "dedup" / "manifest.json").read_text())
    assert derived["partial"] == {"first_chunk": 1, "end_chunk": 3}
    assert [c["file"] for c in derived["chunks"]] == ["data-00001.jsonl", "data-00002.jsonl"]
    kept = b"".join((tmp_path / "dedup" / c["file"]).read_bytes() for c in derived["chunks"])
    assert set(kept.splitlines()) <= set(records.splitlines())
    run_cli("split", part, "--out", tmp_path / "split", "--ratios", "0.5,0.25,0.25")
    split_records = 0
    for sub in ("train", "validation", "test"):
        sm = json.loads((tmp_path / "split" / sub / "manifest.json").read_text())
        assert sm["partial"] == {"first_chunk": 1, "end_chunk": 3}
        split_records += sm["counts"]["records"]
    assert split_records == n
    run_cli("export", part, "--format", "jsonl.zst", "--out", tmp_path / "part.jsonl.zst")
    import pyarrow as pa

    with pa.CompressedInputStream(pa.OSFile(str(tmp_path / "part.jsonl.zst")), "zstd") as f:
        assert f.read() == records
