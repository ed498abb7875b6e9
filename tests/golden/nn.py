# ---- seed 7, index 0, family nn
import jax
import jax.numpy as jnp


def program(x0, x1, x2, x3, x4, x5):
    """A generated nn kernel."""
    prod = x0 @ x1
    h = jax.nn.leaky_relu(jnp.where(jnp.abs(prod) <= 6.0, prod, 0.0))
    h1 = jnp.add(jnp.matmul(jnp.where(jnp.abs(h) <= 3.0, h, 0.0), x2), x3)
    h2 = jax.nn.selu(jnp.where(jnp.abs(h1) <= 6.0, h1, 0.0))
    h3 = h2 - jnp.mean(h2, axis=-1, keepdims=True)
    prod1 = jnp.matmul(h3 / jnp.sqrt(jnp.mean(jnp.square(h3), axis=-1, keepdims=True) + 1e-05), x4)
    h4 = jax.nn.gelu(jnp.where(jnp.abs(prod1) <= 6.0, prod1, 0.0))
    return jnp.where(jnp.abs(h4) <= 3.0, h4, 0.0) @ x5
# ---- seed 7, index 1, family nn
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e, g, arg6):
    r0 = jax.nn.gelu((2.0 * jax.nn.sigmoid(jnp.matmul(a, b) - c) - 1.0) * 6.0, approximate=False)
    r1 = r0 - jnp.mean(r0, axis=-1, keepdims=True)
    r2 = jax.nn.sigmoid((2.0 * jax.nn.sigmoid(jnp.maximum(g, (2.0 * jax.nn.sigmoid(jax.nn.silu((2.0 * jax.nn.sigmoid(r1 * lax.rsqrt(jnp.mean(jnp.square(r1), axis=-1, keepdims=True) + 1e-06) @ d) - 1.0) * 6.0)) - 1.0) * 3.0 @ e)) - 1.0) * 6.0)
    return jnp.matmul(r2, arg6)
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp
from jax import lax


def program(x):
    return jnp.multiply(x * lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + 1e-06), x)
