# ---- seed 7, index 0, family reduction
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1):
    """Reductions over axes: sum, var, argmax, logsumexp, any, ....

    Args:
      x0: f16[16,6,4]
      x1: f16[12,5,8]

    Returns:
      f16[16]
      f16[8]
    """
    return lax.floor(jnp.log(jnp.abs(x0) + 1.0)).min(axis=(1, 2)), jax.nn.logsumexp(jnp.std(x1, axis=1), axis=0)
# ---- seed 7, index 1, family reduction
import jax
import jax.numpy as jnp


def transform(a, b):
    """Reductions over axes: sum, var, argmax, logsumexp, any, ....

    Args:
      a: bf16[2,12,8]
      b: bf16[]

    Returns:
      bf16[]
    """
    return jnp.exp(jnp.minimum(b, a.max()))
# ---- seed 7, index 2, family reduction
import jax
import jax.numpy as jnp


def f(x, y):
    """A generated reduction kernel."""
    return jnp.square(jnp.abs(jnp.min(x, axis=(0, -1)))), jax.nn.sigmoid(jnp.sum(y, axis=1)).var(axis=0)
