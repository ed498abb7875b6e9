# ---- seed 7, index 0, family compound
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2, x3, x4):
    """A generated compound kernel."""
    def step(x0_c, row):
        def scan_body(accc, elem):
            def scan_fn(accc1, row1):
                return jax.nn.hard_tanh(jnp.minimum(jnp.floor(elem), accc1)), jnp.minimum(jnp.floor(elem), accc1)
            accc1_out, ys = lax.scan(scan_fn, jnp.sin(x1 * accc), jnp.sqrt(x4))
            return jax.nn.hard_tanh(accc1_out + accc), accc1_out + accc
        accc_out, ys1 = lax.scan(scan_body, jax.nn.sigmoid(x0_c - row), lax.stop_gradient(x3), reverse=True)
        return jnp.minimum(accc_out, row), jnp.minimum(accc_out, row)
    x0_c_out, ys2 = lax.scan(step, x0, x2)
    return jax.nn.logsumexp(x0_c_out, axis=0)
# ---- seed 7, index 1, family compound
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, c, d, e):
    def cell(accc, x_t):
        return 2.0 * jax.nn.sigmoid(lax.add(jnp.where(e[2:12, 1, 2:8], lax.log1p(jnp.square(accc)), a), x_t)) - 1.0, lax.add(jnp.where(e[2:12, 1, 2:8], lax.log1p(jnp.square(accc)), a), x_t)
    accc_out, ys = lax.scan(cell, jnp.exp(lax.cos(d)), jnp.abs(c))
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
            return jax.nn.soft_sign(jnp.minimum(hout, accc))
        accc_out = lax.fori_loop(0, 5, update, jax.nn.selu(w * 10.0))
        return accc_out
    def else_branch():
        def body_fn(i, y_c):
            h2 = i.astype(jnp.float32) * 0.1
            h3 = jnp.add(jnp.ceil(y_c), u - jnp.broadcast_to(jnp.mean(y), (5,)))
            def update1(k1, h3_c):
                h4 = jnp.sqrt(jnp.maximum(0.25, h3_c))
                return jax.nn.soft_sign(h4 * (h2 + h3_c))
            h3_c_out = lax.fori_loop(1, 6, update1, h3)
            return jax.nn.soft_sign(h3_c_out + h2)
        y_c_out = lax.fori_loop(0, 11, body_fn, y)
        return y_c_out
    hout1 = lax.cond(jnp.tan(jax.nn.soft_sign(z) * 1.2) > 0.5, then_branch, else_branch)
    return jnp.std(hout1), hout1
