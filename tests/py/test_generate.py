"""End-to-end tests of `jitsynth generate`: the acceptance criteria of the first slice."""

import json
import os
import pathlib
import random
import subprocess
import sys

import jax
import jsonschema
import pytest

from conftest import ROOT, read_records, run_cli
from measure_coverage import normalised

SCHEMA = json.loads((ROOT / "docs" / "schema.json").read_text())
IR_FIELDS = ("jaxpr", "stablehlo", "hlo", "optimized_hlo")


def test_200_records_no_failures_all_categories(run_200):
    records = read_records(run_200)
    assert len(records) == 200
    assert (run_200 / "failures.jsonl").read_text() == ""
    assert [r["index"] for r in records] == list(range(200))
    categories = {r["category"] for r in records}
    assert len(categories) >= 10, categories


def test_schema_names_every_family():
    """A family added to the generator without its category in docs/schema.json makes records
    the schema refuses (it happened: eleven families at once)."""
    dump = run_cli("policy", "--dump").stdout
    table = dump.split("[family]\n", 1)[1].split("\n[", 1)[0]
    families = {line.split(" = ")[0] for line in table.splitlines() if " = " in line and not line.startswith("#")}
    allowed = set(SCHEMA["properties"]["category"]["enum"])
    assert len(families) >= 40
    assert families <= allowed, sorted(families - allowed)


def test_records_match_the_schema_and_fill_every_field(run_200):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    with_grad = 0
    for r in read_records(run_200):
        validator.validate(r)
        for field in IR_FIELDS:
            assert r[field].strip(), (r["id"], field)
        assert r["cost"]["bytes_accessed"] > 0
        with_grad += r["grad"] is not None
    # The backward pass is asked for wherever reverse mode works (not through
    # while loops) and exists when a float argument reaches a float output.
    assert with_grad >= 0.6 * 200, with_grad


def test_normaliser_merges_renamed_copies():
    a = 'def f(x, y):\n    """Doc."""\n    t = jnp.sin(x) + y  # c\n    return t\n'
    b = 'def kernel(a, b):\n    tmp = jnp.sin(a) + b\n    return tmp\n'
    c = 'def kernel(a, b):\n    tmp = jnp.cos(a) + b\n    return tmp\n'
    assert normalised(a) == normalised(b)
    assert normalised(a) != normalised(c)


def test_programs_are_distinct_after_renaming(run_200):
    records = read_records(run_200)
    distinct = {normalised(r["python"]) for r in records}
    assert len(distinct) >= 0.95 * len(records), len(distinct)


def lower_text(source, entry, args):
    namespace = {}
    exec(compile(source, "<record>", "exec"), namespace)
    specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), a["dtype"]) for a in args]
    return jax.jit(namespace[entry]).lower(*specs).as_text()


def test_records_reproduce_their_stablehlo(run_200):
    """A genuine pair: python + args + entry give exactly the stored StableHLO, forward and back."""
    records = read_records(run_200)
    for r in random.Random(0).sample(records, 30):
        with jax.enable_x64(r["x64"]):
            assert lower_text(r["python"], r["entry"], r["args"]) == r["stablehlo"], r["id"]
            g = r["grad"]
            if g is not None:
                assert lower_text(g["python"], g["entry"], g["args"]) == g["stablehlo"], r["id"]


@pytest.mark.slow  # about 3 minutes; JITSYNTH_SLOW=1 (CI) runs it
def test_optimized_hlo_equals_a_full_compile(run_200):
    """The worker takes optimized HLO at XLA's POST_SCHEDULER hook, backward modules without code
    generation (python/jitsynth_worker/optimized.py). In a process without that hook, a full
    default compile of every backward module, and of 40 forward modules, gives the very same text
    once its names are renumbered as the worker renumbers them (jitsynth_worker/names.py)."""
    # With the XLA_FLAGS the workers had (the kernel levels add one: request.h's kSmallWhileLoopFlag).
    env = dict(os.environ, XLA_FLAGS=read_records(run_200)[0]["provenance"]["xla_flags"])
    verify = subprocess.run([sys.executable, str(ROOT / "bench" / "xla" / "q4_post_scheduler.py"),
                             "--verify", str(run_200), "--forward-sample", "40"],
                            capture_output=True, text=True, timeout=900, env=env)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "forward: 40 modules" in verify.stdout, verify.stdout


def test_provenance_says_where_optimized_hlo_came_from(run_200):
    """With the pinned jaxlib the fast path is the one taken: a silent fallback would fail here."""
    assert {r["provenance"]["optimized_hlo_from"] for r in read_records(run_200)} == {"post_scheduler_hook"}


def test_no_host_paths_or_tracebacks_in_ir(run_200):
    forbidden = ("/tmp", "/work", "/root", str(ROOT), "FileNames", "StackFrames",
                 "source_file", "Traceback", "<jitsynth>")
    for r in read_records(run_200):
        texts = [r[f] for f in IR_FIELDS] + [r["grad"][f] for f in IR_FIELDS if r["grad"]]
        for text in texts:
            for word in forbidden:
                assert word not in text, (r["id"], word)


def test_backward_pass_takes_the_cotangent_as_an_argument(run_200):
    for r in [r for r in read_records(run_200) if r["grad"]][:40]:
        g = r["grad"]
        n_float_outputs = sum(o["dtype"].startswith(("float", "bfloat")) for o in r["outputs"])
        assert len(g["args"]) == len(r["args"]) + n_float_outputs
        # The forward arguments, without the ranges only the record's own args carry.
        forward = [{k: a[k] for k in ("name", "shape", "dtype")} for a in r["args"]]
        assert g["args"][: len(r["args"])] == forward
        assert "jax.vjp" in g["python"]


def test_manifest_describes_the_run(run_200):
    m = json.loads((run_200 / "manifest.json").read_text())
    assert m["complete"] is True
    assert m["seed"] == 7 and m["count"] == 200
    assert m["counts"]["records"] == 200 and m["counts"]["failures"] == {}
    assert [c["file"] for c in m["chunks"]] == [f"data-0000{i}.jsonl" for i in range(4)]
    assert m["timings"]["pairs_per_second"] > 0
    assert m["provenance"]["jax_version"] == jax.__version__


def test_worker_count_does_not_change_the_data(run_200, tmp_path):
    """Same seed: one worker writes byte-identical chunks to two workers."""
    out = tmp_path / "one-worker"
    run_cli("generate", "--count", 100, "--seed", 7, "--out", out, "--workers", 1,
            "--chunk-size", 50, "--quiet")
    for name in ("data-00000.jsonl", "data-00001.jsonl"):
        assert (out / name).read_bytes() == (run_200 / name).read_bytes(), name


def test_summary_line(cli, tmp_path):
    proc = run_cli("generate", "--count", 3, "--seed", 1, "--out", tmp_path / "s", "--workers", 1)
    assert "3 records, 0 failures" in proc.stdout
    assert "pairs/s" in proc.stdout
