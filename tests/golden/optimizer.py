# ---- seed 7, index 0, family optimizer
import jax
import jax.numpy as jnp


def program(param, grad, nu):
    """Optimizer update rules: SGD momentum, Adam/AdamW, RMSProp, Adafactor, clipping by global norm."""
    h = 0.9 * nu + 0.1 * jnp.square(grad)
    return param - 0.01 * (grad / (jnp.sqrt(h) + 1e-08)), h
# ---- seed 7, index 1, family optimizer
import jax


def apply(param, grad, velocity):
    r0 = 0.9 * velocity + grad
    return param - 0.01 * r0, r0
# ---- seed 7, index 2, family optimizer
import jax
import jax.numpy as jnp


def program(param, grad, m, v, step):
    h0 = 0.9 * m + 0.1 * grad
    h1 = 0.999 * v + 0.0010000000000000009 * jnp.square(grad)
    h2 = (step + 1).astype(jnp.float32)
    h3 = h1 / (1.0 - jnp.power(0.999, h2))
    return param - 0.001 * (h0 / (1.0 - jnp.power(0.9, h2)) / (jnp.sqrt(h3) + 1e-08)), h0, h1
