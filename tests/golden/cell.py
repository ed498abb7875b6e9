# ---- seed 7, index 0, family cell
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, w, h0):
    """Recurrent cells with separate gates through lax.scan: LSTM, Elman RNN, bidirectional."""
    def scan_body(h0_c, x_t):
        prod = jnp.concatenate([x_t, h0_c], axis=-1) @ w
        h = jnp.tanh(prod)
        return h, h
    h0_c_out, ys = lax.scan(scan_body, h0, xs)
    def step(h0_c1, elem):
        prod1 = jnp.concatenate([elem, h0_c1], axis=-1) @ w
        h1 = jnp.tanh(prod1)
        return h1, h1
    h0_c1_out, ys1 = lax.scan(step, h0, jnp.flip(xs, axis=0))
    view = jnp.concatenate([ys, jnp.flip(ys1, axis=0)], axis=-1)
    return jnp.mean(view, axis=0), h0_c_out
# ---- seed 7, index 1, family cell
import jax
import jax.numpy as jnp
from jax import lax


def apply(xs, w_input, w_hidden, b, h0):
    def scan_body(h0_c, elem):
        r0 = elem @ w_input + h0_c @ w_hidden + b
        r1 = jnp.tanh(r0)
        return r1, r1
    h0_c_out, ys = lax.scan(scan_body, h0, xs, reverse=True)
    def step(h0_c1, x_t):
        r2 = x_t @ w_input + h0_c1 @ w_hidden + b
        r3 = jnp.tanh(r2)
        return r3, r3
    h0_c1_out, ys1 = lax.scan(step, h0, jnp.flip(xs, axis=0))
    r4 = jnp.concatenate([ys, jnp.flip(ys1, axis=0)], axis=-1)
    return r4, h0_c_out
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
