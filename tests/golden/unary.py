# ---- seed 7, index 0, family unary
import jax
import jax.numpy as jnp


def fn(x0):
    """Chains of unary functions.

    Args:
      x0: f16[16]

    Returns:
      f16[16]
    """
    return jnp.log1p(jnp.floor(x0))
# ---- seed 7, index 1, family unary
import jax
import jax.numpy as jnp
from jax import lax


def transform(a):
    """Chains of unary functions.

    Args:
      a: bf16[]

    Returns:
      bf16[]
    """
    return lax.rsqrt(jnp.minimum(10.0, jnp.log(jnp.abs(jax.nn.log_sigmoid(a)) + 1.0)))
# ---- seed 7, index 2, family unary
import jax
import jax.numpy as jnp
from jax import lax


def f(x):
    """A generated unary kernel."""
    h0 = jnp.cosh(x)
    h1 = jnp.round(lax.exp(h0))
    return jnp.expm1(jnp.clip(h1, 3.0, 6.0)) - 0.5
