# ---- seed 7, index 0, family embedding
import jax
import jax.numpy as jnp


def program(table, ids, pos_table, x0, x1):
    """Embeddings: jnp.take, one-hot matmul, tied logits.

    Args:
      table: f16[20,10]
      ids: s32[8,10]
      pos_table: f16[10,10]
      x0: f16[10,7]
      x1: f16[7]

    Returns:
      f16[8,7]
    """
    h = jax.nn.one_hot(ids, 20, dtype=jnp.float16) @ table + pos_table
    cast = (ids != 0).astype(jnp.float16)
    return jnp.add(jnp.matmul(jnp.sum(h * jnp.expand_dims(cast, -1), axis=1) / jnp.maximum(jnp.sum(cast, axis=1, keepdims=True), 1.0), x0), x1)
# ---- seed 7, index 1, family embedding
import jax
import jax.numpy as jnp
from jax import lax


def apply(table, ids, gamma, out_bias):
    r0 = jnp.take(table, ids, axis=0)
    r1 = jnp.mean(r0, axis=-1, keepdims=True)
    r2 = r0 - r1
    r3 = r2 * lax.rsqrt(jnp.var(r0, axis=-1, keepdims=True) + 1e-06) * gamma
    return jnp.einsum('btd,vd->btv', r3, table) + out_bias
# ---- seed 7, index 2, family embedding
import jax
import jax.numpy as jnp


def program(table, ids, x, y):
    h0 = jnp.take(table, ids, axis=0)
    h1 = h0 * 4.0
    h2 = jnp.clip(jnp.max(h1, axis=1), -3.0, 3.0) @ x
    return h2 * y
