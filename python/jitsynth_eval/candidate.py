"""One program checked inside a confined child: well-formed, compiles (XLA CPU), then run on K seeded
inputs. The child never sees the program it is compared with: the server compares the outputs.

Kinds: "python" (a module defining the entry), "stablehlo" (MLIR text), "hlo" (HLO text, through
XLA's parser, converted to StableHLO and compiled).
"""

import ast
import io
import math
import re
import sys
import time

import jax
import numpy as np
from jax._src import xla_bridge
from jax._src.interpreters import mlir
from jax._src.lib import xla_client as xc
from jaxlib import _hlo, _jax

# Modules a Python candidate may import (and their submodules).
ALLOWED_IMPORTS = ("jax", "numpy", "math")
# Builtins a Python candidate may not name: code execution, imports, introspection, files, I/O.
FORBIDDEN_NAMES = {"__import__", "eval", "exec", "compile", "open", "getattr", "setattr", "delattr",
                   "globals", "locals", "vars", "dir", "breakpoint", "input", "help", "memoryview",
                   "importlib", "sys", "os", "subprocess", "builtins", "__builtins__", "__loader__",
                   "__spec__", "type", "object", "super", "classmethod", "staticmethod", "property",
                   "exit", "quit", "copyright", "credits", "license"}
_SAFE_BUILTINS = {name: value for name, value in __builtins__.items()
                  if name not in FORBIDDEN_NAMES and not name.startswith("_")} \
    if isinstance(__builtins__, dict) else \
    {name: getattr(__builtins__, name) for name in dir(__builtins__)
     if name not in FORBIDDEN_NAMES and not name.startswith("_")}
# custom_call targets XLA:CPU programs of this data set use (LAPACK and FFT kernels, sharding marks).
ALLOWED_CUSTOM_CALL_PREFIXES = ("lapack_", "ducc_fft", "Sharding", "SPMDFullToShardShape",
                                "SPMDShardToFullShape", "annotate_device_placement")
# Targets allowed by exact name: XLA:CPU's own TopK kernel, which its optimizer puts in optimized
# HLO for lax.top_k (and sorts it recognizes as one).
ALLOWED_CUSTOM_CALL_TARGETS = {"TopK"}
_CUSTOM_CALL = re.compile(r'custom_call_target="([^"]*)"|stablehlo\.custom_call\s*@([\w.$-]+)|'
                          r'call_target_name\s*=\s*"([^"]*)"')


# The record's program and the candidate compile alike, without LLVM's optimizations (about a
# quarter less compile time, docs/performance.md, "XLA options that skip LLVM work") and with
# XLA:CPU's older elemental emitters instead of its MLIR fusion emitters (less than half the
# compile CPU again, "Scoring predictions"); float results change only in rounding, far inside
# the tolerances (bench/eval_options.py measures both on a run).
COMPILER_OPTIONS = {"xla_backend_optimization_level": 0, "xla_cpu_use_fusion_emitters": False}


class Rejected(Exception):
    """The candidate breaks the sandbox's rules before it runs (imports, names, custom calls)."""


class StageError(Exception):
    def __init__(self, stage: str, error: BaseException):
        super().__init__(f"{type(error).__name__}: {str(error)[:600]}")
        self.stage = stage


def disallowed_custom_calls(text: str) -> list[str]:
    """custom_call targets of IR TEXT outside the allowlist."""
    targets = {next(g for g in m.groups() if g is not None) for m in _CUSTOM_CALL.finditer(text)}
    return sorted(t for t in targets
                  if t not in ALLOWED_CUSTOM_CALL_TARGETS and not t.startswith(ALLOWED_CUSTOM_CALL_PREFIXES))


def check_python_policy(tree: ast.AST) -> None:
    """Imports limited to jax, numpy and math; no forbidden builtins; no dunder or private attributes."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                _check_import(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                raise Rejected("relative imports are not allowed")
            _check_import(node.module)
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise Rejected(f"the name {node.id!r} is not allowed")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise Rejected(f"the attribute {node.attr!r} is not allowed")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            raise Rejected("global and nonlocal statements are not allowed")


def _check_import(module: str) -> None:
    if module.split(".")[0] not in ALLOWED_IMPORTS:
        raise Rejected(f"import of {module!r} is not allowed (only {', '.join(ALLOWED_IMPORTS)})")


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """The candidate's __import__. C code (NumPy resolving a dtype) imports through the calling
    frame's builtins too, so modules already loaded pass; the AST check has already refused every
    import statement of the candidate's own outside ALLOWED_IMPORTS."""
    if level == 0 and name in sys.modules:
        return __import__(name, globals, locals, fromlist, level)
    if level or name.split(".")[0] not in ALLOWED_IMPORTS:
        raise ImportError(f"import of {name!r} is not allowed")
    return __import__(name, globals, locals, fromlist, level)


