# ---- seed 7, index 0, family scalar_array
import jax
import jax.numpy as jnp


def fn(x0, x1, x2):
    """Saxpy-like: scalars scaling arrays."""
    return jnp.reciprocal(jnp.abs(x1 * x0 - x2) + 1.0)
# ---- seed 7, index 1, family scalar_array
import jax


def transform(a, b, c, d):
    """Saxpy-like: scalars scaling arrays."""
    return jax.nn.relu(a * b + d * c) * 0.1
# ---- seed 7, index 2, family scalar_array
import jax
import jax.numpy as jnp


def f(x, y, z, w):
    """Saxpy-like: scalars scaling arrays."""
    return jnp.round(jnp.multiply(x, y) - w * z)
