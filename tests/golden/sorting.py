# ---- seed 7, index 0, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0):
    """Cumulative ops, sort, argsort, top_k."""
    return jnp.diff(lax.sort(jnp.minimum(lax.integer_pow(x0, 3), x0), dimension=0), axis=2)
# ---- seed 7, index 1, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b):
    """Cumulative ops, sort, argsort, top_k."""
    r0 = lax.square(jnp.cumsum(a, axis=0))
    r1 = lax.top_k(r0, 8)[0]
    return r1 * jnp.square(lax.top_k(lax.sort(b, dimension=0), 8)[0])
# ---- seed 7, index 2, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z):
    """Cumulative ops, sort, argsort, top_k.

    Args:
      x: f32[5]
      y: f32[4]
      z: f32[1]

    Returns:
      f32[5]
    """
    h0 = jnp.maximum(lax.top_k(y, 1)[0], z)
    return lax.sort(x, dimension=0) * jnp.logaddexp(x, h0)
