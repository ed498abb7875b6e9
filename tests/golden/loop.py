# ---- seed 7, index 0, family loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2):
    """Loops: lax.fori_loop with static bounds and lax.scan."""
    def cell(x0_c, elem):
        def step(x0_c_c, row):
            return jnp.minimum(jnp.tanh(lax.stop_gradient(x0)), x0_c_c), jnp.minimum(jnp.tanh(lax.stop_gradient(x0)), x0_c_c)
        x0_c_c_out, ys = lax.scan(step, x0_c, jax.nn.gelu(x2))
        return jnp.maximum(x0_c_c_out * x0_c, elem), x0_c_c_out
    x0_c_out, ys1 = lax.scan(cell, x0, x1)
    return ys1
# ---- seed 7, index 1, family loop
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c):
    def step(a_c, row):
        return 2.0 * jax.nn.sigmoid(jnp.maximum(row, jnp.maximum(a_c, jnp.exp(lax.cos(c))))) - 1.0, jnp.sum(10.0 + a + jax.nn.softplus(a_c))
    a_c_out, ys = lax.scan(step, a, b, reverse=True)
    return a_c_out, ys
# ---- seed 7, index 2, family loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z, w, v):
    def body(k, state):
        x_c, y_c = state
        return jax.nn.soft_sign(x_c * lax.select(z, y_c, w)), jax.nn.soft_sign(lax.max(jnp.add(v, x_c), x_c + v))
    x_c_out, y_c_out = lax.fori_loop(1, 11, body, (x, y))
    return x_c_out.min(axis=0)
