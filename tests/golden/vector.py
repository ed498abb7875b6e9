# ---- seed 7, index 0, family vector
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1):
    """A generated vector kernel."""
    return jnp.abs(jnp.linalg.norm(jnp.cross(lax.stop_gradient(x0), lax.rsqrt(x1)), axis=-1))
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
    return jnp.log(jnp.abs(jnp.cross(jax.nn.gelu(x), lax.rsqrt(y))) + 0.5)
