"""Optimized HLO as XLA's HLO passes leave it, taken from a POST_SCHEDULER transformation hook.

XLA's CPU compile is its HLO passes (a few per cent of the time) followed by code generation
(kernel emission and LLVM: the rest). A transformation registered with
`jax.extend.xla.register_hlo_module_transformation` at the POST_SCHEDULER stage (the last point of
the CPU pipeline a transformation can see) receives the scheduled module as a serialized
HloModuleProto. jitsynth uses it two ways:
  - `optimized_hlo(lowered)`, for the backward module, which is never run: the hook keeps the
    bytes and raises, which ends the compile before code generation;
  - `compile_with_text(lowered)`, for the forward module, which is run: the hook keeps the bytes
    and the compile goes on.

Printing the proto differs from `compiled.as_text()` in two ways, both repaired by module_text():
  - the module header lacks `allow_spmd_sharding_propagation_to_parameters/output`, which the
    printer takes from the compile options rather than the module: JAX sets them true for every
    parameter and every output of a jit without explicit shardings, and XLA prints each list only
    when it is not empty;
  - `backend_config` JSON objects carry their keys in the proto's field order; the compiled
    executable prints them sorted. Keys are reordered; every value keeps its exact text.

Then names.renumber() gives every name with a numeric suffix the next number of its base in order of
appearance. XLA numbers names from counters that count every instruction a pass ever created, and
for some modules (bfloat16 scatter and select-and-scatter reducers, made float32 by XLA's float
normalization) the passes create them in an order that changes from one compile of the same
module to the next (`ROOT %convert.51` or `%convert.53`), in the hook's text and in
`compiled.as_text()` alike. Renumbered, the text is a function of the module's structure: a record
is the same bytes however many times it is made. bench/xla/q4_post_scheduler.py --verify checks a
run against renumbered full compiles (tests/py/test_generate.py runs it on its test run).

Where the hook is missing (a jaxlib before 0.10.2) both functions fall back to a full compile.
"""

import json
import re

import jax

from . import target
from .names import renumber

try:
    from jax.extend import xla as _jex_xla
    from jaxlib import _hlo
except ImportError:  # jaxlib < 0.10.2: no transformation hooks
    _jex_xla = None
    _hlo = None

_HOOK_NAME = "jitsynth_take_optimized_module"
_SENTINEL = "jitsynth: optimized module taken before code generation"


class _Hook:
    """What the hook does on the next compile ("keep", "stop" or None) and the proto it kept."""

    mode: str | None = None
    proto: bytes | None = None


def _hook(proto: bytes):
    if _Hook.mode is None:
        return None
    _Hook.proto = bytes(proto)
    if _Hook.mode == "stop":
        raise RuntimeError(_SENTINEL)
    return None


def _register() -> bool:
    if _jex_xla is None or not hasattr(_jex_xla, "PipelineStage"):
        return False
    try:
        _jex_xla.register_hlo_module_transformation(
            _hook, name=_HOOK_NAME, stage=_jex_xla.PipelineStage.POST_SCHEDULER, platforms="cpu"
        )
    except (NotImplementedError, RuntimeError, TypeError, AttributeError):
        return False
    return True


HOOK_REGISTERED = _register()


def method() -> str:
    """Where the records' optimized_hlo comes from, for their provenance."""
    return "post_scheduler_hook" if HOOK_REGISTERED else "compiled_executable"


def optimized_hlo(lowered: jax.stages.Lowered, compiler_options: dict | None = None) -> str:
    """The optimized HLO text of LOWERED, without code generation where the hook exists."""
    if not HOOK_REGISTERED:
        return renumber(lowered.compile(compiler_options=target.with_target(compiler_options)).as_text())
    _Hook.mode, _Hook.proto = "stop", None
    try:
        compiled = lowered.compile(compiler_options=target.with_target(compiler_options))
    except Exception as error:  # jax.errors.JaxRuntimeError wraps the hook's RuntimeError
        if _Hook.proto is None or _SENTINEL not in str(error):
            raise
        return renumber(module_text(_Hook.proto))
    finally:
        _Hook.mode = None
    return renumber(compiled.as_text())  # the hook did not fire: the compile ran to its end


def compile_with_text(
    lowered: jax.stages.Lowered, compiler_options: dict | None = None, names: dict | None = None
) -> tuple[jax.stages.Compiled, str]:
    """LOWERED compiled for the declared target (COMPILER_OPTIONS: XLA's defaults plus these, which must not change the HLO
    passes), and its optimized HLO text from the hook. NAMES receives renumber()'s renaming."""
    if not HOOK_REGISTERED:
        compiled = lowered.compile(compiler_options=target.with_target(compiler_options))
        return compiled, renumber(compiled.as_text(), names)
    _Hook.mode, _Hook.proto = "keep", None
    try:
        compiled = lowered.compile(compiler_options=target.with_target(compiler_options))
    finally:
        _Hook.mode = None
    if _Hook.proto is None:  # a compile served from JAX's cache never reaches XLA
        return compiled, renumber(compiled.as_text(), names)
    return compiled, renumber(module_text(_Hook.proto), names)


def module_text(proto: bytes) -> str:
    """The text `compiled.as_text()` prints for the module whose scheduled proto is PROTO."""
    text = _hlo.HloModule.from_serialized_hlo_module_proto(proto).to_string()
    shape = _hlo.XlaComputation(proto).program_shape()
    n_params = len(shape.parameter_shapes())
    result = shape.result_shape()
    n_outputs = len(result.tuple_shapes()) if result.is_tuple() else 1
    header, newline, body = text.partition("\n")
    for name, count in (("parameters", n_params), ("output", n_outputs)):
        if count:
            header += f", allow_spmd_sharding_propagation_to_{name}={{{','.join(['true'] * count)}}}"
    return header + newline + _BACKEND_CONFIG.sub(_sorted_backend_config, body)


# backend_config={...} up to the next attribute or the end of the line; JSON objects only.
_BACKEND_CONFIG = re.compile(r"backend_config=(\{.*?\})(?=, [a-z_]+=|$)", re.MULTILINE)


class _Raw:
    """A JSON number, kept as the text it was written as."""

    def __init__(self, text: str):
        self.text = text


def _sorted_backend_config(match: re.Match) -> str:
    try:
        value = json.loads(match.group(1), parse_float=_Raw, parse_int=_Raw, parse_constant=_Raw)
    except ValueError:
        return match.group(0)  # not JSON (a custom call's own syntax): printed as the proto has it
    return "backend_config=" + _dump_sorted(value)


def _dump_sorted(value) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_dump_sorted(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_dump_sorted(v) for v in value) + "]"
    if isinstance(value, _Raw):
        return value.text
    return json.dumps(value)
