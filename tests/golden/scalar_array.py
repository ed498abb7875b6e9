# ---- seed 7, index 0, family scalar_array
import jax


def transform(x0, x1, x2):
    return x1 * x0 + x2
# ---- seed 7, index 1, family scalar_array
import jax
import jax.numpy as jnp


def program(a, b, c):
    """A generated scalar_array kernel."""
    return jnp.tanh((b + 0.01) * a - c)
# ---- seed 7, index 2, family scalar_array
import jax


def f(x, y, z, w):
    return x * (y + y) - w * z
