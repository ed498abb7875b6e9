# ---- seed 7, index 0, family embedding
import jax
import jax.numpy as jnp


def apply(table, ids):
    prod = jax.nn.one_hot(ids, 10, dtype=jnp.float32) @ table
    return jnp.einsum('btd,vd->btv', prod, table)
# ---- seed 7, index 1, family embedding
import jax
import jax.numpy as jnp


def forward(table, ids, x):
    """Embeddings: jnp.take, one-hot matmul, tied logits."""
    h0 = jnp.take(table, ids, axis=0)
    return jnp.mean(h0, axis=1) @ x
# ---- seed 7, index 2, family embedding
import jax
import jax.numpy as jnp


def program(table, ids):
    h0 = jnp.take(table, ids, axis=0)
    return jnp.einsum('btd,vd->btv', h0, table)
