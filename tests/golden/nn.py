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


def forward(x, gamma, beta):
    """Layer norm, attention, MLP layers, softmax and one-hot losses."""
    h = x - jnp.mean(x, axis=-1, keepdims=True)
    return x * jax.nn.elu(h / jnp.sqrt(jnp.var(x, axis=-1, keepdims=True) + 1e-06) * gamma + beta)
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp
from jax import lax


def program(x):
    h0 = jnp.mean(x, axis=-1, keepdims=True)
    h1 = x - h0
    return jnp.multiply(h1 * lax.rsqrt(jnp.var(x, axis=-1, keepdims=True) + 1e-06), x)
