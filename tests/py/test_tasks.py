"""`jitsynth tasks`: training files of one task, in the formats trainers read.

The input is the quick generated run of conftest (real records), and hand-made runs for what a
generated run here lacks: records without a backward pass, and the lower levels (LLVM IR,
assembly, GPU) that runs made with those levels carry.
"""

import json
import re

import pytest

from conftest import assert_refused, read_records, run_cli
from test_dedup_split import write_run

BASE_TASKS = {  # task -> (source field, target field) of a generated run
    "python-to-stablehlo": ("python", "stablehlo"),
    "python-to-hlo": ("python", "hlo"),
    "hlo-to-optimized-hlo": ("hlo", "optimized_hlo"),
    "optimized-hlo-to-python": ("optimized_hlo", "python"),
    "stablehlo-to-grad-stablehlo": ("stablehlo", "grad.stablehlo"),
    "optimized-hlo-to-cost": ("optimized_hlo", "cost"),
}
LOWER_TASKS = {
    "optimized-hlo-to-llvm-ir": ("optimized_hlo", "llvm_ir"),
    "python-to-asm": ("python", "asm"),
    "optimized-hlo-to-ptx": ("gpu.optimized_hlo", "gpu.ptx"),
}


def field(record, dotted):
    for part in dotted.split("."):
        record = record[part]
    return record


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def lowered(run_small, tmp_path_factory):
    """run_small's records with the lower levels, one with no kernel (empty), one without grad."""
    records = read_records(run_small)
    for i, r in enumerate(records):
        r["llvm_ir"] = "" if i == 1 else f"; kernel fusion.{i}\ndefine void @fusion_{i}() {{\n  ret void\n}}\n"
        r["llvm_ir_unoptimized"] = r["llvm_ir"]
        r["asm"] = "" if i == 1 else f"fusion_{i}:\n\tvaddps %zmm0, %zmm1, %zmm2\n\tret\n"
        r["gpu"] = {"target": "sm_90", "optimized_hlo": r["optimized_hlo"],
                    "llvm_ir": r["llvm_ir"], "ptx": "" if i == 1 else f".version 8.4\n.target sm_90\n// {i}\n"}
    records[2]["grad"] = None
    template = json.loads((run_small / "manifest.json").read_text())
    return write_run(tmp_path_factory.mktemp("tasks") / "lowered", records, [], template,
                     chunk_size=10)


@pytest.mark.parametrize("task", sorted(BASE_TASKS))
def test_each_task_pairs_every_record_source_with_its_target(run_small, task, tmp_path):
    out = tmp_path / "train.jsonl"
    proc = run_cli("tasks", run_small, "--task", task, "--out", out, "--max-tokens", 0)
    records = {r["id"]: r for r in read_records(run_small)}
    rows = lines(out)
    source, target = BASE_TASKS[task]
    with_grad = [r for r in records.values() if r["grad"] is not None]
    expected = with_grad if target.startswith("grad.") else list(records.values())
    assert [row["id"] for row in rows] == [r["id"] for r in expected]
    for row in rows:
        r = records[row["id"]]
        assert set(row) == {"id", "task", "prompt", "completion"} and row["task"] == task
        want = field(r, target)
        assert (json.loads(row["completion"]) == want) if target == "cost" else row["completion"] == want
        assert field(r, source) in row["prompt"]
    summary = json.loads((tmp_path / "train.jsonl.summary.json").read_text())
    assert summary["template"] == f"{task}/v1" and summary["records"] == len(records)
    assert summary["written"] == len(rows)
    assert summary["written"] + sum(summary["skipped"].values()) == len(records)
    assert f"{len(records)} records: {len(rows)} examples written" in proc.stdout


def test_chat_format_has_a_user_and_an_assistant_turn(run_small, tmp_path):
    run_cli("tasks", run_small, "--task", "python-to-hlo", "--out", tmp_path / "p.jsonl")
    run_cli("tasks", run_small, "--task", "python-to-hlo", "--format", "chat",
            "--out", tmp_path / "c.jsonl")
    for p, c in zip(lines(tmp_path / "p.jsonl"), lines(tmp_path / "c.jsonl"), strict=True):
        assert set(c) == {"id", "task", "messages"} and c["id"] == p["id"]
        assert c["messages"] == [{"role": "user", "content": p["prompt"]},
                                 {"role": "assistant", "content": p["completion"]}]


def test_outputs_load_with_datasets(run_small, tmp_path, monkeypatch):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cache = str(tmp_path / "hf")
    monkeypatch.setenv("HF_HOME", cache)
    task = "optimized-hlo-to-python"
    for fmt, name in (("prompt-completion", "pc.jsonl"), ("chat", "chat.jsonl"), ("parquet", "t.parquet")):
        run_cli("tasks", run_small, "--task", task, "--format", fmt, "--out", tmp_path / name)
    expected = lines(tmp_path / "pc.jsonl")
    pc = datasets.load_dataset("json", data_files=str(tmp_path / "pc.jsonl"), split="train", cache_dir=cache)
    chat = datasets.load_dataset("json", data_files=str(tmp_path / "chat.jsonl"), split="train", cache_dir=cache)
    pq = datasets.load_dataset("parquet", data_files=str(tmp_path / "t.parquet"), split="train", cache_dir=cache)
    assert len(pc) == len(chat) == len(pq) == len(expected) > 0
    for i in (0, len(expected) - 1):
        assert pc[i] == expected[i] == pq[i]
        assert chat[i]["messages"][1]["content"] == expected[i]["completion"]
        assert chat[i]["messages"][0]["role"] == "user"


