# ---- seed 7, index 0, family elementwise
import jax
import jax.numpy as jnp


def fn(x0, x2, x3):
    """Binary and unary elementwise expressions over arrays of one shape."""
    return jnp.add(jax.nn.softplus(x3), x0) + x2
# ---- seed 7, index 1, family elementwise
import jax
import jax.numpy as jnp
from jax import lax


def transform(c, d):
    """Binary and unary elementwise expressions over arrays of one shape.

    Args:
      c: bf16[4,8]
      d: bf16[]

    Returns:
      bf16[4,8]
    """
    return lax.square(lax.abs(jnp.cos(d) * jnp.abs(c)))
# ---- seed 7, index 2, family elementwise
import jax
import jax.numpy as jnp


def f(x):
    """Binary and unary elementwise expressions over arrays of one shape.

    Args:
      x: f32[5]

    Returns:
      f32[5]
    """
    return jnp.minimum(jnp.cos(jnp.cosh(x)), jax.nn.gelu(x))
