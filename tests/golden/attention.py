# ---- seed 7, index 0, family attention
import jax
import jax.numpy as jnp


def program(x0, x1, x2, x3):
    """A generated attention kernel."""
    prod = x0 @ x1
    view = jnp.reshape(jnp.where(jnp.abs(prod) <= 2.0, prod, 0.0), (2, 10, 3, 3))
    prod1 = x0 @ x2
    view1 = jnp.reshape(jnp.where(jnp.abs(prod1) <= 2.0, prod1, 0.0), (2, 10, 3, 3))
    prod2 = x0 @ x3
    view2 = jnp.reshape(jnp.where(jnp.abs(prod2) <= 2.0, prod2, 0.0), (2, 10, 3, 3))
    h = jnp.einsum('bqhd,bkhd->bhqk', view, view1) / 1.732
    mask = jnp.expand_dims(jnp.arange(10, dtype=jnp.int32), 0) <= jnp.expand_dims(jnp.arange(10, dtype=jnp.int32), 1)
    probs = jax.nn.softmax(jnp.where(mask, h, -100.0), axis=-1)
    return jnp.reshape(jnp.einsum('bhqk,bkhd->bqhd', probs, view2), (2, 10, 9))
# ---- seed 7, index 1, family attention
import jax
import jax.numpy as jnp


def apply(a, b, c, d, e):
    r0 = jnp.reshape((2.0 * jax.nn.sigmoid(a @ b) - 1.0) * 2.0, (4, 10, 3, 2))
    r1 = jnp.reshape((2.0 * jax.nn.sigmoid(a @ c) - 1.0) * 2.0, (4, 10, 3, 2))
    r2 = jnp.reshape((2.0 * jax.nn.sigmoid(a @ d) - 1.0) * 2.0, (4, 10, 3, 2))
    r3 = jnp.einsum('bqhd,bkhd->bhqk', r0, r1) / 1.414
    r4 = jax.nn.softmax(r3, axis=-1)
    r5 = jnp.reshape(jnp.einsum('bhqk,bkhd->bqhd', r4, r2), (4, 10, 6))
    return r5 @ e
# ---- seed 7, index 2, family attention
import jax
import jax.numpy as jnp


def program(x, y, z, w):
    h0 = jnp.reshape(jnp.clip(x @ y, -2.0, 2.0), (2, 16, 2, 2))
    h1 = jnp.reshape(jnp.clip(x @ z, -2.0, 2.0), (2, 16, 1, 2))
    h2 = jnp.reshape(jnp.clip(x @ w, -2.0, 2.0), (2, 16, 1, 2))
    h3 = jnp.repeat(h1, 2, axis=2)
    h4 = jnp.repeat(h2, 2, axis=2)
    h5 = jnp.einsum('bqhd,bkhd->bhqk', h0, h3) / 1.414
    h6 = jnp.expand_dims(jnp.arange(16, dtype=jnp.int32), 0) <= jnp.expand_dims(jnp.arange(16, dtype=jnp.int32), 1)
    h7 = jax.nn.softmax(jnp.where(h6, h5, -1000.0), axis=-1)
    return jnp.reshape(jnp.einsum('bhqk,bkhd->bqhd', h7, h4), (2, 16, 4))
