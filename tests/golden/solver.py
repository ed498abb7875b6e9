# ---- seed 7, index 0, family solver
import jax
import jax.numpy as jnp
from jax import lax


def program(a):
    """Iterative solvers in lax.fori_loop: Newton steps, power iteration."""
    def loop_body(k, a_c):
        return 0.5 * (a_c + a / a_c)
    a_c_out = lax.fori_loop(0, 10, loop_body, a)
    return a_c_out, jnp.max(jnp.abs(a_c_out * a_c_out - a))
# ---- seed 7, index 1, family solver
import jax
import jax.numpy as jnp
from jax import lax


def apply(x, w, b):
    r0 = x + b
    def update(k, accc):
        return 0.7 * accc + 0.3 * jnp.tanh(accc @ w + r0)
    accc_out = lax.fori_loop(1, 2, update, jnp.zeros_like(x))
    return accc_out, jnp.max(jnp.abs(jnp.tanh(accc_out @ w + r0) - accc_out))
# ---- seed 7, index 2, family solver
import jax
from jax import lax


def program(a, x):
    def update(it, accc):
        return accc * (2.0 - a * accc)
    accc_out = lax.fori_loop(0, 11, update, 1.5 - 0.5 * a)
    return x * accc_out
