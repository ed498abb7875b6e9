"""One test per op-table entry: programs that use the op compile through JAX, run to finite
outputs of the inferred types, and have a backward pass where the table says a gradient flows.

`jitsynth sample --cover-ops` gives a few programs that together use every op (each found with
its weight boosted); they are compiled once, in-process, with the worker's own `capture`.
"""

import json
import re

import pytest

from conftest import ROOT, run_cli
from jitsynth_worker.capture import capture

# The op table is declared once, in the X-macro list of src/ir/ops.h.
OP_NAMES = re.findall(r'^\s*X\(k\w+, "(\w+)",', (ROOT / "src" / "ir" / "ops.h").read_text(), re.MULTILINE)


@pytest.fixture(scope="session")
def op_table(cli):
    return {op["name"]: op for op in map(json.loads, run_cli("ops").stdout.splitlines())}


@pytest.fixture(scope="session")
def covering_runs(cli):
    """(request, reply) for every program of the covering set."""
    requests = [json.loads(line) for line in run_cli("sample", "--cover-ops", "--seed", 0).stdout.splitlines()]
    return [(request, capture(request)) for request in requests]


def test_the_cli_lists_the_table(op_table):
    assert list(op_table) == OP_NAMES
    assert len(OP_NAMES) >= 150


@pytest.mark.parametrize("op", OP_NAMES)
def test_op_compiles_and_differentiates(op, op_table, covering_runs):
    runs = [(request, reply) for request, reply in covering_runs if op in request["ops"]]
    assert runs, f"no covering program uses {op}"
    for request, reply in runs:
        assert reply["ok"], (reply.get("stage"), reply.get("message"), request["python"])
        outputs = [{"shape": o["shape"], "dtype": o["dtype"]} for o in reply["outputs"]]
        assert outputs == request["expected_outputs"], request["python"]
    if op_table[op]["differentiable"]:
        kept_for = [reply for request, reply in runs if op in request["covers"]]
        assert kept_for and all(reply["grad"] is not None for reply in kept_for), op
