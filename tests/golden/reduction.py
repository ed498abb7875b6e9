# ---- seed 7, index 0, family reduction
import jax
import jax.numpy as jnp


def transform(x0, x1):
    return jnp.sum(x0 / (x1 + 1.0))
# ---- seed 7, index 1, family reduction
import jax
import jax.numpy as jnp


def program(a):
    """A generated reduction kernel."""
    return jnp.min(jnp.maximum(a / 0.5, jnp.exp(a)), axis=0, keepdims=True)
# ---- seed 7, index 2, family reduction
import jax
import jax.numpy as jnp


def f(x, y):
    return jnp.cos(jnp.dot(x, y + x))
