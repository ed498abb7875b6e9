"""Softmax over the last axis, as numerically careful code writes it."""

import jax.numpy as jnp


def softmax(logits):
    # Shifting by the row maximum leaves the result unchanged and keeps exp from overflowing.
    shifted = logits - jnp.max(logits, axis=-1, keepdims=True)
    e = jnp.exp(shifted)
    return e / jnp.sum(e, axis=-1, keepdims=True)
