# ---- seed 7, index 0, family loss
import jax
import jax.numpy as jnp


def program(logits, labels):
    """Losses: cross-entropy with label smoothing, Huber, hinge, cosine similarity, sigmoid cross-entropy.

    Args:
      logits: f16[10,10]
      labels: f16[10,10]

    Returns:
      f16[]
    """
    h = jax.nn.log_sigmoid(logits)
    h1 = jax.nn.log_sigmoid(-logits)
    return jnp.mean(-labels * h - (1.0 - labels) * h1)
# ---- seed 7, index 1, family loss
import jax
import jax.numpy as jnp


def apply(scores, is_positive):
    r0 = is_positive.astype(jnp.bfloat16) * 2.0 - 1.0
    return jax.nn.relu(1.0 - r0 * scores)
# ---- seed 7, index 2, family loss
import jax
import jax.numpy as jnp


def program(predictions, targets):
    h0 = jnp.abs(predictions - targets)
    h1 = jnp.minimum(h0, 1.0)
    return jnp.mean(0.5 * jnp.square(h1) + (h0 - h1), axis=-1)
