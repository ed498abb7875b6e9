# ---- seed 7, index 0, family block
import jax
import jax.numpy as jnp
from jax import lax


def apply(x, y, gamma, beta, running_mean):
    h = lax.conv_general_dilated(x, y, (1, 1), 'SAME') * 0.25
    total = jnp.mean(h, axis=(0, 2, 3), keepdims=True)
    total1 = jnp.var(h, axis=(0, 2, 3), keepdims=True)
    return jax.nn.leaky_relu(((h - total) / jnp.sqrt(total1 + 0.001) * gamma + beta) * 0.25), 0.95 * running_mean + 0.05 * total
# ---- seed 7, index 1, family block
import jax
import jax.numpy as jnp


def forward(x, w_qkv, w_out):
    """A generated block kernel."""
    cast = jnp.einsum('btd,de->bte', x, w_qkv, preferred_element_type=jnp.float32).astype(jnp.bfloat16)
    view = jnp.split(cast, 3, axis=2)[0]
    view1 = jnp.split(cast, 3, axis=2)[1]
    view2 = jnp.split(cast, 3, axis=2)[2]
    view3 = jnp.tril(jnp.ones((16, 16), dtype=jnp.bool_))
    cast1 = jax.nn.softmax(jnp.where(view3, jnp.einsum('bqd,bkd->bqk', view, view1, preferred_element_type=jnp.float32) * 0.707, -10000.0), axis=-1).astype(jnp.bfloat16)
    return jnp.dot(jnp.einsum('bqk,bkd->bqd', cast1, view2, preferred_element_type=jnp.float32).astype(jnp.bfloat16), w_out, preferred_element_type=jnp.float32)
# ---- seed 7, index 2, family block
import jax
import jax.numpy as jnp
from jax import lax


def program(h, layer_weights):
    def step(h_c, x_t):
        h0 = jnp.tanh(h_c @ x_t)
        h1 = jax.nn.sigmoid(jnp.mean(h0, axis=-1, keepdims=True))
        h2 = (1.0 - h1) * h_c + h1 * h0
        return h2, jnp.mean(h2)
    h_c_out, ys = lax.scan(step, h, layer_weights)
    return h_c_out, jnp.sum(ys)