def test_token_budget_skips_and_counts(run_small, tmp_path):
    task = "python-to-stablehlo"
    run_cli("tasks", run_small, "--task", task, "--out", tmp_path / "all.jsonl", "--max-tokens", 0)
    rows = lines(tmp_path / "all.jsonl")
    # A budget between the examples' sizes: the examples that fit by the documented estimate stay.
    def approx_tokens(text):  # post::ApproxTokens: a run of word characters, or any other non-blank
        return len(re.findall(r"[A-Za-z0-9_]+|[^\sA-Za-z0-9_]", text))

    tokens = sorted(approx_tokens(r["prompt"]) + approx_tokens(r["completion"]) for r in rows)
    budget = tokens[len(tokens) // 2]
    proc = run_cli("tasks", run_small, "--task", task, "--out", tmp_path / "cut.jsonl",
                   "--max-tokens", budget)
    kept = lines(tmp_path / "cut.jsonl")
    assert len(kept) == sum(t <= budget for t in tokens)
    summary = json.loads((tmp_path / "cut.jsonl.summary.json").read_text())
    assert summary["skipped"]["over_budget"] == len(rows) - len(kept) > 0
    assert f"{len(rows) - len(kept)} over_budget" in proc.stdout
    assert summary["max_tokens"] == budget


def test_lower_levels_and_skips(lowered, tmp_path):
    records = read_records(lowered)
    for task, (source, target) in LOWER_TASKS.items():
        out = tmp_path / f"{task}.jsonl"
        run_cli("tasks", lowered, "--task", task, "--out", out, "--max-tokens", 0)
        rows = lines(out)
        assert [r["id"] for r in rows] == [r["id"] for i, r in enumerate(records) if i != 1]
        for row in rows:
            r = next(x for x in records if x["id"] == row["id"])
            assert row["completion"] == field(r, target) and field(r, source) in row["prompt"]
        skipped = json.loads((tmp_path / f"{task}.jsonl.summary.json").read_text())["skipped"]
        assert skipped == {"over_budget": 0, "empty_target": 1}
    assert "sm_90" in lines(tmp_path / "optimized-hlo-to-ptx.jsonl")[0]["prompt"]
    proc = run_cli("tasks", lowered, "--task", "stablehlo-to-grad-stablehlo", "--out", tmp_path / "g.jsonl",
                   "--max-tokens", 0)
    without = sum(r["grad"] is None for r in records)  # record 2, and those with nothing differentiable
    assert records[2]["grad"] is None and f"{without} no_backward" in proc.stdout
    assert len(lines(tmp_path / "g.jsonl")) == len(records) - without


@pytest.mark.parametrize("task", sorted(LOWER_TASKS))
def test_a_run_without_the_level_is_refused(hlo_levels_run, task, tmp_path):
    out = tmp_path / "t.jsonl"
    assert_refused(run_cli("tasks", hlo_levels_run, "--task", task, "--out", out, check=False),
                   "made without that level", task)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args, words", [
    (["--task", "python-to-c"], ["python-to-c", "python-to-stablehlo"]),
    (["--task", "python-to-hlo", "--format", "csv"], ["--format", "csv"]),
    (["--task", "python-to-hlo", "--max-tokens", "many"], ["--max-tokens"]),
    (["--task", "python-to-hlo", "--max-tokens", "-5"], ["--max-tokens"]),
])
def test_bad_flags(run_small, args, words, tmp_path):
    out = tmp_path / "t.jsonl"
    assert_refused(run_cli("tasks", run_small, *args, "--out", out, check=False), *words)
    assert not list(tmp_path.iterdir())


def test_bad_paths(run_small, tmp_path):
    assert_refused(run_cli("tasks", tmp_path / "nothing", "--task", "python-to-hlo", "--out",
                           tmp_path / "t.jsonl", check=False), "no such directory")
    (tmp_path / "dir").mkdir()
    assert_refused(run_cli("tasks", run_small, "--task", "python-to-hlo", "--out", tmp_path / "dir",
                           check=False), "--out")
    assert_refused(run_cli("tasks", run_small, "--task", "python-to-hlo", "--out",
                           run_small / "t.jsonl", check=False), "inside the input")
    assert_refused(run_cli("tasks", run_small, "--out", tmp_path / "t.jsonl", check=False), "--task")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir"]


def test_an_existing_file_is_replaced_like_export(run_small, tmp_path):
    out = tmp_path / "t.jsonl"
    out.write_text("old\n")
    run_cli("tasks", run_small, "--task", "python-to-hlo", "--out", out)
    assert lines(out)[0]["task"] == "python-to-hlo"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.jsonl", "t.jsonl.summary.json"]


def test_list_and_help_teach_the_tasks(cli):
    listed = run_cli("tasks", "--list").stdout
    help_text = run_cli("tasks", "--help").stdout
    templates = run_cli("tasks", "--templates").stdout
    for task in [*BASE_TASKS, *LOWER_TASKS]:
        assert task in listed and task in help_text and f"== {task} (template v1" in templates
    assert "Examples:" in help_text and "--max-tokens" in help_text
