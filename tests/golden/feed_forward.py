# ---- seed 7, index 0, family feed_forward
import jax


def program(x, w_gate, w_up, w2):
    """Transformer feed-forward layers: pre-norm, dense or gated (SwiGLU, GeGLU) units, residual.

    Args:
      x: f16[3,16,10]
      w_gate: f16[10,16]
      w_up: f16[10,16]
      w2: f16[16,10]

    Returns:
      f16[3,16,10]
    """
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
    return r2
# ---- seed 7, index 2, family feed_forward
import jax
import jax.numpy as jnp
from jax import lax


def program(x, gamma, beta, w_gate, w_up, w2):
    h0 = x - jnp.mean(x, axis=-1, keepdims=True)
    h1 = h0 * lax.rsqrt(jnp.mean(jnp.square(h0), axis=-1, keepdims=True) + 1e-06) * gamma + beta
    h2 = h1 @ w_gate
    h3 = h1 @ w_up
    h4 = jax.nn.silu(h2) * h3
    h5 = h4 @ w2
    return x + h5
