# ---- seed 7, index 0, family recurrent
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, h0, w_in, w_hidden, bias):
    """GRU and LSTM cells through lax.scan.

    Args:
      xs: f16[10,5,16]
      h0: f16[5,5]
      w_in: f16[16,15]
      w_hidden: f16[5,15]
      bias: f16[15]

    Returns:
      f16[5,5]
      f16[5,5]
    """
    def cell(h0_c, elem):
        h = elem @ w_in + bias
        prod = h0_c @ w_hidden
        h1 = jax.nn.sigmoid(jnp.split(h, 3, axis=1)[0] + jnp.split(prod, 3, axis=1)[0])
        h2 = jnp.tanh(jnp.split(h, 3, axis=1)[2] + jnp.split(jax.nn.sigmoid(jnp.split(h, 3, axis=1)[1] + jnp.split(prod, 3, axis=1)[1]) * h0_c @ w_hidden, 3, axis=1)[2])
        h3 = (1.0 - h1) * h0_c + h1 * h2
        return h3, h3
    h0_c_out, ys = lax.scan(cell, h0, xs)
    return jnp.mean(ys, axis=0), h0_c_out
# ---- seed 7, index 1, family recurrent
import jax
import jax.numpy as jnp
from jax import lax


def apply(xs, h0, w_in, w_hidden):
    def step(h0_c, row):
        r0 = row @ w_in
        r1 = h0_c @ w_hidden
        r2 = jax.nn.sigmoid(jnp.split(r0, 3, axis=1)[0] + jnp.split(r1, 3, axis=1)[0])
        r3 = jnp.tanh(jnp.split(r0, 3, axis=1)[2] + jnp.split(jax.nn.sigmoid(jnp.split(r0, 3, axis=1)[1] + jnp.split(r1, 3, axis=1)[1]) * h0_c @ w_hidden, 3, axis=1)[2])
        r4 = (1.0 - r2) * h0_c + r2 * r3
        return r4, r4
    h0_c_out, ys = lax.scan(step, h0, xs, reverse=True)
    return jnp.mean(ys, axis=0), h0_c_out
# ---- seed 7, index 2, family recurrent
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, h0, w_in, w_hidden, bias):
    def scan_body(h0_c, row):
        h01 = row @ w_in + bias
        h1 = h0_c @ w_hidden
        h2 = jax.nn.sigmoid(jnp.split(h01, 3, axis=1)[0] + jnp.split(h1, 3, axis=1)[0])
        h3 = jnp.tanh(jnp.split(h01, 3, axis=1)[2] + jnp.split(jax.nn.sigmoid(jnp.split(h01, 3, axis=1)[1] + jnp.split(h1, 3, axis=1)[1]) * h0_c @ w_hidden, 3, axis=1)[2])
        h4 = (1.0 - h2) * h0_c + h2 * h3
        return h4, h4
    h0_c_out, ys = lax.scan(scan_body, h0, xs)
    return ys, h0_c_out
