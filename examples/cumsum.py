"""Cumulative sum written as a scan: the carry is the running total."""

import jax.numpy as jnp
from jax import lax


def cumsum(xs):
    def step(total, x):
        total = total + x
        return total, total

    _, totals = lax.scan(step, jnp.zeros_like(xs[0]), xs)
    return totals
