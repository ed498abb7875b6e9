# ---- seed 7, index 0, family integer
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, x4, x5):
    """Integer and bool programs: bitwise ops, shifts, comparisons, casts."""
    return 1 + (jnp.maximum(x1, 4) + x2 * x3) & lax.neg(lax.population_count(x0) + jnp.maximum(x4, x5))
# ---- seed 7, index 1, family integer
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, e):
    """Integer and bool programs: bitwise ops, shifts, comparisons, casts.

    Args:
      a: s32[4,8]
      b: bf16[4,8,12]
      c: s32[]
      e: s32[]

    Returns:
      s32[4,8]
    """
    r0 = a ** 3
    r1 = jnp.maximum(4, c) // jnp.maximum(a * e, 1)
    return jnp.left_shift(r0, lax.add(jnp.abs(jnp.argmax(b, axis=-1)), r1))
# ---- seed 7, index 2, family integer
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z, w):
    """Integer and bool programs: bitwise ops, shifts, comparisons, casts."""
    return lax.population_count(z - y << (x - w & 7)) * lax.mul(jnp.abs(y | z), y)
