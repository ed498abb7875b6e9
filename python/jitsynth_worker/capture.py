"""Capture one Python/JAX program at four IR levels, with its cost, outputs and backward pass.

`capture(request)` takes a compile request of docs/worker-protocol.md and returns its reply.
It is the whole of the worker's work, so the benchmarks call it in-process. `parameters(request)`
answers an inspect request: the entry's parameter names, with which `extract` names arguments.

Importing this module configures JAX for the whole process, before anything is traced:
no stack frames in locations (optimized HLO would otherwise carry a table of host file
paths) and the CPU backend (the data set is CPU IR, whatever accelerator the host has).
"""

import contextlib
import dataclasses
import inspect
import math
import platform
import re
import time

import jax
import jax.numpy as jnp
import jaxlib
import numpy as np

from . import gpu, kernels, optimized, target
from .protocol import error_reply

jax.config.update("jax_traceback_in_locations_limit", 0)
jax.config.update("jax_platforms", "cpu")

SOURCE_NAME = "<jitsynth>"

# The backward module is compiled for its optimized HLO text and never run: optimized.py takes
# the text at the end of XLA's HLO passes and skips code generation. Where that hook is missing,
# a full compile runs, and then LLVM need not optimize the machine code: XLA's HLO passes never
# read this option, so the optimized HLO text stays byte-identical (checked on 600 modules by
# bench/xla/q1_flags.py, and on every test run by tests/py/test_generate.py).
BACKWARD_COMPILER_OPTIONS = {"xla_backend_optimization_level": 0}
# The module's __name__: not "__main__", so that a user's `if __name__ == "__main__":` block
# stays out of the capture, and present, since class bodies and many libraries read it.
MODULE_NAME = "__jitsynth__"

_IMPORT_JAX = re.compile(r"^import jax\s*$", re.MULTILINE)


class StageFailure(Exception):
    """The program under test failed at STAGE; ERROR is what it raised."""

    def __init__(self, stage: str, error: Exception):
        super().__init__(stage, error)
        self.stage = stage
        self.error = error


class NonFiniteOutput(Exception):
    """The compiled forward pass produced an infinity or a NaN in a floating-point output."""


@dataclasses.dataclass
class _Module:
    """One module traced, lowered and compiled: its IR texts and what later stages need."""

    namespace: dict
    entry: str
    levels: dict[str, str]
    out_info: object  # the entry's output pytree of jax.ShapeDtypeStruct
    compiled: jax.stages.Compiled | None  # None for a module compiled for its text only


def versions() -> dict:
    """What produced the IR, for the ping reply and the records' provenance."""
    return {
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "python": platform.python_version(),
        "backend": jax.default_backend(),
        "optimized_hlo_from": optimized.method(),
        "target": target.describe(),
    }


def parameters(request: dict) -> dict:
    """Reply to an inspect request: the parameters of ENTRY in module PYTHON, in order.

    Each is {name, kind (inspect.Parameter's kind name, e.g. "POSITIONAL_OR_KEYWORD"), default
    (whether it has one)}. The module runs under FILENAME, so that a syntax error names the
    user's file and line. Any failure (the module does not run, ENTRY is missing or no
    function) is a "trace" failure.
    """
    filename = request.get("filename", SOURCE_NAME)
    entry = request["entry"]
    try:
        namespace = _run_module(request["python"], filename)
        if entry not in namespace:
            functions = sorted(
                name for name, value in namespace.items() if inspect.isfunction(value) and not name.startswith("_")
            )
            defined = f"; it defines {', '.join(functions)}" if functions else "; it defines no function"
            raise NameError(f"{filename} has no function {entry!r}{defined}")
        function = namespace[entry]
        if not callable(function):
            raise TypeError(f"{entry!r} in {filename} is a {type(function).__name__}, not a function")
        signature = inspect.signature(function)
    except Exception as error:
        return error_reply(request.get("id"), "trace", error)
    return {
        "ok": True,
        "id": request.get("id"),
        "parameters": [
            {"name": p.name, "kind": p.kind.name, "default": p.default is not inspect.Parameter.empty}
            for p in signature.parameters.values()
        ],
    }


