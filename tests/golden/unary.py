# ---- seed 7, index 0, family unary
import jax
import jax.numpy as jnp


def program(x0):
    """Chains of unary functions."""
    return jnp.sin(jnp.square(1.5 + jnp.sqrt(jax.nn.softplus(jnp.cos(jnp.cos(x0))))))
# ---- seed 7, index 1, family unary
import jax
import jax.numpy as jnp
from jax import lax


def apply(a):
    r0 = lax.atanh((2.0 * jax.nn.sigmoid(a) - 1.0) * 0.9) + 0.1
    r1 = -r0
    r2 = jax.nn.gelu(jnp.exp(r1), approximate=False)
    return jax.nn.sigmoid(r2)
# ---- seed 7, index 2, family unary
import jax
import jax.numpy as jnp
from jax import lax


def program(x):
    h0 = lax.cbrt(jnp.cos(x))
    return jnp.abs(h0)
