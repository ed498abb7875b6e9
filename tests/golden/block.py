# ---- seed 7, index 0, family block
import jax
import jax.numpy as jnp


def program(x0, x1, x2):
    """Blocks: transformer, convolution-norm-activation, mixed precision, scanned layers."""
    h = x0.astype(jnp.float32) @ x1.astype(jnp.float32) + x2
    return jax.nn.selu(jnp.clip(h, -6.0, 6.0)).astype(jnp.bfloat16)
# ---- seed 7, index 1, family block
import jax
import jax.numpy as jnp
from jax import lax


def apply(h, layer_weights):
    def cell(h_c, row):
        r0 = jnp.tanh(h_c @ row)
        r1 = jax.nn.sigmoid(jnp.mean(r0, axis=-1, keepdims=True))
        r2 = h_c + r1 * (r0 - h_c)
        return r2, jnp.mean(r2)
    h_c_out, ys = lax.scan(cell, h, layer_weights, reverse=True)
    return h_c_out, jnp.sum(ys)
# ---- seed 7, index 2, family block
import jax
import jax.numpy as jnp


def program(x, y, z):
    h0 = x.astype(jnp.float32) @ y.astype(jnp.float32) + z
    return jax.nn.relu(h0).astype(jnp.bfloat16)
