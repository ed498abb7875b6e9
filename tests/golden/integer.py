# ---- seed 7, index 0, family integer
import jax
import jax.numpy as jnp


def program(x0, x1):
    """Integer and bool programs: bitwise ops, shifts, comparisons, casts.

    Args:
      x0: s32[10,16,5]
      x1: s32[10,16,5]

    Returns:
      s32[10,16,5]
    """
    return -jnp.right_shift(x1, x0) + x1
# ---- seed 7, index 1, family integer
import jax
import jax.numpy as jnp


def apply(b, c, d):
    return jnp.greater(b, c) & d.astype(jnp.bool_)
# ---- seed 7, index 2, family integer
import jax
import jax.numpy as jnp


def program(x, y, z):
    return jnp.maximum(y * x, y - z) < jnp.abs(x) | x
