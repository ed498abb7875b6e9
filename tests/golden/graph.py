# ---- seed 7, index 0, family graph
import jax
import jax.numpy as jnp
from jax import lax


def program(nodes, senders, receivers, w):
    """A generated graph kernel."""
    h = jax.ops.segment_sum(jnp.ones_like(receivers).astype(jnp.float16), receivers, num_segments=10) + 1.0
    h1 = lax.rsqrt(h)
    prod = nodes @ w
    return jax.nn.relu(jax.ops.segment_sum(prod[senders] * jnp.expand_dims(jnp.take(h1, senders, axis=0), 1), receivers, num_segments=10) * jnp.expand_dims(h1, 1) + prod / jnp.expand_dims(h, 1))
# ---- seed 7, index 1, family graph
import jax


def apply(nodes, senders, receivers, w):
    r0 = jax.nn.relu(nodes[senders] @ w)
    r1 = jax.ops.segment_sum(r0, receivers, num_segments=16)
    return nodes + jax.nn.relu(r1)
# ---- seed 7, index 2, family graph
import jax
import jax.numpy as jnp


def program(nodes, senders, receivers, w):
    h0 = jax.nn.relu(jnp.take(nodes, senders, axis=0) @ w)
    h1 = jax.ops.segment_sum(h0, receivers, num_segments=8)
    return nodes + jnp.tanh(h1)
