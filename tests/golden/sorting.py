# ---- seed 7, index 0, family sorting
import jax
import jax.numpy as jnp


def program(x0):
    """A generated sorting kernel."""
    return jnp.cumprod(jnp.arctan(jnp.cos(x0)), axis=2)
# ---- seed 7, index 1, family sorting
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b):
    r0 = jnp.square(lax.top_k(b, 10)[0])
    return lax.min(lax.logistic(jnp.sort(a, axis=0)), r0)
# ---- seed 7, index 2, family sorting
import jax
from jax import lax


def program(x):
    return lax.sqrt(lax.cumsum(lax.cummax(x, axis=1), axis=0))
