# ---- seed 7, index 0, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, idx, x2):
    """Gathers, scatters (.at[]) and dynamic slices.

    Args:
      x0: f16[10,6,12]
      x1: f16[6,12]
      idx: s32[1]
      x2: f16[1,12]

    Returns:
      f16[10,6,12]
    """
    return lax.logistic(jnp.roll(x0, 2, axis=0)).at[8].mul(jnp.log1p(jax.nn.softplus(x1.at[idx].add(x2))))
# ---- seed 7, index 1, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e):
    r0 = lax.dynamic_slice(jnp.full((5,), 2.0, dtype=jnp.bfloat16).at[jnp.clip(lax.dynamic_slice(jnp.broadcast_to(b, (2,)), (0,), (2,)), 0, 4)].min(lax.sin(jnp.mean(a))), (0,), (2,))
    return a.at[jnp.clip(jnp.sign(b), 0, 1)].set(jax.ops.segment_sum(c, jnp.clip(d, 0, 0), num_segments=1)).at[jnp.clip(e.at[jnp.clip(jnp.max(b), 0, 3)].set(1), 0, 9)].add(r0)
# ---- seed 7, index 2, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, idx, i):
    h0 = lax.dynamic_slice(jnp.take_along_axis(x * y, idx, axis=0), (i,), (3,))
    return h0 * jax.nn.gelu(jnp.roll(h0, -2, axis=0))
