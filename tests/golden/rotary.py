# ---- seed 7, index 0, family rotary
import jax
import jax.numpy as jnp


def program(x):
    """A generated rotary kernel."""
    h = 1.0 / jnp.power(10000.0, jnp.arange(5, dtype=jnp.float32) * 2.0 / 10.0)
    h1 = jnp.expand_dims(jnp.arange(16, dtype=jnp.float32), 1) * h
    cast = jnp.expand_dims(jnp.cos(h1), 0).astype(jnp.float16)
    cast1 = jnp.expand_dims(jnp.sin(h1), 0).astype(jnp.float16)
    view = jnp.split(x, 2, axis=-1)[0]
    view1 = jnp.split(x, 2, axis=-1)[1]
    return jnp.concatenate([view * cast - view1 * cast1, view1 * cast + view * cast1], axis=-1)
# ---- seed 7, index 1, family rotary
import jax
import jax.numpy as jnp


def apply(x):
    r0 = 1.0 / jnp.power(5000.0, jnp.arange(5, dtype=jnp.float32) * 2.0 / 10.0)
    r1 = jnp.expand_dims(jnp.arange(6, dtype=jnp.float32), 1) * r0
    r2 = jnp.concatenate([r1, r1], axis=-1)
    r3 = jnp.expand_dims(jnp.cos(r2), 0).astype(jnp.bfloat16)
    r4 = jnp.expand_dims(jnp.sin(r2), 0).astype(jnp.bfloat16)
    r5 = jnp.concatenate([-jnp.split(x, 2, axis=-1)[1], jnp.split(x, 2, axis=-1)[0]], axis=-1)
    return x * r3 + r5 * r4
# ---- seed 7, index 2, family rotary
import jax
import jax.numpy as jnp


def program(x, positions):
    h0 = 1.0 / jnp.power(10000.0, jnp.arange(1, dtype=jnp.float32) * 2.0 / 2.0)
    h1 = jnp.expand_dims(positions.astype(jnp.float32), 2) * h0
    h2 = jnp.cos(h1)
    h3 = jnp.sin(h1)
    h4 = x[:, :, ::2]
    h5 = x[:, :, 1::2]
    return jnp.reshape(jnp.stack([h4 * h2 - h5 * h3, h5 * h2 + h4 * h3], axis=-1), (4, 5, 2))
