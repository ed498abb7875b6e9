# ---- seed 7, index 0, family integer
import jax
import jax.numpy as jnp


def fn(x3, x4, x5):
    """Integer and bool programs: bitwise ops, shifts, comparisons, casts.

    Args:
      x3: s32[6,16,4]
      x4: s32[6,16,4]
      x5: s32[]

    Returns:
      s32[6,16,4]
    """
    return ~(jnp.dot(x5 & jnp.broadcast_to(x5, (6,)), jnp.multiply(jnp.full((1,), 3, dtype=jnp.int32), jnp.broadcast_to(jnp.max(x3), (6,)))) // jnp.maximum(x4, 1))
# ---- seed 7, index 1, family integer
import jax
import jax.numpy as jnp
from jax import lax


def transform(c, d, e, g):
    """A generated integer kernel."""
    r0 = (d // jnp.maximum(e, 1)).sum()
    r1 = jnp.sum(lax.convert_element_type(g, jnp.bool_), axis=0)
    return jnp.abs(lax.neg(c)) << (r0 & 31) ^ r1 << jnp.broadcast_to(jnp.max(r1), (1, 8))
# ---- seed 7, index 2, family integer
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z):
    """Integer and bool programs: bitwise ops, shifts, comparisons, casts."""
    h0 = lax.population_count(y << (x & 7))
    h1 = jnp.subtract(jnp.min(z, axis=0), jnp.flip(y))
    return lax.neg(lax.population_count(h0 + h1))
