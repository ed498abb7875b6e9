# ---- seed 7, index 0, family loop
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1):
    """Loops: lax.fori_loop with static bounds and lax.scan.

    Args:
      x0: f16[6,16]
      x1: f16[6,16]

    Returns:
      f16[]
    """
    def body(it, x0_c):
        return jnp.clip(jnp.exp2(lax.cos(x0_c) + lax.cumprod(x1, axis=0)), -1.0, 1.0)
    x0_c_out = lax.fori_loop(0, 6, body, x0)
    return jnp.min(x0_c_out)
# ---- seed 7, index 1, family loop
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c):
    """Loops: lax.fori_loop with static bounds and lax.scan."""
    def step(a_c, row):
        return jnp.tanh(lax.max(row, jax.nn.relu(a_c))), jnp.abs(jnp.sum(c, axis=-1))
    a_c_out, ys = lax.scan(step, a, b)
    return ys
# ---- seed 7, index 2, family loop
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z, w, v, u):
    """A generated loop kernel."""
    def scan_fn(x_c, x_t):
        def case_0():
            return x_t * lax.select(w, x_c, v)
        def case_1():
            return jax.nn.gelu(jnp.abs(u) % (jnp.abs(jnp.tan(jnp.clip(x_c, -1.2, 1.2))) + 1.0))
        def case_2():
            return jnp.round(x_t)
        def case_3():
            h0 = lax.exp(x)
            return jnp.square(h0)
        hout = lax.switch(z, [case_0, case_1, case_2, case_3])
        h1 = jnp.tanh(jnp.minimum(x_t, hout * x_c))
        return h1, h1
    x_c_out, ys = lax.scan(scan_fn, x, y)
    return ys
