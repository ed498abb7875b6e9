"""Dot product of two vectors."""

import jax.numpy as jnp


def dot(x, y):
    return jnp.dot(x, y)
