import jax
import jax.numpy as jnp
from jax import lax


def fn(inputs):
    def loop_body(i, inputs_c):
        return jnp.sin(inputs_c)
    t0 = lax.fori_loop(0, 9, loop_body, inputs)
    return t0
