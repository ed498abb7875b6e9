"""The README's promise: the output loads with Hugging Face `datasets`, offline."""

import os

import pytest

from conftest import read_records


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))


def test_load_dataset_json_reads_every_record(run_200):
    import datasets

    ds = datasets.load_dataset("json", data_files=str(run_200 / "data-*.jsonl"), split="train",
                               cache_dir=os.environ["HF_HOME"])
    records = read_records(run_200)
    assert len(ds) == len(records)
    for i in (0, 57, 199):
        row = ds[i]
        assert row["python"] == records[i]["python"]
        assert row["stablehlo"] == records[i]["stablehlo"]
        assert row["grad"]["optimized_hlo"] == records[i]["grad"]["optimized_hlo"]
