# ---- seed 7, index 0, family branch
import jax
import jax.numpy as jnp
from jax import lax


def program(x0, x1, x3, x5):
    """A generated branch kernel."""
    return jnp.where(jnp.logical_or(jnp.logical_and(x5, x3), x5), lax.atan(-jax.nn.relu(x0)), jax.nn.softplus(x0) * jax.nn.relu(x1))
# ---- seed 7, index 1, family branch
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e):
    def then_branch(a_, b_):
        return lax.max(jnp.exp(d), b_)
    def else_branch(a_1, b_1):
        return lax.select(jnp.roll(e, -4, axis=0), jnp.sin(a_1), jax.nn.gelu(b_1))
    rout = lax.cond(c < 0.6, then_branch, else_branch, a, b)
    return rout
# ---- seed 7, index 2, family branch
import jax
import jax.numpy as jnp
from jax import lax


def program(y, z, w):
    h0 = jnp.square(y) <= 0.3
    return jnp.where(h0, jax.nn.elu(jax.nn.swish(jnp.power(jnp.abs(w) + 0.5, y))), lax.neg(z))
