# ---- seed 7, index 0, family reduction
import jax
import jax.numpy as jnp


def fn(x0, x1, x2):
    """A generated reduction kernel."""
    return jnp.sinh(jnp.minimum(x1, jnp.min(x0, axis=0))), jnp.min(jnp.sin(jax.nn.logsumexp(x2, axis=1)))
# ---- seed 7, index 1, family reduction
import jax
import jax.numpy as jnp
from jax import lax


def transform(a):
    """Reductions over axes: sum, var, argmax, logsumexp, any, ...."""
    return jnp.linalg.norm(jnp.sum(lax.erf(a), axis=-1) ** 2, axis=(0, -1))
# ---- seed 7, index 2, family reduction
import jax
import jax.numpy as jnp


def f(x, y, z, w):
    """A generated reduction kernel."""
    h0 = jnp.max(x, axis=0)
    h1 = jnp.min(h0, axis=(0, 1))
    h2 = jnp.add(y * z, y + w).min(axis=(0, 2))
    return jnp.abs(jnp.square(h1 + h2))
