# ---- seed 7, index 0, family elementwise
import jax
import jax.numpy as jnp


def program(x0):
    """Binary and unary elementwise expressions over arrays of one shape."""
    return jnp.sign(jnp.exp(jax.nn.softplus(x0)))
# ---- seed 7, index 1, family elementwise
import jax
import jax.numpy as jnp


def apply(a, b, c):
    return jnp.exp2(a % (jnp.abs(c) + 1.0)) / (jnp.abs(c ** 3) + 1.0) * jnp.exp(jnp.minimum(a, b))
# ---- seed 7, index 2, family elementwise
import jax
import jax.numpy as jnp


def program(z, w):
    h0 = jnp.arcsin(jax.nn.hard_tanh(z))
    return h0 - jnp.log(jnp.abs(jax.nn.gelu(w - 10.0)) + 0.5)
