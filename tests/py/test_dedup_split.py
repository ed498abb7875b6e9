"""End-to-end tests of `jitsynth dedup` and `jitsynth split`.

The input is a small generated run, extended the way duplicates arise: copies of some of its
programs with every name changed and the layout redone, recompiled through the worker so that
their IR differs from the originals exactly as JAX makes it differ; programs changed in one
operator (different programs that look alike); a failure between the records.
"""

import hashlib
import json
import re

import pytest

from conftest import generated_run, read_records, run_cli
from program_copies import mutated_copy, recompiled, renamed_copy
from conftest import assert_refused
from test_generate import normalised

COPIES = range(10, 14)  # renamed copies of records 0..3
MUTATED = range(14, 17)  # one operator changed in three short programs
FAILURE = 17
NEAR = 18  # one operator changed in the longest program
SHAPES = 19  # the Python of a record with other argument shapes


def write_run(out, records, failures, template, chunk_size=5):
    """A run directory holding RECORDS and FAILURES, with the other manifest fields of TEMPLATE."""
    out.mkdir(parents=True)
    lines = {r["index"]: json.dumps(r) for r in records}
    failed = {f["index"]: json.dumps(f) for f in failures}
    end = max([*lines, *failed]) + 1
    chunks = []
    for first in range(0, end, chunk_size):
        indices = range(first, min(first + chunk_size, end))
        name = f"data-{first // chunk_size:05d}.jsonl"
        (out / name).write_text("".join(lines[i] + "\n" for i in indices if i in lines))
        chunks.append({"file": name, "first_index": first, "end_index": indices[-1] + 1,
                       "records": sum(i in lines for i in indices),
                       "failures": sum(i in failed for i in indices)})
    (out / "failures.jsonl").write_text("".join(failed[i] + "\n" for i in sorted(failed)))
    manifest = dict(template, count=end, chunk_size=chunk_size, chunks=chunks,
                    committed_through=end, counts={"records": len(lines), "failures": {}})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return out


def indices(run_dir):
    return [r["index"] for r in read_records(run_dir)]


def tree_digest(directory):
    """One hash over every file's name and bytes: equal before and after means untouched."""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(directory)).encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def generated(cli, tmp_path_factory):
    return generated_run(tmp_path_factory, "seed5", count=10, seed=5, chunk_size=5)


@pytest.fixture(scope="module")
def constructed(generated, tmp_path_factory):
    """The generated run plus copies, mutants, a failure and a near copy (indices above)."""
    originals = read_records(generated)
    assert [r["index"] for r in originals] == list(range(10))
    extra = [recompiled(originals[i], renamed_copy(originals[i])) for i in range(4)]
    by_length = sorted((r for r in originals if mutated_copy(r)), key=lambda r: len(r["python"]))
    extra += [recompiled(r, mutated_copy(r)) for r in by_length[:3]]
    near = recompiled(by_length[-1], mutated_copy(by_length[-1]))
    records = originals + [dict(r, index=i) for i, r in zip([*COPIES, *MUTATED], extra)]
    records.append(dict(near, index=NEAR))
    reshaped = next(r for r in originals if any(a["shape"] for a in r["args"]))
    records.append(dict(reshaped, index=SHAPES,
                        args=[dict(a, shape=[2 * d for d in a["shape"]]) for a in reshaped["args"]]))
    failure = {"id": f"js-5-{FAILURE}", "index": FAILURE, "category": "loop", "stage": "compile",
               "error_type": "XlaRuntimeError", "message": "constructed for the test"}
    template = json.loads((generated / "manifest.json").read_text())
    return write_run(tmp_path_factory.mktemp("dedup") / "constructed", records, [failure],
                     template)


@pytest.fixture(scope="module")
def baseline(generated, tmp_path_factory):
    """What dedup keeps of the generated run alone."""
    out = tmp_path_factory.mktemp("dedup") / "baseline"
    run_cli("dedup", generated, "--out", out)
    return set(indices(out))


def test_renamed_copies_go_and_different_programs_stay(constructed, baseline, tmp_path):
    out = tmp_path / "out"
    run_cli("dedup", constructed, "--out", out)
    kept = set(indices(out)) - {NEAR}
    assert kept == baseline | set(MUTATED)


@pytest.mark.parametrize("key", ["python", "optimized_hlo"])
def test_each_key_alone_finds_the_renamed_copies(constructed, key, tmp_path):
    records = {r["index"]: r for r in read_records(constructed)}
    # The copies' IR really differs from the originals': module, argument and op names.
    for copy, original in zip(COPIES, range(4)):
        assert records[copy][key] != records[original][key]
    out = tmp_path / "out"
    run_cli("dedup", constructed, "--out", out, "--key", key, "--no-near")
    kept = set(indices(out))
    assert not kept & set(COPIES)
    assert set(range(4)) | set(MUTATED) <= kept


