# ---- seed 7, index 0, family scalar_array
import jax
from jax import lax


def program(x0, x1, x2, x3):
    """Saxpy-like: scalars scaling arrays."""
    return lax.min(x1, lax.sin(x1)) * x0 + x3 * x2
# ---- seed 7, index 1, family scalar_array
import jax
import jax.numpy as jnp


def apply(a, b, c, d):
    return jnp.sin(a * b + d * c) + 0.5
# ---- seed 7, index 2, family scalar_array
import jax


def program(x, y, z):
    h0 = x * (y + x * z)
    return h0 + z
