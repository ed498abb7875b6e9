# ---- seed 7, index 0, family while_loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x0):
    """Loops without a backward pass: lax.while_loop and lax.fori_loop over traced bounds.

    Args:
      x0: f16[10,16]

    Returns:
      f16[10,16]
    """
    def not_done(carry):
        step, x0_c = carry
        return step < 10
    def iterate(carry1):
        step1, x0_c1 = carry1
        def update(it, x0_c1_c):
            h = it.astype(jnp.float16) * 0.1
            return jnp.tanh(lax.logistic(x0)) * h
        x0_c1_c_out = lax.fori_loop(0, 2, update, x0_c1)
        h1 = x0_c1_c_out * x0_c1
        return step1 + 1, jnp.where(jnp.abs(h1) <= 1.0, h1, 0.0)
    step1out, x0_c1out = lax.while_loop(not_done, iterate, (jnp.int32(0), x0))
    return x0_c1out
# ---- seed 7, index 1, family while_loop
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c2, d, e):
    def keep_going(c):
        step, a_c, b_c = c
        return step < 11
    def advance(c1):
        step1, a_c1, b_c1 = c1
        r0 = jax.nn.softplus(lax.sin(b))
        return step1 + 1, lax.sub(b_c1, jnp.transpose(jnp.where(c2, d, e), (1, 0))), 2.0 * jax.nn.sigmoid(jnp.maximum(lax.sqrt(r0), b_c1)) - 1.0
    step1out, a_c1out, b_c1out = lax.while_loop(keep_going, advance, (jnp.int32(0), a, b))
    return a_c1out, b_c1out
# ---- seed 7, index 2, family while_loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x, iters, y):
    def update(it, x_c):
        h0 = lax.erf_inv(jnp.clip(x_c, -0.9, 0.9))
        return jax.nn.hard_tanh(x_c * lax.sub(h0, lax.convert_element_type(y, jnp.float32)))
    x_c_out = lax.fori_loop(0, iters, update, x)
    return x_c_out
