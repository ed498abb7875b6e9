# ---- seed 7, index 0, family loop
import jax
import jax.numpy as jnp
from jax import lax


def apply(x, y, z, w):
    def step(x_c, row):
        h = jnp.log(jax.nn.relu(z)) * (jax.nn.mish(z) * row)
        h1 = lax.max(x_c + jnp.subtract(h, h - jnp.trunc(w)), row) * 0.1
        return h1, jnp.sum(h1)
    x_c_out, ys = lax.scan(step, x, y)
    return x_c_out, ys
# ---- seed 7, index 1, family loop
import jax
import jax.numpy as jnp
from jax import lax


def apply(a, b, c):
    def step(a_c, row):
        return 2.0 * jax.nn.sigmoid(row - (a_c - jnp.exp2(lax.cos(c)))) - 1.0, jnp.sum(10.0 + a + jax.nn.softplus(a_c))
    a_c_out, ys = lax.scan(step, a, b, reverse=True)
    return a_c_out, ys
# ---- seed 7, index 2, family loop
import jax
import jax.numpy as jnp
from jax import lax


def program(x, y, z, w, v):
    def body(k, state):
        x_c, y_c = state
        h0 = k.astype(jnp.float32) * 0.1
        return jax.nn.hard_tanh(y_c * lax.sub(x_c, lax.convert_element_type(z, jnp.float32)) * h0), jax.nn.hard_tanh(jnp.add(jnp.maximum(jnp.add(w, x_c), jnp.pad(v, ((1, 1), (0, 0)), mode='edge')), y_c))
    x_c_out, y_c_out = lax.fori_loop(1, 11, body, (x, y))
    return x_c_out.max()
