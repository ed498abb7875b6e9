# ---- seed 7, index 0, family vector
import jax
import jax.numpy as jnp


def fn(x0, x1):
    """3-vector algebra: dot, cross, norm, normalize."""
    return jnp.linalg.norm(jnp.cross(jnp.floor(x0), jnp.cos(x1)), axis=-1)
# ---- seed 7, index 1, family vector
import jax
import jax.numpy as jnp


def transform(a, b):
    """3-vector algebra: dot, cross, norm, normalize."""
    return jnp.sum(a * b, axis=-1)
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
    return lax.exp(jnp.clip(jnp.sum(x * y, axis=-1), -9.0, 6.0))