_FUSION = re.compile(r"\bfusion\(")
# A bitcast between shapes in XLA:CPU's default layouts is a reshape; the StableHLO importer wants
# the reshape (a bitcast there keeps its operand's layout and fails verification).
_BITCAST = re.compile(r"\bbitcast\(")


def _without_config(line: str) -> str:
    """LINE without its backend_config={...} (balanced braces; quoted braces skipped)."""
    start = line.find("backend_config={")
    if start < 0:
        return line
    depth, i, quoted = 0, start + len("backend_config="), False
    while i < len(line):
        c = line[i]
        if c == '"' and line[i - 1] != "\\":
            quoted = not quoted
        elif not quoted and c == "{":
            depth += 1
        elif not quoted and c == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return (line[:start].rstrip(", ") + line[i + 1:]).replace(", ,", ",")


_INSTRUCTION = re.compile(r"^\s*(?:ROOT\s+)?%?([\w.-]+) = (\w+)\[([\d,]*)\]")
_BITCAST_OPERAND = re.compile(r"\bbitcast\(%?([\w.-]+)\)")


def _bitcast_as(line: str, types: dict) -> str:
    """A bitcast as the op it stands for: a reshape when the element type stays, a bitcast-convert
    when only the element type changes (same shape)."""
    result, operand = _INSTRUCTION.match(line), _BITCAST_OPERAND.search(line)
    if not result or not operand or operand.group(1) not in types:
        return line
    element, dims = types[operand.group(1)]
    if element == result.group(2):
        return _BITCAST.sub("reshape(", line)
    if dims == result.group(3):
        return _BITCAST.sub("bitcast-convert(", line)
    return line


def unfuse(text: str) -> str:
    """Optimized HLO that XLA:CPU can compile again: every fusion instruction becomes a call of its
    fused computation (XLA inlines calls, then fuses anew), and every bitcast the reshape or
    bitcast-convert it stands for. XLA's CPU backend refuses a fusion that lacks the backend
    config it attached, and the config does not survive the conversion to StableHLO; the
    computation is the same."""
    types = {m.group(1): (m.group(2), m.group(3))
             for m in (_INSTRUCTION.match(line) for line in text.splitlines()) if m}
    lines = []
    for line in text.splitlines():
        if _FUSION.search(line) and "calls=" in line:
            line = _FUSION.sub("call(", _without_config(line), count=1)
            line = re.sub(r",\s*kind=k\w+", "", line).replace("calls=", "to_apply=")
        if _BITCAST.search(line):
            line = _bitcast_as(line, types)
        lines.append(line)
    return "\n".join(lines) + "\n"


def random_inputs(args: list[dict], seed: int, k: int) -> list[np.ndarray]:
    """Input set K: set 0 is exactly what the worker drew at generation (default_rng(seed)); set k
    draws from default_rng([seed, k]). Each argument inside its closed [low, high]."""
    rng = np.random.default_rng(seed if k == 0 else [seed, k])
    return [_random_array(rng, arg) for arg in args]


def _random_array(rng: np.random.Generator, arg: dict) -> np.ndarray:
    dtype = jax.numpy.dtype(arg["dtype"])
    shape = tuple(arg["shape"])
    if jax.numpy.issubdtype(dtype, jax.numpy.floating):
        values = rng.uniform(arg["low"], arg["high"], size=shape)
    elif dtype == np.bool_:
        values = rng.integers(0, 2, size=shape)
    else:
        values = rng.integers(math.ceil(arg["low"]), math.floor(arg["high"]), size=shape, endpoint=True)
    return values.astype(dtype)


def _python(job: dict):
    """(well-formed check, compiled callable) of a Python candidate."""
    try:
        tree = ast.parse(job["text"], "<candidate>")
    except (SyntaxError, ValueError) as error:
        raise StageError("well_formed", error) from None
    check_python_policy(tree)
    try:
        namespace = {"__name__": "__candidate__",
                     "__builtins__": dict(_SAFE_BUILTINS, __import__=_guarded_import)}
        exec(compile(tree, "<candidate>", "exec"), namespace)
        fn = namespace.get(job["entry"])
        if not callable(fn):
            functions = [v for k, v in namespace.items() if callable(v) and not k.startswith("_")
                         and getattr(v, "__module__", None) == "__candidate__"]
            if len(functions) != 1:
                raise NameError(f"the module defines no function {job['entry']!r}")
            fn = functions[0]
        specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), jax.numpy.dtype(a["dtype"])) for a in job["args"]]
        compiled = jax.jit(fn).lower(*specs).compile(compiler_options=COMPILER_OPTIONS)
    except Rejected:
        raise
    except BaseException as error:  # noqa: BLE001 - the candidate's failure is the verdict
        raise StageError("compiles", error) from None
    return lambda inputs: jax.tree_util.tree_leaves(compiled(*inputs))


