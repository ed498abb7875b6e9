"""Optimizer update rules as optax writes them, on one parameter array."""

import jax
import jax.numpy as jnp

from . import case, f32, i32


def sgd_momentum(param, grad, velocity, lr=0.1, momentum=0.9, nesterov=True):
    velocity = momentum * velocity + grad
    update = grad + momentum * velocity if nesterov else velocity
    return param - lr * update, velocity


def adam(param, grad, m, v, step, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    """Adam with bias correction; step is the int32 count before this update."""
    count = step + 1
    m = b1 * m + (1 - b1) * grad
    v = b2 * v + (1 - b2) * jnp.square(grad)
    m_hat = m / (1 - b1 ** count.astype(jnp.float32))
    v_hat = v / (1 - b2 ** count.astype(jnp.float32))
    return param - lr * m_hat / (jnp.sqrt(v_hat) + eps), m, v


def adamw(param, grad, m, v, step, lr=1e-3, b1=0.9, b2=0.95, eps=1e-8, weight_decay=0.1):
    """AdamW: decoupled weight decay added to the Adam direction."""
    t = (step + 1).astype(jnp.float32)
    m = b1 * m + (1 - b1) * grad
    v = b2 * v + (1 - b2) * grad * grad
    mhat = m / (1 - jnp.power(b1, t))
    vhat = v / (1 - jnp.power(b2, t))
    update = mhat / (jnp.sqrt(vhat) + eps) + weight_decay * param
    return param - lr * update, m, v


def rmsprop(param, grad, nu, lr=1e-2, decay=0.9, eps=1e-8):
    nu = decay * nu + (1 - decay) * grad ** 2
    return param - lr * grad * jax.lax.rsqrt(nu + eps), nu


def adafactor(param, grad, v_row, v_col, decay=0.8, lr=1e-2, eps=1e-30, clip=1.0):
    """Adafactor's factored second moment for a matrix, with update clipping by RMS."""
    g2 = grad * grad + eps
    v_row = decay * v_row + (1 - decay) * jnp.mean(g2, axis=1)
    v_col = decay * v_col + (1 - decay) * jnp.mean(g2, axis=0)
    row_factor = jax.lax.rsqrt(v_row / jnp.mean(v_row))
    col_factor = jax.lax.rsqrt(v_col)
    update = grad * row_factor[:, None] * col_factor[None, :]
    rms = jnp.sqrt(jnp.mean(update * update))
    update = update / jnp.maximum(1.0, rms / clip)
    return param - lr * update, v_row, v_col


def clip_by_global_norm(g1, g2, g3, max_norm=1.0):
    """optax.clip_by_global_norm over a tree of three gradients."""
    grads = (g1, g2, g3)
    global_norm = jnp.sqrt(sum(jnp.sum(jnp.square(g)) for g in grads))
    scale = jnp.where(global_norm < max_norm, 1.0, max_norm / global_norm)
    return tuple(g * scale for g in grads)


def ema_update(ema_params, params, decay=0.999):
    """Polyak averaging of a parameter tree."""
    return jax.tree_util.tree_map(lambda e, p: decay * e + (1.0 - decay) * p, ema_params, params)


def warmup_cosine_lr(step, base_lr=3e-4, warmup=100, total=1000):
    """Learning-rate schedule: linear warmup then cosine decay."""
    step = step.astype(jnp.float32)
    warm = base_lr * step / warmup
    progress = jnp.clip((step - warmup) / (total - warmup), 0.0, 1.0)
    cosine = 0.5 * base_lr * (1 + jnp.cos(jnp.pi * progress))
    return jnp.where(step < warmup, warm, cosine)


def train_step_linear(w, b, x, y, lr=0.05):
    """One SGD step of least-squares regression, the gradient taken with jax.grad."""
    def loss_fn(w, b):
        pred = x @ w + b
        return jnp.mean((pred - y) ** 2)

    loss, (gw, gb) = jax.value_and_grad(loss_fn, argnums=(0, 1))(w, b)
    return w - lr * gw, b - lr * gb, loss


def train_step_mlp_adam(w1, w2, m1, m2, v1, v2, x, labels, step):
    """A classifier's training step: forward, cross-entropy, grad, Adam on two weight matrices."""
    def loss_fn(params):
        a, b = params
        logits = jax.nn.relu(x @ a) @ b
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=1))

    grads = jax.grad(loss_fn)((w1, w2))
    new = []
    for p, g, m, v in zip((w1, w2), grads, (m1, m2), (v1, v2)):
        new.append(adam(p, g, m, v, step))
    return new


CASES = [
    case(sgd_momentum, f32(64, 32), f32(64, 32), f32(64, 32)),
    case(adam, f32(64, 32), f32(64, 32), f32(64, 32), f32(64, 32), i32(high=1000)),
    case(adamw, f32(128), f32(128), f32(128), f32(128), i32(high=1000)),
    case(rmsprop, f32(32, 32), f32(32, 32), f32(32, 32)),
    case(adafactor, f32(48, 32), f32(48, 32), f32(48), f32(32)),
    case(clip_by_global_norm, f32(16, 8), f32(8), f32(8, 4)),
    case(ema_update, {"w": f32(16, 16), "b": f32(16)}, {"w": f32(16, 16), "b": f32(16)}),
    case(warmup_cosine_lr, i32(high=1000)),
    case(train_step_linear, f32(8, 1), f32(1), f32(32, 8), f32(32, 1)),
    case(train_step_mlp_adam, f32(8, 16), f32(16, 4), f32(8, 16), f32(16, 4), f32(8, 16), f32(16, 4),
         f32(32, 8), i32(32, high=4), i32(high=100)),
]
