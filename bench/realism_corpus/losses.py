"""Losses as optax and training scripts write them."""

import jax
import jax.numpy as jnp

from . import case, f32, i32


def softmax_cross_entropy_smoothed(logits, labels, smoothing=0.1):
    """Cross-entropy against one-hot labels smoothed toward the uniform distribution."""
    num_classes = logits.shape[-1]
    one_hot = jax.nn.one_hot(labels, num_classes)
    targets = one_hot * (1.0 - smoothing) + smoothing / num_classes
    log_probs = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.mean(jnp.sum(targets * log_probs, axis=-1))


def sparse_cross_entropy(logits, labels):
    """Integer-label cross-entropy through logsumexp and take_along_axis."""
    label_logits = jnp.take_along_axis(logits, labels[:, None], axis=-1)[:, 0]
    return jnp.mean(jax.nn.logsumexp(logits, axis=-1) - label_logits)


def huber_loss(predictions, targets, delta=1.0):
    """optax.huber_loss."""
    errors = predictions - targets
    abs_errors = jnp.abs(errors)
    quadratic = jnp.minimum(abs_errors, delta)
    linear = abs_errors - quadratic
    return jnp.mean(0.5 * quadratic ** 2 + delta * linear)


def hinge_loss(scores, labels):
    """Binary hinge loss with labels in {-1, +1}."""
    return jnp.mean(jax.nn.relu(1.0 - labels * scores))


def cosine_similarity_loss(a, b, eps=1e-8):
    """1 - cos(a, b), per row, as optax.cosine_similarity."""
    a_norm = jnp.sqrt(jnp.maximum(jnp.sum(a * a, axis=-1), eps * eps))
    b_norm = jnp.sqrt(jnp.maximum(jnp.sum(b * b, axis=-1), eps * eps))
    return jnp.mean(1.0 - jnp.sum(a * b, axis=-1) / (a_norm * b_norm))


def sigmoid_binary_cross_entropy(logits, labels):
    """optax.sigmoid_binary_cross_entropy, the numerically stable form."""
    log_p = jax.nn.log_sigmoid(logits)
    log_not_p = jax.nn.log_sigmoid(-logits)
    return jnp.mean(-labels * log_p - (1.0 - labels) * log_not_p)


def kl_divergence(log_p, q_logits):
    """KL(p || q) between a log-probability table and logits."""
    log_q = jax.nn.log_softmax(q_logits)
    return jnp.sum(jnp.exp(log_p) * (log_p - log_q), axis=-1).mean()


def masked_token_loss(logits, targets, mask):
    """Language-model loss averaged over the non-padding tokens."""
    logp = jax.nn.log_softmax(logits.astype(jnp.float32))
    nll = -jnp.take_along_axis(logp, targets[..., None], axis=-1)[..., 0]
    mask = mask.astype(jnp.float32)
    return jnp.sum(nll * mask) / jnp.maximum(jnp.sum(mask), 1.0)


CASES = [
    case(softmax_cross_entropy_smoothed, f32(16, 10), i32(16, high=10)),
    case(sparse_cross_entropy, f32(16, 10), i32(16, high=10)),
    case(huber_loss, f32(32, 4), f32(32, 4)),
    case(hinge_loss, f32(64), f32(64)),
    case(cosine_similarity_loss, f32(8, 32), f32(8, 32)),
    case(sigmoid_binary_cross_entropy, f32(16, 5), f32(16, 5)),
    case(kl_divergence, f32(8, 12), f32(8, 12)),
    case(masked_token_loss, f32(2, 10, 20), i32(2, 10, high=20), i32(2, 10, high=2)),
]
