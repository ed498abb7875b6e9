# ---- seed 7, index 0, family embedding
import jax
import jax.numpy as jnp
from jax import lax


def apply(table, ids, gamma, beta):
    picked = table[ids]
    h = picked * 1.414
    h1 = h - jnp.mean(h, axis=-1, keepdims=True)
    h2 = h1 * lax.rsqrt(jnp.mean(jnp.square(h1), axis=-1, keepdims=True) + 1e-06) * gamma + beta
    return h2 @ table.T
# ---- seed 7, index 1, family embedding
import jax
import jax.numpy as jnp


def forward(table, ids, x, y):
    """Embeddings: jnp.take, one-hot matmul, tied logits.

    Args:
      table: f32[12,10]
      ids: s32[3,4]
      x: f32[10,6]
      y: f32[6]

    Returns:
      f32[3,6]
    """
    h0 = jnp.take(table, ids, axis=0)
    h1 = (ids != 0).astype(jnp.float32)
    return jnp.add(jnp.matmul(jnp.sum(h0 * jnp.expand_dims(h1, -1), axis=1) / jnp.maximum(jnp.sum(h1, axis=1, keepdims=True), 1.0), x), y)
# ---- seed 7, index 2, family embedding
import jax
import jax.numpy as jnp


def program(table, ids, x, y):
    h0 = jnp.take(table, ids, axis=0)
    h1 = h0 * 4.0
    h2 = jnp.clip(jnp.max(h1, axis=1), -3.0, 3.0) @ x
    return h2 * y
