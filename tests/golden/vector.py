# ---- seed 7, index 0, family vector
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1):
    """3-vector algebra: dot, cross, norm, normalize."""
    return jnp.linalg.norm(jnp.cross(jax.nn.sigmoid(x0), jnp.cos(x1)), axis=-1), lax.log1p(jnp.dot(x0, jnp.clip(x1, -1.0, 1.0)))
# ---- seed 7, index 1, family vector
import jax
import jax.numpy as jnp


def apply(a, b):
    return jnp.sin(jnp.linalg.norm(jnp.cross(jnp.abs(a), b), axis=-1))
# ---- seed 7, index 2, family vector
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y):
    return lax.neg(jnp.cross(jax.nn.gelu(x), lax.cbrt(y)))
