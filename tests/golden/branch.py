# ---- seed 7, index 0, family branch
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x2, x3, x4, x5):
    """A generated branch kernel."""
    def option_0(x0_):
        return lax.cos(x0_) + lax.cumprod(x3, axis=0)
    def option_1(x0_1):
        return jnp.minimum(x0_1, jnp.arctan2(jax.nn.silu(x4), lax.cos(x5)))
    def option_2(x0_2):
        return jnp.logaddexp(lax.erf(x0), jax.nn.relu(x0_2) * jnp.cos(x4))
    hout = lax.switch(x2, [option_0, option_1, option_2], x0)
    return hout
# ---- seed 7, index 1, family branch
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, b, c, d, e, g):
    """Branches: jnp.where, lax.cond and lax.switch.

    Args:
      a: bf16[4,8]
      b: bf16[4,8]
      c: s32[]
      d: bf16[]
      e: pred[4,8]
      g: bf16[4,8]

    Returns:
      bf16[4,8]
    """
    def path_0(a_, b_):
        return lax.min(lax.abs(jnp.power(jnp.abs(d) + 1.0, b)), b_)
    def path_1(a_1, b_1):
        r0 = jnp.where(jnp.roll(e, -2, axis=0), jnp.sin(a_1), jax.nn.relu(b_1))
        return jnp.subtract(a_1, jax.nn.gelu(r0, approximate=False))
    def path_2(a_2, b_2):
        r1 = d * g
        r2 = jnp.prod(jnp.broadcast_to(e.astype(jnp.bfloat16), (3, 4, 8)), axis=-3)
        return lax.add(r2, r1) - b_2
    def path_3(a_3, b_3):
        def then_branch():
            return jnp.maximum(b, a_3)
        def else_branch():
            return jnp.cos(jnp.arctan(b_3))
        rout = lax.cond(lax.sin(d) < -0.4, then_branch, else_branch)
        return rout + b_3
    rout1 = lax.switch(c, [path_0, path_1, path_2, path_3], a, b)
    return rout1
# ---- seed 7, index 2, family branch
import jax
import jax.numpy as jnp
from jax import lax


def f(x, z, w):
    """A generated branch kernel."""
    def then_branch(x_):
        return lax.tanh(jnp.arctanh(jnp.clip(x_, 0.0, 0.9)))
    def else_branch(x_1):
        return x_1 - jax.nn.relu6(w)
    hout = lax.cond(z < -0.9, then_branch, else_branch, x)
    return hout
