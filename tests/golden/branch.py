# ---- seed 7, index 0, family branch
import jax
import jax.numpy as jnp
from jax import lax


def transform(x0, x1):
    def true_fn(x0_, x1_):
        return x1_ + x0_
    def false_fn(x0_1, x1_1):
        return jnp.maximum(jnp.abs(jnp.maximum(2.0, x1_1)), x0_1)
    h0 = lax.cond(jnp.min(x1) >= 1.9, true_fn, false_fn, x0, x1)
    return h0
# ---- seed 7, index 1, family branch
import jax
import jax.numpy as jnp
from jax import lax


def program(a, b):
    """A generated branch kernel."""
    def then_branch(a_):
        return jnp.minimum(-a, a_)
    def else_branch(a_1):
        return jnp.minimum(a_1, a)
    r0 = lax.cond(jnp.min(b + 10.0) < 10.1, then_branch, else_branch, a)
    return r0
# ---- seed 7, index 2, family branch
import jax
import jax.numpy as jnp
from jax import lax


def f(x, y):
    def then_branch(x_):
        return -x_
    def else_branch(x_1):
        return jax.nn.relu(jnp.exp(x)) + x_1
    h0 = lax.cond(jnp.mean(y + x) <= 2.2, then_branch, else_branch, x)
    return h0
