# ---- seed 7, index 0, family embedding
import jax
import jax.numpy as jnp


def program(table, ids, x0):
    """A generated embedding kernel."""
    picked = jnp.take(table, ids, axis=0)
    return jnp.mean(picked, axis=1) @ x0
# ---- seed 7, index 1, family embedding
import jax
import jax.numpy as jnp


def apply(table, ids, a, b):
    r0 = jnp.take(table, ids, axis=0)
    return jnp.matmul(jnp.mean(r0, axis=1), a) - b
# ---- seed 7, index 2, family embedding
import jax
import jax.numpy as jnp


def program(table, ids):
    h0 = jnp.take(table, ids, axis=0)
    return jnp.einsum('btd,vd->btv', h0, table)
