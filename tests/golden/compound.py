# ---- seed 7, index 0, family compound
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x4, x5):
    """A generated compound kernel."""
    def cell(x1_c, x_t):
        def on_true(x_t_):
            def path_0():
                return lax.dynamic_slice(jnp.full((8, 18), 0.1, dtype=jnp.float16), (jnp.abs(x5), 2), (6, 16)) * x1
            def path_1():
                return lax.cos(x1_c - x_t)
            def path_2():
                return jnp.tanh(jnp.square(x_t_)) * jax.nn.softplus(x_t * x0)
            hout = lax.switch(-(1 * x5), [path_0, path_1, path_2])
            return jnp.minimum(hout, x_t_)
        def on_false(x_t_1):
            return x_t_1 * x1
        hout1 = lax.cond(jnp.cbrt(x4) < 1.1, on_true, on_false, x_t)
        return lax.min(hout1, x_t), hout1
    x1_c_out, ys = lax.scan(cell, x1, jnp.cos(x2))
    return x1_c_out.min(axis=-2)
# ---- seed 7, index 1, family compound
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, c, d, g):
    """Loops and branches nested up to three deep.

    Args:
      a: bf16[4]
      c: bf16[7,4]
      d: bf16[2,4]
      g: bf16[4,12]

    Returns:
      bf16[1]
      bf16[4]
    """
    def cell(a_c, row):
        def step(accc, row1):
            r0 = jnp.cbrt(accc)
            def scan_body(r0_c, row2):
                r1 = lax.cbrt(0.1 / (jnp.abs(jnp.cos(row)) + 1.0))
                return jnp.tanh(jax.nn.leaky_relu(r1) - row2), jax.nn.leaky_relu(r1) - row2
            r0_c_out, ys = lax.scan(scan_body, r0, jax.nn.gelu(jnp.broadcast_to(row1, (9, 4))))
            return jnp.tanh(r0_c_out - row1), r0_c_out - row1
        accc_out, ys1 = lax.scan(step, jnp.sum(jnp.log1p(jnp.abs(g)), axis=-1), jax.nn.softplus(d), reverse=True)
        return lax.min(a_c, accc_out), lax.stop_gradient(a_c)
    a_c_out, ys2 = lax.scan(cell, a, jnp.abs(c))
    return jnp.mean(a_c_out, keepdims=True), a_c_out
# ---- seed 7, index 2, family compound
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z, w, v):
    """Loops and branches nested up to three deep."""
    h0 = jnp.square(lax.min(x, y))
    h1 = jnp.sin(h0)
    def loop_body(it, h1_c):
        h2 = it.astype(jnp.float32) * 0.1
        h3 = jax.nn.leaky_relu(jnp.tan(h2)) + jnp.subtract(2.0, h1_c + 0.01)
        def scan_body(h3_c, x_t):
            h4 = lax.convert_element_type(w, jnp.int32) + it
            def case_0():
                return jnp.arctan2(lax.log(jnp.abs(v) + 1.0), jnp.arccos(jnp.tanh(h3)))
            def case_1():
                return jnp.copysign(lax.exp2(jnp.clip(h0, 0.0, 6.0)), lax.rsqrt(x + 1.0))
            def case_2():
                return jnp.floor(x_t) + (0.01 - h2)
            def case_3():
                h5 = jnp.sin(jnp.arcsin(h1))
                return jnp.tanh(h5)
            hout = lax.switch(h4, [case_0, case_1, case_2, case_3])
            return jnp.clip(x_t * hout, -1.0, 1.0), x_t
        h3_c_out, ys = lax.scan(scan_body, h3, jax.nn.sigmoid(z))
        return jnp.minimum(h3_c_out, h1_c)
    h1_c_out = lax.fori_loop(1, 8, loop_body, h1)
    return jnp.var(h1_c_out, axis=0, keepdims=True)
