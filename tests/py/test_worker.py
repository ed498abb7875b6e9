"""Tests of the jitsynth worker: capture() in-process, and the protocol over real pipes.

Run with the package importable, e.g. PYTHONPATH=python python -m pytest tests/py.
"""

import os
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest

from jitsynth_worker import capture as capture_module
from jitsynth_worker import protocol
from jitsynth_worker.capture import capture

LEVELS = ("jaxpr", "stablehlo", "hlo", "optimized_hlo")

LOOP_PROGRAM = """\
import jax.numpy as jnp
from jax import lax


def kernel(x, w, n):
    y = jnp.tanh(x @ w)
    z = lax.fori_loop(0, 3, lambda i, acc: acc * 0.5 + jnp.sin(acc), y)
    return z, n + 1, jnp.sum(z) * n.astype(jnp.float32)
"""
LOOP_ARGS = [
    {"name": "x", "shape": [4, 3], "dtype": "float32", "low": -1.0, "high": 1.0},
    {"name": "w", "shape": [3, 5], "dtype": "float32", "low": -1.0, "high": 1.0},
    {"name": "n", "shape": [], "dtype": "int32", "low": 0.0, "high": 5.0},
]


def compile_request(python, args, entry="kernel", **options):
    request = {
        "op": "compile",
        "id": 17,
        "python": python,
        "entry": entry,
        "args": args,
        "x64": False,
        "grad": True,
        "execute": True,
        "input_seed": 1234567,
    }
    request.update(options)
    return request


def stablehlo_of(python, entry, args):
    """What a reader of a record does to reproduce its StableHLO."""
    namespace = {}
    exec(compile(python, "<jitsynth>", "exec"), namespace)
    specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), jnp.dtype(a["dtype"])) for a in args]
    return jax.jit(namespace[entry]).lower(*specs).as_text()


def ir_texts(reply):
    texts = [reply[level] for level in LEVELS]
    if reply["grad"] is not None:
        texts += [reply["grad"][level] for level in LEVELS]
    return texts


@pytest.fixture(scope="module")
def loop_reply():
    return capture(compile_request(LOOP_PROGRAM, LOOP_ARGS))


def test_forward_levels_and_outputs(loop_reply):
    reply = loop_reply
    assert reply["ok"], reply
    assert reply["id"] == 17
    assert all(reply[level] for level in LEVELS)
    assert "stablehlo.while" in reply["stablehlo"]
    assert reply["outputs"] == [
        {"shape": [4, 5], "dtype": "float32"},
        {"shape": [], "dtype": "int32"},
        {"shape": [], "dtype": "float32"},
    ]
    assert set(reply["cost"]) == {"flops", "bytes_accessed", "transcendentals"}
    assert all(isinstance(v, float) for v in reply["cost"].values())
    assert reply["cost"]["flops"] > 0
    assert set(reply["timings"]) == {"trace", "lower", "compile", "execute", "grad"}


def test_forward_is_reproducible(loop_reply):
    assert loop_reply["stablehlo"] == stablehlo_of(LOOP_PROGRAM, "kernel", LOOP_ARGS)
    namespace = {}
    exec(compile(LOOP_PROGRAM, "<jitsynth>", "exec"), namespace)
    specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), jnp.dtype(a["dtype"])) for a in LOOP_ARGS]
    assert loop_reply["jaxpr"] == str(jax.make_jaxpr(namespace["kernel"])(*specs))


def test_grad_module(loop_reply):
    grad = loop_reply["grad"]
    assert grad["entry"] == "kernel_vjp"
    assert grad["python"].startswith("import jax\n" + LOOP_PROGRAM)
    assert "def kernel_vjp(x, w, n, ct_0, ct_1):" in grad["python"]
    assert grad["args"] == [
        {"name": "x", "shape": [4, 3], "dtype": "float32"},
        {"name": "w", "shape": [3, 5], "dtype": "float32"},
        {"name": "n", "shape": [], "dtype": "int32"},
        {"name": "ct_0", "shape": [4, 5], "dtype": "float32"},
        {"name": "ct_1", "shape": [], "dtype": "float32"},
    ]
    assert all(grad[level] for level in LEVELS)
    assert grad["stablehlo"] == stablehlo_of(grad["python"], grad["entry"], grad["args"])