def capture(request: dict) -> dict:
    """Reply to one compile request: the success reply, or the failure of the first stage that failed."""
    timings: dict[str, float] = {}
    try:
        with jax.enable_x64(bool(request.get("x64", False))):
            reply = _capture(request, timings)
    except StageFailure as failure:
        return error_reply(request.get("id"), failure.stage, failure.error)
    reply["timings"] = timings
    return reply


def _capture(request: dict, timings: dict[str, float]) -> dict:
    """The stages in order; each failure is raised as a StageFailure naming its stage."""
    source, entry, args = request["python"], request["entry"], request["args"]

    def timed_stage(name):
        return _stage(name, timings)

    asked = set(request.get("levels", ()))
    forward = _trace_lower_compile(source, entry, args, timed_stage, kernel_levels=_asked(asked, ""))
    outputs = [_shape_dtype(leaf) for leaf in jax.tree_util.tree_leaves(forward.out_info)]
    if request.get("execute", False):
        with timed_stage("execute"):
            _check_finite(forward.compiled(*_random_inputs(args, request["input_seed"])))
    grad = None
    if request.get("grad", False) and _differentiable(args, outputs):
        with timed_stage("grad"):
            grad = _capture_grad(source, entry, args, outputs, forward, _asked(asked, "grad."))
    reply = {
        "ok": True,
        "id": request.get("id"),
        **forward.levels,
        "outputs": outputs,
        "cost": _cost(forward.compiled),
        "grad": grad,
    }
    if request.get("gpu_target"):
        with timed_stage("gpu"):
            reply["gpu"] = _capture_gpu(request["gpu_target"], forward, args, grad, "grad.gpu" in asked)
    return reply


def _capture_gpu(target: str, forward: _Module, args: list[dict], grad: dict | None, with_grad: bool) -> dict:
    """The record's `gpu`: the forward pass (and the backward's, WITH_GRAD) compiled for TARGET."""
    levels = {"target": target, **gpu.capture(forward.namespace[forward.entry], args, target)}
    if with_grad and grad is not None:
        namespace = _run_module(grad["python"])
        levels["grad"] = gpu.capture(namespace[grad["entry"]], grad["args"], target)
    return levels


@contextlib.contextmanager
def _stage(name: str, timings: dict[str, float]):
    """Time the block under NAME and attribute any exception it raises to that stage."""
    start = time.perf_counter()
    try:
        yield
    except Exception as error:
        raise StageFailure(name, error) from error
    finally:
        timings[name] = time.perf_counter() - start


def _asked(asked: set[str], prefix: str) -> tuple[str, ...]:
    """The CPU kernel levels (kernels.LEVELS) named PREFIX + level in ASKED, in LEVELS' order."""
    return tuple(level for level in kernels.LEVELS if prefix + level in asked)


def _untimed_stage(name: str):
    """Stage hook for the backward module, whose failures all belong to the enclosing "grad" stage."""
    return contextlib.nullcontext()


def _trace_lower_compile(source: str, entry: str, args: list[dict], stage,
                         text_only: bool = False, kernel_levels: tuple[str, ...] = ()) -> _Module:
    """Run SOURCE and capture ENTRY at the four levels, and KERNEL_LEVELS (kernels.py), tracing once.

    TEXT_ONLY: the module is never run, so without kernel levels its optimized HLO is taken
    without code generation (optimized.py) and the result carries no executable. Kernel levels
    need the whole compile, with XLA's default options.

    `jax.jit(f).trace(*specs)` yields the same jaxpr as `jax.make_jaxpr(f)(*specs)` and the
    same lowering as `jax.jit(f).lower(*specs)`, without tracing the function twice.
    """
    with stage("trace"):
        namespace = _run_module(source)
        traced = jax.jit(_lookup(namespace, entry)).trace(*_specs(args))
        jaxpr = str(traced.jaxpr)
    with stage("lower"):
        lowered = traced.lower()
        stablehlo = lowered.as_text()
        hlo = lowered.as_text(dialect="hlo")
    with stage("compile"):
        kernel_texts: dict[str, str] = {}
        if kernel_levels:
            names: dict[str, str] = {}
            with kernels.dump_folder() as folder:
                compiled, optimized_hlo = optimized.compile_with_text(
                    lowered, kernels.compiler_options(folder), names
                )
                kernel_texts = kernels.read(folder, kernel_levels, lambda name: names.get(name, name))
        elif text_only:
            compiled = None
            optimized_hlo = optimized.optimized_hlo(lowered, BACKWARD_COMPILER_OPTIONS)
        else:
            compiled, optimized_hlo = optimized.compile_with_text(lowered)
    levels = {"jaxpr": jaxpr, "stablehlo": stablehlo, "hlo": hlo, "optimized_hlo": optimized_hlo, **kernel_texts}
    return _Module(namespace, entry, levels, traced.out_info, compiled)


