"""The evaluation sandbox (python/jitsynth_eval) against hostile candidates.

The server is started as `jitsynth eval` starts it (python -m jitsynth_eval, framed pipes, --hide
for the run being scored). Each hostile candidate must score 0 with a reason, the server must go on
serving, and nothing outside the sandbox's private directories may change: a tree holding a
canary and a fake run (whose answer.npy would let a candidate copy the expected outputs) is
hashed before and after.
"""

import os
import pathlib
import shutil
import subprocess
import tempfile
import sys

import numpy as np
import pytest

from conftest import tree_digest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
from jitsynth_worker import protocol  # noqa: E402

REFERENCE = "import jax.numpy as jnp\n\n\ndef apply(x0):\n    return jnp.sin(x0) * 2\n"
ARGS = [{"name": "x0", "shape": [4, 3], "dtype": "float32", "low": -1.0, "high": 1.0}]
SEED = 12345
LIMITS = {"cpu_s": 8, "wall_s": 20, "memory_bytes": 3 << 30, "file_bytes": 1 << 20, "processes": 512}


class Sandbox:
    def __init__(self, hide, log_dir, candidates=1):
        request_r, self.request_w = os.pipe()
        self.reply_r, reply_w = os.pipe()
        self.log = open(log_dir / "sandbox.log", "ab")  # outside the tree the test watches
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jitsynth_eval", "--request-fd", str(request_r), "--reply-fd",
             str(reply_w), "--hide", str(hide), "--candidates", str(candidates)],
            pass_fds=(request_r, reply_w), stdout=self.log, stderr=self.log)
        os.close(request_r)
        os.close(reply_w)
        assert self.call({"op": "ping"})["ok"]

    def call(self, request):
        protocol.write_frame(self.request_w, protocol.encode(request))
        return protocol.decode(protocol.read_frame(self.reply_r))

    def check(self, text, kind="python", reference=REFERENCE, inputs=1):
        return self.call({"op": "check", "id": 0, "args": ARGS, "input_seed": SEED, "inputs": inputs,
                          "x64": False, "limits": LIMITS,
                          "reference": {"kind": kind, "text": reference, "entry": "apply"},
                          "candidate": {"kind": kind, "text": text, "entry": "apply"}})

    def close(self):
        os.close(self.request_w)
        self.proc.wait(timeout=30)
        os.close(self.reply_r)
        self.log.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A fake run holding the answer, a canary beside it, and a server that hides the run."""
    root = tmp_path_factory.mktemp("world")
    run = root / "run"
    run.mkdir()
    x = np.random.default_rng(SEED).uniform(-1, 1, size=(4, 3)).astype(np.float32)
    np.save(run / "answer.npy", np.sin(x) * 2)
    (run / "data-00000.jsonl").write_text('{"id": "js-1-0", "stablehlo": "the answer"}\n')
    (root / "canary.txt").write_text("do not touch\n")
    os.chmod(root, 0o755)
    log_dir = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-sandbox-log-"))  # not under the watched tree
    sandbox = Sandbox(run, log_dir)
    yield root, run, sandbox
    sandbox.close()
    shutil.rmtree(log_dir)


def test_the_reference_passes_and_a_wrong_program_fails(world):
    _, _, sandbox = world
    good = sandbox.check(REFERENCE, inputs=3)
    assert good["well_formed"] and good["compiles"] and good["equivalent"], good["reason"]
    assert {"session", "rlimits", "audit"} <= set(good["layers"])
    if os.geteuid() == 0:  # as root the namespaces are always in force
        assert {"netns", "mountns", "readonly"} <= set(good["layers"]), good["layers"]
    wrong = sandbox.check(REFERENCE.replace("* 2", "* 3"))
    assert wrong["compiles"] and not wrong["equivalent"], wrong
    assert "differs" in wrong["reason"]
    shape = sandbox.check(REFERENCE.replace("* 2", "[0]"))
    assert not shape["equivalent"] and "expected float32[4, 3]" in shape["reason"], shape


def test_one_request_scores_several_candidates_against_one_run_of_the_record(world):
    """As eval sends it with several prediction sets: the record's program once, each candidate in
    a child of its own; a hostile one among them is contained and the others still score."""
    root, run, _ = world
    log_dir = pathlib.Path(tempfile.mkdtemp(prefix="jitsynth-sandbox-log-"))
    sandbox = Sandbox(run, log_dir, candidates=3)
    try:
        def request(texts):
            return {"op": "check", "id": 7, "args": ARGS, "input_seed": SEED, "inputs": 2, "x64": False,
                    "limits": LIMITS, "reference": {"kind": "python", "text": REFERENCE, "entry": "apply"},
                    "candidates": [{"kind": "python", "text": t, "entry": "apply"} for t in texts]}

        before = tree_digest(root.parent)
        hostile = _hostile(root, run)["delete outside"]
        reply = sandbox.call(request([REFERENCE, hostile, REFERENCE.replace("* 2", "* 3")]))
        assert tree_digest(root.parent) == before
        assert reply["ok"] and reply["id"] == 7, reply
        verdicts = reply["verdicts"]
        assert [v["equivalent"] for v in verdicts] == [True, False, False], verdicts
        assert "sandbox:" in verdicts[1]["reason"], verdicts[1]
        assert "differs" in verdicts[2]["reason"], verdicts[2]
        too_many = sandbox.call(request([REFERENCE] * 4))
        assert not too_many["ok"] and "--candidates" in too_many["message"], too_many
        assert sandbox.check(REFERENCE)["equivalent"]  # and the server still serves
    finally:
        sandbox.close()
        shutil.rmtree(log_dir)


def _hostile(root, run):
    canary = root / "canary.txt"
    answer = run / "answer.npy"
    head = "import jax\nimport jax.numpy as jnp\nimport numpy as np\n\n\ndef apply(x0):\n"
    return {
        "infinite loop": head + "    while True:\n        pass\n",
        "fork bomb": head + "    while True:\n        jax.version.os.fork()\n",
        "fork through subprocess": head + "    jax.version.subprocess.Popen(['sleep', '100'])\n    return x0\n",
        "unbounded allocation": head + "    keep = []\n    while True:\n        keep.append(bytearray(1 << 27))\n",
        "write outside": head + f"    np.save({str(root / 'evil.npy')!r}, np.zeros(3))\n    return jnp.sin(x0) * 2\n",
        "delete outside": head + f"    jax.version.os.remove({str(canary)!r})\n    return jnp.sin(x0) * 2\n",
        "socket": head + "    s = jax.version.os.sys.modules['socket'].socket()\n    s.connect(('1.1.1.1', 80))\n    return x0\n",
        "import os": "import os\n\n\ndef apply(x0):\n    os.system('touch /tmp/pwned')\n    return x0\n",
        "import subprocess": "import subprocess\n\n\ndef apply(x0):\n    return x0\n",
        "__import__": head + "    __import__('os').system('true')\n    return x0\n",
        "importlib": "import importlib\n\n\ndef apply(x0):\n    return x0\n",
        "builtins trick": head + "    x0.__class__.__base__.__subclasses__()\n    return x0\n",
        "open the run": head + f"    open({str(answer)!r})\n    return x0\n",
        "read the run": head + f"    return jnp.asarray(np.load({str(answer)!r}))\n",
        "list the run": head + f"    jax.version.os.listdir({str(run)!r})\n    return x0\n",
        "kill the server": head + "    jax.version.os.kill(jax.version.os.getppid(), 9)\n    return x0\n",
    }


def test_hostile_candidates_score_zero_and_change_nothing(world):
    root, run, sandbox = world
    before = tree_digest(root.parent)
    verdicts = {name: sandbox.check(text) for name, text in _hostile(root, run).items()}
    after = tree_digest(root.parent)
    assert after == before
    assert (root / "canary.txt").read_text() == "do not touch\n"
    assert not pathlib.Path("/tmp/pwned").exists()
    for name, verdict in verdicts.items():
        assert verdict["ok"] and not verdict["equivalent"], (name, verdict)
        assert verdict["reason"], (name, verdict)
    for name in ("import os", "import subprocess", "__import__", "importlib", "builtins trick",
                 "open the run"):
        assert verdicts[name]["refused"] and not verdicts[name]["well_formed"], (name, verdicts[name])
    for name in ("fork bomb", "fork through subprocess", "delete outside", "socket", "read the run",
                 "write outside", "list the run", "kill the server"):
        assert "sandbox:" in verdicts[name]["reason"], (name, verdicts[name])
    assert verdicts["infinite loop"]["stage"] == "timeout" or "CPU" in verdicts["infinite loop"]["reason"]
    assert "MemoryError" in verdicts["unbounded allocation"]["reason"] or \
        verdicts["unbounded allocation"]["stage"] == "timeout", verdicts["unbounded allocation"]
    # The server survived all of it.
    assert sandbox.check(REFERENCE)["equivalent"]


def test_custom_call_outside_the_allowlist_is_refused_before_compiling(world):
    _, _, sandbox = world
    reference = subprocess.run(
        [sys.executable, "-c",
         "import jax, jax.numpy as jnp\n"
         "print(jax.jit(lambda x0: jnp.sin(x0) * 2).lower(jax.ShapeDtypeStruct((4, 3), jnp.float32)).as_text())"],
        capture_output=True, text=True, check=True).stdout
    assert sandbox.check(reference, kind="stablehlo", reference=reference)["equivalent"]
    evil = reference.replace("stablehlo.sine %arg0", 'stablehlo.custom_call @xla_python_cpu_callback(%arg0)')
    assert evil != reference
    verdict = sandbox.check(evil, kind="stablehlo", reference=reference)
    assert verdict["refused"] and "xla_python_cpu_callback" in verdict["reason"], verdict


def test_xla_cpu_topk_in_optimized_hlo_is_allowed(world):
    """XLA:CPU's optimizer turns lax.top_k into its own TopK custom call: the record's optimized
    HLO must compile in the sandbox (an oracle of hlo-to-optimized-hlo was refused for it)."""
    _, _, sandbox = world
    optimized = subprocess.run(
        [sys.executable, "-c",
         "import jax, jax.numpy as jnp\n"
         "f = jax.jit(lambda x0: jax.lax.top_k(x0, 2)[0] * 2)\n"
         "print(f.lower(jax.ShapeDtypeStruct((4, 3), jnp.float32)).compile().as_text())"],
        capture_output=True, text=True, check=True).stdout
    assert 'custom_call_target="TopK"' in optimized
    verdict = sandbox.check(optimized, kind="hlo", reference=optimized, inputs=2)
    assert verdict["compiles"] and verdict["equivalent"] and not verdict["refused"], verdict


def test_kept_arguments_are_read_from_the_entry_even_when_a_parameter_is_its_root():
    """A backward module whose gradient is the cotangent itself keeps only `ct`, and its entry's
    ROOT is that parameter: the sandbox must pass it alone (an oracle of
    stablehlo-to-grad-stablehlo failed to run for it)."""
    from jitsynth_eval.server import kept_args

    args = [{"name": "lhs"}, {"name": "ct"}]
    hlo = ("HloModule jit_compute_vjp\n\nENTRY main.2 {\n"
           "  ROOT ct.1 = f32[3,8,2]{2,1,0} parameter(0)\n}\n")
    assert kept_args(hlo, args) == [1]
    both = ("HloModule m\n\nENTRY main.4 {\n  lhs.1 = f32[2]{0} parameter(0)\n"
            "  ct.1 = f32[2]{0} parameter(1)\n  ROOT add.3 = f32[2]{0} add(lhs.1, ct.1)\n}\n")
    assert kept_args(both, args) is None
    # A module that uses no argument keeps none.
    assert kept_args("HloModule m\n\nENTRY main.1 {\n  ROOT c = f32[] constant(0)\n}\n", args) == []
