# ---- seed 7, index 0, family token_input
import jax
import jax.numpy as jnp


def program(embedding, ids, type_embedding, type_ids, positions):
    """Token inputs: embedding lookups by id, sinusoidal or learned positions, padding masks."""
    picked = embedding[ids]
    h = picked + type_embedding[type_ids]
    h1 = h + positions[:10]
    h2 = h1 - jnp.mean(h1, axis=-1, keepdims=True)
    return h2 / jnp.sqrt(jnp.mean(jnp.square(h2), axis=-1, keepdims=True) + 1e-05)
# ---- seed 7, index 1, family token_input
import jax
import jax.numpy as jnp


def apply(embedding, ids):
    r0 = jnp.take(embedding, ids, axis=0)
    r1 = jnp.expand_dims(jnp.arange(10, dtype=jnp.bfloat16), 1) * jnp.exp(jnp.arange(5, dtype=jnp.bfloat16) * -1.842068)
    r2 = jnp.zeros((10, 10), dtype=jnp.bfloat16).at[:, ::2].set(jnp.sin(r1))
    r3 = r2.at[:, 1::2].set(jnp.cos(r1))
    r4 = jnp.expand_dims((ids != 0).astype(jnp.bfloat16), 2)
    return (r0 + jnp.expand_dims(r3, 0)) * r4
# ---- seed 7, index 2, family token_input
import jax
import jax.numpy as jnp


def program(embedding, ids, type_embedding, type_ids):
    h0 = jnp.take(embedding, ids, axis=0) * 4.0
    h1 = h0 + type_embedding[type_ids]
    return h1
