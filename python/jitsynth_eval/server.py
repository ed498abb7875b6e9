"""The sandbox server: imports JAX once, keeps children forked *before* each request is read (one
for the record's program and one per candidate the request may hold, `--candidates`), and hands
the first the record's program, then each other one candidate. Each child confines itself
(sandbox.py), compiles and runs its program (candidate.py) and sends back its outputs; the server
compares them, SIGKILLs each child's process group as soon as it answered, and removes its private
directory. The record's program runs once per request however many candidates it holds (one per
prediction set scored at once).

Why forked before the request: a child's memory is a copy of the server's at fork time, and a
candidate can walk the interpreter's objects. Forked earlier, no child holds the record's
program, its outputs or another child's text: the answer is nowhere in the candidate's process.

Request {"op": "check", "id", "candidate": {kind, text, entry} (or "candidates": [{kind, text,
entry}, ...]), "reference": {kind, text, entry}, "args": [{name, shape, dtype, low, high}],
"input_seed", "inputs": K, "x64", "limits": {cpu_s, wall_s, memory_bytes, file_bytes, processes}}.
Reply {"ok": true, "id", "well_formed", "compiles", "equivalent", "refused", "stage", "reason",
"layers"}; for "candidates", {"ok": true, "id", "verdicts": [those fields, one per candidate]}.
wall_s bounds each child on its own: the children run one after the other.
"""

import gc
import io
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import time

import jax
import numpy as np
from jitsynth_worker import protocol

from . import candidate, sandbox

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_traceback_in_locations_limit", 0)
# MLIR's dialects load on the first parse (about 50 ms of CPU), and the Python modules behind a
# module's operations and JAX's execution path on first use (about 20 ms): once here, not in every
# child. None of it starts a thread, so the children forked later inherit a consistent state.
with candidate.mlir.make_ir_context():
    candidate._main_parameters(candidate.mlir.ir.Module.parse(
        "func.func public @main(%a: tensor<f32>) -> tensor<f32> { return %a : tensor<f32> }"))
import jax.experimental.multihost_utils  # noqa: E402,F401 - imported by the first execution
# JAX looks for PJRT plugins (entry points of every installed distribution: about 25 ms of CPU)
# before it makes its first client: once here, not in every child. It makes no client and starts
# no thread; the CPU client itself is made in each child (its thread pools would not survive
# the fork).
candidate.xla_bridge._discover_and_register_pjrt_plugins()

# Per-dtype tolerances of KernelBench's allclose (rtol = atol); integers and booleans exactly.
TOLERANCES = {"float16": 1e-2, "bfloat16": 1e-2, "float32": 1e-4, "float64": 1e-4}
MAX_RESULT_BYTES = 256 * 1024 * 1024


