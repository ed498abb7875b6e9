# ---- seed 7, index 0, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, x4, x5):
    """Several statements of different shapes and kinds.

    Args:
      x0: f16[6,16,4]
      x1: f16[6,16,4]
      x2: f16[8,6,16,4]
      x3: f16[6,17,2,5]
      x4: f16[16,4]
      x5: f16[6,16,4]

    Returns:
      f16[6,16,4]
      f16[6,16]
    """
    def scan_body(accc, elem):
        return jnp.clip(jnp.power(jnp.abs(lax.round(x4)) + 1.0, x5) + accc, -1.0, 1.0), jnp.power(jnp.abs(lax.round(x4)) + 1.0, x5) + accc
    accc_out, ys = lax.scan(scan_body, jnp.square(x0 + x3[:, 1:, 1, 1:]), x2)
    h = jnp.maximum(lax.round(lax.erf(x1)), jax.nn.softmax(jnp.hypot(accc_out, x5)))
    h1 = jnp.exp(jnp.broadcast_to(jnp.mean(x1), (6, 16)))
    h2 = jnp.abs(lax.stop_gradient(lax.tanh(h)))
    return h2, h1
# ---- seed 7, index 1, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, d, e, g):
    """A generated multi_statement kernel."""
    r1 = jnp.minimum(jax.nn.sigmoid(b), jnp.subtract(10.0 * a, b + 3.0))
    def then_branch(b_, c_):
        return lax.add(b_, jnp.reciprocal(a + 1.0))
    def else_branch(b_1, c_1):
        return jnp.divide(jnp.cos(b_1), jnp.sqrt(g)) - d + jnp.mean(c_1)
    rout = lax.cond(d * e > -2.4, then_branch, else_branch, b, c)
    def cell(accc, elem):
        def path_0():
            def then_branch1():
                return jax.nn.gelu(jnp.copysign(jnp.broadcast_to(jnp.mean(elem), (4, 4)), jnp.full((4, 4), 0.01, dtype=jnp.bfloat16)) @ a)
            def else_branch1():
                return jnp.cos(g)
            rout1 = lax.cond(d <= -0.1, then_branch1, else_branch1)
            return rout1
        def path_1():
            def then_branch2():
                r2 = jnp.abs(jnp.square(accc))
                return jnp.abs(r2)
            def else_branch2():
                return jax.nn.gelu(b)
            rout2 = lax.cond(lax.log(jnp.abs(d) + 1.0) <= 0.4, then_branch2, else_branch2)
            return rout2
        def path_2():
            r3 = jnp.arccos(jnp.sin(r1))
            r4 = jax.nn.softplus(r3)
            def update(i, r4_c):
                r5 = i.astype(jnp.bfloat16) * 0.1
                return lax.add(jnp.sqrt(r4), r4_c) * r5
            r4_c_out = lax.fori_loop(0, 4, update, r4)
            return r4_c_out
        rout3 = lax.switch(jnp.max(b.astype(jnp.int32)), [path_0, path_1, path_2])
        return jnp.clip(lax.max(rout3, accc), -1.0, 1.0), lax.max(rout3, accc)
    accc_out, ys = lax.scan(cell, jnp.abs(r1) * jnp.logaddexp(rout, b), jnp.full((9, 4, 8), 0.5, dtype=jnp.bfloat16) + jnp.broadcast_to(g, (9, 4, 8)))
    r6 = lax.min(jnp.broadcast_to(jnp.mean(b), (8,)), jnp.broadcast_to(jnp.mean(c), (8,)))
    return r6
# ---- seed 7, index 2, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z, w, v, u):
    """A generated multi_statement kernel."""
    def case_0():
        return lax.sqrt(w)
    def case_1():
        return lax.neg(v)
    def case_2():
        h0 = jnp.ceil(jnp.ptp(u, axis=0))
        def update(it, h0_c):
            return jnp.sign(h0_c)
        h0_c_out = lax.fori_loop(0, 5, update, h0)
        return h0_c_out
    def case_3():
        return jnp.sin(w)
    hout = lax.switch(z, [case_0, case_1, case_2, case_3])
    def then_branch(z_, v_):
        return v_ + jnp.add(x, x - 10.0 - jnp.log1p(jnp.abs(y)))
    def else_branch(z_1, v_1):
        return jnp.minimum(jnp.sqrt(x), v_1)
    hout1 = lax.cond(hout + v < 1.7, then_branch, else_branch, z, v)
    h1 = jnp.multiply(lax.tanh(jax.nn.relu(v)), v)
    h2 = jnp.sum(jnp.multiply(jnp.broadcast_to(hout1.astype(jnp.int32).max(), (3,)), z), axis=0)
    def option_0(z_2, u_):
        return jnp.mean(u_) * lax.tanh(jax.nn.relu(hout1))
    def option_1(z_3, u_1):
        h3 = lax.square(x)
        return jnp.minimum(h3 * h1, h3) * jnp.mean(u_1)
    hout2 = lax.switch(h2, [option_0, option_1], z, u)
    return hout2
