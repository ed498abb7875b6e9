# ---- seed 7, index 0, family linear_scan
import jax
from jax import lax


def program(x, w_gate):
    """A generated linear_scan kernel."""
    h = jax.nn.sigmoid(x @ w_gate)
    ranked = lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), (h, (1.0 - h) * x), axis=0)[1]
    return ranked
# ---- seed 7, index 1, family linear_scan
import jax
import jax.numpy as jnp
from jax import lax


def apply(x, decay):
    r0 = jnp.broadcast_to(jax.nn.sigmoid(decay), (10, 6))
    r1 = lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), (r0, x), axis=0)[1]
    return r1[9], r1
# ---- seed 7, index 2, family linear_scan
import jax
from jax import lax


def program(x, w_gate, b_gate):
    h0 = jax.nn.sigmoid(x @ w_gate + b_gate)
    h1 = lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), (h0, (1.0 - h0) * x), axis=0)[1]
    return h1
