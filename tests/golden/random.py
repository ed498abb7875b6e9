# ---- seed 7, index 0, family random
import jax
import jax.numpy as jnp


def program(x0, rng):
    """Sampling with jax.random from a key argument."""
    return jnp.maximum(jax.random.gumbel(jax.random.split(rng, 4)[2], (10, 16, 5), dtype=jnp.float16), jnp.expm1(jnp.tan(jnp.clip(x0, -1.2, 1.2))))
# ---- seed 7, index 1, family random
import jax
import jax.numpy as jnp
from jax import lax


def apply(prng_key, b):
    return jax.random.normal(prng_key, (10, 6, 10), dtype=jnp.bfloat16) + jnp.cosh(lax.log(b))
# ---- seed 7, index 2, family random
import jax
import jax.numpy as jnp
from jax import lax


def program(x, prng_key, i):
    return lax.add(x, jax.random.normal(jax.random.fold_in(prng_key, i), (16, 5), dtype=jnp.float32))
