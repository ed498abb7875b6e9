# ---- seed 7, index 0, family compound
import jax
import jax.numpy as jnp
from jax import lax


def apply(x, z, w, v, u):
    def cell(accc, x_t):
        def branch_0():
            h = jnp.trunc(x + x_t)
            return lax.rsqrt(jax.nn.sigmoid(w)) / jnp.sqrt(h * h + 1.0)
        def branch_1():
            return jnp.abs(accc)
        def branch_2():
            total = jax.nn.softplus(jnp.broadcast_to(lax.convert_element_type(v, jnp.float32), (6, 2))).max(axis=0)
            def scan_fn(total_c, x_t1):
                h1 = jax.nn.leaky_relu(jnp.sqrt(jnp.abs(total_c)))
                return h1 * x_t * total_c * 0.001, total / w
            total_c_out, ys = lax.scan(scan_fn, total, u)
            return total_c_out
        vout = lax.switch(v, [branch_0, branch_1, branch_2])
        return (vout - accc) * 0.005, vout - accc
    accc_out, ys1 = lax.scan(cell, jnp.log(w) * (w + x), jnp.sin(z), reverse=True)
    return jnp.min(accc_out, keepdims=True)
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
                return jnp.add(jnp.round(accc), k_.astype(jnp.float32))
            def option_1(k_1):
                h0 = lax.asin(jnp.sin(y))
                return h0 * jax.nn.gelu(x) + lax.convert_element_type(k_1, jnp.float32)
            def option_2(k_2):
                h1 = lax.add(jax.nn.swish(accc), jnp.multiply(x, v))
                return lax.convert_element_type(k_2, jnp.float32) * jnp.floor(h1)
            hout = lax.switch(jnp.square(k), [option_0, option_1, option_2], k)
            return jax.nn.hard_tanh(jnp.maximum(hout, accc))
        accc_out = lax.fori_loop(0, 5, update, jax.nn.leaky_relu(w * 10.0))
        return accc_out
    def else_branch():
        def body_fn(i, y_c):
            def loop_body(it, accc1):
                return jnp.sin(jnp.arctan(accc1))
            accc1_out = lax.fori_loop(0, 6, loop_body, jnp.round(y_c) + jnp.log1p(jnp.abs(u)))
            return jax.nn.hard_tanh(accc1_out - y_c)
        y_c_out = lax.fori_loop(0, 11, body_fn, y)
        return y_c_out
    hout1 = lax.cond(jnp.tan(jnp.clip(z, -1.2, 1.2)) > 0.6, then_branch, else_branch)
    return hout1.sum(axis=1, keepdims=True)
