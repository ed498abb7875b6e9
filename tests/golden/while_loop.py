# ---- seed 7, index 0, family while_loop
import jax
import jax.numpy as jnp
from jax import lax


def fn(x0, x1):
    """Loops without a backward pass: lax.while_loop and lax.fori_loop over traced bounds.

    Args:
      x0: f16[6,16]
      x1: s32[8,7,4]

    Returns:
      f16[6,16]
    """
    def cond_fn(state):
        n_done, x0_c = state
        return n_done < jnp.clip(jnp.max(jnp.abs(x1)), 0, 12)
    def advance(state1):
        n_done1, x0_c1 = state1
        return n_done1 + 1, jax.nn.sigmoid(x0_c1 - x0)
    n_done1out, x0_c1out = lax.while_loop(cond_fn, advance, (jnp.int32(0), x0))
    return x0_c1out
# ---- seed 7, index 1, family while_loop
import jax
import jax.numpy as jnp
from jax import lax


def transform(a, num_steps, b, c2, d):
    """Loops without a backward pass: lax.while_loop and lax.fori_loop over traced bounds.

    Args:
      a: bf16[4]
      num_steps: s32[]
      b: pred[4,12]
      c2: bf16[4,12]
      d: bf16[4,12]

    Returns:
      bf16[4]
    """
    def cond_fn(c):
        n_done, a_c = c
        return n_done < num_steps
    def advance(c1):
        n_done1, a_c1 = c1
        return n_done1 + 1, jnp.clip(lax.max(a_c1, jnp.sum(jnp.where(b, c2, d), axis=-1)), -1.0, 1.0)
    n_done1out, a_c1out = lax.while_loop(cond_fn, advance, (jnp.int32(0), a))
    return a_c1out
# ---- seed 7, index 2, family while_loop
import jax
import jax.numpy as jnp
from jax import lax


def f(x, n, y):
    """A generated while_loop kernel."""
    def not_done(carry):
        count, x_c = carry
        return jnp.logical_and(count < n, jax.nn.logsumexp(x_c, axis=0) > -0.8)
    def iterate(carry1):
        count1, x_c1 = carry1
        return count1 + 1, jnp.clip(jax.nn.celu(y * 10.0) - x_c1, -1.0, 1.0)
    count1out, x_c1out = lax.while_loop(not_done, iterate, (jnp.int32(0), x))
    return x_c1out