def test_links_are_transitive_across_keys(generated, tmp_path):
    """A record with the Python of record 6 and the IR of record 5 makes 5 and 6 one cluster."""
    originals = read_records(generated)
    bridge = dict(originals[5], index=10, python=originals[6]["python"],
                  args=originals[6]["args"])
    template = json.loads((generated / "manifest.json").read_text())
    run = write_run(tmp_path / "in", originals + [bridge], [], template)
    run_cli("dedup", run, "--out", tmp_path / "alone", "--no-near")
    run_cli("dedup", generated, "--out", tmp_path / "without", "--no-near")
    without = set(indices(tmp_path / "without"))
    assert {5, 6} <= without
    assert set(indices(tmp_path / "alone")) == without - {6}


def test_the_same_code_at_other_shapes_is_a_near_duplicate_only(constructed, tmp_path):
    run_cli("dedup", constructed, "--out", tmp_path / "exact", "--key", "python", "--no-near")
    assert SHAPES in indices(tmp_path / "exact")
    run_cli("dedup", constructed, "--out", tmp_path / "near", "--key", "python")
    assert SHAPES not in indices(tmp_path / "near")


def test_near_copies_go_only_with_the_near_search(constructed, tmp_path):
    near = run_cli("dedup", constructed, "--out", tmp_path / "near", "--key", "python",
                   "--threshold", "0.75")
    assert NEAR not in indices(tmp_path / "near")
    assert re.search(r"[1-9]\d* near-duplicates? removed", near.stdout), near.stdout
    run_cli("dedup", constructed, "--out", tmp_path / "exact", "--key", "python", "--no-near")
    assert NEAR in indices(tmp_path / "exact")


def test_dedup_writes_a_run_and_leaves_its_input_alone(constructed, tmp_path):
    before = tree_digest(constructed)
    out = tmp_path / "out"
    proc = run_cli("dedup", constructed, "--out", out)
    assert tree_digest(constructed) == before
    source = json.loads((constructed / "manifest.json").read_text())
    kept = indices(out)
    assert kept == sorted(kept)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in constructed.iterdir())  # the same chunk files, failures, manifest
    assert (out / "failures.jsonl").read_text() == (constructed / "failures.jsonl").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    for field in ("format", "command", "seed", "policy", "provenance", "timings"):
        assert manifest[field] == source[field], field
    [step] = manifest["derivation"]
    assert step["tool"] == "dedup" and step["input"] == str(constructed)
    assert step["command"][1:3] == ["dedup", str(constructed)]
    assert step["records_in"] == 19
    assert step["kept"] == len(kept) == manifest["counts"]["records"]
    assert step["exact_duplicates"] + step["near_duplicates"] == 19 - len(kept)
    assert manifest["counts"]["failures"] == {"compile": 1}
    assert [c["end_index"] for c in manifest["chunks"]] == [5, 10, 15, 20]
    assert (f"19 records: {len(kept)} kept, {step['exact_duplicates']} exact duplicate"
            in proc.stdout)
    # Its output is an input like any other, with nothing left to remove.
    again = run_cli("dedup", out, "--out", tmp_path / "again")
    assert indices(tmp_path / "again") == kept
    assert "0 exact duplicates and 0 near-duplicates" in again.stdout
    assert [s["tool"] for s in json.loads((tmp_path / "again" / "manifest.json").read_text())[
        "derivation"]] == ["dedup", "dedup"]


@pytest.fixture(scope="module")
def split(constructed, tmp_path_factory):
    out = tmp_path_factory.mktemp("split") / "out"
    proc = run_cli("split", constructed, "--out", out, "--ratios", "0.5,0.25,0.25")
    return out, proc


PARTS = ("train", "validation", "test")


def test_split_partitions_the_run_and_keeps_copies_together(constructed, split):
    out, proc = split
    part_of = {}
    for part in PARTS:
        manifest = json.loads((out / part / "manifest.json").read_text())
        assert manifest["derivation"][-1]["part"] == part
        assert (out / part / "failures.jsonl").read_text() == ""
        for i in indices(out / part):
            assert i not in part_of
            part_of[i] = part
    assert sorted(part_of) == indices(constructed)
    for copy, original in zip(COPIES, range(4)):
        assert part_of[copy] == part_of[original]
    counts = ", ".join(f"{p} {list(part_of.values()).count(p)}" for p in PARTS)
    assert "19 records in" in proc.stdout and counts in proc.stdout, proc.stdout


def test_split_leaks_no_shared_hash_between_parts(split, tmp_path):
    """dedup over two parts together removes exactly what it removes from each alone: no
    normalized-Python hash, canonical-HLO hash or near-duplicate cluster spans two parts."""
    out, _ = split
    parts = {p: read_records(out / p) for p in PARTS}
    template = json.loads((out / "train" / "manifest.json").read_text())
    kept = {}
    for p in PARTS:
        run_cli("dedup", out / p, "--out", tmp_path / f"alone-{p}")
        kept[p] = len(indices(tmp_path / f"alone-{p}"))
    for a, b in (("train", "validation"), ("train", "test"), ("validation", "test")):
        union = write_run(tmp_path / f"{a}+{b}", parts[a] + parts[b], [], template)
        run_cli("dedup", union, "--out", tmp_path / f"dedup-{a}+{b}")
        assert len(indices(tmp_path / f"dedup-{a}+{b}")) == kept[a] + kept[b], (a, b)
        # And by an independent normaliser (tests/py/test_generate.py):
        assert not ({normalised(r["python"]) for r in parts[a]} &
                    {normalised(r["python"]) for r in parts[b]})


