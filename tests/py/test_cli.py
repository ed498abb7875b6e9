"""Bad input at the CLI: one clear line on stderr, exit code 2, nothing written."""

import re

import pytest

from conftest import assert_refused, run_cli


@pytest.mark.parametrize("count", ["0", "-3", "abc", "1.5", ""])
def test_count_must_be_a_positive_integer(cli, tmp_path, count):
    out = tmp_path / "out"
    proc = run_cli("generate", "--count", count, "--out", out, check=False)
    assert_refused(proc, "--count")
    assert not out.exists()


def test_out_is_an_existing_file(cli, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    assert_refused(run_cli("generate", "--count", 2, "--out", f, check=False), "existing file")
    assert f.read_text() == "x"


def test_out_is_a_foreign_non_empty_directory(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path, check=False),
                   "not a jitsynth output")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_out_already_holds_a_run(cli, tmp_path):
    (tmp_path / "manifest.json").write_text("{}")
    assert_refused(run_cli("generate", "--count", 2, "--out", tmp_path, check=False),
                   "already holds a jitsynth run")


def test_unwritable_path(cli):
    assert_refused(run_cli("generate", "--count", 2, "--out", "/proc/jitsynth-test/out",
                           check=False), "cannot create")


def test_unknown_flag(cli, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("generate", "--count", 2, "--out", out, "--frobnicate", check=False)
    assert_refused(proc, "--frobnicate")
    assert not out.exists()


def test_missing_python_interpreter(cli, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("generate", "--count", 2, "--out", out, "--python", tmp_path / "nope",
                   check=False)
    assert_refused(proc, "--python")
    assert not out.exists()


def test_help_teaches(cli):
    proc = run_cli("generate", "--help")
    for flag in ("--count", "--seed", "--out", "--workers", "Example"):
        assert flag in proc.stdout


def test_policy_dump_is_toml_with_comments(cli):
    import tomllib

    text = run_cli("policy", "--dump").stdout
    policy = tomllib.loads(text)
    assert policy["family"]["loop"] > 0
    assert "# " in text


def test_policy_dump_then_load_gives_identical_data(cli, tmp_path):
    dumped = run_cli("policy", "--dump").stdout
    policy = tmp_path / "policy.toml"
    policy.write_text(dumped)
    assert run_cli("policy", "--from", policy, "--dump").stdout == dumped
    assert run_cli("sample", "--count", 30, "--policy", policy).stdout == run_cli("sample", "--count", 30).stdout


def test_generate_follows_a_policy_file(cli, tmp_path):
    import json

    dump = run_cli("policy", "--dump").stdout
    family_section = dump.split("[family]\n", 1)[1].split("\n[", 1)[0]
    families = re.findall(r"^([a-z_]+) = ", family_section, re.MULTILINE)
    assert "loop" in families and len(families) > 20
    loop_weight = re.search(r"^loop = (\S+)$", family_section, re.MULTILINE).group(1)
    policy = tmp_path / "loops.toml"
    policy.write_text("# only loops\n[family]\n" + "".join(f"{f} = 0\n" for f in families if f != "loop"))
    out = tmp_path / "out"
    run_cli("generate", "--count", 3, "--seed", 2, "--out", out, "--workers", 1, "--policy", policy, "--quiet")
    records = [json.loads(line) for line in (out / "data-00000.jsonl").read_text().splitlines()]
    assert {r["category"] for r in records} == {"loop"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert f"loop = {loop_weight}" in manifest["policy"] and "elementwise = 0\n" in manifest["policy"]


@pytest.mark.parametrize("text, where, what", [
    ("[family]\nloop = 1\n\n[op]\nsinn = 2\n", "bad.toml:5:", "unknown policy key 'op.sinn'"),
    ("[family]\nloop = = 1\n", "bad.toml:2:", "malformed TOML"),
    ("[shape]\nmax_rank = 9\n", "bad.toml:2:", "policy key 'shape.max_rank' takes values in [0, 4]"),
    ("[style]\ndocstring = \"often\"\n", "bad.toml:2:", "policy key 'style.docstring' takes a number"),
    ("colour = 3\n", "bad.toml:1:", "unknown policy key 'colour'"),
])
def test_bad_policy_is_refused_naming_line_and_key(cli, tmp_path, text, where, what):
    policy = tmp_path / "bad.toml"
    policy.write_text(text)
    out = tmp_path / "out"
    assert_refused(run_cli("generate", "--count", 2, "--out", out, "--policy", policy, check=False), where, what)
    assert not out.exists()
    assert_refused(run_cli("policy", "--from", policy, check=False), where, what)


def test_missing_policy_file(cli, tmp_path):
    assert_refused(run_cli("policy", "--from", tmp_path / "nope.toml", check=False), "cannot read", "nope.toml")


def test_sample_prints_requests_without_jax(cli):
    import json

    lines = run_cli("sample", "--count", 3, "--seed", 7, "--family", "loop").stdout.splitlines()
    samples = [json.loads(line) for line in lines]
    assert [s["category"] for s in samples] == ["loop"] * 3
    assert all("lax." in s["python"] and s["expected_outputs"] and s["ops"] for s in samples)
    assert_refused(run_cli("sample", "--family", "nope", check=False), "unknown family 'nope'")
