"""`jitsynth eval` end to end: the baselines calibrate the ladder, bad input is refused, and a
hostile prediction is contained while the eval finishes."""

import json

import pytest

from conftest import assert_refused, read_records, run_cli, tree_digest

PROGRAM_TASKS = ["python-to-stablehlo", "python-to-hlo", "hlo-to-optimized-hlo",
                 "optimized-hlo-to-python", "stablehlo-to-grad-stablehlo"]
RUNGS = ["well_formed", "compiles", "equivalent", "exact", "similarity"]


@pytest.fixture(scope="module")
def eval_run(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "run"
    run_cli("generate", "--count", 6, "--seed", 11, "--out", out, "--workers", 2, "--quiet")
    return out


def summary(report):
    return json.loads((report / "summary.json").read_text())


def test_records_carry_what_equivalence_needs(eval_run):
    for record in read_records(eval_run):
        assert isinstance(record["input_seed"], int)
        for arg in record["args"]:
            assert arg["low"] <= arg["high"], arg


@pytest.mark.parametrize("task", PROGRAM_TASKS + ["optimized-hlo-to-cost"])
def test_oracle_is_perfect_and_shuffled_is_not_equivalent(eval_run, tmp_path, task):
    before = tree_digest(eval_run)
    out = tmp_path / "report"
    proc = run_cli("eval", eval_run, "--task", task, "--predictions", "oracle", "--predictions",
                   "shuffled", "--out", out, "--inputs", 2)
    assert tree_digest(eval_run) == before
    oracle = summary(out / "oracle")
    assert oracle["task"] == task
    for rung in RUNGS:
        assert oracle["overall"][rung] == 1.0, (rung, oracle, proc.stdout)
    for category in oracle["by_category"].values():
        assert category["equivalent"] == 1.0
    assert oracle["by_task"][task]["exact"] == 1.0
    shuffled = summary(out / "shuffled")
    if task != "optimized-hlo-to-cost":  # two programs may cost the same
        assert shuffled["overall"]["equivalent"] < 0.05, shuffled
    assert shuffled["overall"]["exact"] < 0.05
    verdicts = [json.loads(line) for line in (out / "oracle" / "verdicts.jsonl").read_text().splitlines()]
    assert len(verdicts) == oracle["overall"]["records"]
    table = (out / "summary.md").read_text()
    assert "| oracle |" in table and "| shuffled |" in table


def test_retrieval_from_a_train_run_holding_the_records_finds_them(eval_run, tmp_path):
    out = tmp_path / "report"
    run_cli("eval", eval_run, "--task", "optimized-hlo-to-cost", "--predictions", "retrieval",
            "--train", eval_run, "--out", out)
    assert summary(out)["overall"]["exact"] == 1.0


def test_hostile_predictions_are_contained_and_the_eval_finishes(eval_run, tmp_path):
    records = read_records(eval_run)
    canary = eval_run / "canary.txt"
    canary.write_text("still here\n")
    chunk = sorted(eval_run.glob("data-*.jsonl"))[0]
    hostile = [
        "def f(*a):\n    while True:\n        pass\n",
        "import os\n\ndef f(*a):\n    os.remove(%r)\n" % str(canary),
        "import jax\n\ndef f(*a):\n    return jax.version.os.remove(%r)\n" % str(canary),
        "import numpy as np\n\ndef f(*a):\n    return np.loadtxt(%r, dtype=str)\n" % str(chunk),
    ]
    predictions = tmp_path / "preds.jsonl"
    with open(predictions, "w") as f:
        for i, record in enumerate(records):
            text = hostile[i] if i < len(hostile) else record["python"]
            f.write(json.dumps({"id": record["id"], "prediction": text}) + "\n")
    before = tree_digest(eval_run)
    out = tmp_path / "report"
    run_cli("eval", eval_run, "--task", "optimized-hlo-to-python", "--predictions", predictions,
            "--out", out, "--inputs", 1, "--timeout", 15)
    assert tree_digest(eval_run) == before
    verdicts = [json.loads(line) for line in (out / "verdicts.jsonl").read_text().splitlines()]
    for verdict in verdicts[:len(hostile)]:
        assert verdict["equivalent"] is False and verdict["exact"] is False, verdict
        assert verdict["reason"], verdict
    assert verdicts[1]["refused"]
    assert "sandbox:" in verdicts[2]["reason"]
    # The run is hidden by the mount namespace where there is one (the file is not there at all),
    # else refused by the audit hook.
    assert "sandbox:" in verdicts[3]["reason"] or "not found" in verdicts[3]["reason"], verdicts[3]
    assert all(v["equivalent"] for v in verdicts[len(hostile):]), verdicts


BAD_LINES = {
    "not JSONL": ("this is not json\n", "line 1"),
    "no id": ('{"prediction": "x"}\n', "line 1"),
    "duplicate id": (None, "appears twice"),
    "unknown id": ('{"id": "js-99-99", "prediction": "x"}\n', "js-99-99"),
    "missing records": (None, "no prediction for"),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_bad_predictions_are_refused_before_anything_is_written(eval_run, tmp_path, case):
    records = read_records(eval_run)
    good = [json.dumps({"id": r["id"], "prediction": r["stablehlo"]}) + "\n" for r in records]
    text, word = BAD_LINES[case]
    if case == "duplicate id":
        text = "".join(good) + good[0]
    elif case == "missing records":
        text = "".join(good[1:])
    else:
        text = text + "".join(good)
    predictions = tmp_path / "preds.jsonl"
    predictions.write_text(text)
    out = tmp_path / "report"
    proc = run_cli("eval", eval_run, "--task", "python-to-stablehlo", "--predictions", predictions,
                   "--out", out, check=False)
    assert_refused(proc, word)
    assert not out.exists()


@pytest.mark.parametrize("args,word", [
    (["--task", "python-to-asm", "--predictions", "oracle"], "/asm"),
    (["--task", "optimized-hlo-to-ptx", "--predictions", "oracle"], "/gpu/ptx"),
    (["--task", "no-such-task", "--predictions", "oracle"], "no such task"),
    (["--task", "python-to-hlo", "--predictions", "retrieval"], "--train"),
])
def test_tasks_the_run_cannot_serve_are_refused(eval_run, hlo_levels_run, tmp_path, args, word):
    out = tmp_path / "report"
    run = hlo_levels_run if word == "/asm" else eval_run
    proc = run_cli("eval", run, *args, "--out", out, check=False)
    assert_refused(proc, word)
    assert not out.exists()
