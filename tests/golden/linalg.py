# ---- seed 7, index 0, family linalg
import jax
import jax.numpy as jnp


def program(x0, x1, x2, x3):
    """Dot, matmul, einsum, tensordot, outer, inner."""
    return jnp.matmul(x0, jnp.cos(jnp.inner(jnp.dot(x1, x2), jnp.roll(x3, -1, axis=1))))
# ---- seed 7, index 1, family linalg
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e, g):
    r0 = jnp.ceil(jnp.inner(a, b))
    r1 = jnp.tan((2.0 * jax.nn.sigmoid(c @ d) - 1.0) * 1.2)
    r2 = jnp.inner(r0, r1)
    r3 = r2 @ e
    r4 = jnp.dot(g, jnp.broadcast_to(jnp.mean(e), (7, 16))) * jnp.tanh(jnp.mean(a)) @ jnp.pad(-jnp.broadcast_to(jnp.mean(b), (6, 13, 2)), ((0, 0), (2, 1), (0, 0)))
    return jnp.cos(r4 + lax.round(r3))
# ---- seed 7, index 2, family linalg
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z):
    return jnp.dot(jnp.square(x) @ jnp.logaddexp(jnp.square(y), jnp.sqrt(y)), lax.sqrt(jnp.abs(z)))
