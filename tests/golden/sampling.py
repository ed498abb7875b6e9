# ---- seed 7, index 0, family sampling
import jax
import jax.numpy as jnp


def program(logits, prng_key):
    """Next-token sampling: temperature, top-k or top-p filters, categorical, Gumbel-max or greedy."""
    h = logits / 1.5
    view = jnp.flip(jnp.sort(h, axis=-1), axis=-1)
    probs = jax.nn.softmax(view, axis=-1)
    mask = jnp.cumsum(probs, axis=-1) - probs < 0.95
    total = jnp.min(jnp.where(mask, view, 2.0), axis=-1, keepdims=True)
    h1 = jnp.where(h < total, -400.0, h)
    noise = jax.random.categorical(jax.random.split(prng_key, 2)[1], h1, axis=-1)
    probs1 = jax.nn.log_softmax(h, axis=-1)
    return noise, jnp.squeeze(jnp.take_along_axis(probs1, jnp.expand_dims(noise, 1), axis=1), axis=1)
# ---- seed 7, index 1, family sampling
import jax
import jax.numpy as jnp
from jax import lax


def apply(logits, key):
    r0 = logits / 1.5
    r1 = lax.top_k(r0, 5)[0][:, 4:]
    r2 = jnp.where(r0 < r1, -4000.0, r0)
    r3 = jnp.argmax(r2 + jax.random.gumbel(jax.random.split(key, 3)[2], (8, 10), dtype=jnp.bfloat16), axis=-1)
    r4 = jax.nn.log_softmax(r0, axis=-1)
    return r3, jnp.squeeze(jnp.take_along_axis(r4, jnp.expand_dims(r3, 1), axis=1), axis=1)
# ---- seed 7, index 2, family sampling
import jax
import jax.numpy as jnp
from jax import lax


def program(logits, prng_key, i):
    h0 = logits / 0.6
    h1 = lax.top_k(h0, 1)[0][:, :]
    h2 = jnp.where(h0 < h1, -4000.0, h0)
    h3 = jax.random.categorical(jax.random.fold_in(prng_key, i), h2, axis=-1)
    h4 = jax.nn.log_softmax(h0, axis=-1)
    return h3, jnp.squeeze(jnp.take_along_axis(h4, jnp.expand_dims(h3, 1), axis=1), axis=1)
