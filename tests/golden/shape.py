# ---- seed 7, index 0, family shape
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, x4):
    """Reshapes, transposes, joins, splits, pads and slices."""
    return lax.slice(lax.log1p(10.0 + x0), (0, 0), (16, 4), (1, 1)), jnp.flip(jnp.concatenate([jnp.concatenate([x1, x2], axis=2), jnp.transpose(x3, (2, 1, 0)), jnp.square(x4)], axis=1), axis=1)
# ---- seed 7, index 1, family shape
import jax
import jax.numpy as jnp


def transform(a):
    """Reshapes, transposes, joins, splits, pads and slices."""
    return jnp.exp(jax.nn.relu(jnp.repeat(a, 4, axis=0)))
# ---- seed 7, index 2, family shape
import jax
import jax.numpy as jnp


def f(x, y, z):
    """Reshapes, transposes, joins, splits, pads and slices.

    Args:
      x: u8[10,16]
      y: u8[8,20]
      z: u8[33,10]

    Returns:
      u8[16,10]
    """
    h0 = x.T
    h1 = jnp.reshape(y, (16, 10))
    return jnp.square(h0) - h1 - z[2::2]
