"""The optimized HLO taken at XLA's POST_SCHEDULER hook equals a full compile's text.

python/jitsynth_worker/optimized.py; the end-to-end check over every backward module of a run is
tests/py/test_generate.py::test_optimized_hlo_equals_a_full_compile.
"""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from jitsynth_worker import optimized

pytestmark = pytest.mark.skipif(not optimized.HOOK_REGISTERED, reason="jaxlib without the hook")


def _while(x, n):
    return lax.while_loop(lambda c: c[0] < n, lambda c: (c[0] + 1, c[1] * 0.5 + jnp.sin(c[1])), (0, x))[1]


CASES = {
    "one output": (lambda x: jnp.tanh(x) * 2.0, [jax.ShapeDtypeStruct((8,), jnp.float32)]),
    "tuple output": (lambda x, w: (x @ w, jnp.sum(w, axis=0)),
                     [jax.ShapeDtypeStruct((4, 3), jnp.float32), jax.ShapeDtypeStruct((3, 5), jnp.float32)]),
    "fori loop (backend_config)": (
        lambda x: lax.fori_loop(0, 3, lambda i, acc: acc * 0.5 + jnp.cos(acc), x),
        [jax.ShapeDtypeStruct((16, 3), jnp.float32)]),
    "while loop": (_while, [jax.ShapeDtypeStruct((5,), jnp.float32), jax.ShapeDtypeStruct((), jnp.int32)]),
    "unused arguments (no parameters)": (lambda x, y: jnp.ones((3, 2)) * 2.0,
                                         [jax.ShapeDtypeStruct((4,), jnp.float32),
                                          jax.ShapeDtypeStruct((2,), jnp.float32)]),
    "bf16 conv": (lambda x, k: lax.conv_general_dilated(x, k, (1, 1), "SAME"),
                  [jax.ShapeDtypeStruct((1, 2, 8, 8), jnp.bfloat16), jax.ShapeDtypeStruct((3, 2, 3, 3), jnp.bfloat16)]),
    "bf16 scatter-add": (lambda x, i, u: x.at[i].add(u),
                                        [jax.ShapeDtypeStruct((10, 3), jnp.bfloat16),
                                         jax.ShapeDtypeStruct((4,), jnp.int32),
                                         jax.ShapeDtypeStruct((4, 3), jnp.bfloat16)]),
    "sort and cumsum": (lambda x: (jnp.sort(x, axis=-1), jnp.cumsum(x, axis=0)),
                        [jax.ShapeDtypeStruct((6, 7), jnp.float32)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hook_text_equals_full_compile(name):
    jax.config.update("jax_traceback_in_locations_limit", 0)
    f, specs = CASES[name]
    want = jax.jit(f).lower(*specs).compile().as_text()
    assert optimized.optimized_hlo(jax.jit(f).lower(*specs)) == want


@pytest.mark.parametrize("name", sorted(CASES))
def test_compile_with_text_gives_the_executable_and_its_text(name):
    jax.config.update("jax_traceback_in_locations_limit", 0)
    f, specs = CASES[name]
    compiled, text = optimized.compile_with_text(jax.jit(f).lower(*specs))
    assert text == jax.jit(f).lower(*specs).compile().as_text()
    assert compiled.as_text() == text


def test_x64_module():
    with jax.enable_x64(True):
        spec = jax.ShapeDtypeStruct((3, 3), jnp.float64)
        lowered = lambda: jax.jit(lambda a: jnp.linalg.inv(a) @ a).lower(spec)  # noqa: E731
        assert optimized.optimized_hlo(lowered()) == lowered().compile().as_text()


def test_compiles_after_a_hooked_one_run_normally():
    """The hook is disarmed afterwards: an ordinary jit compiles, runs and gives the right values."""
    spec = jax.ShapeDtypeStruct((4,), jnp.float32)
    optimized.optimized_hlo(jax.jit(lambda x: x * 3.0).lower(spec))
    out = jax.jit(lambda x: x * 3.0 + 1.0)(np.arange(4, dtype=np.float32))
    np.testing.assert_array_equal(np.asarray(out), np.arange(4, dtype=np.float32) * 3 + 1)


class _FakeLowered:
    """Stands in for a Lowered whose compile fails on its own, or never reaches the hook."""

    def __init__(self, error=None):
        self.error = error

    def compile(self, compiler_options=None):
        if self.error:
            raise self.error
        return self

    def as_text(self):
        return "full compile text"


def test_a_compile_error_of_its_own_is_raised_and_the_hook_disarmed():
    with pytest.raises(RuntimeError, match="boom"):
        optimized.optimized_hlo(_FakeLowered(RuntimeError("boom")))
    assert optimized._Hook.mode is None


def test_a_compile_that_never_reached_the_hook_gives_its_own_text():
    assert optimized.optimized_hlo(_FakeLowered()) == "full compile text"
    assert optimized._Hook.mode is None


def test_backend_config_keys_sorted_values_kept():
    line = ('  %w = (s32[]) while(%t), condition=%c, body=%b, backend_config={"known_trip_count":{"n":"2"},'
            '"b":1e-05,"a":[3,{"z":true,"y":null}]}')
    out = optimized._BACKEND_CONFIG.sub(optimized._sorted_backend_config, line)
    assert out.endswith('backend_config={"a":[3,{"y":null,"z":true}],"b":1e-05,"known_trip_count":{"n":"2"}}')
    custom = '  %c = f32[2] custom-call(%x), custom_call_target="t", backend_config={mode = 1 : ui8}'
    assert optimized._BACKEND_CONFIG.sub(optimized._sorted_backend_config, custom) == custom


def test_header_lists_one_flag_per_parameter_and_output():
    spec = jax.ShapeDtypeStruct((2,), jnp.float32)
    text = optimized.optimized_hlo(jax.jit(lambda a, b, c: (a + b, c * 2.0, a)).lower(spec, spec, spec))
    header = text.split("\n", 1)[0]
    assert re.search(r"allow_spmd_sharding_propagation_to_parameters=\{true,true,true\}", header)
    assert re.search(r"allow_spmd_sharding_propagation_to_output=\{true,true,true\}", header)
