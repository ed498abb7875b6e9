import jax
import jax.numpy as jnp


def compute(x, y):
    tmp0 = jnp.where(x > -1.9, y, y) - jnp.exp(y)
    return jnp.sum(jnp.exp(tmp0), axis=1, keepdims=True)
