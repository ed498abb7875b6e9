# ---- seed 7, index 0, family norm
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, scale):
    """Normalization layers: layer norm, RMS norm, batch norm."""
    return x0 * lax.rsqrt(jnp.mean(x0 * x0, axis=-1, keepdims=True) + 1e-06) * scale
# ---- seed 7, index 1, family norm
import jax
import jax.numpy as jnp


def apply(a, gamma, beta):
    r0 = a - jnp.mean(a, axis=-1, keepdims=True)
    return jnp.minimum(a, jax.nn.relu6(r0 / jnp.sqrt(jnp.var(a, axis=-1, keepdims=True) + 1e-06) * gamma + beta))
# ---- seed 7, index 2, family norm
import jax
import jax.numpy as jnp


def program(x):
    h0 = jnp.linalg.norm(x, axis=-1, keepdims=True) / 2.236
    return x / (h0 + 1e-06)
