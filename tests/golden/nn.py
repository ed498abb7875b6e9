# ---- seed 7, index 0, family nn
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2, x3, gamma, beta, x4, x5):
    """A generated nn kernel."""
    prod = x0 @ x1
    h = jax.nn.leaky_relu(jnp.where(jnp.abs(prod) <= 6.0, prod, 0.0))
    h1 = jnp.add(jnp.matmul(jnp.where(jnp.abs(h) <= 3.0, h, 0.0), x2), x3)
    h2 = jax.nn.selu(jnp.where(jnp.abs(h1) <= 6.0, h1, 0.0))
    h3 = h2 - jnp.mean(h2, axis=-1, keepdims=True)
    h4 = h3 * lax.rsqrt(jnp.var(h2, axis=-1, keepdims=True) + 1e-05) * gamma + beta
    prod1 = jnp.matmul(jnp.where(jnp.abs(h4) <= 3.0, h4, 0.0), x4)
    return jnp.tanh(jnp.where(jnp.abs(prod1) <= 6.0, prod1, 0.0)) @ x5
# ---- seed 7, index 1, family nn
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, gamma, beta, d, e, g):
    r0 = jax.nn.gelu((2.0 * jax.nn.sigmoid(jnp.matmul(a, b) - c) - 1.0) * 6.0, approximate=False)
    r1 = r0 - jnp.mean(r0, axis=-1, keepdims=True)
    return (2.0 * jax.nn.sigmoid(jax.nn.softplus((2.0 * jax.nn.sigmoid((2.0 * jax.nn.sigmoid(jax.nn.relu6((2.0 * jax.nn.sigmoid((2.0 * jax.nn.sigmoid(r1 * lax.rsqrt(jnp.mean(jnp.square(r1), axis=-1, keepdims=True) + 1e-06) * gamma + beta) - 1.0) * 3.0 @ d) - 1.0) * 6.0)) - 1.0) * 3.0 @ e) - 1.0) * 6.0)) - 1.0) * 3.0 @ g
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp
from jax import lax


def program(x, scale):
    return jax.nn.gelu(jnp.clip(x * lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + 1e-06) * (1.0 + scale), -6.0, 6.0))
