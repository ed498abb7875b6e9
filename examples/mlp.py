"""One MLP layer: an affine map followed by GELU, in whatever dtype the arguments have."""

import jax


def dense_gelu(x, w, b):
    return jax.nn.gelu(x @ w + b)


if __name__ == "__main__":
    # Running the file directly tries the layer on ones; extract never runs this block.
    import jax.numpy as jnp

    print(dense_gelu(jnp.ones((2, 4)), jnp.ones((4, 3)), jnp.zeros(3)))
