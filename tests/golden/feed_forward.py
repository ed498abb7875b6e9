# ---- seed 7, index 0, family feed_forward
import jax


def program(x, w_gate, w_up, w2):
    """Transformer feed-forward layers: pre-norm, dense or gated (SwiGLU, GeGLU) units, residual."""
    prod = x @ w_gate
    prod1 = x @ w_up
    h = jax.nn.gelu(prod) * prod1
    prod2 = h @ w2
    return x + prod2
# ---- seed 7, index 1, family feed_forward
import jax


def apply(x, w1, b, w2, b1):
    r0 = x @ w1 + b
    r1 = jax.nn.silu(r0)
    r2 = r1 @ w2 + b1
    return x + r2
# ---- seed 7, index 2, family feed_forward
import jax
import jax.numpy as jnp
from jax import lax


def program(x, gamma, beta, w1, b, w2):
    h0 = jnp.mean(x, axis=-1, keepdims=True)
    h1 = x - h0
    h2 = h1 * lax.rsqrt(jnp.mean(jnp.square(h1), axis=-1, keepdims=True) + 1e-06)
    h3 = h2 * gamma + beta
    h4 = h3 @ w1 + b
    h5 = jax.nn.gelu(h4)
    h6 = h5 @ w2
    return x + h6
