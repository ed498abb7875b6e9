# ---- seed 7, index 0, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def transform(x0, x1):
    def true_fn(x0_, x1_):
        def true_fn1(x0__, x1__):
            return jnp.abs(x1__) * x0__
        def false_fn(x0__1, x1__1):
            return x0__1 + x0
        h0 = lax.cond(jnp.max(jnp.log1p(x1_)) <= 0.6, true_fn1, false_fn, x0_, x1_)
        return h0
    def false_fn1(x0_1, x1_1):
        h1 = jnp.where(x0 < 0.6, x0, x1_1) / jnp.maximum(x1_1, 0.5)
        return jnp.where(jnp.where(x0_1 < 0.7, x0_1, x1_1) > 1.8, h1, x0)
    h2 = lax.cond(jnp.min(jnp.square(x1)) < 3.0, true_fn, false_fn1, x0, x1)
    return h2
# ---- seed 7, index 1, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def program(a, b):
    """A generated nested_branch kernel."""
    def then_branch(a_, b_):
        def then_branch1(a__, b__):
            return a__ + b__
        def else_branch(a__1, b__1):
            return a / (jnp.abs(a__1) + 1.0) - a * b__1
        r0 = lax.cond(jnp.min(a_) > 0.2, then_branch1, else_branch, a_, b_)
        return r0
    def else_branch1(a_1, b_1):
        def then_branch2(a_1_, b_1_):
            return b_1_ - a_1_
        def else_branch2(a_1_1, b_1_1):
            return a_1_1 + a_1_1 * b_1_1
        r1 = lax.cond(jnp.mean(jnp.square(b_1)) < 6.4, then_branch2, else_branch2, a_1, b_1)
        return r1
    r2 = lax.cond(jnp.max(jnp.maximum(a, b)) <= -0.6, then_branch, else_branch1, a, b)
    return r2
# ---- seed 7, index 2, family nested_branch
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y):
    def then_branch(x_, y_):
        def then_branch1(x__, y__):
            return jax.nn.relu(x__) / (y__ - 4.0) * (jnp.exp(y__) * x__)
        def else_branch(x__1, y__1):
            return jnp.square(x__1)
        h0 = lax.cond(jnp.sum(y_ + 0.1) < 0.5, then_branch1, else_branch, x_, y_)
        return h0
    def else_branch1(x_1, y_1):
        return jnp.where(0.1 * x_1 < -0.1, y_1, y_1 - y_1 * 0.25)
    h1 = lax.cond(jnp.sum(x - y) <= -3.8, then_branch, else_branch1, x, y)
    return h1
