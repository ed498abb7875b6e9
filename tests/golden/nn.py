# ---- seed 7, index 0, family nn
import jax
import jax.numpy as jnp


def apply(x, y, z, w, v):
    h = jax.nn.leaky_relu(jnp.maximum(x @ y, z))
    return h * 0.5 @ w * v
# ---- seed 7, index 1, family nn
import jax
import jax.numpy as jnp
from jax import lax


def forward(x):
    """Layer norm, attention, MLP layers, softmax and one-hot losses."""
    return x * jax.nn.elu(x * lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + 1e-05))
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp
from jax import lax


def program(x, scale):
    return jax.nn.gelu(jnp.clip(x * lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + 1e-06) * (1.0 + scale), -6.0, 6.0))
