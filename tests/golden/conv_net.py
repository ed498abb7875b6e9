# ---- seed 7, index 0, family conv_net
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, scale):
    """Convolution blocks in flax's NHWC layout: conv, batch/group/RMS norm, activation, pooling, residual."""
    cast = x0.astype(jnp.float32)
    return jax.nn.gelu((cast * lax.rsqrt(jnp.mean(jnp.square(cast), axis=-1, keepdims=True) + 1e-05)).astype(jnp.float16) * (1.0 + scale))
# ---- seed 7, index 1, family conv_net
import jax
from jax import lax


def apply(images, filters, bias):
    r0 = lax.conv_general_dilated(images, filters, (1, 1), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
    r1 = r0 + bias
    r2 = jax.nn.relu(r1)
    return r2
# ---- seed 7, index 2, family conv_net
import jax
import jax.numpy as jnp
from jax import lax


def program(images, filters, scale):
    h0 = lax.conv_general_dilated(images, filters, (1, 1), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
    h1 = jnp.mean(jnp.square(h0), axis=-1, keepdims=True)
    h2 = h0 / jnp.sqrt(h1 + 1e-05)
    h3 = jax.nn.silu(h2 * (1.0 + scale))
    return h3
