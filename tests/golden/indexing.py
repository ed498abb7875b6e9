# ---- seed 7, index 0, family indexing
import jax
from jax import lax


def program(x0, i, x1, x2):
    """A generated indexing kernel."""
    return lax.erf(x0.at[i].add(lax.max(x1, x2)))
# ---- seed 7, index 1, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c, d, e, g):
    return a.at[jnp.clip(jnp.sign(b), 0, 1)].set(lax.dynamic_update_slice(e, g, (0, jnp.int32(5))).at[jnp.clip(jnp.max(a.astype(jnp.int32)), 0, 0)].max(jnp.mean(e))).at[jnp.clip(jnp.minimum(jnp.broadcast_to(jnp.max(c.astype(jnp.int32)), (4,)), jnp.max(d)), 0, 3)].add(jnp.broadcast_to(b.astype(jnp.bfloat16), (2,)))
# ---- seed 7, index 2, family indexing
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, idx, i, z):
    h0 = lax.dynamic_slice((x - y)[idx], (i,), (3,))
    h1 = jax.nn.relu(jnp.floor(h0))
    return jnp.minimum(jnp.minimum(h0, h1), jax.nn.logsumexp(z, axis=0))
