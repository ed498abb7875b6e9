# ---- seed 7, index 0, family linalg
import jax
import jax.numpy as jnp


def fn(x0, x2, x3):
    """A generated linalg kernel."""
    return jnp.matmul(x0, jnp.tril(x2).min(axis=-1)) @ x3
# ---- seed 7, index 1, family linalg
import jax
import jax.numpy as jnp


def transform(b, e, g):
    """Dot, matmul, einsum, tensordot, outer, inner."""
    return jnp.einsum('ij->', jnp.multiply(jax.nn.hard_tanh(e), jnp.minimum(g, b)))
# ---- seed 7, index 2, family linalg
import jax
import jax.numpy as jnp


def f(x, y, z, w, v):
    """A generated linalg kernel."""
    h0 = jnp.square(x)
    return jnp.einsum('abc,abc->a', x, h0) + jnp.dot(jnp.dot(y, z), w // v)
