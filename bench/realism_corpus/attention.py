"""Attention as transformer code writes it: heads by reshape, masks from iota and compare."""

import jax
import jax.numpy as jnp
from jax import lax

from . import case, f32, bf16, i32, boolean


def split_heads(x, num_heads):
    b, t, d = x.shape
    return x.reshape(b, t, num_heads, d // num_heads)


def causal_mask(length):
    """[1, 1, length, length] bool mask, True where a query may attend."""
    idx = lax.broadcasted_iota(jnp.int32, (length, length), 0)
    idy = lax.broadcasted_iota(jnp.int32, (length, length), 1)
    return (idy <= idx)[None, None]


def multi_head_attention(x, wq, wk, wv, wo, num_heads=4):
    """Causal self-attention: projections, heads by reshape, scaled dot product, output projection."""
    b, t, d = x.shape
    q = split_heads(x @ wq, num_heads)
    k = split_heads(x @ wk, num_heads)
    v = split_heads(x @ wv, num_heads)
    logits = jnp.einsum("bqhd,bkhd->bhqk", q, k) / jnp.sqrt(q.shape[-1]).astype(x.dtype)
    logits = jnp.where(causal_mask(t), logits, jnp.finfo(logits.dtype).min)
    weights = jax.nn.softmax(logits, axis=-1)
    out = jnp.einsum("bhqk,bkhd->bqhd", weights, v).reshape(b, t, d)
    return out @ wo


def padded_attention(q, k, v, lengths):
    """Attention over padded key sequences: keys past each example's length are masked out."""
    t_k = k.shape[1]
    valid = jnp.arange(t_k)[None, :] < lengths[:, None]
    scores = jnp.einsum("bqd,bkd->bqk", q, k) * (q.shape[-1] ** -0.5)
    scores = jnp.where(valid[:, None, :], scores, -1e9)
    scores = scores - jax.lax.stop_gradient(scores.max(axis=-1, keepdims=True))
    p = jnp.exp(scores)
    p = p / p.sum(axis=-1, keepdims=True)
    return p @ v


def grouped_query_attention(q, k, v, num_kv_heads=2):
    """GQA: [b, t, h, d] queries share each of num_kv_heads key/value heads among h // num_kv_heads."""
    b, t, h, d = q.shape
    groups = h // num_kv_heads
    q = q.reshape(b, t, num_kv_heads, groups, d)
    scores = jnp.einsum("btkgd,bskd->bkgts", q, k) / jnp.sqrt(jnp.float32(d))
    mask = jnp.tril(jnp.ones((t, t), dtype=bool))
    scores = jnp.where(mask, scores, -jnp.inf)
    probs = jax.nn.softmax(scores.astype(jnp.float32), axis=-1).astype(q.dtype)
    out = jnp.einsum("bkgts,bskd->btkgd", probs, v)
    return out.reshape(b, t, h, d)


def mixed_precision_attention(x, wqkv, wo):
    """bfloat16 activations and weights, float32 accumulation and softmax."""
    b, t, d = x.shape
    qkv = jnp.einsum("btd,de->bte", x, wqkv, preferred_element_type=jnp.float32)
    q, k, v = jnp.split(qkv.astype(jnp.bfloat16), 3, axis=-1)
    s = jnp.einsum("bqd,bkd->bqk", q, k, preferred_element_type=jnp.float32) / jnp.sqrt(d)
    p = jax.nn.softmax(s, axis=-1).astype(jnp.bfloat16)
    o = jnp.einsum("bqk,bkd->bqd", p, v, preferred_element_type=jnp.float32)
    return jnp.dot(o.astype(jnp.bfloat16), wo, preferred_element_type=jnp.float32)


def transformer_block(x, ln1, ln2, wq, wk, wv, wo, w1, w2):
    """Pre-norm transformer block: x + attn(norm(x)), then x + mlp(norm(x))."""
    def norm(h, scale):
        mu = h.mean(-1, keepdims=True)
        var = ((h - mu) ** 2).mean(-1, keepdims=True)
        return (h - mu) / jnp.sqrt(var + 1e-5) * scale

    x = x + multi_head_attention(norm(x, ln1), wq, wk, wv, wo)
    h = jax.nn.gelu(norm(x, ln2) @ w1, approximate=False)
    return x + h @ w2


def attention_pooling(h, query, key_padding):
    """Attention pooling over a sequence with a boolean padding mask, as in set/sequence classifiers."""
    scores = jnp.einsum("btd,d->bt", h, query)
    scores = jnp.where(key_padding, -1e30, scores)
    weights = jax.nn.softmax(scores, axis=-1)
    return jnp.sum(weights[..., None] * h, axis=1)


CASES = [
    case(multi_head_attention, f32(2, 8, 32), f32(32, 32), f32(32, 32), f32(32, 32), f32(32, 32)),
    case(padded_attention, f32(2, 6, 16), f32(2, 10, 16), f32(2, 10, 16), i32(2, high=10)),
    case(grouped_query_attention, f32(2, 8, 8, 16), f32(2, 8, 2, 16), f32(2, 8, 2, 16)),
    case(mixed_precision_attention, bf16(2, 8, 32), bf16(32, 96), bf16(32, 32)),
    case(transformer_block, f32(2, 8, 32), f32(32), f32(32), f32(32, 32), f32(32, 32), f32(32, 32),
         f32(32, 32), f32(32, 64), f32(64, 32)),
    case(attention_pooling, f32(4, 10, 16), f32(16), boolean(4, 10)),
]
