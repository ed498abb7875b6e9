"""Bad input at the CLI: one clear line on stderr, exit code 2, nothing written."""

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
