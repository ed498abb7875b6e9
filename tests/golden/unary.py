# ---- seed 7, index 0, family unary
import jax
import jax.numpy as jnp


def transform(x0):
    h0 = jnp.tanh(x0)
    return jnp.sin(jnp.square(jnp.square(h0)))
# ---- seed 7, index 1, family unary
import jax
import jax.numpy as jnp


def program(a):
    """A generated unary kernel."""
    return jnp.sqrt(jax.nn.softplus(jnp.sin(a))) * 10.0
# ---- seed 7, index 2, family unary
import jax
import jax.numpy as jnp


def f(x):
    return jnp.log1p(jnp.abs(jnp.tanh(x)))
