# ---- seed 7, index 0, family block
import jax
import jax.numpy as jnp


def program(nodes, senders, receivers, w_msg, edge_weights, w_update):
    """A generated block kernel."""
    prod = nodes[senders] @ w_msg
    h = jax.nn.relu(jnp.where(jnp.abs(prod) <= 2.0, prod, 0.0))
    h1 = h * jnp.expand_dims(edge_weights, 1)
    picked = jax.ops.segment_sum(h1, receivers, num_segments=10)
    h2 = jnp.where(jnp.abs(picked) <= 4.0, picked, 0.0)
    return nodes + jnp.tanh(jnp.concatenate([nodes, h2], axis=-1) @ w_update)
# ---- seed 7, index 1, family block
import jax
import jax.numpy as jnp


def apply(x, w_qkv, w_out):
    r0 = ((2.0 * jax.nn.sigmoid(jnp.einsum('btd,de->bte', x, w_qkv, preferred_element_type=jnp.float32)) - 1.0) * 4.0).astype(jnp.bfloat16)
    r1 = jnp.split(r0, 3, axis=-1)[0]
    r2 = jnp.split(r0, 3, axis=-1)[1]
    r3 = jnp.split(r0, 3, axis=-1)[2]
    r4 = jax.nn.softmax(jnp.einsum('bqd,bkd->bqk', r1, r2, preferred_element_type=jnp.float32) / 3.162, axis=-1).astype(jnp.bfloat16)
    return jnp.dot(jnp.einsum('bqk,bkd->bqd', r4, r3, preferred_element_type=jnp.float32).astype(jnp.bfloat16), w_out, preferred_element_type=jnp.float32)
# ---- seed 7, index 2, family block
import jax
import jax.numpy as jnp
from jax import lax


def program(h, layer_weights, w_out):
    def step(h_c, elem):
        h0 = jnp.tanh(h_c @ elem)
        h1 = jax.nn.sigmoid(jnp.mean(h0, axis=-1, keepdims=True))
        h2 = (1.0 - h1) * h_c + h1 * h0
        return h2, jnp.mean(h2)
    h_c_out, ys = lax.scan(step, h, layer_weights)
    return h_c_out @ w_out, jnp.sum(ys)
