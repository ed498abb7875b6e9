# ---- seed 7, index 0, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1, x2, x3, x4):
    """Branches in branches: lax.cond inside lax.cond, jnp.where inside branches.

    Args:
      x0: f16[6,16]
      x1: f16[6,16]
      x2: f16[]
      x3: s32[]
      x4: f16[]

    Returns:
      f16[6,16]
    """
    def on_true(x0_, x1_):
        def on_true1(x0__, x1__):
            def loop_body(it, accc):
                return jnp.tanh(jnp.maximum(jnp.arccos(jnp.clip(lax.add(-x0, jnp.log10(jnp.abs(x0) + 1.0)), -1.0, 1.0)), accc))
            accc_out = lax.fori_loop(0, 6, loop_body, jnp.tanh(lax.round(x1)))
            return x1__ * accc_out
        def on_false(x0__1, x1__1):
            return jnp.logaddexp(lax.erf(x1__1), jnp.arcsin(x0__1))
        hout = lax.cond(lax.convert_element_type(x3, jnp.bool_), on_true1, on_false, x0_, x1_)
        return hout
    def on_false1(x0_1, x1_1):
        def on_true2(x0_1_, x1_1_):
            return x0_1_ * jnp.expm1(jax.nn.softplus(jnp.round(x1_1_)))
        def on_false2(x0_1_1, x1_1_1):
            return jax.nn.softplus(x1_1_1 * x0_1_1)
        hout1 = lax.cond(jnp.tanh(x4) <= 0.3, on_true2, on_false2, x0_1, x1_1)
        return hout1
    hout2 = lax.cond(x2 * 0.01 <= 0.0, on_true, on_false1, x0, x1)
    return hout2
# ---- seed 7, index 1, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, d, e, g):
    """Branches in branches: lax.cond inside lax.cond, jnp.where inside branches.

    Args:
      a: bf16[4]
      b: bf16[4]
      c: bf16[]
      d: pred[]
      e: bf16[]
      g: bf16[10,4]

    Returns:
      bf16[4]
    """
    def then_branch(a_, b_):
        def then_branch1(a__, b__):
            r0 = jnp.broadcast_to(a__.mean(), (1,)) / 10.0 + jnp.broadcast_to(jnp.mean(b__), (1,))
            def scan_body(accc, elem):
                return jnp.arctan(a) + elem, jnp.abs(elem)
            accc_out, ys = lax.scan(scan_body, jnp.where(d, jnp.logaddexp(b, a__), c) * r0, jnp.square(g))
            return jnp.maximum(accc_out, b__)
        def else_branch(a__1, b__1):
            def loop_body(it, a__1_c):
                return jax.nn.elu(a__1_c)
            a__1_c_out = lax.fori_loop(0, 9, loop_body, a__1)
            return b__1 - a__1_c_out
        rout = lax.cond(c > e, then_branch1, else_branch, a_, b_)
        return rout
    def else_branch1(a_1, b_1):
        r1 = jnp.minimum(a_1 * b_1, lax.log(jnp.abs(e) + 1.0))
        return jnp.where(e + b_1 > -1.3, r1, jnp.abs(jnp.minimum(a_1, jnp.full((1,), 3.0, dtype=jnp.bfloat16))))
    rout1 = lax.cond(jax.nn.relu(c) <= 0.1, then_branch, else_branch1, a, b)
    return rout1
# ---- seed 7, index 2, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y, z, w, v, u):
    """A generated nested_branch kernel."""
    def then_branch(x_, y_):
        def then_branch1(x__, y__):
            return jnp.minimum(lax.neg(w), x__)
        def else_branch(x__1, y__1):
            def option_0(y__1_):
                return y__1 + 0.01 - y__1_
            def option_1(y__1_1):
                return jnp.minimum(y__1_1, lax.log1p(jnp.abs(y__1 - z)))
            def option_2(y__1_2):
                h0 = jnp.exp2(jnp.reciprocal(jnp.abs(y) + 1.0))
                return jnp.maximum(y__1_2, jnp.floor_divide(jnp.tanh(x), h0))
            def option_3(y__1_3):
                return jnp.maximum(u, x_) * y__1_3
            hout = lax.switch(-(v * 2), [option_0, option_1, option_2, option_3], y__1)
            return lax.mul(hout, y__1)
        hout1 = lax.cond(z + 0.5 < 0.7, then_branch1, else_branch, x_, y_)
        return hout1
    def else_branch1(x_1, y_1):
        h1 = jnp.tanh(jnp.floor(x_1))
        return jnp.where(y_1 < 0.4, h1, lax.atan2(jnp.arcsinh(h1), jax.nn.elu(x_1)))
    hout2 = lax.cond(jnp.sqrt(jnp.abs(z)) < 0.1, then_branch, else_branch1, x, y)
    return hout2
