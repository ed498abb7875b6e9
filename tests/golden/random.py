# ---- seed 7, index 0, family random
import jax
import jax.numpy as jnp


def fn(rng):
    """Sampling with jax.random from a key argument."""
    return jax.nn.silu(jax.random.gumbel(jax.random.split(rng, 4)[2], (6, 16, 4), dtype=jnp.float16))
# ---- seed 7, index 1, family random
import jax
import jax.numpy as jnp
from jax import lax


def transform(prng_key, b):
    """Sampling with jax.random from a key argument.

    Args:
      prng_key: u32[2]
      b: bf16[4,8]

    Returns:
      bf16[4,8]
    """
    return lax.min(jax.random.uniform(jax.random.split(prng_key, 4)[0], (4, 8), dtype=jnp.bfloat16, minval=-1.0, maxval=1.0), jnp.reciprocal(lax.exp2(b)))
# ---- seed 7, index 2, family random
import jax
import jax.numpy as jnp


def f(rng):
    """A generated random kernel."""
    return jnp.abs(jax.random.permutation(rng, jax.random.uniform(rng, (5,), dtype=jnp.float32, minval=-1.0, maxval=2.0), axis=-1))
