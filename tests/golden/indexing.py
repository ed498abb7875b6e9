# ---- seed 7, index 0, family indexing
import jax
import jax.numpy as jnp


def program(x0, i, x1, x2, i2):
    """Gathers, scatters (.at[]) and dynamic slices.

    Args:
      x0: f16[10,6,12]
      i: s32[]
      x1: f16[6,3,12]
      x2: s32[4]
      i2: s32[]

    Returns:
      f16[10,6,12]
    """
    return jnp.maximum(x0.at[i].min(jnp.sum(x1, axis=-2)), jnp.cos(x0.at[jnp.clip(x2.at[i2].max(5), 0, 9)].max(jnp.full((4, 6, 12), 4.0, dtype=jnp.float16))))
# ---- seed 7, index 1, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e, idx):
    r0 = c.at[:, :].set(jnp.take_along_axis(d, jnp.clip(jnp.take(e, idx, axis=0), 0, 6), axis=1))
    r1 = jnp.full((2,), 10.0, dtype=jnp.bfloat16) + lax.log(jnp.abs(jnp.mean(d)) + 1.0)
    return a.at[jnp.clip(jnp.sign(b), 0, 1)].add(r0).at[jnp.clip(lax.dynamic_slice(jnp.broadcast_to(jnp.max(e), (4,)), (0,), (4,)), 0, 9)].add(r1)
# ---- seed 7, index 2, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, idx, i):
    h0 = lax.dynamic_slice(jnp.take_along_axis(x * y, idx, axis=0), (i,), (3,))
    return h0 - jax.nn.silu(jax.nn.sigmoid(h0))
