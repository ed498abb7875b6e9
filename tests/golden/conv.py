# ---- seed 7, index 0, family conv
import jax
from jax import lax


def program(x0, x1):
    """Convolutions and pooling over NCHW images.

    Args:
      x0: f16[4,4,14]
      x1: f16[7,4,2]

    Returns:
      f16[4,7]
    """
    return lax.reduce_window(lax.sqrt(jax.nn.softplus(lax.conv_general_dilated(x0, x1, (1,), 'VALID'))), 0.0, lax.add, (1, 1, 2), (1, 1, 2), 'SAME').mean(axis=2)
# ---- seed 7, index 1, family conv
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b):
    return jnp.mean(lax.reduce_window(jnp.sin(lax.conv(a, b, (2,), 'VALID')), jnp.inf, lax.min, (1, 1, 2), (1, 1, 2), 'SAME'), axis=2)
# ---- seed 7, index 2, family conv
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z):
    h0 = lax.reduce_window(lax.sqrt(jnp.abs(z - lax.conv(x, y, (1, 1), 'SAME'))), 0.0, lax.add, (1, 1, 2, 2), (1, 1, 2, 2), 'VALID')
    return jnp.mean(h0, axis=(2, 3))
