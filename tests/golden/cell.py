# ---- seed 7, index 0, family cell
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, w_input, w_hidden, b, h0):
    """Recurrent cells with separate gates through lax.scan: LSTM, Elman RNN, bidirectional."""
    def step(h0_c, elem):
        h = elem @ w_input + h0_c @ w_hidden + b
        h1 = jnp.tanh(h)
        return h1, h1
    h0_c_out, ys = lax.scan(step, h0, xs)
    return ys, h0_c_out
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
    return ys, accc_out
# ---- seed 7, index 2, family cell
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, w_input, w_hidden, b, h0):
    def cell(h0_c, row):
        h01 = row @ w_input + h0_c @ w_hidden + b
        h1 = jnp.tanh(h01)
        return h1, h1
    h0_c_out, ys = lax.scan(cell, h0, xs)
    def step(h0_c1, elem):
        h2 = elem @ w_input + h0_c1 @ w_hidden + b
        h3 = jnp.tanh(h2)
        return h3, h3
    h0_c1_out, ys1 = lax.scan(step, h0, jnp.flip(xs, axis=0))
    h4 = jnp.concatenate([ys, jnp.flip(ys1, axis=0)], axis=-1)
    return jnp.mean(h4, axis=0), h0_c_out
