# ---- seed 7, index 0, family nn
import jax
import jax.numpy as jnp


def program(x0, x1, x2, x3, x4, x5):
    """A generated nn kernel."""
    h = jax.nn.selu(jnp.clip(jnp.add(jnp.matmul(jnp.clip(jax.nn.leaky_relu(jnp.clip(x0 @ x1, -6.0, 6.0)), -3.0, 3.0), x2), x3), -6.0, 6.0))
    h1 = h - jnp.mean(h, axis=-1, keepdims=True)
    return jnp.clip(jax.nn.gelu(jnp.clip(jnp.matmul(h1 / jnp.sqrt(jnp.mean(jnp.square(h1), axis=-1, keepdims=True) + 1e-05), x4), -6.0, 6.0)), -3.0, 3.0) @ x5
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
    h0 = jnp.mean(x, axis=-1, keepdims=True)
    h1 = x - h0
    return jnp.multiply(h1 * lax.rsqrt(jnp.var(x, axis=-1, keepdims=True) + 1e-06), x)
