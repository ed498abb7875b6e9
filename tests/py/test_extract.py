"""`jitsynth extract`: every command of examples/README.md gives the IR that JAX itself prints,
and every kind of bad input exits 2 with one line naming the problem."""

import inspect
import json
import re
import runpy
import shlex
import subprocess

import jax
import jsonschema
import pytest

from conftest import CLI, ROOT, assert_refused
from jitsynth_worker import capture  # noqa: F401  configures JAX as the worker does
from jitsynth_worker.names import renumber

SCHEMA = json.loads((ROOT / "docs" / "schema.json").read_text())
EXAMPLES = ROOT / "examples"
COMMANDS = [shlex.split(line) for line in (EXAMPLES / "README.md").read_text().splitlines()
            if line.startswith("build/jitsynth extract ")]


def extract(*args, cwd=ROOT):
    """Runs build/jitsynth extract ARGS in CWD."""
    return subprocess.run([str(CLI), "extract", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, stdin=subprocess.DEVNULL)


def levels(function, specs):
    """What JAX prints for FUNCTION at the four levels, the way a user would ask for them."""
    lowered = jax.jit(function).lower(*specs)
    return {"jaxpr": str(jax.make_jaxpr(function)(*specs)),
            "stablehlo": lowered.as_text(),
            "hlo": lowered.as_text(dialect="hlo"),
            # with names renumbered in order of appearance, as every record's (names.py)
            "optimized_hlo": renumber(lowered.compile().as_text())}


def specs_of(args):
    return [jax.ShapeDtypeStruct(tuple(a["shape"]), a["dtype"]) for a in args]


def test_every_example_has_a_command():
    targets = {argv[2].split(":")[0] for argv in COMMANDS}
    assert targets == {f"examples/{p.name}" for p in EXAMPLES.glob("*.py")}
    assert {"examples/add.py", "examples/saxpy.py", "examples/dot.py"} <= targets


@pytest.mark.parametrize("argv", COMMANDS, ids=[argv[2] for argv in COMMANDS])
def test_example_equals_what_jax_prints(argv):
    proc = extract(*argv[2:])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == 1  # one record, one line
    record = json.loads(proc.stdout)
    jsonschema.validate(record, SCHEMA)

    path, function_name = argv[2].split(":")
    function = runpy.run_path(str(ROOT / path))[function_name]
    assert record["python"] == (ROOT / path).read_text()
    assert record["entry"] == function_name
    assert record["category"] == "extracted"
    assert re.fullmatch(r"extract-[0-9a-f]{16}", record["id"])
    assert (record["seed"], record["index"]) == (0, 0)
    assert record["provenance"]["policy_hash"] == ""
    assert record["provenance"]["jax_version"] == jax.__version__
    assert [a["name"] for a in record["args"]] == list(inspect.signature(function).parameters)

    specs = specs_of(record["args"])
    expected = levels(function, specs)
    assert {k: record[k] for k in ("jaxpr", "stablehlo", "hlo")} == \
        {k: expected[k] for k in ("jaxpr", "stablehlo", "hlo")}
    # The default levels capture XLA:CPU's kernels, for which the workers keep small while loops
    # as loops (engine/request.h, kSmallWhileLoopFlag); without kernel levels the workers run with
    # this process's XLA flags, and the optimized HLO is what JAX prints here.
    assert "xla_cpu_small_while_loop_byte_threshold=0" in record["provenance"]["xla_flags"]
    assert record["llvm_ir"] == "" or record["llvm_ir"].startswith("; ---- kernel: ")
    hlo_only = extract(*argv[2:], "--levels", "jaxpr,stablehlo,hlo,optimized_hlo")
    assert hlo_only.returncode == 0, hlo_only.stderr
    hlo_record = json.loads(hlo_only.stdout)
    assert hlo_record["optimized_hlo"] == expected["optimized_hlo"]
    outputs = jax.tree_util.tree_leaves(jax.eval_shape(function, *specs))
    assert record["outputs"] == [{"shape": list(o.shape), "dtype": o.dtype.name} for o in outputs]
    assert record["cost"]["bytes_accessed"] > 0

    grad = record["grad"]
    if "--no-grad" in argv:
        assert grad is None
        return
    assert grad["args"][: len(record["args"])] == record["args"]
    namespace = {"__name__": "backward"}  # the backward module is self-contained
    exec(compile(grad["python"], "<grad>", "exec"), namespace)
    expected = levels(namespace[grad["entry"]], specs_of(grad["args"]))
    assert {k: grad[k] for k in ("jaxpr", "stablehlo", "hlo")} == \
        {k: expected[k] for k in ("jaxpr", "stablehlo", "hlo")}
    assert hlo_record["grad"]["optimized_hlo"] == expected["optimized_hlo"]


def test_out_writes_the_same_record_as_stdout(tmp_path):
    args = ["examples/add.py:add", "--arg", "f32[4]", "--arg", "float32[4]"]
    printed = extract(*args)
    assert printed.returncode == 0, printed.stderr
    out = tmp_path / "add.json"
    written = extract(*args, "--out", out)
    assert written.returncode == 0 and written.stdout == ""
    assert out.read_text() == printed.stdout


BAD_SOURCES = {
    "syntax.py": "def f(x):\n    return x +\n",
    "untraceable.py": "def f(x):\n    if x > 0:\n        return x\n    return -x\n",
    "keyword_only.py": "def f(x, *, scale):\n    return x * scale\n",
    "returns_none.py": "def f(x):\n    return None\n",
}

BAD_INPUTS = [
    # (what, arguments, words the one line of stderr must hold)
    ("missing file", ["absent.py:f", "--arg", "f32[4]"], ["absent.py", "no such file"]),
    ("no function given", ["untraceable.py", "--arg", "f32[4]"], ["FILE.py:FUNC"]),
    ("missing function", [str(EXAMPLES / "add.py") + ":plus", "--arg", "f32[4]"],
     ["no function 'plus'", "it defines add"]),
    ("syntax error", ["syntax.py:f", "--arg", "f32[4]"], ["syntax.py", "SyntaxError", "line 2"]),
    ("malformed --arg", ["untraceable.py:f", "--arg", "f32[4"], ["--arg 'f32[4'", "DTYPE[DIMS]"]),
    ("malformed --arg", ["untraceable.py:f", "--arg", "f33[4]"], ["unknown dtype 'f33'"]),
    ("malformed --arg", ["untraceable.py:f", "--arg", "f32[4,x]"], ["dimension 'x'"]),
    ("too few --arg", [str(EXAMPLES / "add.py") + ":add", "--arg", "f32[4]"],
     ["add(x, y) takes 2 array arguments but 1 --arg was given"]),
    ("too many --arg", [str(EXAMPLES / "add.py") + ":add"] + ["--arg", "f32[4]"] * 3,
     ["takes 2 array arguments but 3 --arg were given"]),
    ("keyword-only parameter", ["keyword_only.py:f", "--arg", "f32[4]"], ["keyword-only", "scale"]),
    ("untraceable", ["untraceable.py:f", "--arg", "f32[4]"], ["JAX cannot trace it"]),
    ("incompatible shapes", [str(EXAMPLES / "add.py") + ":add", "--arg", "f32[4]", "--arg",
                             "f32[5]"], ["JAX cannot trace it", "incompatible shapes"]),
    ("no array returned", ["returns_none.py:f", "--arg", "f32[4]"], ["returns no array"]),
    ("no backward pass", [str(EXAMPLES / "power_iteration.py") + ":power_iteration",
                          "--arg", "f32[8,8]", "--arg", "f32[8]", "--arg", "s32[]"],
     ["cannot build its backward pass", "--no-grad"]),
]


@pytest.mark.parametrize("what,args,words", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_exits_2_with_one_line(tmp_path, what, args, words):
    for name, source in BAD_SOURCES.items():
        (tmp_path / name).write_text(source)
    proc = extract(*args, cwd=tmp_path)
    assert_refused(proc, *words)
    assert proc.stdout == ""


def test_out_may_not_overwrite_the_source(tmp_path):
    source = tmp_path / "add.py"
    source.write_text((EXAMPLES / "add.py").read_text())
    assert_refused(extract(f"{source}:add", "--arg", "f32[4]", "--arg", "f32[4]", "--out",
                           source), "is the Python file being extracted")
    assert source.read_text() == (EXAMPLES / "add.py").read_text()


def test_help_has_examples(cli):
    help_text = extract("--help").stdout
    assert "--arg" in help_text and "Examples" in help_text and "f32[" in help_text


def test_inspect_op_reports_parameters_and_names_the_users_file():
    source = ("import dataclasses\n\n@dataclasses.dataclass\nclass Config:\n    scale: float = 2.0\n\n"
              "def f(x, /, y, z=1, *, k=2):\n    return x\n\n"
              "if __name__ == '__main__':\n    raise SystemExit('a __main__ block must not run')\n")
    reply = capture.parameters({"op": "inspect", "id": 5, "python": source, "entry": "f",
                                "filename": "mine.py"})
    assert reply["ok"] and reply["id"] == 5
    assert reply["parameters"] == [
        {"name": "x", "kind": "POSITIONAL_ONLY", "default": False},
        {"name": "y", "kind": "POSITIONAL_OR_KEYWORD", "default": False},
        {"name": "z", "kind": "POSITIONAL_OR_KEYWORD", "default": True},
        {"name": "k", "kind": "KEYWORD_ONLY", "default": True},
    ]
    missing = capture.parameters({"python": source, "entry": "g", "filename": "mine.py"})
    assert (missing["ok"], missing["stage"], missing["error_type"]) == (False, "trace", "NameError")
    assert "mine.py has no function 'g'; it defines f" in missing["message"]
    broken = capture.parameters({"python": "def f(:\n", "entry": "f", "filename": "mine.py"})
    assert broken["error_type"] == "SyntaxError" and "mine.py" in broken["message"]
