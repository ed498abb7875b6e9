# ---- seed 7, index 0, family compound
import jax
import jax.numpy as jnp
from jax import lax


def transform(x0, x1, x2):
    def scan_body(x0_c, row):
        return jnp.tanh(jnp.where(row < 1.4, jnp.log(jnp.abs(row + x1) + 1.0), row)), jnp.mean(x0_c)
    h0, h1 = lax.scan(scan_body, x0, x2)
    return jnp.sum(h0, axis=0, keepdims=True)
# ---- seed 7, index 1, family compound
import jax
import jax.numpy as jnp
from jax import lax


def program(a, b, c):
    """A generated compound kernel."""
    def cell(a_c, elem):
        return jnp.tanh(jnp.where(elem <= -2.7, jnp.log(jax.nn.sigmoid(a_c) + 1.0), jnp.exp(b))), jnp.mean(a_c)
    r0, r1 = lax.scan(cell, a, c)
    return jnp.min(r0, axis=1, keepdims=True)
# ---- seed 7, index 2, family compound
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z):
    def scan_fn(x_c, row):
        return jnp.tanh(jnp.where(row < -2.3, x_c, 0.5 * row * jnp.exp(y))), jnp.mean(x_c)
    h0, h1 = lax.scan(scan_fn, x, z)
    return jnp.min(h0, axis=0), h1
