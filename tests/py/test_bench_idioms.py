"""bench/hlo_patterns.py and bench/guard_idioms.py on small inputs whose answers are known."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import guard_idioms  # noqa: E402
from hlo_patterns import patterns_and_edges  # noqa: E402

HLO = """HloModule jit_f, is_scheduled=true

%fused_computation (param_0: f32[4,8]) -> f32[4] {
  %param_0 = f32[4,8]{1,0} parameter(0)
  %multiply.1 = f32[4,8]{1,0} multiply(%param_0, %param_0)
  %constant.1 = f32[] constant(0)
  ROOT %reduce.1 = f32[4]{0} reduce(%multiply.1, %constant.1), dimensions={1}, to_apply=%region_0.1
}

%region_0.1 (a: f32[], b: f32[]) -> f32[] {
  %a = f32[] parameter(0)
  %b = f32[] parameter(1)
  ROOT %add.1 = f32[] add(%a, %b)
}

ENTRY %main.1 (x: f32[4,8]) -> (f32[4], f32[4]) {
  %x = f32[4,8]{1,0} parameter(0)
  %fusion = f32[4]{0} fusion(%x), kind=kInput, calls=%fused_computation
  %rsqrt.1 = f32[4]{0} rsqrt(%fusion)
  ROOT %tuple.1 = (f32[4]{0}, f32[4]{0}) tuple(%fusion, %rsqrt.1)
}
"""


def test_fusion_patterns_and_edges():
    patterns, edges = patterns_and_edges(HLO)
    # Only the fused computation is a pattern (the reducer region is not fused), parameters left out.
    assert patterns == {("constant", "multiply", "reduce")}
    assert ("multiply", "reduce") in edges and ("parameter", "multiply") in edges
    assert ("fusion", "rsqrt") in edges and ("rsqrt", "tuple") in edges and ("fusion", "tuple") in edges
    assert ("parameter", "add") in edges
    assert all(op.replace("-", "").isalpha() and op.islower() for e in edges for op in e)


PROGRAMS = [
    "def f(x):\n    return jnp.log(jnp.abs(x) + 1.0)\n",
    "def f(x):\n    return jnp.clip(x, -1.0, 1.0) * 2.0\n",
    "def f(x):\n    return jnp.clip(jnp.sin(x), -3.0, 3.0)\n",
    "def f(x):\n    def body(i, c):\n        return jnp.clip(c * 2.0, -1.0, 1.0)\n"
    "    return lax.fori_loop(0, 3, body, x)\n",
    "def f(x):\n    return jnp.where(jnp.abs(x) <= 2.0, x, 0.0)\n",
]


def test_guard_idioms_counts(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "data-00000.jsonl").write_text("".join(json.dumps({"python": p}) + "\n" for p in PROGRAMS))
    n, counts, with_loop, clip_in_loop = guard_idioms.measure(run)
    assert n == 5
    assert counts["clip"] == 3
    assert counts["clip_unit"] == 2
    assert counts["clip_symmetric_other"] == 1
    assert counts["abs_plus_one"] == 1
    assert counts["where_mask"] == 1
    assert (with_loop, clip_in_loop) == (1, 1)
    # A file of `jitsynth sample` lines reads the same.
    lines = tmp_path / "sample.jsonl"
    lines.write_text((run / "data-00000.jsonl").read_text())
    assert guard_idioms.measure(lines)[1] == counts
