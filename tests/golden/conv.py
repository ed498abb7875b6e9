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


def forward(x, y, z):
    """Convolutions and pooling over NCHW images.

    Args:
      x: f32[1,4,13]
      y: f32[2,4,3]
      z: f32[2,1]

    Returns:
      f32[1,2]
    """
    return lax.reduce_window(jnp.log10(jnp.abs(lax.conv_general_dilated(x, y, (1,), 'SAME') + z) + 0.5), -jnp.inf, lax.max, (1, 1, 2), (1, 1, 2), 'VALID').mean(axis=2)
# ---- seed 7, index 2, family conv
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z):
    h0 = lax.reduce_window(lax.sqrt(jnp.abs(z * lax.conv(x, y, (1, 1), 'SAME'))), 0.0, lax.add, (1, 1, 2, 2), (1, 1, 2, 2), 'VALID')
    return jnp.mean(h0, axis=(2, 3))
