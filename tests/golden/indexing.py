# ---- seed 7, index 0, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, i, idx, x2, x3):
    """Gathers, scatters (.at[]) and dynamic slices.

    Args:
      x0: f16[5,10,11]
      x1: f16[5,10,11]
      i: s32[]
      idx: s32[4]
      x2: f16[10,10]
      x3: f16[16]

    Returns:
      f16[4,10,10]
    """
    return lax.dynamic_slice(lax.max(x0, x1), (0, i, 1), (4, 10, 10)).at[idx].add(jnp.minimum(jnp.take(x3, lax.dynamic_slice(jnp.full((12, 10), 2, dtype=jnp.int32), (-i, 0), (10, 10)), axis=0), x2.at[idx].max(jnp.broadcast_to(jnp.mean(x3), (10,)))).at[jnp.broadcast_to(i, (2,))].add((jnp.full((2, 10), 3.0, dtype=jnp.float16) + jnp.broadcast_to(jnp.mean(idx.astype(jnp.float16)), (1, 10))) * jnp.broadcast_to(jnp.mean(x2), (5, 10))[jnp.broadcast_to(lax.convert_element_type(x2, jnp.int32).max(), (2,)).at[1].mul(i)]))
# ---- seed 7, index 1, family indexing
import jax
import jax.numpy as jnp


def transform(a, b):
    """Gathers, scatters (.at[]) and dynamic slices."""
    return jnp.take(jnp.tan(jnp.clip(jnp.pad(a, ((2, 0),), constant_values=4.0) ** 2, 0.0, 1.2)), b, axis=0)
# ---- seed 7, index 2, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z):
    """A generated indexing kernel."""
    def body(i, x_c):
        return lax.dynamic_update_slice(x_c, lax.sin(y.at[0].add(z)) * jnp.mean(x_c), (i, 0))
    x_c_out = lax.fori_loop(0, 12, body, x)
    return x_c_out
