# ---- seed 7, index 0, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x2, x4, idx):
    """Several statements of different shapes and kinds."""
    h = jnp.cosh(jax.nn.gelu(lax.atan(x0)))
    def body_fn(it, h_c):
        return jax.nn.hard_tanh(jax.nn.sigmoid(x4.at[idx].min(jnp.full((4, 16, 10), 10.0, dtype=jnp.float16))).T - h_c)
    h_c_out = lax.fori_loop(0, 12, body_fn, h)
    def update(i, accc):
        return jax.nn.hard_tanh(lax.erf_inv(jnp.clip(accc, -0.9, 0.9)))
    accc_out = lax.fori_loop(0, 12, update, lax.sin(lax.stop_gradient(-h_c_out)))
    h1 = lax.add(jnp.matmul(jnp.broadcast_to(jnp.mean(x2), (10, 16, 6)), jnp.full((6, 5), 4.0, dtype=jnp.float16)), accc_out)
    h2 = lax.logistic(lax.exp(jnp.clip(h1, -73.0, 6.0)))
    return h2
# ---- seed 7, index 1, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def apply(c, d, e, g):
    r1 = jnp.sin(jnp.broadcast_to(jnp.subtract(e, c), (10, 6, 10)))
    def cell(r1_c, row):
        return jnp.maximum(jax.nn.relu(jnp.sin(row)), r1_c), jnp.log(row)
    r1_c_out, ys = lax.scan(cell, r1, d, reverse=True)
    r2 = jnp.sqrt(g) + lax.sign(-r1)
    return r2, r1_c_out
# ---- seed 7, index 2, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, w, v):
    h0 = jax.nn.relu(y)
    h1 = jnp.minimum(jnp.log10(jnp.abs(w) + 0.5), h0)
    h2 = w + jax.nn.log_sigmoid(v)
    h3 = lax.round(h2)
    h4 = jnp.add(jnp.exp(h0), v)
    h5 = jnp.trunc(jnp.maximum(jnp.sign(h3), h4))
    def then_branch(y_, h1_):
        return jax.nn.log_sigmoid(y_)
    def else_branch(y_1, h1_1):
        return h1_1 * jax.nn.gelu(jnp.arccos(jax.nn.soft_sign(jax.nn.softplus(h5))))
    hout = lax.cond(jnp.any(jnp.broadcast_to(jnp.mean(h5), (4,))), then_branch, else_branch, y, h1)
    h9 = lax.sub(jnp.full((16,), 0.1, dtype=jnp.float32), jnp.broadcast_to(x.mean(), (16,)))
    return h9
