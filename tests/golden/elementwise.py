# ---- seed 7, index 0, family elementwise
import jax
import jax.numpy as jnp


def transform(x1, x2):
    h0 = 1.5 + jnp.log(jnp.abs(x1 + x2) + 1.0)
    h1 = jax.nn.relu(jnp.tanh(h0) + 1.5)
    return jnp.maximum(h0, h1)
# ---- seed 7, index 1, family elementwise
import jax


def program(c):
    """A generated elementwise kernel."""
    return c * 0.1
# ---- seed 7, index 2, family elementwise
import jax
import jax.numpy as jnp


def f(x, y):
    return -jnp.tanh(x - y) - jax.nn.sigmoid(x + y - jax.nn.softplus(y))
