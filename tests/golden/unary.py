# ---- seed 7, index 0, family unary
import jax
import jax.numpy as jnp


def fn(x0):
    """Chains of unary functions."""
    return jnp.reciprocal(jnp.log1p(jnp.floor(x0)) + 1.0)
# ---- seed 7, index 1, family unary
import jax
import jax.numpy as jnp
from jax import lax


def transform(a):
    """Chains of unary functions."""
    return lax.square(lax.rsqrt(jnp.minimum(10.0, jnp.log(jnp.abs(jax.nn.log_sigmoid(a)) + 1.0))))
# ---- seed 7, index 2, family unary
import jax
import jax.numpy as jnp
from jax import lax


def f(x):
    """A generated unary kernel."""
    h0 = jnp.cosh(x)
    h1 = jnp.round(lax.exp(h0))
    return jax.nn.silu(jnp.expm1(jnp.clip(h1, 3.0, 6.0)) - 0.5) * 3.0