def test_split_is_deterministic_and_the_seed_changes_it(constructed, split, tmp_path):
    out, _ = split
    run_cli("split", constructed, "--out", tmp_path / "again", "--ratios", "0.5,0.25,0.25")
    for part in PARTS:
        for chunk in (out / part).glob("data-*.jsonl"):
            assert chunk.read_bytes() == (tmp_path / "again" / part / chunk.name).read_bytes()
    run_cli("split", constructed, "--out", tmp_path / "seeded", "--ratios", "0.5,0.25,0.25",
            "--seed", 1)
    assert any(indices(out / p) != indices(tmp_path / "seeded" / p) for p in PARTS)


@pytest.mark.parametrize("ratios, part", [("1,0,0", "train"), ("0,0,1", "test")])
def test_ratios_decide_the_parts(constructed, ratios, part, tmp_path):
    run_cli("split", constructed, "--out", tmp_path / "out", "--ratios", ratios)
    assert indices(tmp_path / "out" / part) == indices(constructed)


@pytest.mark.parametrize("ratios, words", [
    ("0.8,0.2", "three numbers"),
    ("0.8,0.1,0.05,0.05", "three numbers"),
    ("0.8,0.1,0.2", "sum to 1"),
    ("1.2,-0.1,-0.1", "negative"),
    ("a,b,c", "not a number"),
    ("0.8,,0.2", "not a number"),
])
def test_bad_ratios(constructed, ratios, words, tmp_path):
    out = tmp_path / "out"
    assert_refused(run_cli("split", constructed, "--out", out, "--ratios", ratios, check=False),
                   "--ratios", words)
    assert not out.exists()


def not_a_run(kind, tmp_path, constructed):
    """A directory that is not a jitsynth output, and the words its refusal names."""
    bad = tmp_path / "in"
    if kind == "missing":
        return bad, "no such directory"
    if kind == "file":
        bad.write_text("x")
        return bad, "not a directory"
    bad.mkdir()
    if kind == "empty":
        return bad, "no manifest.json"
    manifest = json.loads((constructed / "manifest.json").read_text())
    for chunk in manifest["chunks"]:
        (bad / chunk["file"]).write_bytes((constructed / chunk["file"]).read_bytes())
    if kind == "foreign manifest":
        manifest["format"] = "other-tool/2"
        words = "format 'other-tool/2'"
    elif kind == "missing chunk":
        (bad / "data-00001.jsonl").unlink()
        words = "data-00001.jsonl is listed in manifest.json but missing"
    elif kind == "truncated chunk":
        data = (bad / "data-00002.jsonl").read_bytes()
        (bad / "data-00002.jsonl").write_bytes(data[: len(data) // 2])
        words = "truncated: the line has no newline"
    elif kind == "corrupt chunk":
        (bad / "data-00001.jsonl").write_text("{not json\n")
        words = "data-00001.jsonl:1: not a JSON record"
    (bad / "manifest.json").write_text(json.dumps(manifest))
    return bad, words


@pytest.mark.parametrize("command", ["dedup", "split"])
@pytest.mark.parametrize("kind", ["missing", "file", "empty", "foreign manifest", "missing chunk",
                                  "truncated chunk", "corrupt chunk"])
def test_input_that_is_not_a_run(constructed, command, kind, tmp_path):
    bad, words = not_a_run(kind, tmp_path, constructed)
    out = tmp_path / "out"
    assert_refused(run_cli(command, bad, "--out", out, check=False), str(bad), words)
    assert not out.exists()


@pytest.mark.parametrize("command", ["dedup", "split"])
def test_out_must_be_new_and_outside_the_input(constructed, command, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    assert_refused(run_cli(command, constructed, "--out", tmp_path / "full", check=False),
                   "not a jitsynth output")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]
    before = tree_digest(constructed)
    assert_refused(run_cli(command, constructed, "--out", constructed / "sub", check=False),
                   "inside the input")
    assert tree_digest(constructed) == before


@pytest.mark.parametrize("command, flags, words", [
    ("dedup", ["--key", "ast"], "--key must be both or a comma-separated list of python"),
    ("dedup", ["--threshold", "0"], "--threshold must be a number in (0, 1]"),
    ("dedup", ["--threshold", "1.5"], "--threshold"),
    ("split", ["--threshold", "x"], "--threshold"),
    ("split", ["--seed", "-1"], "--seed"),
])
def test_bad_flags(constructed, command, flags, words, tmp_path):
    out = tmp_path / "out"
    assert_refused(run_cli(command, constructed, "--out", out, *flags, check=False), words)
    assert not out.exists()


def test_split_without_the_near_search(constructed, tmp_path):
    proc = run_cli("split", constructed, "--out", tmp_path / "out", "--no-near")
    assert "19 records in" in proc.stdout
    step = json.loads((tmp_path / "out" / "train" / "manifest.json").read_text())["derivation"][0]
    assert step["near"] is False
