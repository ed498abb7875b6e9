# ---- seed 7, index 0, family linalg
import jax
import jax.numpy as jnp


def fn(x0, x1, x3):
    """Dot, matmul, einsum, tensordot, outer, inner."""
    return jnp.minimum(jnp.matmul(x1, jnp.tril(x3).min(axis=-1)), x0)
# ---- seed 7, index 1, family linalg
import jax
import jax.numpy as jnp
from jax import lax


def transform(b, c):
    """A generated linalg kernel."""
    r0 = jnp.log(b + 1.0)
    return jnp.hypot(r0, jnp.tensordot(c, lax.erf_inv(jnp.clip(c, -0.9, 0.9)), axes=1))
# ---- seed 7, index 2, family linalg
import jax
import jax.numpy as jnp


def f(x, y, z, w, v):
    """A generated linalg kernel."""
    return jnp.einsum('i,i->i', (x + y) @ jnp.tensordot(z, w, axes=2), v)
