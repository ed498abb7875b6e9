# ---- seed 7, index 0, family loop
import jax
import jax.numpy as jnp
from jax import lax


def transform(x0, x1):
    def scan_body(x0_c, row):
        h0 = 1.5 + jnp.log(jnp.abs(row + x0) + 1.0)
        h1 = jnp.tanh(jnp.maximum((h0 + h0) * x0_c, row))
        return h1, h1
    h2, h3 = lax.scan(scan_body, x0, x1)
    return h2, h3
# ---- seed 7, index 1, family loop
import jax
import jax.numpy as jnp
from jax import lax


def program(a):
    """A generated loop kernel."""
    def body(it, a_c):
        return jnp.tanh(a) / (jnp.abs(a_c) + 1.0)
    r0 = lax.fori_loop(0, 7, body, a)
    return r0
# ---- seed 7, index 2, family loop
import jax
import jax.numpy as jnp
from jax import lax


def f(x):
    def body(i, x_c):
        h0 = i.astype(jnp.float32) * 0.1
        return jnp.tanh(jnp.maximum((x_c + 0.1) * 0.25, h0))
    h1 = lax.fori_loop(0, 12, body, x)
    return h1
