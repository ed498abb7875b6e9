# ---- seed 7, index 0, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x2, x3, x4, x5):
    """Branches in branches: lax.cond inside lax.cond, jnp.where inside branches.

    Args:
      x0: f16[10,16]
      x1: f16[10,16]
      x2: f16[]
      x3: f16[5,10,1]
      x4: f16[5,10,16]
      x5: f16[10,16]

    Returns:
      f16[10,16]
    """
    def on_true(x0_, x1_):
        def on_true1(x0__, x1__):
            return x0__ - jnp.sin(x0)
        def on_false(x0__1, x1__1):
            def cell(accc, elem):
                return lax.min(elem, jnp.logaddexp(x1, jax.nn.relu(accc))), x1__1 - elem
            accc_out, ys = lax.scan(cell, x0 + jnp.maximum(jnp.sqrt(x5), jnp.sin(x2)), jnp.minimum(x3, x4))
            return accc_out * x1__1
        hout = lax.cond(lax.sign(x2) > -0.8, on_true1, on_false, x0_, x1_)
        return hout
    def on_false1(x0_1, x1_1):
        return jnp.where(jnp.sinh(x0_1) > -8.3, jnp.logaddexp(jnp.fmod(x2, x1_1), jnp.round(x0_1)), jnp.sin(jnp.sin(x5)))
    hout1 = lax.cond(x2 < 0.7, on_true, on_false1, x0, x1)
    return hout1
# ---- seed 7, index 1, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e, g):
    def then_branch(a_, b_):
        def then_branch1(a__, b__):
            return jnp.copysign(jnp.log(jnp.abs(jnp.where(d, a, b__)) + 1.0), a__)
        def else_branch(a__1, b__1):
            r0 = jax.nn.gelu(b_, approximate=False)
            return jnp.maximum(lax.sqrt(jnp.square(r0)), b__1)
        rout = lax.cond(c > 0.0, then_branch1, else_branch, a_, b_)
        return rout
    def else_branch1(a_1, b_1):
        return jnp.where(b_1 > -0.3, e, jnp.reciprocal(jnp.abs(g / (jnp.abs(a_1) + 1.0)) + 1.0))
    rout1 = lax.cond(c ** 3 < 5.2, then_branch, else_branch1, a, b)
    return rout1
# ---- seed 7, index 2, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z, w, v, u):
    def then_branch(x_, y_):
        def then_branch1(x__, y__):
            return jnp.maximum(y__, lax.log1p(jax.nn.leaky_relu(v)))
        def else_branch(x__1, y__1):
            def body(k, accc):
                h0 = jnp.sin(jnp.maximum(w, y))
                return jax.nn.hard_tanh(lax.add(h0, h0 + accc))
            accc_out = lax.fori_loop(0, 1, body, jnp.arcsin(jax.nn.hard_tanh(jnp.maximum(w + x__1, jnp.pad(u, ((1, 1), (0, 0)), mode='edge')))))
            return accc_out - y__1
        hout = lax.cond(w > 1.1, then_branch1, else_branch, x_, y_)
        return hout
    def else_branch1(x_1, y_1):
        h1 = jnp.log(jnp.abs(jnp.arcsin(y_1)) + 0.5)
        h2 = jnp.log1p(h1 ** 2)
        return jnp.where(lax.tanh(x_1) >= 0.1, h1, h2)
    hout1 = lax.cond(jnp.flip(z), then_branch, else_branch1, x, y)
    return hout1
