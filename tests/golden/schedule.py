# ---- seed 7, index 0, family schedule
import jax
import jax.numpy as jnp
from jax import lax


def program(step, param, grad):
    """A generated schedule kernel."""
    cast = step.astype(jnp.float32)
    h = jnp.maximum(cast, 1.0)
    h1 = 0.1 * jnp.minimum(lax.rsqrt(h), h * 0.001)
    return param - h1.astype(jnp.float16) * grad, h1
# ---- seed 7, index 1, family schedule
import jax
import jax.numpy as jnp
from jax import lax


def apply(step, param, grad):
    r0 = step.astype(jnp.float32)
    r1 = jnp.maximum(r0, 1.0)
    r2 = 0.0003 * jnp.minimum(lax.rsqrt(r1), r1 * 0.0004941)
    return param - r2.astype(jnp.bfloat16) * grad, r2
# ---- seed 7, index 2, family schedule
import jax
import jax.numpy as jnp


def program(step, param, grad):
    h0 = step.astype(jnp.float32)
    h1 = jnp.minimum(jnp.maximum((h0 - 80.0) / 1360.0, 0.0), 1.0)
    h2 = 0.00015 * (1.0 + jnp.cos(3.141593 * h1))
    h3 = jnp.where(h0 < 80.0, 0.0003 * h0 / 80.0, h2)
    return param - h3 * grad, h3
