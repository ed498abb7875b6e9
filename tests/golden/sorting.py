# ---- seed 7, index 0, family sorting
import jax
import jax.numpy as jnp


def fn(x0):
    """Cumulative ops, sort, argsort, top_k."""
    return jnp.maximum(jnp.clip(jnp.exp(jnp.tan(jnp.clip(x0, -1.2, 1.2))), -1.0, 1.0) ** 3, jnp.cumprod(jnp.clip(x0, -1.0, 1.0), axis=1))
# ---- seed 7, index 1, family sorting
import jax
import jax.numpy as jnp


def transform(a, b):
    """A generated sorting kernel."""
    r0 = jnp.square(jnp.hypot(a, 0.5))
    return jnp.cos(r0) * jnp.roll(b, -8, axis=-1)
# ---- seed 7, index 2, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y):
    """Cumulative ops, sort, argsort, top_k.

    Args:
      x: f32[1,5]
      y: f32[8]

    Returns:
      f32[5]
    """
    h0 = jnp.sort(x, axis=1)
    h1 = lax.integer_pow(h0, 2)
    h2 = jnp.reshape(h1, (5,))
    return h2 * lax.top_k(y, 5)[0] * h2
