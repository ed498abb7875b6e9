# ---- seed 7, index 0, family multi_statement
import jax
import jax.numpy as jnp


def transform(x0, x1, x2):
    h0 = jnp.log(jnp.abs(x1 + x2) + 1.0)
    h2 = x1 + 0.01
    h3 = h2 - x0
    h4 = jnp.where(h0 >= 1.0, h3, h2) * 1.5
    h5 = jnp.exp(h4)
    return h5
# ---- seed 7, index 1, family multi_statement
import jax
import jax.numpy as jnp


def program(a, b):
    """A generated multi_statement kernel."""
    r0 = a * 0.1
    r1 = a + b
    r2 = (jnp.maximum(b, a) - jnp.where(r1 <= -2.3, a, r0)) * jnp.log(jnp.abs(jnp.minimum(r0, r1)) + 1.0)
    r3 = jnp.minimum(b * r2 + -a, a * jax.nn.sigmoid(a))
    return r3
# ---- seed 7, index 2, family multi_statement
import jax
import jax.numpy as jnp


def f(x, y):
    h0 = jax.nn.sigmoid(x)
    h1 = jnp.log(jnp.abs(jnp.where(x < 0.1, jnp.exp(h0), x + h0)) + 1.0)
    h2 = jnp.log1p(jnp.abs(jnp.minimum(h1 - y, jnp.tanh(x))))
    h4 = jnp.sin(x)
    h5 = jnp.sqrt(jnp.maximum(h2, h4))
    return h5, h4
