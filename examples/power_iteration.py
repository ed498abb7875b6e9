"""Power iteration for the dominant eigenvector, with the number of steps as an argument.

A traced trip count turns lax.fori_loop into a while loop, which JAX cannot differentiate in
reverse: extract it with --no-grad.
"""

import jax.numpy as jnp
from jax import lax


def power_iteration(matrix, vector, steps):
    def step(_, v):
        w = matrix @ v
        return w / jnp.linalg.norm(w)

    return lax.fori_loop(0, steps, step, vector)
