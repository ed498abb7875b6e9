"""Layers as flax/equinox modules compute them, written as plain functions over parameter arrays."""

import jax
import jax.numpy as jnp
from jax import lax

from . import case, f32, bf16, i32


def dense(params, x):
    """nn.Dense: x @ kernel + bias."""
    return x @ params["kernel"] + params["bias"]


def layer_norm(x, scale, bias, eps=1e-6):
    """nn.LayerNorm over the last axis."""
    mean = jnp.mean(x, axis=-1, keepdims=True)
    var = jnp.mean(jnp.square(x - mean), axis=-1, keepdims=True)
    y = (x - mean) * lax.rsqrt(var + eps)
    return y * scale + bias


def rms_norm(x, weight, eps=1e-6):
    """RMSNorm as in T5 / LLaMA: computed in float32, cast back to the input dtype."""
    dtype = x.dtype
    x = x.astype(jnp.float32)
    variance = jnp.mean(x * x, axis=-1, keepdims=True)
    x = x * lax.rsqrt(variance + eps)
    return (weight * x).astype(dtype)


def batch_norm_train(x, gamma, beta, running_mean, running_var, momentum=0.9, eps=1e-5):
    """nn.BatchNorm in training mode over NHWC: batch statistics and updated running averages."""
    axes = (0, 1, 2)
    mean = jnp.mean(x, axis=axes)
    var = jnp.var(x, axis=axes)
    y = (x - mean) / jnp.sqrt(var + eps) * gamma + beta
    new_mean = momentum * running_mean + (1.0 - momentum) * mean
    new_var = momentum * running_var + (1.0 - momentum) * var
    return y, new_mean, new_var


def group_norm(x, scale, bias, num_groups=4, eps=1e-5):
    """nn.GroupNorm over NHWC."""
    n, h, w, c = x.shape
    xg = x.reshape(n, h, w, num_groups, c // num_groups)
    mean = xg.mean(axis=(1, 2, 4), keepdims=True)
    var = xg.var(axis=(1, 2, 4), keepdims=True)
    xg = (xg - mean) / jnp.sqrt(var + eps)
    return xg.reshape(n, h, w, c) * scale + bias


def mlp_block(params, x):
    """Transformer MLP: dense, gelu, dense."""
    h = jax.nn.gelu(x @ params["w1"] + params["b1"])
    return h @ params["w2"] + params["b2"]


def swiglu_mlp(w_gate, w_up, w_down, x):
    """LLaMA feed-forward: silu(x W_gate) * (x W_up), then W_down."""
    return (jax.nn.silu(x @ w_gate) * (x @ w_up)) @ w_down


def conv_bn_relu(x, kernel, gamma, beta):
    """ResNet stem: conv (NHWC, HWIO), batch norm with batch statistics, relu, max pool."""
    y = lax.conv_general_dilated(x, kernel, window_strides=(1, 1), padding="SAME",
                                 dimension_numbers=("NHWC", "HWIO", "NHWC"))
    mean = y.mean(axis=(0, 1, 2))
    var = y.var(axis=(0, 1, 2))
    y = (y - mean) * lax.rsqrt(var + 1e-5) * gamma + beta
    y = jax.nn.relu(y)
    return lax.reduce_window(y, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def residual_conv_block(x, k1, k2, scale1, scale2):
    """A pre-activation residual block with two 3x3 convolutions and RMS-style normalization."""
    dn = ("NHWC", "HWIO", "NHWC")
    h = x * lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + 1e-6) * scale1
    h = lax.conv_general_dilated(jax.nn.swish(h), k1, (1, 1), "SAME", dimension_numbers=dn)
    h = h * lax.rsqrt(jnp.mean(h * h, axis=-1, keepdims=True) + 1e-6) * scale2
    h = lax.conv_general_dilated(jax.nn.swish(h), k2, (1, 1), "SAME", dimension_numbers=dn)
    return x + h


def embed(table, ids):
    """nn.Embed: rows of the table by integer id."""
    return jnp.take(table, ids, axis=0)


def embed_one_hot(table, ids):
    """Embedding lookup as a one-hot matmul (as TPU code often writes it)."""
    one_hot = jax.nn.one_hot(ids, table.shape[0], dtype=table.dtype)
    return one_hot @ table


def tied_logits(table, h):
    """Output logits with the embedding matrix tied: h @ table.T."""
    return jnp.einsum("btd,vd->btv", h, table)


def sinusoidal_positions(x):
    """Adds the Transformer's sinusoidal position code to x [batch, length, dim]."""
    _, length, dim = x.shape
    position = jnp.arange(length, dtype=jnp.float32)[:, None]
    div_term = jnp.exp(jnp.arange(0, dim, 2, dtype=jnp.float32) * (-jnp.log(10000.0) / dim))
    pe = jnp.zeros((length, dim), dtype=jnp.float32)
    pe = pe.at[:, 0::2].set(jnp.sin(position * div_term))
    pe = pe.at[:, 1::2].set(jnp.cos(position * div_term))
    return x + pe[None]


def apply_rotary(x, positions):
    """Rotary position embedding (RoPE) on [batch, length, heads, head_dim], half-split form."""
    head_dim = x.shape[-1]
    inv_freq = 1.0 / (10000.0 ** (jnp.arange(0, head_dim, 2, dtype=jnp.float32) / head_dim))
    freqs = positions[..., None].astype(jnp.float32) * inv_freq
    sin = jnp.sin(freqs)[:, :, None, :]
    cos = jnp.cos(freqs)[:, :, None, :]
    x1, x2 = jnp.split(x, 2, axis=-1)
    return jnp.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)


CASES = [
    case(dense, {"kernel": f32(16, 32), "bias": f32(32)}, f32(8, 16)),
    case(layer_norm, f32(4, 10, 32), f32(32), f32(32)),
    case(rms_norm, bf16(4, 10, 32), f32(32)),
    case(batch_norm_train, f32(8, 6, 6, 16), f32(16), f32(16), f32(16), f32(16)),
    case(group_norm, f32(2, 8, 8, 16), f32(16), f32(16)),
    case(mlp_block, {"w1": f32(32, 64), "b1": f32(64), "w2": f32(64, 32), "b2": f32(32)}, f32(4, 12, 32)),
    case(swiglu_mlp, f32(32, 48), f32(32, 48), f32(48, 32), f32(4, 12, 32)),
    case(conv_bn_relu, f32(4, 16, 16, 3), f32(3, 3, 3, 8), f32(8), f32(8)),
    case(residual_conv_block, f32(2, 8, 8, 16), f32(3, 3, 16, 16), f32(3, 3, 16, 16), f32(16), f32(16)),
    case(embed, f32(100, 16), i32(4, 12, high=100)),
    case(embed_one_hot, f32(50, 16), i32(4, 12, high=50)),
    case(tied_logits, f32(50, 16), f32(2, 12, 16)),
    case(sinusoidal_positions, f32(2, 12, 16)),
    case(apply_rotary, f32(2, 12, 4, 16), i32(2, 12, high=12)),
]
