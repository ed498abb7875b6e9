"""A corpus of functions written the way model code is written (flax/optax/equinox style, plain JAX).

Each module lists its functions in CASES with example argument specs; bench/realism.py compiles
every case forward and backward and compares the fusion patterns of the optimized HLO with a run's.
The corpus is written independently of the generator: it is a sample of what people write, not a
list of what jitsynth makes.
"""

import dataclasses

import jax
import jax.numpy as jnp


@dataclasses.dataclass
class Case:
    fn: object
    args: tuple

    @property
    def name(self):
        return f"{self.fn.__module__.rsplit('.', 1)[-1]}.{self.fn.__name__}"


def case(fn, *args):
    return Case(fn, args)


def f32(*shape):
    return jax.ShapeDtypeStruct(shape, jnp.float32)


def bf16(*shape):
    return jax.ShapeDtypeStruct(shape, jnp.bfloat16)


def i32(*shape, high=None):
    """An int32 argument; HIGH documents the range the function expects (compiling needs only the spec)."""
    return jax.ShapeDtypeStruct(shape, jnp.int32)


def boolean(*shape):
    return jax.ShapeDtypeStruct(shape, jnp.bool_)


def key():
    return jax.ShapeDtypeStruct((2,), jnp.uint32)


def all_cases():
    from . import attention, layers, losses, misc, optim
    return [c for m in (layers, attention, losses, optim, misc) for c in m.CASES]
