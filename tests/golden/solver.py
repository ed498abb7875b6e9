# ---- seed 7, index 0, family solver
import jax
import jax.numpy as jnp
from jax import lax


def program(w, u):
    """Iterative solvers in lax.fori_loop: Newton steps, power iteration.

    Args:
      w: f16[10,16]
      u: f16[10]

    Returns:
      f16[]
      f16[10]
    """
    def body(it, u_c):
        prod = w.T @ u_c
        h = prod / (jnp.linalg.norm(prod) + 0.001)
        prod1 = w @ h
        return prod1 / (jnp.linalg.norm(prod1) + 0.001)
    u_c_out = lax.fori_loop(0, 6, body, u)
    prod2 = w.T @ u_c_out
    h1 = prod2 / (jnp.linalg.norm(prod2) + 0.001)
    return u_c_out @ (w @ h1), u_c_out
# ---- seed 7, index 1, family solver
import jax
import jax.numpy as jnp
from jax import lax


def apply(a):
    def body(it, accc):
        return accc * (2.0 - a * accc)
    accc_out = lax.fori_loop(0, 11, body, jnp.ones_like(a) * 0.5)
    return accc_out
# ---- seed 7, index 2, family solver
import jax
import jax.numpy as jnp
from jax import lax


def program(w, u):
    def body_fn(i, u_c):
        h0 = w.T @ u_c
        h1 = h0 / (jnp.linalg.norm(h0) + 0.001)
        h2 = w @ h1
        return h2 / (jnp.linalg.norm(h2) + 0.001)
    u_c_out = lax.fori_loop(0, 5, body_fn, u)
    h3 = w.T @ u_c_out
    h4 = h3 / (jnp.linalg.norm(h3) + 0.001)
    return u_c_out @ (w @ h4), u_c_out
