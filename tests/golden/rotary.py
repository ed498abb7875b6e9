# ---- seed 7, index 0, family rotary
import jax
import jax.numpy as jnp


def program(x):
    """Rotary position embeddings: rotate_half, split halves or interleaved pairs, from int32 positions or arange.

    Args:
      x: f16[2,16,10]

    Returns:
      f16[2,16,10]
    """
    h = 1.0 / jnp.power(10000.0, jnp.arange(5, dtype=jnp.float32) * 2.0 / 10.0)
    h1 = jnp.expand_dims(jnp.arange(16, dtype=jnp.float32), 1) * h
    view = jnp.concatenate([h1, h1], axis=-1)
    cast = jnp.expand_dims(jnp.cos(view), 0).astype(jnp.float16)
    cast1 = jnp.expand_dims(jnp.sin(view), 0).astype(jnp.float16)
    view1 = jnp.concatenate([-jnp.split(x, 2, axis=-1)[1], jnp.split(x, 2, axis=-1)[0]], axis=-1)
    return x * cast + view1 * cast1
# ---- seed 7, index 1, family rotary
import jax
import jax.numpy as jnp


def apply(x):
    r0 = 1.0 / jnp.power(10000.0, jnp.arange(5, dtype=jnp.float32) * 2.0 / 10.0)
    r1 = jnp.expand_dims(jnp.arange(6, dtype=jnp.float32), 1) * r0
    r2 = jnp.expand_dims(jnp.cos(r1), 0).astype(jnp.bfloat16)
    r3 = jnp.expand_dims(jnp.sin(r1), 0).astype(jnp.bfloat16)
    r4 = jnp.split(x, 2, axis=-1)[0]
    r5 = jnp.split(x, 2, axis=-1)[1]
    return jnp.concatenate([r4 * r2 - r5 * r3, r5 * r2 + r4 * r3], axis=-1)
# ---- seed 7, index 2, family rotary
import jax
import jax.numpy as jnp


def program(x, positions):
    h0 = 1.0 / jnp.power(10000.0, jnp.arange(1, dtype=jnp.float32) * 2.0 / 2.0)
    h1 = jnp.expand_dims(positions.astype(jnp.float32), 2) * h0
    h2 = jnp.concatenate([h1, h1], axis=-1)
    h3 = jnp.cos(h2)
    h4 = jnp.sin(h2)
    h5 = jnp.concatenate([-jnp.split(x, 2, axis=-1)[1], jnp.split(x, 2, axis=-1)[0]], axis=-1)
    return x * h3 + h5 * h4
