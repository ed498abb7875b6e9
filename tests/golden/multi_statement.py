# ---- seed 7, index 0, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x3, x4, x5):
    """A generated multi_statement kernel."""
    h = jnp.cosh(jax.nn.gelu(lax.asinh(x0)))
    def body_fn(it, h_c):
        h1 = (x3 * (x4 * x3)).swapaxes(1, 2) * h_c
        return jnp.where(jnp.abs(h1) <= 1.0, h1, 0.0)
    h_c_out = lax.fori_loop(0, 12, body_fn, h)
    def update(it1, accc):
        def case_0(accc_):
            return accc_ - lax.logistic(lax.exp(x1))
        def case_1(accc_1):
            return jnp.multiply(jnp.mean(x3) * jnp.arcsin(jnp.clip(x1 + 10.0, -1.0, 1.0)), accc_1)
        hout = lax.switch(lax.sub(jnp.einsum('ab,ab->', jnp.full((5, 10), 5, dtype=jnp.int32), jnp.broadcast_to(it1, (5, 10))), it1), [case_0, case_1], accc)
        h2 = hout - accc
        return jnp.where(jnp.abs(h2) <= 1.0, h2, 0.0)
    accc_out = lax.fori_loop(0, 1, update, jnp.tile(jnp.sin(x5), (1, 8, 1)))
    def branch_0(x4_, h_c_out_):
        return (jnp.square(accc_out) + x0) * h_c_out_
    def branch_1(x4_1, h_c_out_1):
        return jnp.cosh(jnp.floor(h_c_out_1))
    def branch_2(x4_2, h_c_out_2):
        return x4_2.mean() * (h_c_out_2 / (jnp.abs(accc_out) + 0.5) + lax.add(h_c_out_2, accc_out))
    hout1 = lax.switch(jnp.multiply(jnp.max(lax.convert_element_type(h, jnp.int32)), jnp.int32(3)) + (jnp.max(lax.convert_element_type(x0, jnp.int32)) - jnp.max(x0.astype(jnp.int32))), [branch_0, branch_1, branch_2], x4, h_c_out)
    h3 = jnp.where(jnp.abs(hout1) <= 1.0, hout1, 0.0) + jnp.clip(lax.exp(jnp.clip(hout1, -4.0, 6.0)), -1.0, 1.0)
    return h3
# ---- seed 7, index 1, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def forward(x, y, z, w):
    """A generated multi_statement kernel."""
    def branch_0(z_):
        def body(k, accc):
            h = jnp.diff(jnp.broadcast_to(k.astype(jnp.float32), (4, 16, 3)) + jnp.broadcast_to(jnp.mean(z_), (4, 16, 3)), axis=2) + accc
            return jnp.where(jnp.abs(h) <= 1.0, h, 0.0)
        accc_out = lax.fori_loop(0, 1, body, x * jnp.log(jnp.abs(jnp.tanh(x)) + 0.5))
        return jnp.subtract(accc_out, z_)
    def branch_1(z_1):
        return jnp.sin(jnp.cos(x)) + z_1
    tout = lax.switch(w, [branch_0, branch_1], z)
    def true_fn(x_, y_):
        return lax.erf(lax.neg(lax.cummin(x_, axis=2)))
    def false_fn(x_1, y_1):
        return lax.sub(jax.nn.soft_sign(y_1), x_1)
    tout1 = lax.cond(jnp.squeeze(jnp.broadcast_to(jnp.mean(y) <= -1.0, (1,)), axis=0), true_fn, false_fn, x, y)
    return tout1
# ---- seed 7, index 2, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z, w, v, u):
    h0 = jax.nn.relu6(y)
    h1 = jax.nn.relu(h0 * jnp.minimum(w, 10.0))
    h2 = jnp.exp(h0) - jax.nn.hard_tanh(v)
    h3 = (x + u) * lax.cos(h2)
    def path_0(z_, u_):
        def scan_body(h2_c, x_t):
            h4 = jnp.exp(jax.nn.silu(h2_c))
            return jax.nn.hard_tanh(jnp.add(h4 * jnp.sin(h4), x_t)), jnp.broadcast_to(u_, (1, 5)) + x_t
        h2_c_out, ys = lax.scan(scan_body, h2, jnp.minimum(jnp.broadcast_to(h1, (3, 16, 5)), u_))
        return u_ + h2_c_out
    def path_1(z_1, u_1):
        return u_1 * (h1 + (h2 - y))
    def path_2(z_2, u_2):
        h5 = jax.nn.sigmoid(lax.square(x))
        return w * h5 * u_2
    def path_3(z_3, u_3):
        return jnp.maximum(jnp.tril(h3), z_3)
    hout = lax.switch(jnp.floor_divide(u.astype(jnp.int32) - lax.convert_element_type(w, jnp.int32).max(), jnp.maximum(-jnp.max(h2.astype(jnp.int32)), 1)), [path_0, path_1, path_2, path_3], z, u)
    h6 = jnp.sort(x, axis=0)
    h7 = h6 + lax.neg(jnp.multiply(1.5, hout))
    def scan_fn(h7_c, row):
        return lax.cos(jax.nn.relu(x)) * row, lax.cos(jax.nn.relu(x)) * row
    h7_c_out, ys1 = lax.scan(scan_fn, h7, jnp.pad(jnp.broadcast_to(y.mean(), (9, 16, 2)), ((2, 0), (0, 0), (1, 2)), mode='edge'), reverse=True)
    h8 = jnp.exp(jnp.clip(hout, -6.0, 6.0)) - h7_c_out
    return h8, h7_c_out
