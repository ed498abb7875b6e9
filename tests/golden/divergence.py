# ---- seed 7, index 0, family divergence
import jax
import jax.numpy as jnp


def program(predictions, targets):
    """A generated divergence kernel."""
    h = predictions - targets
    h1 = jnp.abs(h)
    return jnp.mean(jnp.sum(jnp.where(h1 <= 1.0, 0.5 * jnp.square(h), 1.0 * (h1 - 0.5)), axis=-1))
# ---- seed 7, index 1, family divergence
import jax
import jax.numpy as jnp


def apply(logits, labels):
    r0 = jax.nn.sigmoid(logits)
    return jnp.mean(jnp.sum(0.25 * (1.0 - (labels * r0 + (1.0 - labels) * (1.0 - r0))) ** 3 * -(labels * jax.nn.log_sigmoid(logits) + (1.0 - labels) * jax.nn.log_sigmoid(-logits)), axis=-1))
# ---- seed 7, index 2, family divergence
import jax
import jax.numpy as jnp
from jax import lax


def program(a, b):
    h0 = a * lax.rsqrt(jnp.sum(jnp.square(a), axis=-1, keepdims=True) + 1e-06)
    h1 = b * lax.rsqrt(jnp.sum(jnp.square(b), axis=-1, keepdims=True) + 1e-06)
    h2 = h0 @ h1.T / 0.1
    return jnp.mean(jax.nn.logsumexp(h2, axis=-1) - jnp.sum(h2 * jnp.eye(8, 8, dtype=jnp.float32), axis=-1))
