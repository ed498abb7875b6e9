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


def transform(a, key):
    """Jax.random sampling from a key argument.

    Args:
      a: bf16[4,8]
      key: u32[2]

    Returns:
      bf16[4,8]
    """
    r0 = jax.random.normal(jax.random.fold_in(key, 84), (4, 8), dtype=jnp.bfloat16)
    return jnp.exp(jnp.minimum(a, jax.nn.relu(r0)))
# ---- seed 7, index 2, family random
import jax
import jax.numpy as jnp


def f(x, key):
    """A generated random kernel."""
    return jnp.minimum(jax.nn.gelu(x, approximate=False), jnp.log(jnp.abs(jax.nn.log_sigmoid(x) + jax.random.normal(jax.random.split(key, 2)[1], (), dtype=jnp.float32)) + 1.0))
