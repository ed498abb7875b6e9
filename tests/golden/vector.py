# ---- seed 7, index 0, family vector
import jax
import jax.numpy as jnp


def fn(x0, x1):
    """3-vector algebra: dot, cross, norm, normalize."""
    return jax.nn.silu(jnp.linalg.norm(jnp.cross(jnp.floor(x0), jnp.cos(x1)), axis=-1))
# ---- seed 7, index 1, family vector
import jax
import jax.numpy as jnp


def transform(a, b):
    """A generated vector kernel."""
    return jnp.exp(jnp.sum(-a * jnp.abs(b), axis=-1))
# ---- seed 7, index 2, family vector
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y):
    """3-vector algebra: dot, cross, norm, normalize.

    Args:
      x: f32[5,3]
      y: f32[5,3]

    Returns:
      f32[5]
    """
    return jnp.sum(x * lax.abs(y), axis=-1)
