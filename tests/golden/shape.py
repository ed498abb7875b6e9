# ---- seed 7, index 0, family shape
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, x4):
    """Reshapes, transposes, joins, splits, pads and slices."""
    return lax.slice(lax.log1p(10.0 + x0), (0, 0), (16, 4), (1, 1)), jnp.flip(jnp.concatenate([jnp.concatenate([x1, x2], axis=2), jnp.transpose(x3, (2, 1, 0)), jnp.square(x4)], axis=1), axis=1)
# ---- seed 7, index 1, family shape
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, d):
    """A generated shape kernel."""
    return jnp.repeat(a, 4, axis=0), lax.concatenate([jnp.exp(lax.slice(b, (0,), (1,), (1,))), jnp.reshape(jax.nn.gelu(c, approximate=False), (1,)), jax.nn.gelu(d[1, 1:])], 0)
# ---- seed 7, index 2, family shape
import jax
import jax.numpy as jnp


def f(x):
    """A generated shape kernel."""
    h0 = x.T
    return jnp.square(h0)