def _run_module(source: str, filename: str = SOURCE_NAME) -> dict:
    """Execute module SOURCE in a fresh namespace, under the file name that the records reproduce."""
    namespace: dict = {"__name__": MODULE_NAME}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


def _lookup(namespace: dict, entry: str):
    if entry not in namespace:
        raise NameError(f"entry {entry!r} is not defined by the module")
    return namespace[entry]


def _specs(args: list[dict]) -> list[jax.ShapeDtypeStruct]:
    return [jax.ShapeDtypeStruct(tuple(arg["shape"]), jnp.dtype(arg["dtype"])) for arg in args]


def _shape_dtype(aval) -> dict:
    """{shape, dtype} with the numpy dtype name ("float32", "bfloat16", "bool")."""
    return {"shape": list(aval.shape), "dtype": np.dtype(aval.dtype).name}


def _is_float(dtype) -> bool:
    """Floating point, float16 and bfloat16 included."""
    return bool(jnp.issubdtype(jnp.dtype(dtype), jnp.floating))


def _cost(compiled: jax.stages.Compiled) -> dict[str, float]:
    """XLA's cost estimate; older JAX returns one dict per program in a list, absent keys count as 0."""
    analysis = compiled.cost_analysis()
    if isinstance(analysis, list):
        analysis = analysis[0] if analysis else None
    analysis = analysis or {}
    return {
        "flops": float(analysis.get("flops", 0.0)),
        "bytes_accessed": float(analysis.get("bytes accessed", 0.0)),
        "transcendentals": float(analysis.get("transcendentals", 0.0)),
    }


def _random_inputs(args: list[dict], seed: int) -> list[np.ndarray]:
    """Inputs drawn in argument order from one default_rng(SEED), inside each argument's closed range."""
    rng = np.random.default_rng(seed)
    return [_random_array(rng, arg) for arg in args]


def _random_array(rng: np.random.Generator, arg: dict) -> np.ndarray:
    dtype = jnp.dtype(arg["dtype"])
    shape = tuple(arg["shape"])
    if _is_float(dtype):
        values = rng.uniform(arg["low"], arg["high"], size=shape)
    elif dtype == np.bool_:
        values = rng.integers(0, 2, size=shape)
    else:
        values = rng.integers(math.ceil(arg["low"]), math.floor(arg["high"]), size=shape, endpoint=True)
    return values.astype(dtype)


def _check_finite(result) -> None:
    for index, leaf in enumerate(jax.tree_util.tree_leaves(result)):
        values = np.asarray(leaf)
        if _is_float(values.dtype) and not np.isfinite(values).all():
            raise NonFiniteOutput(
                f"output {index} ({values.dtype.name}{list(values.shape)}) has non-finite values"
            )


def _differentiable(args: list[dict], outputs: list[dict]) -> bool:
    """A backward pass exists only from a floating-point output to a floating-point argument."""
    return any(_is_float(a["dtype"]) for a in args) and any(_is_float(o["dtype"]) for o in outputs)


