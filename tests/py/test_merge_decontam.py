"""`jitsynth dedup` over several runs, and `dedup --against` (decontamination).

Merging: run_small cut in two runs must give what dedup of run_small gives, each record tagged
with its source run by the manifest's index ranges. Decontamination: the training data holds
copies of the evaluation programs with every name changed, the layout redone (spacing,
indentation, comments, blank lines, a docstring), expressions wrapped in parentheses and split
over lines, each recompiled through the worker so that its IR differs as JAX makes it differ;
and programs changed in one operator, which are different programs and must stay.
"""

import json
import re

import pytest

from conftest import assert_refused, read_records, run_cli
from program_copies import mutated_copy, recompiled, renamed_copy
from test_dedup_split import tree_digest, write_run


def template(run):
    return json.loads((run / "manifest.json").read_text())


def ids(run):
    return [r["id"] for r in read_records(run)]


@pytest.fixture(scope="module")
def halves(run_small, tmp_path_factory):
    """run_small as two runs: indices below 12, and the rest renumbered from 0."""
    records = read_records(run_small)
    d = tmp_path_factory.mktemp("halves")
    a = write_run(d / "a", [r for r in records if r["index"] < 12], [], template(run_small))
    b = write_run(d / "b", [dict(r, index=r["index"] - 12) for r in records if r["index"] >= 12],
                  [], template(run_small))
    return a, b


def test_two_runs_merge_as_one_with_their_provenance(run_small, halves, tmp_path):
    a, b = halves
    run_cli("dedup", run_small, "--out", tmp_path / "whole")
    proc = run_cli("dedup", a, b, "--out", tmp_path / "merged")
    assert ids(tmp_path / "merged") == ids(tmp_path / "whole")
    assert re.match(r"\d+ records in 2 runs: \d+ kept", proc.stdout), proc.stdout
    manifest = template(tmp_path / "merged")
    step = manifest["derivation"][-1]
    offset = template(a)["committed_through"]
    assert [(i["run"], i["first_index"], i["end_index"]) for i in step["inputs"]] == [
        (str(a), 0, offset), (str(b), offset, offset + template(b)["committed_through"])]
    assert sum(i["kept"] for i in step["inputs"]) == step["kept"] == len(ids(tmp_path / "merged"))
    by_id = {r["id"]: r for r in read_records(run_small)}
    for r in read_records(tmp_path / "merged"):
        source = step["inputs"][0] if r["index"] < offset else step["inputs"][1]
        original = by_id[r["id"]]
        # The record is the original, its index moved past the runs before its own.
        assert r == dict(original, index=r["index"])
        expected = original["index"] if source["run"] == str(a) else offset + original["index"] - 12
        assert r["index"] == expected
    # The merged run is a run like any other.
    run_cli("split", tmp_path / "merged", "--out", tmp_path / "split")
    run_cli("stats", tmp_path / "merged", "--out", tmp_path / "card")


def test_a_run_merged_with_its_copy_keeps_each_program_once(halves, tmp_path):
    a, _ = halves
    copy = write_run(tmp_path / "copy", read_records(a), [], template(a))
    run_cli("dedup", a, "--out", tmp_path / "alone")
    run_cli("dedup", a, copy, "--out", tmp_path / "both")
    assert ids(tmp_path / "both") == ids(tmp_path / "alone")


def test_shared_ids_of_different_programs_are_refused(halves, tmp_path):
    a, _ = halves
    changed = [dict(r, **mutated_copy(r)) for r in read_records(a) if mutated_copy(r)]
    assert changed
    other = write_run(tmp_path / "other", changed, [], template(a))
    before = tree_digest(a), tree_digest(other)
    proc = run_cli("dedup", a, other, "--out", tmp_path / "out", "--key", "python", "--no-near",
                   check=False)
    assert_refused(proc, changed[0]["id"], "is in both", str(a), str(other))
    assert not (tmp_path / "out").exists()
    assert (tree_digest(a), tree_digest(other)) == before


def test_bad_inputs(halves, tmp_path):
    a, b = halves
    assert_refused(run_cli("dedup", a, a, "--out", tmp_path / "o", check=False), "given twice")
    assert_refused(run_cli("dedup", a, b, "--out", b / "inside", check=False), "inside the input")
    assert_refused(run_cli("dedup", a, "--against", tmp_path / "none.jsonl", "--out", tmp_path / "o",
                           check=False), "no such run or file")
    (tmp_path / "bad.jsonl").write_text('{"id": "x"}\n')
    assert_refused(run_cli("dedup", a, "--against", tmp_path / "bad.jsonl", "--out", tmp_path / "o",
                           check=False), "bad.jsonl:1", "python")
    (tmp_path / "junk.jsonl").write_text("\nnot json\n")
    assert_refused(run_cli("dedup", a, "--against", tmp_path / "junk.jsonl", "--out", tmp_path / "o",
                           check=False), "junk.jsonl:2")
    assert not (tmp_path / "o").exists()


