"""Property over thousands of samples: the verifier's inferred output types are the ones JAX
reports. `jax.eval_shape` traces without compiling, so one process checks them all quickly."""

import json

import jax

from conftest import run_cli


def jax_output_types(request):
    namespace = {}
    exec(compile(request["python"], "<sample>", "exec"), namespace)
    specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), a["dtype"]) for a in request["args"]]
    with jax.enable_x64(request["x64"]):
        out = jax.eval_shape(namespace[request["entry"]], *specs)
    return [{"shape": list(leaf.shape), "dtype": str(leaf.dtype)} for leaf in jax.tree_util.tree_leaves(out)]


def test_inferred_types_match_jax(cli):
    checked = 0
    for seed in range(4):
        lines = run_cli("sample", "--count", 500, "--seed", seed).stdout.splitlines()
        for request in map(json.loads, lines):
            assert jax_output_types(request) == request["expected_outputs"], (seed, request["id"], request["python"])
            checked += 1
    assert checked == 2000
