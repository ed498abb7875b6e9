# ---- seed 7, index 0, family shape
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1):
    """Reshapes, transposes, joins, splits, pads and slices.

    Args:
      x0: f16[8,1,3,2]
      x1: f16[16,1]

    Returns:
      f16[16,4]
    """
    return jnp.concatenate([lax.reshape(10.0 - x0, (16, 3)), x1], axis=1)
# ---- seed 7, index 1, family shape
import jax
import jax.numpy as jnp
from jax import lax


def transform(a):
    """Reshapes, transposes, joins, splits, pads and slices.

    Args:
      a: bf16[6]

    Returns:
      bf16[8]
    """
    return jnp.pad(lax.logistic(jnp.log(jnp.abs(jnp.roll(a, -1, axis=0)) + 1.0)), ((2, 0),))
# ---- seed 7, index 2, family shape
import jax
import jax.numpy as jnp
from jax import lax


def f(x):
    """Reshapes, transposes, joins, splits, pads and slices."""
    return jnp.tril(lax.reshape(jnp.flip(lax.expand_dims(x, (0,))), (16, 10)))