class Child:
    """A forked, not yet confined child waiting for its job."""

    def __init__(self, base: str, hide: list[str]):
        self.finished = False
        self.dir = tempfile.mkdtemp(prefix="child-", dir=base)
        job_r, self.job_w = os.pipe()
        self.result_r, result_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            _child_main(job_r, result_w, self.dir, hide)
        os.close(job_r)
        os.close(result_w)

    def finish(self) -> None:
        """Kill the child's process group (whatever it started), reap it, remove its directory.
        Once only: after the reaping its pid may belong to another process."""
        if self.finished:
            return
        self.finished = True
        for target in (lambda: os.killpg(self.pid, signal.SIGKILL), lambda: os.kill(self.pid, signal.SIGKILL)):
            try:
                target()
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        for fd in (self.job_w, self.result_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def _child_main(job_r: int, result_w: int, private_dir: str, hide: list[str]) -> None:
    code = 0
    try:
        sandbox.new_session()
        sandbox.close_inherited((job_r, result_w))
        payload = protocol.read_frame(job_r)
        if payload is None:
            os._exit(0)
        job = protocol.decode(payload)
        del payload
        start = time.process_time()
        layers = sandbox.confine(private_dir, hide, job["limits"])
        confined = time.process_time()
        header, blob = candidate.evaluate(job)
        header["layers"] = layers
        # CPU since the fork: before the job came (session, descriptors), confinement, the rest.
        header.setdefault("cpu_s", {}).update(before_job=start, confine=confined - start,
                                              total=time.process_time())
        protocol.write_frame(result_w, protocol.encode(header))
        protocol.write_frame(result_w, blob)
    except BaseException as error:  # noqa: BLE001 - reported as the child's failure
        code = 1
        try:
            protocol.write_frame(result_w, protocol.encode(
                {"well_formed": False, "compiles": False, "ran": False, "refused": False,
                 "stage": "sandbox", "reason": f"{type(error).__name__}: {str(error)[:600]}"}))
        except BaseException:  # noqa: BLE001
            pass
    os._exit(code)


def _read_exact(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float) -> bytes | None:
    header = _read_exact(fd, 4, deadline)
    if header is None:
        return None
    length = int.from_bytes(header, "little")
    if length > MAX_RESULT_BYTES:
        return None
    return _read_exact(fd, length, deadline)


def _result(child: Child, deadline: float, wall_s: float) -> tuple[dict, list | None]:
    """The child's header and outputs (list of input sets, each a list of arrays), or a timeout."""
    raw = _read_frame(child.result_r, deadline)
    if raw is None:
        return {"well_formed": False, "compiles": False, "ran": False, "refused": False, "stage": "timeout",
                "reason": f"no answer within {wall_s:g} s (killed; or the process died)"}, None
    header = protocol.decode(raw)
    if not header.get("ran"):
        return header, None
    blob = _read_frame(child.result_r, deadline)
    if blob is None:
        return dict(header, ran=False, stage="timeout", reason="outputs not sent in time"), None
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    try:
        outputs = [[arrays[f"k{k}_{j}"] for j in range(int(header["outputs"]))]
                   for k in range(int(header["sets"]))]
    except (KeyError, TypeError, ValueError) as error:
        return dict(header, ran=False, stage="runs", reason=f"malformed outputs: {error!r}"), None
    return header, outputs


# An entry parameter, also as the ROOT (a backward module that returns its cotangent unchanged).
_PARAMETER = re.compile(r"^\s*(?:ROOT\s+)?%?([\w.-]+?)(?:\.\d+)? = \S.* parameter\((\d+)\)", re.MULTILINE)


def kept_args(hlo: str, args: list[dict]) -> list[int] | None:
    """The indices of the arguments the record's module keeps (JAX drops unused ones), read from
    the names of its HLO entry parameters; None when it keeps all or the names do not tell."""
    entry = hlo.find("\nENTRY ")
    if entry < 0:
        return None
    end = hlo.find("\n}", entry)
    parameters = sorted((int(m.group(2)), m.group(1)) for m in _PARAMETER.finditer(hlo[entry:end]))
    if len(parameters) >= len(args):
        return None
    names = [a["name"] for a in args]
    try:
        return [names.index(name) for _, name in parameters]
    except ValueError:
        return None


def compare(reference: list, prediction: list) -> str:
    """"" when every output of every input set matches; else the first difference."""
    if len(reference) != len(prediction):
        return f"{len(prediction)} input sets ran, expected {len(reference)}"
    for k, (want_set, got_set) in enumerate(zip(reference, prediction)):
        if len(want_set) != len(got_set):
            return f"{len(got_set)} outputs, expected {len(want_set)}"
        for j, (want, got) in enumerate(zip(want_set, got_set)):
            if want.dtype != got.dtype or want.shape != got.shape:
                return (f"output {j} is {got.dtype.name}{list(got.shape)}, "
                        f"expected {want.dtype.name}{list(want.shape)}")
            tol = TOLERANCES.get(want.dtype.name)
            if tol is None:
                same = np.array_equal(want, got)
            else:
                same = np.allclose(want.astype(np.float64), got.astype(np.float64), rtol=tol, atol=tol,
                                   equal_nan=True)
            if not same:
                return f"output {j} differs on input set {k}" + (f" (beyond {tol:g})" if tol else "")
    return ""


def _run(child: Child, job: dict, limits: dict) -> tuple[dict, list | None]:
    """Hand CHILD its job and wait for its outputs (wall_s at most); then kill it."""
    try:
        try:
            protocol.write_frame(child.job_w, protocol.encode(job))
        except BrokenPipeError:
            pass
        return _result(child, time.monotonic() + float(limits["wall_s"]), limits["wall_s"])
    finally:
        child.finish()


def _verdict(candidate_result: tuple[dict, list | None], reference: dict, want: list | None) -> dict:
    """A candidate's reply entry from its result and the record's outputs."""
    verdict, got = candidate_result
    reply = {"layers": verdict.pop("layers", []), "cpu_s": verdict.get("cpu_s", {}),
             "reference_cpu_s": reference.get("cpu_s", {})}
    for key in ("well_formed", "compiles", "refused", "stage", "reason"):
        reply[key] = verdict.get(key)
    reply["equivalent"] = False
    if got is None:
        return reply
    if want is None:
        reply["reason"] = f"the record's own program failed: {reference.get('reason')}"
        reply["stage"] = "reference"
        return reply
    difference = compare(want, got)
    reply["equivalent"] = not difference
    reply["stage"] = "equivalent" if difference else ""
    reply["reason"] = difference
    return reply


class Server:
    def __init__(self, hide: list[str], candidates: int = 1):
        self.hide = hide
        self.candidates = max(1, candidates)  # the most candidates one request may hold
        self.base = tempfile.mkdtemp(prefix="jitsynth-eval-")
        os.chmod(self.base, 0o711)  # children running as nobody reach their own directory only
        self.spares: list[Child] = []

    def refill(self) -> None:
        # Cycles (tracebacks) would keep the last request's objects alive in the fork. Cheap: the
        # objects of the imports were frozen out of the collector's reach (serve()).
        gc.collect()
        while len(self.spares) < self.candidates + 1:
            self.spares.append(Child(self.base, self.hide))

    def check(self, request: dict) -> dict:
        """One record: its own program runs once, in one child, then every candidate (a "candidate",
        or the list "candidates": one per prediction set) in a child of its own, one after the
        other; each compared with the record's outputs. All of them forked before the request."""
        programs = request["candidates"] if "candidates" in request else [request["candidate"]]
        if len(programs) > self.candidates:
            return protocol.error_reply(request.get("id"), "protocol", ValueError(
                f"{len(programs)} candidates in one request; this server forks {self.candidates} "
                "ahead (--candidates)"))
        limits = request["limits"]
        common = {key: request[key] for key in ("args", "input_seed", "inputs", "x64")}
        common["limits"] = limits
        common["kept"] = kept_args(request.get("record_hlo", ""), request["args"])
        children = [self.spares.pop() for _ in range(len(programs) + 1)]
        try:
            reference, want = _run(children[0], dict(common, **request["reference"]), limits)
            verdicts = [_verdict(_run(child, dict(common, **program), limits), reference, want)
                        for child, program in zip(children[1:], programs)]
        finally:
            for child in children:
                child.finish()
        if "candidates" in request:
            return {"ok": True, "id": request.get("id"), "verdicts": verdicts}
        return dict(verdicts[0], ok=True, id=request.get("id"))

    def close(self) -> None:
        for child in self.spares:
            child.finish()
        shutil.rmtree(self.base, ignore_errors=True)


def _versions() -> dict:
    import jaxlib

    return {"jax": jax.__version__, "jaxlib": jaxlib.__version__, "python": sys.version.split()[0],
            "backend": "cpu"}


def _handle(server: Server, request: dict) -> dict:
    op = request.get("op")
    if op == "ping":
        return {"ok": True, "versions": _versions()}
    if op == "check":
        return server.check(request)
    return protocol.error_reply(request.get("id"), "protocol", ValueError(f"unknown op {op!r}"))


def serve(request_fd: int, reply_fd: int, hide: list[str], candidates: int = 1) -> None:
    # JAX's and XLA's 100,000 objects, made at import, out of every later collection: a full
    # collection cost 90 ms of CPU before each request (docs/performance.md); and the children
    # do not touch (copy) those pages for the collector.
    gc.collect()
    gc.freeze()
    server = Server([os.path.realpath(p) for p in hide], candidates)
    try:
        while True:
            payload = request = reply = None
            server.refill()
            payload = protocol.read_frame(request_fd)
            if payload is None:
                return
            try:
                request = protocol.decode(payload)
                if request.get("op") == "shutdown":
                    return
                reply = protocol.encode(_handle(server, request))
            except Exception as error:  # noqa: BLE001 - a bug here must not end the loop
                reply = protocol.encode(protocol.error_reply(None, "internal", error))
            protocol.write_frame(reply_fd, reply)
            del payload, request, reply
    finally:
        server.close()
