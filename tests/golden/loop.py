# ---- seed 7, index 0, family loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2):
    """Loops: lax.fori_loop with static bounds and lax.scan.

    Args:
      x0: f16[10,16]
      x1: f16[7,10,16]
      x2: f16[2,10,16]

    Returns:
      f16[10,16]
      f16[7]
    """
    def cell(x0_c, elem):
        def step(x0_c_c, row):
            h = jnp.tanh(lax.logistic(x0)) - row
            return jnp.where(jnp.abs(h) <= 1.0, h, 0.0), lax.erf(x0_c_c)
        x0_c_c_out, ys = lax.scan(step, x0_c, jax.nn.silu(x2))
        h1 = jnp.maximum(x0_c_c_out + x0_c, elem)
        h2 = jnp.where(jnp.abs(h1) <= 1.0, h1, 0.0)
        return h2, jnp.sum(h2)
    x0_c_out, ys1 = lax.scan(cell, x0, x1)
    return x0_c_out, ys1
# ---- seed 7, index 1, family loop
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c):
    def step(a_c, row):
        return 2.0 * jax.nn.sigmoid(jnp.maximum(row, jnp.maximum(a_c, jnp.exp2(lax.cos(c))))) - 1.0, jnp.sum(10.0 + a + jax.nn.softplus(a_c))
    a_c_out, ys = lax.scan(step, a, b, reverse=True)
    return a_c_out, ys
# ---- seed 7, index 2, family loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z, w, v):
    def body(k, state):
        x_c, y_c = state
        h0 = k.astype(jnp.float32) * 0.1
        return jax.nn.hard_tanh((y_c - lax.max(x_c, lax.convert_element_type(z, jnp.float32))) * h0), jax.nn.hard_tanh(jnp.multiply(jnp.maximum(jnp.add(w, x_c), jnp.pad(v, ((1, 1), (0, 0)), mode='edge')), y_c))
    x_c_out, y_c_out = lax.fori_loop(1, 11, body, (x, y))
    return x_c_out.min()
