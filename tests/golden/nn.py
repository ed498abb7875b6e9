# ---- seed 7, index 0, family nn
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, gamma, beta):
    """Layer norm, attention, MLP layers, softmax and one-hot losses."""
    h = x0 - jnp.mean(x0, axis=-1, keepdims=True)
    return h * lax.rsqrt(jnp.mean(jnp.square(h), axis=-1, keepdims=True) + 1e-06) * gamma + beta
# ---- seed 7, index 1, family nn
import jax
import jax.numpy as jnp


def transform(a, idx):
    """Layer norm, attention, MLP layers, softmax and one-hot losses."""
    return jnp.mean(-jnp.sum(jax.nn.one_hot(idx, 4, dtype=jnp.bfloat16) * jax.nn.log_softmax(a, axis=-1), axis=-1))
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp


def f(x, idx):
    """A generated nn kernel."""
    h0 = jax.nn.log_softmax(x, axis=-1)
    return jnp.mean(-jnp.sum(jax.nn.one_hot(idx, 5, dtype=jnp.float32) * h0, axis=-1))
