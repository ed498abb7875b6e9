# ---- seed 7, index 0, family compound
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2, x3, x4, x5):
    """Loops and branches nested up to three deep.

    Args:
      x0: f16[10,16]
      x1: f16[10,16]
      x2: f16[10,10,16]
      x3: f16[4,10,16]
      x4: f16[16]
      x5: pred[10,16]

    Returns:
      f16[10]
      f16[10,16]
    """
    def step(x0_c, row):
        def scan_fn(accc, elem):
            def update(it, accc1):
                return jnp.minimum(x0, jnp.log1p(x1.at[jnp.clip(it * jnp.broadcast_to(jnp.max(accc1.astype(jnp.int32)), (4,)), 0, 4)].set(x4)))
            accc1_out = lax.fori_loop(0, 2, update, (jnp.sqrt(x4) + jnp.where(x5, elem, x0)) * jax.nn.softplus(jax.nn.sigmoid(x1)))
            return jnp.maximum(accc1_out, elem), jnp.maximum(accc1_out, elem)
        accc_out, ys = lax.scan(scan_fn, jnp.reciprocal(jnp.abs(row) + 0.5) ** 3, jax.nn.sigmoid(x3))
        return jnp.minimum(accc_out, row), jnp.minimum(accc_out, row)
    x0_c_out, ys1 = lax.scan(step, x0, x2)
    return jnp.sum(x0_c_out, axis=-1), x0_c_out
# ---- seed 7, index 1, family compound
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, c, d, e):
    def cell(accc, x_t):
        return jnp.where(e[2:12, 1, 2:8], jnp.log2(jnp.abs(accc) + 1.0), jax.nn.mish(x_t)), jnp.sin(a)
    accc_out, ys = lax.scan(cell, jnp.exp2(lax.cos(d)), jnp.abs(c))
    return jnp.sum(accc_out, axis=1)
# ---- seed 7, index 2, family compound
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z, w, v, u):
    def then_branch():
        def update(k, accc):
            def option_0(k_):
                return jnp.multiply(jnp.round(accc), k_.astype(jnp.float32))
            def option_1(k_1):
                h0 = lax.asin(jnp.sin(y))
                return h0 - jax.nn.gelu(x) + lax.convert_element_type(k_1, jnp.float32)
            def option_2(k_2):
                h1 = lax.add(jax.nn.swish(accc), jnp.multiply(x, v))
                return lax.convert_element_type(k_2, jnp.float32) - jnp.floor(h1)
            hout = lax.switch(jnp.square(k), [option_0, option_1, option_2], k)
            return jax.nn.hard_tanh(jnp.minimum(hout, accc))
        accc_out = lax.fori_loop(0, 5, update, jax.nn.leaky_relu(w * 10.0))
        return accc_out
    def else_branch():
        def body_fn(i, y_c):
            def loop_body(it, accc1):
                return jnp.sin(jnp.arctan(accc1))
            accc1_out = lax.fori_loop(0, 6, loop_body, jnp.round(y_c) + jnp.log1p(jnp.abs(u)))
            return jnp.minimum(accc1_out, y_c)
        y_c_out = lax.fori_loop(0, 11, body_fn, y)
        return y_c_out
    hout1 = lax.cond(jnp.tan(jnp.clip(z, -1.2, 1.2)) > 0.6, then_branch, else_branch)
    return hout1.sum(axis=1, keepdims=True)
