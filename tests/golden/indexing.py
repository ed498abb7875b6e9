# ---- seed 7, index 0, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, i, x4):
    """Gathers, scatters (.at[]) and dynamic slices.

    Args:
      x0: f16[1]
      x1: f16[]
      x2: f16[4,10,13]
      x3: s32[]
      i: s32[]
      x4: s32[2]

    Returns:
      f16[4,10,10]
    """
    return jnp.minimum(lax.reshape(lax.sin(x0.at[0].add(x1)), ()), lax.dynamic_slice(x2, (5 - x3, 0, i), (4, 10, 10)).at[jnp.clip(x4.at[jnp.clip(jnp.full((1,), 4, dtype=jnp.int32).at[0].mul(i), 0, 1)].max(jnp.full((1,), 1, dtype=jnp.int32)), 0, 3)].add(jnp.full((2, 10, 10), 2.0, dtype=jnp.float16) / (jnp.broadcast_to(jnp.mean(x2), (2, 10, 1)) + 1.0)) * lax.logistic(jnp.logaddexp(jnp.broadcast_to(jnp.mean(x2), (4, 10, 1)), jnp.broadcast_to(x0, (4, 10, 10)))))
# ---- seed 7, index 1, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, i, d, i1):
    """A generated indexing kernel."""
    r0 = a.at[jnp.argmax(b, axis=0)].min(c).at[i].max(d[5])
    r1 = jnp.pad(r0, ((2, 0), (2, 1)), constant_values=0.1)
    r2 = jnp.broadcast_to(jnp.mean(a), (16, 16)).at[0].add(jnp.take(jnp.broadcast_to(a.mean(), (5,)), jnp.clip(jnp.add(jnp.broadcast_to(i, (5,)), jnp.broadcast_to(i, (5,))), 0, 4), axis=0)[jnp.full((6,), 4, dtype=jnp.int32)[jnp.clip(jnp.broadcast_to(jnp.max(r1.astype(jnp.int32)), (16,)).at[jnp.broadcast_to(i1, (4,)) + i1].min(4), 0, 3)]])
    return lax.erf(jnp.minimum(lax.dynamic_slice(r1, (1, i1), (16, 16)), r2))
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
