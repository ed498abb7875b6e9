"""Mean of the selected values: a boolean mask picks them, and no selection gives 0."""

import jax.numpy as jnp


def masked_mean(values, mask):
    total = jnp.sum(jnp.where(mask, values, 0.0))
    count = jnp.sum(mask)
    return total / jnp.maximum(count, 1)
