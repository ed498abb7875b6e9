# ---- seed 7, index 0, family train_step
import jax
import jax.numpy as jnp


def loss_fn(w1, w2, x, labels):
    h = jax.nn.relu(x @ w1)
    prod = h @ w2
    return jnp.mean(jax.nn.logsumexp(prod, axis=-1) - jnp.squeeze(jnp.take_along_axis(prod, jnp.expand_dims(labels, 1), axis=1), axis=1))


def program(w1, w2, x, labels, velocity, velocity1):
    """A generated train_step kernel."""
    out = jax.grad(loss_fn)(w1, w2, x, labels)
    out1 = jax.grad(loss_fn, argnums=1)(w1, w2, x, labels)
    h1 = 0.8 * velocity + out
    h2 = 0.99 * velocity1 + out1
    return w1 - 0.005 * h1, w2 - 0.005 * h2, h1, h2, loss_fn(w1, w2, x, labels)
# ---- seed 7, index 1, family train_step
import jax
import jax.numpy as jnp


def loss_fn(w1, w2, x, labels):
    r0 = jnp.tanh(x @ w1)
    r1 = r0 @ w2
    r2 = jax.nn.log_softmax(r1, axis=-1)
    return -jnp.mean(jnp.squeeze(jnp.take_along_axis(r2, jnp.expand_dims(labels, 1), axis=1), axis=1))


def apply(w1, w2, x, labels):
    r3 = jax.grad(loss_fn)(w1, w2, x, labels)
    r4 = jax.grad(loss_fn, argnums=1)(w1, w2, x, labels)
    return w1 - 0.1 * r3, w2 - 0.1 * r4, loss_fn(w1, w2, x, labels)
# ---- seed 7, index 2, family train_step
import jax
import jax.numpy as jnp


def loss_fn(w, x, labels):
    h0 = x @ w
    return jnp.mean(jax.nn.logsumexp(h0, axis=-1) - jnp.squeeze(jnp.take_along_axis(h0, jnp.expand_dims(labels, 1), axis=1), axis=1))


def program(w, x, labels, m, v, step):
    h1 = jax.grad(loss_fn)(w, x, labels)
    h2 = 0.9 * m + 0.1 * h1
    h3 = 0.999 * v + 0.001 * jnp.square(h1)
    h4 = (step + 1).astype(jnp.float32)
    return w - 0.005 * (h2 / (1.0 - jnp.power(0.9, h4)) / (jnp.sqrt(h3 / (1.0 - jnp.power(0.999, h4))) + 1e-08)), h2, h3
