"""The families of src/synth/model_idioms.cc compile through JAX, run to outputs of the inferred
types and, where differentiable, have a backward pass (the grad of a train step's jax.grad too).

One program per family (`jitsynth sample --family F`), compiled in-process with the worker's own
`capture`; the C++ side (tests/cpp/model_idioms_test.cc) checks many seeds without compiling.
"""

import json

import pytest

from conftest import run_cli
from jitsynth_worker.capture import capture

FAMILIES = ["conv_net", "linear_scan", "schedule", "sampling", "feed_forward", "divergence", "cell",
            "token_input", "train_step", "rotary", "graph"]


@pytest.mark.parametrize("family", FAMILIES)
def test_family_compiles_and_differentiates(family, cli):
    request = json.loads(run_cli("sample", "--family", family, "--seed", 3, "--count", 1).stdout)
    assert request["category"] == family
    reply = capture(request)
    assert reply["ok"], (reply.get("stage"), reply.get("message"), request["python"])
    outputs = [{"shape": o["shape"], "dtype": o["dtype"]} for o in reply["outputs"]]
    assert outputs == request["expected_outputs"], request["python"]
    float_args = [a for a in request["args"] if "float" in a["dtype"]]
    float_outputs = [o for o in request["expected_outputs"] if "float" in o["dtype"]]
    # (a schedule of an int32 step, or sampled tokens alone, have nothing to differentiate)
    if request["grad"] and float_args and float_outputs:
        assert reply["grad"] is not None, request["python"]
    if family == "train_step":
        assert "jax.grad(loss_fn" in request["python"] and request["grad"]
