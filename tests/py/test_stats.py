"""`jitsynth stats`: the dataset card and its charts, what they count, and bad input."""

import collections
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import DAMAGES, assert_refused, damaged_copy, read_records, run_cli, tree_digest

CONTROL_FLOW = re.compile(r"\blax\.(cond|switch|fori_loop|scan|while_loop)\s*\(")


def front_matter(card_text):
    assert card_text.startswith("---\n")
    return yaml.safe_load(card_text.split("---\n")[1])


@pytest.fixture(scope="module")
def card(run_small, tmp_path_factory):
    before = tree_digest(run_small)
    out = tmp_path_factory.mktemp("card") / "report"
    proc = run_cli("stats", run_small, "--out", out)
    assert tree_digest(run_small) == before, "stats modified its input"
    return out, (out / "README.md").read_text(encoding="utf-8"), proc.stdout


def test_summary_line(card):
    _, _, stdout = card
    assert re.fullmatch(r"24 records described in .*README\.md with \d+ charts\n", stdout)


def test_front_matter_is_hugging_face_card_metadata(card):
    meta = front_matter(card[1])
    assert meta["license"] == "unknown"
    assert "text-generation" in meta["task_categories"]
    assert meta["size_categories"] == ["n<1K"]
    assert {"jax", "xla", "stablehlo", "synthetic"} <= set(meta["tags"])
    assert meta["configs"] == [{"config_name": "default",
                                "data_files": [{"split": "train", "path": "data-*.jsonl"}]}]


def test_license_flag(run_small, tmp_path):
    run_cli("stats", run_small, "--out", tmp_path / "r", "--license", "apache-2.0")
    assert front_matter((tmp_path / "r" / "README.md").read_text())["license"] == "apache-2.0"


def test_every_section_is_there(card):
    for heading in ("## Files", "## Categories and dtypes", "## Control flow and backward pass",
                    "## JAX API coverage", "## HLO opcode coverage", "## Lengths", "## Failures",
                    "## Throughput", "## How it was made"):
        assert heading in card[1], heading


def test_counts_match_the_records(card, run_small):
    text = card[1]
    records = read_records(run_small)
    for category, n in collections.Counter(r["category"] for r in records).items():
        assert f"| `{category}` | {n} |" in text, category
    dtypes = collections.Counter(d for r in records for d in {a["dtype"] for a in r["args"]})
    for dtype, n in dtypes.items():
        assert f"| `{dtype}` | {n} |" in text, dtype
    with_flow = sum(bool(CONTROL_FLOW.search(r["python"])) for r in records)
    with_grad = sum(r["grad"] is not None for r in records)
    assert f"{with_flow} of the records" in text
    assert f"; {with_grad} (" in text
    # Every HLO opcode table row counts records that really contain the opcode.
    hlo_section = text.split("## HLO opcode coverage", 1)[1].split("\n## ", 1)[0]
    for opcode, n in re.findall(r"^\| `([a-z-]+)` \| (\d+) \| \d+ \|$", hlo_section, re.MULTILINE):
        if opcode in ("parameter", "add", "multiply"):
            assert int(n) == sum(f" {opcode}(" in r["hlo"] for r in records), opcode
    assert "None: all 24 samples became records." in text


def test_lengths_table_covers_every_level_forward_and_backward(card, run_small):
    text = card[1]
    records = read_records(run_small)
    for field in ("python", "jaxpr", "stablehlo", "hlo", "optimized_hlo"):
        longest = max(len(r[field]) for r in records)
        assert re.search(rf"^\| `{field}` \| chars \| .* \| {longest} \|$", text, re.MULTILINE)
        assert f"| `grad.{field}` | tokens |" in text
        assert f"charts/tokens_{field}.svg" in text


def test_charts_are_referenced_svg_with_titles_and_axis_labels(card):
    out, text, stdout = card
    referenced = re.findall(r"!\[[^\]]+\]\(charts/([a-z_]+\.svg)\)", text)
    on_disk = sorted(p.name for p in (out / "charts").iterdir())
    assert sorted(referenced) == on_disk
    assert f"with {len(on_disk)} charts" in stdout
    assert {"categories.svg", "dtypes.svg", "control_flow.svg", "jax_api.svg", "hlo_opcodes.svg",
            "worker_time.svg"} <= set(on_disk)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    for name in on_disk:
        root = ET.parse(out / "charts" / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert root.find("svg:title", ns).text, name
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert any(t in ("records", "records that use it", "seconds") or
                   (t or "").startswith("approximate tokens") for t in texts), name


def with_failures(run, destination):
    """A copy of RUN in which indices 3 and 7 failed (at execute and at timeout)."""
    shutil.copytree(run, destination)
    chunk = destination / "data-00000.jsonl"
    lines = chunk.read_text().splitlines(keepends=True)
    chunk.write_text("".join(line for i, line in enumerate(lines) if i not in (3, 7)))
    failures = [{"id": f"js-3-{i}", "index": i, "category": "loop", "stage": stage,
                 "error_type": "X", "message": "m"} for i, stage in ((3, "execute"), (7, "timeout"))]
    (destination / "failures.jsonl").write_text("".join(json.dumps(f) + "\n" for f in failures))
    manifest = json.loads((destination / "manifest.json").read_text())
    manifest["chunks"][0].update(records=8, failures=2)
    (destination / "manifest.json").write_text(json.dumps(manifest))
    return destination


def test_failures_per_stage_come_from_failures_jsonl(run_small, tmp_path):
    run = with_failures(run_small, tmp_path / "run")
    run_cli("stats", run, "--out", tmp_path / "r")
    text = (tmp_path / "r" / "README.md").read_text()
    assert "2 of 24 samples (8.3%) failed" in text
    assert "| `execute` | 1 |" in text and "| `timeout` | 1 |" in text
    assert (tmp_path / "r" / "charts" / "failures.svg").exists()


def test_a_previous_report_is_replaced(run_small, tmp_path):
    run = with_failures(run_small, tmp_path / "run")
    report = tmp_path / "r"
    run_cli("stats", run, "--out", report)
    run_cli("stats", run_small, "--out", report)
    assert "None: all 24 samples" in (report / "README.md").read_text()
    assert not (report / "charts" / "failures.svg").exists()


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_chunk_is_refused_naming_file_and_line(run_small, tmp_path, damage):
    run = damaged_copy(run_small, tmp_path / "run", damage)
    proc = run_cli("stats", run, "--out", tmp_path / "r", check=False)
    assert_refused(proc, "data-00001.jsonl:")
    assert not (tmp_path / "r").exists()


def test_not_a_run(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    assert_refused(run_cli("stats", tmp_path, "--out", tmp_path / "r", check=False),
                   "not a jitsynth output directory")
    assert_refused(run_cli("stats", tmp_path / "absent", "--out", tmp_path / "r", check=False),
                   "no such directory")


def test_out_inside_the_input_or_foreign_is_refused(run_small, tmp_path):
    before = tree_digest(run_small)
    assert_refused(run_cli("stats", run_small, "--out", run_small / "card", check=False),
                   "tools never modify their input")
    assert tree_digest(run_small) == before
    (tmp_path / "mine.txt").write_text("x")
    assert_refused(run_cli("stats", run_small, "--out", tmp_path, check=False),
                   "did not write")


def test_help_has_an_example(cli):
    assert "Example" in run_cli("stats", "--help").stdout