def _capture_grad(source: str, entry: str, args: list[dict], outputs: list[dict], forward: _Module,
                  kernel_levels: tuple[str, ...] = ()) -> dict:
    """Build the backward module and capture it at the four levels and KERNEL_LEVELS, like the forward one."""
    python, vjp_entry, cotangents = vjp_module(
        source, entry, args, outputs, _output_form(forward.out_info), forward.namespace
    )
    grad_args = [{"name": a["name"], "shape": a["shape"], "dtype": a["dtype"]} for a in args] + cotangents
    backward = _trace_lower_compile(
        python, vjp_entry, grad_args, _untimed_stage, text_only=True, kernel_levels=kernel_levels
    )
    return {"entry": vjp_entry, "python": python, "args": grad_args, **backward.levels}


def _output_form(out_info) -> str:
    """How the entry returns its outputs: "array" (one), "sequence" (a flat tuple or list) or "tree"."""
    if isinstance(out_info, jax.ShapeDtypeStruct):
        return "array"
    if isinstance(out_info, (tuple, list)) and all(isinstance(o, jax.ShapeDtypeStruct) for o in out_info):
        return "sequence"
    return "tree"


def vjp_module(
    source: str,
    entry: str,
    args: list[dict],
    outputs: list[dict],
    output_form: str,
    namespace: dict,
) -> tuple[str, str, list[dict]]:
    """The backward module: SOURCE followed by `<entry>_vjp(<args>, <cotangents>)`.

    The function returns the vjp of ENTRY with respect to every floating-point argument, for
    the floating-point outputs (OUTPUTS are the flattened outputs, OUTPUT_FORM as from
    _output_form). Cotangents are arguments, not constants, so that XLA cannot fold the
    backward pass away. NAMESPACE is the forward module's, so the new function shadows nothing.
    Returns (module source, function name, cotangent args as {name, shape, dtype}).
    """
    arg_names = [a["name"] for a in args]
    wrt = [a["name"] for a in args if _is_float(a["dtype"])]
    float_outputs = [i for i, o in enumerate(outputs) if _is_float(o["dtype"])]

    vjp_entry = _fresh(f"{entry}_vjp", set(namespace))
    taken = {*arg_names, entry, "jax", vjp_entry}
    forward, pullback, outs = (_fresh(name, taken) for name in ("forward", "pullback", "outs"))
    if len(float_outputs) == 1:
        cotangent_names = [_fresh("ct", taken)]
    else:
        cotangent_names = [_fresh(f"ct_{i}", taken) for i in range(len(float_outputs))]

    call = f"{entry}({', '.join(arg_names)})"
    if output_form == "array":
        forward_body = [f"return {call}"]
    else:
        flat = call if output_form == "sequence" else f"jax.tree_util.tree_leaves({call})"
        forward_body = [f"{outs} = {flat}", f"return {', '.join(f'{outs}[{i}]' for i in float_outputs)}"]
    cotangent = cotangent_names[0] if len(cotangent_names) == 1 else f"({', '.join(cotangent_names)})"

    lines = [
        f"def {vjp_entry}({', '.join(arg_names + cotangent_names)}):",
        f"    def {forward}({', '.join(wrt)}):",
        *(f"        {line}" for line in forward_body),
        f"    _, {pullback} = jax.vjp({', '.join([forward, *wrt])})",
        f"    return {pullback}({cotangent})",
    ]
    prefix = source if _IMPORT_JAX.search(source) else f"import jax\n{source}"
    python = prefix.rstrip("\n") + "\n\n\n" + "\n".join(lines) + "\n"
    cotangents = [
        {"name": name, "shape": outputs[i]["shape"], "dtype": outputs[i]["dtype"]}
        for name, i in zip(cotangent_names, float_outputs)
    ]
    return python, vjp_entry, cotangents


def _fresh(name: str, taken: set[str]) -> str:
    """NAME, or NAME_1, NAME_2, ...: the first not in TAKEN, which is added to TAKEN."""
    candidate, suffix = name, 0
    while candidate in taken:
        suffix += 1
        candidate = f"{name}_{suffix}"
    taken.add(candidate)
    return candidate
