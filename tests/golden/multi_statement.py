# ---- seed 7, index 0, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, x4, x5):
    """Several statements of different shapes and kinds."""
    def scan_body(accc, elem):
        return jnp.clip(jnp.power(jnp.abs(lax.round(x4)) + 1.0, x5) + accc, -1.0, 1.0), jnp.power(jnp.abs(lax.round(x4)) + 1.0, x5) + accc
    accc_out, ys = lax.scan(scan_body, jnp.square(x0 + x3[:, 1:, 1, 1:]), x2)
    h = lax.erf(x1)
    probs = jax.nn.softmax(jnp.hypot(jnp.minimum(jnp.float16(4.0), x1), jnp.cos(h)))
    h1 = lax.tanh(probs)
    return h1, probs
# ---- seed 7, index 1, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, g):
    """Several statements of different shapes and kinds."""
    r0 = jnp.square(jnp.ptp(c, axis=-2))
    r3 = jnp.cos(jnp.broadcast_to(g, (4, 8)))
    r4 = jnp.round(r3)
    r5 = jnp.cos(r3)
    r6 = jax.nn.gelu(r5)
    r7 = jax.nn.relu(jnp.sin(r4))
    def loop_body(k, r7_c):
        r8 = k.astype(jnp.bfloat16) * 0.1
        def then_branch():
            return lax.add(a, jnp.sqrt(r7))
        def else_branch():
            def scan_body(accc, elem):
                return jnp.clip(jnp.clip(jnp.square(elem), -3.0, 3.0), -1.0, 1.0), jnp.tan(jnp.clip(accc, -1.0, 1.2))
            accc_out, ys = lax.scan(scan_body, jnp.maximum(r6, b) + jnp.multiply(b, r7_c), jnp.broadcast_to(r8, (9, 4, 8)) - jnp.broadcast_to(r0.mean(), (9, 4, 8)))
            return accc_out
        rout = lax.cond(-r8 < -0.4, then_branch, else_branch)
        return jnp.clip(jnp.add(rout, r7_c), -1.0, 1.0)
    r7_c_out = lax.fori_loop(1, 10, loop_body, r7)
    return r7_c_out, r6
# ---- seed 7, index 2, family multi_statement
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z, w, v, u):
    """Several statements of different shapes and kinds.

    Args:
      x: f32[5]
      y: f32[5]
      z: s32[]
      w: f32[]
      v: f32[]
      u: f32[8]

    Returns:
      f32[5]
    """
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
        return jnp.subtract(jax.nn.mish(x) * x, v_)
    def else_branch(z_1, v_1):
        def step(accc, elem):
            h1 = jnp.broadcast_to(jnp.log1p(jnp.broadcast_to(z_1.astype(jnp.float32), (1,))), (5,))
            h2 = lax.erf(h1)
            return jnp.tanh(jnp.cbrt(h2) - accc), jnp.cbrt(h2) - accc
        accc_out, ys = lax.scan(step, jnp.sin(y), jnp.broadcast_to(x, (9, 5)), reverse=True)
        return accc_out * v_1
    hout1 = lax.cond(hout + v < 1.7, then_branch, else_branch, z, v)
    def update1(k, hout1_c):
        return jnp.cos(jnp.trunc(hout1_c))
    hout1_c_out = lax.fori_loop(1, 6, update1, hout1)
    h3 = -z
    def option_0(x_, y_):
        return lax.tanh(jax.nn.relu(y_))
    def option_1(x_1, y_1):
        return jnp.hypot(jnp.float32(2.0), jnp.reciprocal(jnp.abs(hout1_c_out) + 1.0)) * y_1
    def option_2(x_2, y_2):
        h4 = jax.nn.leaky_relu(lax.atanh(jnp.clip(hout, -0.9, 0.9))) - jnp.cumprod(jnp.tanh(y_2), axis=0)
        return jnp.log2(jnp.abs(h4) + 1.0) + x_2
    def option_3(x_3, y_3):
        return lax.sub(x_3, y_3 - v)
    hout2 = lax.switch(h3, [option_0, option_1, option_2, option_3], x, y)
    return hout2
