# ---- seed 7, index 0, family nn
import jax
import jax.numpy as jnp


def fn(x0):
    """A generated nn kernel."""
    h = x0 - jnp.mean(x0, axis=-1, keepdims=True)
    return jax.nn.relu6(h / jnp.sqrt(jnp.mean(jnp.square(h), axis=-1, keepdims=True) + 1e-06))
# ---- seed 7, index 1, family nn
import jax
import jax.numpy as jnp


def transform(a, b, c):
    """A generated nn kernel."""
    return jnp.mean(-jnp.sum((jax.nn.one_hot(jnp.sign(c), 4, dtype=jnp.bfloat16) * 0.8 + 0.05) * jax.nn.log_softmax(jnp.sin(a) / (jnp.abs(jnp.subtract(a, b)) + 1.0), axis=-1), axis=-1))
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp


def f(x, idx):
    """A generated nn kernel."""
    h0 = jax.nn.log_softmax(jnp.expm1(jnp.sin(jnp.square(x))), axis=-1)
    return jnp.sum(-jnp.sum((jax.nn.one_hot(idx, 5, dtype=jnp.float32) * 0.9 + 0.02) * h0, axis=-1))