def _ir(job: dict):
    """Compiled executable of a StableHLO or HLO candidate."""
    text = job["text"]
    bad = disallowed_custom_calls(text)
    if bad:
        raise Rejected(f"custom_call target {bad[0]!r} is not in the allowlist")
    backend = xla_bridge.get_backend("cpu")
    context = mlir.make_ir_context()  # one context: the module parsed once is the one compiled
    try:
        if job["kind"] == "stablehlo":
            with context:
                module = mlir.ir.Module.parse(text)
        else:
            _hlo.hlo_module_from_text(text)  # well-formed: XLA's parser accepts it as written
            proto = _hlo.hlo_module_from_text(unfuse(text)).as_serialized_hlo_module_proto()
            source = _jax.mlir.hlo_to_stablehlo(proto)
            with context:
                module = mlir.ir.Module.parse(source)
    except BaseException as error:  # noqa: BLE001
        raise StageError("well_formed", error) from None
    try:
        devices = xc.DeviceList(tuple(backend.devices()[:1]))
        options = xc.CompileOptions()
        options.env_option_overrides = list(COMPILER_OPTIONS.items())
        with context:
            parameters = _main_parameters(module)
            executable = backend.compile_and_load(module, executable_devices=devices,
                                                  compile_options=options)
    except BaseException as error:  # noqa: BLE001
        raise StageError("compiles", error) from None
    device = backend.devices()[0]

    kept = job.get("kept")

    def run(inputs):
        # A module keeps only the arguments it uses (as JAX lowers): pass those, when it asks for
        # fewer than the record has and the record's module says which.
        if kept is not None and parameters == len(kept) < len(inputs):
            inputs = [inputs[i] for i in kept]
        buffers = [jax.device_put(x, device) for x in inputs]
        return executable.execute(buffers)

    return run


def _main_parameters(module) -> int:
    """The number of parameters of the module's public main function (-1 when there is none)."""
    for op in module.body.operations:
        if op.operation.name == "func.func" and "sym_name" in op.attributes and \
                mlir.ir.StringAttr(op.attributes["sym_name"]).value == "main":
            return len(op.regions[0].blocks[0].arguments)
    return -1


def evaluate(job: dict) -> tuple[dict, bytes]:
    """The child's whole work: a header {well_formed, compiles, ran, refused, stage, reason} and the
    outputs of every input set as .npz bytes (keys "k<set>_<output>")."""
    header = {"well_formed": False, "compiles": False, "ran": False, "refused": False,
              "stage": "", "reason": "", "cpu_s": {}}
    cpu = header["cpu_s"]  # the process CPU time of each stage (bench/eval_stages.py adds them up)
    jax.config.update("jax_enable_x64", bool(job.get("x64")))
    try:
        start = time.process_time()
        run = _python(job) if job["kind"] == "python" else _ir(job)
        cpu["compile"] = time.process_time() - start
        header["well_formed"] = header["compiles"] = True
        arrays = {}
        start = time.process_time()
        for k in range(job["inputs"]):
            for j, out in enumerate(run(random_inputs(job["args"], job["input_seed"], k))):
                arrays[f"k{k}_{j}"] = np.asarray(out)
        cpu["run"] = time.process_time() - start
        header["ran"] = True
        header["sets"] = job["inputs"]
        header["outputs"] = len(arrays) // max(job["inputs"], 1)
    except Rejected as error:
        header.update(refused=True, stage="well_formed", reason=f"refused: {error}")
        return header, b""
    except StageError as error:
        header.update(stage=error.stage, reason=str(error), refused="sandbox:" in str(error))
        if error.stage == "compiles":
            header["well_formed"] = True
        return header, b""
    except BaseException as error:  # noqa: BLE001 - a crash while running is the candidate's
        refused = type(error).__name__ == "Refused"
        header.update(stage="runs", refused=refused, reason=f"{type(error).__name__}: {str(error)[:600]}")
        return header, b""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return header, buffer.getvalue()
