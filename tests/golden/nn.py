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


def forward(x, scale):
    """Layer norm, attention, MLP layers, softmax and one-hot losses."""
    return scale * (x * lax.rsqrt(jnp.mean(jnp.square(x), axis=-1, keepdims=True) + 1e-06))
# ---- seed 7, index 2, family nn
import jax
import jax.numpy as jnp
from jax import lax


def program(x, scale):
    h0 = x * lax.rsqrt(jnp.mean(jnp.square(x), axis=-1, keepdims=True) + 1e-06)
    return jax.nn.leaky_relu(jnp.clip(h0 * scale, -6.0, 6.0))