def parenthesized(source):
    """SOURCE with each assignment's and return's expression in parentheses over three lines."""
    out = []
    for line in source.splitlines():
        m = re.fullmatch(r"(\s*)([\w, ]+) = (.+)", line)
        r = re.fullmatch(r"(\s*)return (.+)", line)
        if m and not m.group(3).rstrip().endswith(":") and "#" not in line:
            out.append(f"{m.group(1)}{m.group(2)} = (\n{m.group(1)}        {m.group(3)}\n{m.group(1)})")
        elif r and "#" not in line:
            out.append(f"{r.group(1)}return ((\n{r.group(1)}    {r.group(2)}))")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def contaminated(run_small, tmp_path_factory):
    """Evaluation records, and training data holding their disguised copies and mutants."""
    records = read_records(run_small)
    mutable = sorted((r for r in records if mutated_copy(r)), key=lambda r: len(r["python"]))
    evaluation = mutable[:4]
    eval_ids = {r["id"] for r in evaluation}
    train = [r for r in records if r["id"] not in eval_ids]
    copies, mutants = [], []
    for n, original in enumerate(evaluation):
        disguised = renamed_copy(dict(original, python=parenthesized(original["python"])), prefix="zz_")
        assert disguised["python"] != original["python"]
        copies.append(dict(recompiled(original, disguised), id=f"js-3-{900 + n}"))
    for n, original in enumerate(evaluation[:2]):
        mutants.append(dict(recompiled(original, mutated_copy(original)), id=f"js-3-{950 + n}"))
    d = tmp_path_factory.mktemp("decontam")
    all_train = train + copies + mutants
    train_run = write_run(d / "train", [dict(r, index=i) for i, r in enumerate(all_train)], [],
                          template(run_small))
    eval_file = d / "eval.jsonl"
    eval_file.write_text("".join(json.dumps(r) + "\n" for r in evaluation))
    eval_run = write_run(d / "eval", evaluation, [], template(run_small))
    return {"train": train_run, "eval_file": eval_file, "eval_run": eval_run,
            "evaluation": evaluation, "copies": copies, "mutants": mutants, "originals": train}


def test_decontamination_removes_disguised_copies_and_keeps_distinct_programs(contaminated, tmp_path):
    c = contaminated
    before = tree_digest(c["train"]), tree_digest(c["eval_run"])
    # What dedup keeps of the training data without any copies: the distinct programs.
    clean = write_run(tmp_path / "clean", [dict(r, index=i) for i, r in enumerate(c["originals"] + c["mutants"])],
                      [], template(c["train"]))
    run_cli("dedup", clean, "--out", tmp_path / "baseline")
    baseline = set(ids(tmp_path / "baseline"))
    assert {m["id"] for m in c["mutants"]} <= baseline
    # No program of the training data but the copies duplicates an evaluation program.
    with_eval = write_run(tmp_path / "with_eval", [dict(r, index=i) for i, r in enumerate(
        c["evaluation"] + c["originals"] + c["mutants"])], [], template(c["train"]))
    run_cli("dedup", with_eval, "--out", tmp_path / "with_eval_dedup")
    assert set(ids(tmp_path / "with_eval_dedup")) == baseline | {e["id"] for e in c["evaluation"]}
    for against in (c["eval_file"], c["eval_run"]):
        out = tmp_path / f"out-{against.name}"
        proc = run_cli("dedup", c["train"], "--against", against, "--out", out)
        kept = set(ids(out))
        assert not kept & {x["id"] for x in c["copies"]}
        assert kept == baseline
        removed = [json.loads(line) for line in (out / "contaminated.jsonl").read_text().splitlines()]
        by_copy = {x["id"]: x for x in removed}
        for copy, original in zip(c["copies"], c["evaluation"]):
            assert by_copy[copy["id"]]["eval_id"] == original["id"]
            assert re.fullmatch(r"(exact|near) (python|optimized_hlo)", by_copy[copy["id"]]["reason"])
        step = template(out)["derivation"][-1]
        assert step["eval_records"] == 4 and sum(step["contaminated"].values()) == len(removed)
        assert f"{len(removed)} removed as copies of the 4 evaluation records" in proc.stdout
    assert (tree_digest(c["train"]), tree_digest(c["eval_run"])) == before


def test_the_exact_python_key_alone_sees_through_names_layout_and_parentheses(contaminated, tmp_path):
    c = contaminated
    out = tmp_path / "out"
    run_cli("dedup", c["train"], "--against", c["eval_file"], "--out", out, "--key", "python",
            "--no-near")
    assert not set(ids(out)) & {x["id"] for x in c["copies"]}
    assert {m["id"] for m in c["mutants"]} <= set(ids(out))
    reasons = {json.loads(line)["id"]: json.loads(line)["reason"]
               for line in (out / "contaminated.jsonl").read_text().splitlines()}
    assert all(reasons[x["id"]] == "exact python" for x in c["copies"])
