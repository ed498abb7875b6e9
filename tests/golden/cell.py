# ---- seed 7, index 0, family cell
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, w_input, w_hidden, b, h0):
    """A generated cell kernel."""
    def step(h0_c, elem):
        h = elem @ w_input + h0_c @ w_hidden + b
        h1 = jnp.tanh(h)
        return h1, h1
    h0_c_out, ys = lax.scan(step, h0, xs)
    return jnp.mean(ys, axis=0), h0_c_out
# ---- seed 7, index 1, family cell
import jax
import jax.numpy as jnp
from jax import lax


def apply(xs, w_input, w_hidden):
    def scan_fn(accc, x_t):
        r0 = x_t @ w_input + accc @ w_hidden
        r1 = jnp.tanh(r0)
        return r1, r1
    accc_out, ys = lax.scan(scan_fn, jnp.zeros((5, 10), dtype=jnp.bfloat16), xs)
    return jnp.mean(ys, axis=0), accc_out
# ---- seed 7, index 2, family cell
import jax
from jax import lax


def program(xs, w_input, w_hidden, b, h0):
    def cell(h0_c, row):
        h01 = row @ w_input + h0_c @ w_hidden + b
        h1 = jax.nn.hard_tanh(h01)
        return h1, h1
    h0_c_out, ys = lax.scan(cell, h0, xs)
    return ys, h0_c_out
