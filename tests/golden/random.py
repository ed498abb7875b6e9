# ---- seed 7, index 0, family random
import jax
import jax.numpy as jnp
from jax import lax


def fn(x1, x2, prng_key):
    """A generated random kernel."""
    return jnp.logaddexp(lax.min(x1 * 2.0, jnp.exp(x1)), x2) * jax.nn.softplus(jax.random.uniform(jax.random.split(prng_key, 3)[1], (6, 16, 4), dtype=jnp.float16, minval=-1.0, maxval=1.0))
# ---- seed 7, index 1, family random
import jax
import jax.numpy as jnp


def transform(key):
    """A generated random kernel."""
    r0 = jax.random.normal(jax.random.fold_in(key, 84), (4, 8), dtype=jnp.bfloat16)
    return jax.nn.relu(r0)
# ---- seed 7, index 2, family random
import jax


def f(x):
    """Jax.random sampling from a key argument.

    Args:
      x: f32[5]

    Returns:
      f32[5]
    """
    return jax.nn.gelu(x, approximate=False)
