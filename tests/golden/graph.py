# ---- seed 7, index 0, family graph
import jax


def program(nodes, senders, receivers, w):
    """Graph layers over edge lists: messages by gather and jax.ops.segment_sum, GCN normalization, mean aggregation."""
    h = jax.nn.relu(nodes[senders] @ w)
    picked = jax.ops.segment_sum(h, receivers, num_segments=10)
    return nodes + jax.nn.relu(picked)
# ---- seed 7, index 1, family graph
import jax
import jax.numpy as jnp
from jax import lax


def apply(nodes, senders, receivers, w, b):
    r0 = jax.ops.segment_sum(jnp.ones_like(receivers).astype(jnp.bfloat16), receivers, num_segments=16) + 1.0
    r1 = lax.rsqrt(r0)
    r2 = nodes @ w + b
    r3 = jnp.take(r2, senders, axis=0) * jnp.expand_dims(r1[senders], 1)
    return jax.nn.relu(jax.ops.segment_sum(r3, receivers, num_segments=16) * jnp.expand_dims(r1, 1) + r2 / jnp.expand_dims(r0, 1))
# ---- seed 7, index 2, family graph
import jax


def program(nodes, senders, receivers, w, b):
    h0 = jax.nn.relu(nodes[senders] @ w + b)
    h1 = jax.ops.segment_sum(h0, receivers, num_segments=8)
    return nodes + jax.nn.relu(h1)
