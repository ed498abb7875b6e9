# ---- seed 7, index 0, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2):
    """A generated sorting kernel."""
    h = jnp.where(x0, x1, x2)
    h1 = jnp.arctanh(jnp.where(jnp.abs(h) <= 0.9, h, 0.0))
    return lax.cumprod(jnp.where(jnp.abs(h1) <= 1.0, h1, 0.0), axis=2)
# ---- seed 7, index 1, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def apply(a):
    r0 = lax.top_k(jnp.square(lax.sort(a, dimension=1)), 10)[0]
    return jax.nn.silu(r0) * jnp.exp((2.0 * jax.nn.sigmoid(lax.associative_scan(jnp.maximum, r0, axis=0)) - 1.0) * 6.0)
# ---- seed 7, index 2, family sorting
import jax
from jax import lax


def program(x):
    return lax.sqrt(lax.cumsum(lax.cummin(x, axis=1), axis=0))
