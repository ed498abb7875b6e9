# ---- seed 7, index 0, family linear_scan
import jax
from jax import lax


def program(x, w_gate, w_in):
    """Linear recurrences and prefix ops through lax.associative_scan, token shift by pad and slice.

    Args:
      x: f16[10,16]
      w_gate: f16[16,16]
      w_in: f16[16,16]

    Returns:
      f16[16]
      f16[10,16]
    """
    h = jax.nn.sigmoid(x @ w_gate)
    prod = x @ w_in
    ranked = lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), (h, prod), axis=0)[1]
    return ranked[9], ranked
# ---- seed 7, index 1, family linear_scan
import jax
import jax.numpy as jnp
from jax import lax


def apply(x, decay, w_out):
    r0 = jnp.broadcast_to(jax.nn.sigmoid(decay), (10, 6))
    r1 = lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), (r0, x), axis=0)[1]
    r2 = x + r1
    r3 = r2 * jax.nn.silu(x @ w_out)
    return r3
# ---- seed 7, index 2, family linear_scan
import jax
from jax import lax


def program(x, w_gate, b_gate, w_in):
    h0 = jax.nn.sigmoid(x @ w_gate + b_gate)
    h1 = x @ w_in
    h2 = lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), (h0, h1), axis=0)[1]
    return h2
