# ---- seed 7, index 0, family position
import jax
import jax.numpy as jnp


def program(x0):
    """A generated position kernel."""
    h = jnp.expand_dims(jnp.arange(10, dtype=jnp.float16), 1) * jnp.exp(jnp.arange(8, dtype=jnp.float16) * -1.151293)
    h1 = jnp.sin(h)
    h2 = jnp.cos(h)
    view = jnp.split(x0, 2, axis=1)[0]
    view1 = jnp.split(x0, 2, axis=1)[1]
    return jnp.concatenate([view * h2 - view1 * h1, view1 * h2 + view * h1], axis=-1)
# ---- seed 7, index 1, family position
import jax
import jax.numpy as jnp


def apply(a, positions):
    r0 = jnp.expand_dims(positions.astype(jnp.bfloat16), 1) * jnp.exp(jnp.arange(3, dtype=jnp.bfloat16) * -3.070113)
    return a * 2.449 + jnp.concatenate([jnp.sin(r0), jnp.cos(r0)], axis=-1)
# ---- seed 7, index 2, family position
import jax
import jax.numpy as jnp


def program(x, positions):
    h0 = 1.0 / jnp.power(10000.0, jnp.arange(2, dtype=jnp.float32) / 2.0)
    h1 = jnp.expand_dims(positions.astype(jnp.float32), 1) * h0
    h2 = jnp.sin(h1)
    h3 = jnp.cos(h1)
    h4 = jnp.split(x, 2, axis=1)[0]
    h5 = jnp.split(x, 2, axis=1)[1]
    return jnp.concatenate([h4 * h3 - h5 * h2, h5 * h3 + h4 * h2], axis=-1)
