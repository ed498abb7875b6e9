# ---- seed 7, index 0, family token_input
import jax
import jax.numpy as jnp


def program(embedding, ids):
    """Token inputs: embedding lookups by id, sinusoidal or learned positions, padding masks."""
    picked = jnp.take(embedding, ids, axis=0)
    h = jnp.expand_dims(jnp.arange(10, dtype=jnp.float16), 1) * jnp.exp(jnp.arange(5, dtype=jnp.float16) * -1.842068)
    picked1 = jnp.zeros((10, 10), dtype=jnp.float16).at[:, ::2].set(jnp.sin(h))
    picked2 = picked1.at[:, 1::2].set(jnp.cos(h))
    return picked + jnp.expand_dims(picked2, 0)
# ---- seed 7, index 1, family token_input
import jax
import jax.numpy as jnp
from jax import lax


def apply(embedding, ids, positions, gamma, beta):
    r0 = jnp.take(embedding, ids, axis=0)
    r1 = r0 + positions
    r2 = r1 - jnp.mean(r1, axis=-1, keepdims=True)
    r3 = r2 * lax.rsqrt(jnp.mean(jnp.square(r2), axis=-1, keepdims=True) + 1e-05)
    return r3 * gamma + beta
# ---- seed 7, index 2, family token_input
import jax
import jax.numpy as jnp


def program(embedding, ids):
    h0 = jnp.take(embedding, ids, axis=0) * 4.0
    h1 = jnp.expand_dims(jnp.arange(3, dtype=jnp.float32), 1) * jnp.exp(jnp.arange(8, dtype=jnp.float32) * -1.151293)
    h2 = jnp.zeros((3, 16), dtype=jnp.float32).at[:, ::2].set(jnp.sin(h1))
    h3 = h2.at[:, 1::2].set(jnp.cos(h1))
    return h0 + jnp.expand_dims(h3, 0)
