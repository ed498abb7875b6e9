# ---- seed 7, index 0, family position
import jax
import jax.numpy as jnp


def program(x0):
    """Position codes: sinusoidal, rotary."""
    h = jnp.expand_dims(jnp.arange(10, dtype=jnp.float16), 1) * jnp.exp(jnp.arange(8, dtype=jnp.float16) * -1.151293)
    h1 = jnp.sin(h)
    h2 = jnp.cos(h)
    view = jnp.split(x0, 2, axis=1)[0]
    view1 = jnp.split(x0, 2, axis=1)[1]
    return jnp.concatenate([view * h2 - view1 * h1, view1 * h2 + view * h1], axis=-1)
# ---- seed 7, index 1, family position
import jax
import jax.numpy as jnp


def apply(a):
    r0 = jnp.exp(jnp.arange(3, dtype=jnp.bfloat16) * -3.070113)
    r1 = jnp.expand_dims(jnp.arange(10, dtype=jnp.bfloat16), 1) * r0
    r2 = jnp.sin(r1)
    r3 = jnp.cos(r1)
    r4 = jnp.split(a, 2, axis=1)[0]
    r5 = jnp.split(a, 2, axis=1)[1]
    return jnp.concatenate([r4 * r3 - r5 * r2, r5 * r3 + r4 * r2], axis=-1)
# ---- seed 7, index 2, family position
import jax
import jax.numpy as jnp


def program(x):
    h0 = jnp.expand_dims(jnp.arange(16, dtype=jnp.float32), 1) * jnp.exp(jnp.arange(2, dtype=jnp.float32) * -4.60517)
    return x + jnp.reshape(jnp.stack([jnp.sin(h0), jnp.cos(h0)], axis=-1), (16, 4))
