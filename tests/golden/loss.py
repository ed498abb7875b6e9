# ---- seed 7, index 0, family loss
import jax
import jax.numpy as jnp


def program(logits, labels, mask):
    """A generated loss kernel."""
    cast = logits.astype(jnp.float32)
    probs = jax.nn.log_softmax(cast, axis=2)
    h = 0.95 * -jnp.squeeze(jnp.take_along_axis(probs, jnp.expand_dims(labels, 2), axis=2), axis=2) + 0.05 * -jnp.mean(probs, axis=2)
    cast1 = mask.astype(jnp.float32)
    return jnp.mean(jnp.sum(h * cast1, axis=1) / jnp.maximum(jnp.sum(cast1, axis=1), 1.0))
# ---- seed 7, index 1, family loss
import jax
import jax.numpy as jnp


def apply(a, b):
    r0 = jnp.linalg.norm(a, axis=-1) * jnp.linalg.norm(b, axis=-1)
    return jnp.sum(1.0 - jnp.sum(a * b, axis=-1) / jnp.maximum(r0, 0.0001))
# ---- seed 7, index 2, family loss
import jax
import jax.numpy as jnp


def program(scores, labels):
    return jnp.sum(jax.nn.relu(1.0 - labels * scores)) / 128.0
