# ---- seed 7, index 0, family feed_forward
import jax
import jax.numpy as jnp


def program(x, w1, w2, b):
    """Transformer feed-forward layers: pre-norm, dense or gated (SwiGLU, GeGLU) units, residual."""
    prod = jnp.einsum('btd,df->btf', x, w1)
    h = jax.nn.relu(prod)
    h1 = jnp.einsum('btd,df->btf', h, w2) + b
    h2 = x + h1
    h3 = h2 - jnp.mean(h2, axis=-1, keepdims=True)
    return h3 / jnp.sqrt(jnp.mean(jnp.square(h3), axis=-1, keepdims=True) + 1e-05)
# ---- seed 7, index 1, family feed_forward
import jax
import jax.numpy as jnp


def apply(x, w_gate, w_up, w2, b):
    r0 = x @ w_gate
    r1 = x @ w_up
    r2 = jax.nn.silu(r0) * r1
    r3 = r2 @ w2 + b
    r4 = x + r3
    r5 = jnp.mean(r4, axis=-1, keepdims=True)
    r6 = r4 - r5
    return r6 / jnp.sqrt(jnp.mean(jnp.square(r6), axis=-1, keepdims=True) + 1e-05)
# ---- seed 7, index 2, family feed_forward
import jax
import jax.numpy as jnp
from jax import lax


def program(x, gamma, beta, w_gate, w_up, w2):
    h0 = x - jnp.mean(x, axis=-1, keepdims=True)
    h1 = h0 * lax.rsqrt(jnp.mean(jnp.square(h0), axis=-1, keepdims=True) + 1e-06) * gamma + beta
    h2 = jnp.einsum('btd,df->btf', h1, w_gate)
    h3 = jnp.einsum('btd,df->btf', h1, w_up)
    h4 = jax.nn.silu(h2) * h3
    h5 = jnp.einsum('btd,df->btf', h4, w2)
    return x + h5
