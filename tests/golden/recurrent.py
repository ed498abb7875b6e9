# ---- seed 7, index 0, family recurrent
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, h0, w_in, w_hidden, w_out):
    """GRU, LSTM and Elman cells through lax.scan.

    Args:
      xs: f16[10,5,16]
      h0: f16[5,5]
      w_in: f16[16,15]
      w_hidden: f16[5,15]
      w_out: f16[5,8]

    Returns:
      f16[5,8]
    """
    def scan_body(c, x_t):
        h0_c, accc = c
        h = x_t @ w_in + h0_c @ w_hidden
        h1 = jax.nn.sigmoid(jnp.split(h, 3, axis=-1)[0])
        h2 = h1 * accc + (1.0 - h1) * jnp.tanh(jnp.split(h, 3, axis=-1)[1])
        h3 = jax.nn.sigmoid(jnp.split(h, 3, axis=-1)[2]) * jnp.tanh(h2)
        return (h3, h2), h3 @ w_out
    (h0_c_out, accc_out), ys = lax.scan(scan_body, (h0, jnp.zeros_like(h0)), xs, reverse=True)
    return jnp.mean(ys, axis=0)
# ---- seed 7, index 1, family recurrent
import jax
import jax.numpy as jnp
from jax import lax


def apply(xs, w_in, w_hidden, w_out):
    r0 = xs @ w_in
    def scan_body(accc, elem):
        r1 = accc @ w_hidden
        r2 = jax.nn.sigmoid(jnp.split(elem, 3, axis=-1)[1] + jnp.split(r1, 3, axis=-1)[1])
        r3 = jnp.tanh(jnp.split(elem, 3, axis=-1)[0] + jnp.split(jax.nn.sigmoid(jnp.split(elem, 3, axis=-1)[2] + jnp.split(r1, 3, axis=-1)[2]) * accc @ w_hidden, 3, axis=-1)[0])
        r4 = (1.0 - r2) * r3 + r2 * accc
        return r4, r4 @ w_out
    accc_out, ys = lax.scan(scan_body, jnp.zeros((5, 5), dtype=jnp.bfloat16), r0, reverse=True)
    return ys
# ---- seed 7, index 2, family recurrent
import jax
import jax.numpy as jnp
from jax import lax


def program(xs, h0, w_in, w_hidden):
    h01 = jnp.swapaxes(xs, 0, 1)
    def scan_body(h0_c, x_t):
        h1 = x_t @ w_in
        h2 = h0_c @ w_hidden
        h3 = 1.0 / (1.0 + jnp.exp(-(jnp.split(h1, 3, axis=1)[0] + jnp.split(h2, 3, axis=1)[0])))
        h4 = jnp.tanh(jnp.split(h1, 3, axis=1)[1] + jnp.split(1.0 / (1.0 + jnp.exp(-(jnp.split(h1, 3, axis=1)[2] + jnp.split(h2, 3, axis=1)[2]))) * h0_c @ w_hidden, 3, axis=1)[1])
        h5 = (1.0 - h3) * h4 + h3 * h0_c
        return h5, h5
    h0_c_out, ys = lax.scan(scan_body, h0, h01)
    return jnp.swapaxes(ys, 0, 1)
