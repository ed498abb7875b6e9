# ---- seed 7, index 0, family vector
import jax
import jax.numpy as jnp


def transform(x0):
    return x0 / jnp.linalg.norm(x0, axis=-1, keepdims=True)
# ---- seed 7, index 1, family vector
import jax
import jax.numpy as jnp


def program(a, b):
    """A generated vector kernel."""
    return jnp.linalg.norm(jnp.cross(a + 0.01, b + 10.0), axis=-1)
# ---- seed 7, index 2, family vector
import jax
import jax.numpy as jnp


def f(x):
    return x / jnp.linalg.norm(x, axis=-1, keepdims=True)