def test_grad_names_avoid_clashes():
    python = (
        "import jax\nimport jax.numpy as jnp\n\n\n"
        "def kernel_vjp():\n    return None\n\n\n"
        "def kernel(forward, ct):\n    return jnp.sin(forward) * ct\n"
    )
    args = [
        {"name": "forward", "shape": [3], "dtype": "float32", "low": -1.0, "high": 1.0},
        {"name": "ct", "shape": [3], "dtype": "bfloat16", "low": -1.0, "high": 1.0},
    ]
    reply = capture(compile_request(python, args))
    assert reply["ok"], reply
    grad = reply["grad"]
    assert grad["entry"] == "kernel_vjp_1"
    assert [a["name"] for a in grad["args"]] == ["forward", "ct", "ct_1"]
    assert "import jax\nimport jax\n" not in grad["python"]
    assert grad["stablehlo"] == stablehlo_of(grad["python"], grad["entry"], grad["args"])


def test_no_grad_for_integer_program():
    python = "import jax.numpy as jnp\n\n\ndef kernel(a, b):\n    return jnp.maximum(a, b) * 2\n"
    args = [{"name": n, "shape": [8], "dtype": "int32", "low": -9.0, "high": 9.0} for n in ("a", "b")]
    reply = capture(compile_request(python, args))
    assert reply["ok"], reply
    assert reply["grad"] is None
    assert reply["outputs"] == [{"shape": [8], "dtype": "int32"}]
    assert "grad" not in reply["timings"]


def test_mixed_dtypes_execute():
    python = (
        "import jax.numpy as jnp\n\n\n"
        "def kernel(x, m, k):\n"
        "    return jnp.where(m, x, -x) * k.astype(jnp.bfloat16)\n"
    )
    args = [
        {"name": "x", "shape": [2, 3], "dtype": "bfloat16", "low": -3.0, "high": 3.0},
        {"name": "m", "shape": [2, 3], "dtype": "bool", "low": 0.0, "high": 1.0},
        {"name": "k", "shape": [], "dtype": "uint8", "low": 1.0, "high": 4.0},
    ]
    reply = capture(compile_request(python, args))
    assert reply["ok"], reply
    assert reply["outputs"] == [{"shape": [2, 3], "dtype": "bfloat16"}]
    assert reply["grad"]["args"][-1] == {"name": "ct", "shape": [2, 3], "dtype": "bfloat16"}


def test_x64_is_scoped_to_the_request():
    python = "import jax.numpy as jnp\n\n\ndef kernel(x):\n    return jnp.cumsum(x)\n"
    args = [{"name": "x", "shape": [5], "dtype": "float64", "low": 0.0, "high": 1.0}]
    reply = capture(compile_request(python, args, x64=True))
    assert reply["ok"], reply
    assert reply["outputs"] == [{"shape": [5], "dtype": "float64"}]
    assert "f64" in reply["optimized_hlo"]
    assert not jax.config.jax_enable_x64


def test_trace_failure_on_shape_error():
    python = "import jax.numpy as jnp\n\n\ndef kernel(x, w):\n    return x @ w\n"
    args = [
        {"name": "x", "shape": [4, 3], "dtype": "float32", "low": -1.0, "high": 1.0},
        {"name": "w", "shape": [4, 3], "dtype": "float32", "low": -1.0, "high": 1.0},
    ]
    reply = capture(compile_request(python, args))
    assert reply["ok"] is False
    assert reply["id"] == 17
    assert reply["stage"] == "trace"
    assert reply["error_type"] == "TypeError"
    assert reply["message"] and "Traceback" not in reply["message"]
    assert len(reply["message"]) <= 2000


