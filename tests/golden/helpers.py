# ---- seed 7, index 0, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def layer(m, s):
    return lax.mul(s.mean() - s.mean(), jnp.mean(m))


def fn(x0, x1, x2, x3, x4):
    """A generated helpers kernel."""
    return jnp.maximum(jax.vmap(layer)(x0, jnp.clip(jnp.sinh(jnp.copysign(x1, x2)), -1.0, 1.0)), layer(-x3.min(axis=-1), x4))
# ---- seed 7, index 1, family helpers
import jax
import jax.numpy as jnp


def project(m):
    return jnp.mean(m)


def transform(a, b):
    """Helper functions called more than once, jax.vmap over a helper."""
    r0 = jnp.exp(jnp.cos(a))
    return jnp.minimum(jax.vmap(project)(r0), project(b))
# ---- seed 7, index 2, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def transform_fn(s):
    def then_branch(s_):
        def then_branch1(s__):
            return jnp.mean(s) - (jnp.mean(s__) - 3.0)
        def else_branch(s__1):
            return jnp.tanh(jnp.mean(s__1))
        hout = lax.cond(s_.mean() - jnp.mean(s_) <= 3.9, then_branch1, else_branch, s_)
        return jnp.minimum(hout, jnp.mean(s_))
    def else_branch1(s_1):
        h0 = jnp.int32(2) + lax.abs(s.astype(jnp.int32).max())
        def branch_0(s_1_):
            return jnp.mean(s) * s_1_.mean()
        def branch_1(s_1_1):
            def path_0(s_1_1_):
                return jnp.subtract(jnp.mean(s_1_1), jnp.mean(s_1_1_))
            def path_1(s_1_1_1):
                return lax.max(jnp.mean(s_1), jnp.mean(s_1_1_1))
            def path_2(s_1_1_2):
                return jnp.arctan(jnp.square(s_1_1_2.mean()))
            def path_3(s_1_1_3):
                return jnp.minimum(jnp.cos(jnp.mean(s)) // (jnp.log(jnp.abs(jnp.mean(s_1)) + 1.0) + 1.0), jnp.mean(s_1_1_3))
            hout1 = lax.switch(jnp.subtract(2 % h0, h0 - 2), [path_0, path_1, path_2, path_3], s_1_1)
            return hout1 * s_1_1.mean()
        def branch_2(s_1_2):
            def case_0(s_1_2_):
                return jnp.where(jnp.max(lax.convert_element_type(jnp.clip(s, 0.0, 3.0), jnp.uint8)) >= jnp.clip(s_1_2_, 0.0, 3.0).astype(jnp.uint8).max(), jnp.float32(0.5) - jnp.mean(s_1), lax.sqrt(jnp.abs(jnp.mean(s)))) ** 3
            def case_1(s_1_2_1):
                return lax.max(jnp.mean(s_1), s_1_2_1.mean())
            def case_2(s_1_2_2):
                return lax.mul(jnp.mean(s_1_2_2), s_1.mean())
            def case_3(s_1_2_3):
                return jnp.add(jnp.max(jnp.broadcast_to(jnp.mean(s_1_2), (2,))), jnp.mean(s_1_2)) * jnp.mean(s_1_2_3)
            hout2 = lax.switch(jnp.square(h0), [case_0, case_1, case_2, case_3], s_1_2)
            return jnp.multiply(jnp.mean(s_1_2), hout2)
        def branch_3(s_1_3):
            h1 = lax.acos(jnp.clip(lax.expm1(jnp.logaddexp(jnp.float32(1.5), jnp.mean(s))), 0.0, 1.0))
            return jnp.subtract(lax.acos(h1), jnp.mean(s_1_3))
        hout3 = lax.switch(h0, [branch_0, branch_1, branch_2, branch_3], s_1)
        return jnp.minimum(jnp.mean(s_1), hout3)
    hout4 = lax.cond(jnp.any(jnp.broadcast_to(jnp.mean(s), (7, 6))), then_branch, else_branch1, s)
    return hout4 + jnp.mean(s)


def f(x, y):
    """Helper functions called more than once, jax.vmap over a helper."""
    return jnp.minimum(jax.vmap(transform_fn)(x), transform_fn(y))
