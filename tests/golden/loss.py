# ---- seed 7, index 0, family loss
import jax
import jax.numpy as jnp


def program(logits, labels, mask):
    """Losses: cross-entropy with label smoothing, Huber, hinge, cosine similarity, sigmoid cross-entropy."""
    probs = jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1)
    h = -jnp.squeeze(jnp.take_along_axis(probs, jnp.expand_dims(labels, 2), axis=2), axis=2)
    cast = mask.astype(jnp.float32)
    return jnp.sum(h * cast) / jnp.maximum(jnp.sum(cast), 1.0)
# ---- seed 7, index 1, family loss
import jax
import jax.numpy as jnp


def apply(a, b):
    r0 = jnp.sum(a * b, axis=-1) / (jnp.sqrt(jnp.maximum(jnp.sum(a * a, axis=-1), 1e-06)) * jnp.sqrt(jnp.maximum(jnp.sum(b * b, axis=-1), 1e-06)))
    return jnp.sum(1.0 - r0)
# ---- seed 7, index 2, family loss
import jax


def program(scores, labels):
    return jax.nn.relu(1.0 - labels * scores)
