"""Recurrent cells, segment reductions, iterative solvers and other training-loop code."""

import jax
import jax.numpy as jnp
from jax import lax

from . import case, f32, bf16, i32, key


def lstm(params, xs, h0, c0):
    """An LSTM over time with lax.scan (inputs [time, batch, features])."""
    def cell(carry, x):
        h, c = carry
        gates = x @ params["wi"] + h @ params["wh"] + params["b"]
        i, f, g, o = jnp.split(gates, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h, c), h

    (h, c), hs = lax.scan(cell, (h0, c0), xs)
    return hs, h, c


def gru(wz, wr, wh, uz, ur, uh, xs, h0):
    """A GRU cell scanned over time."""
    def step(h, x):
        z = jax.nn.sigmoid(x @ wz + h @ uz)
        r = jax.nn.sigmoid(x @ wr + h @ ur)
        h_tilde = jnp.tanh(x @ wh + (r * h) @ uh)
        h = (1 - z) * h + z * h_tilde
        return h, h

    h, hs = lax.scan(step, h0, xs)
    return hs.mean(axis=0), h


def segment_mean_pool(node_features, segment_ids, num_segments=4):
    """Graph readout: mean of node features per graph, through jax.ops.segment_sum."""
    sums = jax.ops.segment_sum(node_features, segment_ids, num_segments=num_segments)
    counts = jax.ops.segment_sum(jnp.ones_like(segment_ids, dtype=jnp.float32), segment_ids,
                                 num_segments=num_segments)
    return sums / jnp.maximum(counts, 1.0)[:, None]


def message_passing(nodes, senders, receivers, w_msg, w_upd):
    """One GNN layer: messages from senders, summed at receivers, then a residual update."""
    messages = jax.nn.relu(nodes[senders] @ w_msg)
    aggregated = jax.ops.segment_sum(messages, receivers, num_segments=nodes.shape[0])
    return nodes + jnp.tanh(jnp.concatenate([nodes, aggregated], axis=-1) @ w_upd)


def newton_inverse_sqrt(a, iters=5):
    """Newton-Schulz iterations for a^-1/2 of a positive scalar field, as in whitening code."""
    y = jnp.ones_like(a)
    def body(_, y):
        return y * (1.5 - 0.5 * a * y * y)
    return lax.fori_loop(0, iters, body, y)


def power_iteration(w, u, iters=3):
    """Spectral norm of a weight matrix (spectral normalization), by power iteration."""
    def body(_, u):
        v = w.T @ u
        v = v / (jnp.linalg.norm(v) + 1e-12)
        u = w @ v
        return u / (jnp.linalg.norm(u) + 1e-12)
    u = lax.fori_loop(0, iters, body, u)
    v = w.T @ u
    v = v / (jnp.linalg.norm(v) + 1e-12)
    sigma = u @ (w @ v)
    return w / sigma


def mixed_precision_dense(x, w, b):
    """bfloat16 matmul accumulated in float32, bias and activation in float32, cast back."""
    y = lax.dot_general(x, w, (((x.ndim - 1,), (0,)), ((), ())), preferred_element_type=jnp.float32)
    return jax.nn.gelu(y + b).astype(jnp.bfloat16)


def dropout(rng, x, rate=0.1):
    keep = jax.random.bernoulli(rng, 1.0 - rate, x.shape)
    return jnp.where(keep, x / (1.0 - rate), 0.0)


def sample_logits(rng, logits, temperature=0.8, top_k=5):
    """Temperature and top-k sampling of the next token."""
    logits = logits / temperature
    kth = lax.top_k(logits, top_k)[0][..., -1:]
    logits = jnp.where(logits < kth, -jnp.inf, logits)
    return jax.random.categorical(rng, logits, axis=-1)


def cumulative_attention_decay(x, decay):
    """An exponential moving average over time by associative scan, as in linear recurrences."""
    a = jnp.broadcast_to(jax.nn.sigmoid(decay), x.shape)
    def combine(left, right):
        a_l, b_l = left
        a_r, b_r = right
        return a_l * a_r, a_r * b_l + b_r
    _, y = lax.associative_scan(combine, (a, x), axis=0)
    return y


def gelu_tanh_approx(x):
    """The tanh approximation of GELU written out, as older model code does."""
    return 0.5 * x * (1.0 + jnp.tanh(jnp.sqrt(2.0 / jnp.pi) * (x + 0.044715 * jnp.power(x, 3))))


CASES = [
    case(lstm, {"wi": f32(8, 64), "wh": f32(16, 64), "b": f32(64)}, f32(10, 4, 8), f32(4, 16), f32(4, 16)),
    case(gru, f32(8, 16), f32(8, 16), f32(8, 16), f32(16, 16), f32(16, 16), f32(16, 16), f32(12, 4, 8),
         f32(4, 16)),
    case(segment_mean_pool, f32(20, 8), i32(20, high=4)),
    case(message_passing, f32(12, 8), i32(30, high=12), i32(30, high=12), f32(8, 8), f32(16, 8)),
    case(newton_inverse_sqrt, f32(64)),
    case(power_iteration, f32(16, 12), f32(16)),
    case(mixed_precision_dense, bf16(8, 32), bf16(32, 64), f32(64)),
    case(dropout, key(), f32(16, 32)),
    case(sample_logits, key(), f32(4, 50)),
    case(cumulative_attention_decay, f32(16, 8), f32(8)),
    case(gelu_tanh_approx, f32(32, 32)),
]
