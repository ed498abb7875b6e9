# ---- seed 7, index 0, family conv
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1):
    """A generated conv kernel."""
    return jnp.mean(lax.reduce_window(jnp.reciprocal(jnp.abs(lax.conv_general_dilated(x0, x1, (1,), 'VALID')) + 1.0), jnp.inf, lax.min, (1, 1, 2), (1, 1, 2), 'SAME'), axis=2)
# ---- seed 7, index 1, family conv
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b):
    """A generated conv kernel."""
    r0 = lax.conv(a, b, (1, 1), 'VALID')
    r1 = lax.reduce_window(jax.nn.relu(r0), jnp.inf, lax.min, (1, 1, 2, 2), (1, 1, 2, 2), 'SAME')
    return jnp.mean(r1, axis=(2, 3))
# ---- seed 7, index 2, family conv
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y):
    """A generated conv kernel."""
    h0 = lax.reduce_window(lax.rsqrt(jnp.abs(lax.conv_general_dilated(x, y, (2, 2), 'VALID')) + 1.0), -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), 'VALID')
    return jnp.mean(h0, axis=(2, 3))
