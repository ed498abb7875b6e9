# ---- seed 7, index 0, family conv_net
import jax
import jax.numpy as jnp


def program(x0, scale):
    """Convolution blocks in flax's NHWC layout: conv, batch/group/RMS norm, activation, pooling, residual."""
    cast = x0.astype(jnp.float32)
    return jax.nn.selu(scale * (cast / jnp.sqrt(jnp.mean(jnp.square(cast), axis=-1, keepdims=True) + 1e-06)).astype(jnp.float16))
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
    h1 = jax.nn.relu(h0 / jnp.sqrt(jnp.mean(h0 * h0, axis=-1, keepdims=True) + 1e-05) * scale)
    return lax.reduce_window(h1, 0.0, lax.add, (1, 2, 2, 1), (1, 2, 2, 1), 'VALID') / 4.0
