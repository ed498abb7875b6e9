# ---- seed 7, index 0, family reduction
import jax
import jax.numpy as jnp


def program(x0):
    """Reductions over axes: sum, var, argmax, logsumexp, any, ....

    Args:
      x0: f16[16,10,5]

    Returns:
      f16[16,10]
    """
    return jnp.max(jnp.cos(x0) * x0, axis=-1)
# ---- seed 7, index 1, family reduction
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e, i):
    r0 = jnp.abs(jnp.where(a, b, c))
    return jax.nn.logsumexp(r0, axis=-3) - lax.dynamic_update_slice(jnp.min(d, axis=2), jax.nn.swish(e), (i, 0)), jnp.std(jnp.tanh(jnp.broadcast_to(jnp.mean(e), (8,))))
# ---- seed 7, index 2, family reduction
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y):
    h0 = jnp.abs(y)
    return lax.mul(jnp.square(x).sum(axis=2), h0)
