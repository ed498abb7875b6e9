# ---- seed 7, index 0, family optimizer
import jax
import jax.numpy as jnp


def program(param, grad, nu, lr):
    """Optimizer update rules: SGD momentum, Adam/AdamW, RMSProp, Adafactor, clipping by global norm."""
    h = 0.95 * nu + 0.05 * jnp.square(grad)
    return param - lr * (grad / (jnp.sqrt(h) + 1e-07)), h
# ---- seed 7, index 1, family optimizer
import jax


def apply(param, grad, velocity):
    r0 = 0.9 * velocity - 0.001 * grad
    return param + r0, r0
# ---- seed 7, index 2, family optimizer
import jax
import jax.numpy as jnp


def program(param, grad, loss_scale, m, v, step):
    h0 = grad / loss_scale
    h1 = 0.95 * m + 0.05 * h0
    h2 = 0.95 * v + 0.05 * jnp.square(h0)
    h3 = step + 1
    h4 = h3.astype(jnp.float32)
    h5 = 0.001 * jnp.sqrt(1.0 - jnp.power(0.95, h4)) / (1.0 - jnp.power(0.95, h4))
    return param - h5 * (h1 / (jnp.sqrt(h2) + 1e-06)), h1, h2, h3