def test_missing_entry_is_a_name_error():
    reply = capture(compile_request("import jax\n", LOOP_ARGS, entry="nowhere"))
    assert (reply["ok"], reply["stage"], reply["error_type"]) == (False, "trace", "NameError")


def test_execute_failure_on_infinity():
    python = "import jax.numpy as jnp\n\n\ndef kernel(x):\n    return x, jnp.exp(x * 1000.0)\n"
    args = [{"name": "x", "shape": [4], "dtype": "float32", "low": 1.0, "high": 2.0}]
    reply = capture(compile_request(python, args))
    assert (reply["ok"], reply["stage"], reply["error_type"]) == (False, "execute", "NonFiniteOutput")
    assert "output 1" in reply["message"]


def test_grad_failure_is_attributed_to_grad():
    python = (
        "import jax.numpy as jnp\nfrom jax import lax\n\n\n"
        "def kernel(x):\n    return lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 2.0), (0, x))[1]\n"
    )
    args = [{"name": "x", "shape": [4], "dtype": "float32", "low": 1.0, "high": 2.0}]
    reply = capture(compile_request(python, args))
    assert (reply["ok"], reply["stage"]) == (False, "grad")


def test_no_host_paths_in_ir(loop_reply):
    host_strings = [
        "<jitsynth>",
        "FileNames",
        "StackFrames",
        "source_file",
        "/tmp",
        os.getcwd(),
        str(Path(capture_module.__file__).parent),
        str(Path(jax.__file__).parent),
        sys.prefix,
    ]
    for text in ir_texts(loop_reply):
        for host_string in host_strings:
            assert host_string not in text


class Worker:
    """A worker subprocess on a pair of pipes, as the driver starts it."""

    def __init__(self, env=None):
        request_read, self.request_write = os.pipe()
        self.reply_read, reply_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jitsynth_worker", "--request-fd", str(request_read), "--reply-fd", str(reply_write)],
            pass_fds=(request_read, reply_write),
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        os.close(request_read)
        os.close(reply_write)

    def send(self, message):
        protocol.write_frame(self.request_write, protocol.encode(message))

    def receive(self):
        payload = protocol.read_frame(self.reply_read)
        return None if payload is None else protocol.decode(payload)

    def close(self):
        os.close(self.request_write)
        os.close(self.reply_read)
        self.process.wait(timeout=60)


def test_worker_process_serves_requests():
    worker = Worker()
    try:
        worker.send({"op": "ping"})
        pong = worker.receive()
        assert pong["ok"] and pong["versions"]["jax"] == jax.__version__
        assert pong["versions"]["backend"] == "cpu"

        worker.send(compile_request(LOOP_PROGRAM, LOOP_ARGS))
        reply = worker.receive()
        assert reply["ok"], reply
        assert reply["stablehlo"] == stablehlo_of(LOOP_PROGRAM, "kernel", LOOP_ARGS)

        worker.send({"op": "bogus", "id": 3})
        assert worker.receive() == {
            "ok": False, "id": 3, "stage": "protocol", "error_type": "UnknownOp", "message": "unknown op 'bogus'"
        }

        worker.send({"op": "shutdown"})
        assert worker.receive() is None
    finally:
        worker.close()
    assert worker.process.returncode == 0


def test_worker_exits_cleanly_on_eof():
    worker = Worker()
    worker.close()
    assert worker.process.returncode == 0


def test_crash_hook():
    worker = Worker(env={"JITSYNTH_TEST_HOOKS": "1"})
    try:
        worker.send({**compile_request(LOOP_PROGRAM, LOOP_ARGS), "inject": "crash"})
        assert worker.receive() is None
    finally:
        worker.close()
    assert worker.process.returncode == 3
