"""Value ranges, checked by running programs: for every op in the table, the programs that use
it, run in JAX on inputs drawn from the ranges the generator declared for their arguments (and
on the ranges' ends), produce outputs inside the intervals the generator inferred for them.

`jitsynth sample` prints the inferred intervals as `output_ranges` (one {low, high} per entry of
`expected_outputs`, from synth::OutputRanges); the test skips, saying so, where it does not.
The programs are the covering set of `sample --cover-ops` (every op at least once); set
JITSYNTH_SLOW=1 to also run `SLOW_PER_FAMILY` samples of every family (about 4 minutes on two
cores; the covering set takes under one).
"""

import json
import math
import os
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from conftest import ROOT, run_cli

OP_NAMES = re.findall(r'^\s*X\(k\w+, "(\w+)",', (ROOT / "src" / "ir" / "ops.h").read_text(), re.MULTILINE)
FAMILIES = re.findall(r'^\s*X\(k\w+, \w+, "(\w+)",', (ROOT / "src" / "synth" / "families.h").read_text(),
                      re.MULTILINE)
RANDOM_DRAWS = 3  # input sets drawn uniformly from the argument ranges, besides the ends
SLOW_PER_FAMILY = 40
SLOW = os.environ.get("JITSYNTH_SLOW") == "1"


def _tolerance(dtype, low, high):
    """Rounding slack for a float output: the intervals are exact, the arithmetic is not."""
    eps = {"float16": 2.0**-10, "bfloat16": 2.0**-7, "float32": 2.0**-23, "float64": 2.0**-52}.get(dtype)
    if eps is None:
        return 0  # integers and bool: exact
    finite = [abs(b) for b in (low, high) if b is not None and math.isfinite(b)]
    # 64 ulps of the larger bound: a reduction of n terms may round up to n ulps away from the
    # exact interval (seen: 8.1 ulps over a two-axis tensordot summed, linalg of seed 5).
    return 64 * eps * max([1.0, *finite])


def _inputs(args, how, rng):
    """One input set: every argument at its low end, its high end, or drawn uniformly."""
    values = []
    for arg in args:
        dtype = jnp.dtype(arg["dtype"])
        shape = tuple(arg["shape"])
        low, high = arg["low"], arg["high"]
        if dtype == np.bool_:
            low, high = 0, 1
        elif not jnp.issubdtype(dtype, jnp.floating):
            low, high = math.ceil(low), math.floor(high)
        if how != "random":
            x = np.full(shape, low if how == "low" else high)
        elif jnp.issubdtype(dtype, jnp.floating):
            x = rng.uniform(low, high, size=shape)
        else:
            x = rng.integers(low, high, size=shape, endpoint=True)
        values.append(np.asarray(x).astype(dtype))
    return values


def _violations(sample):
    """The outputs that leave their inferred interval, over the input sets, as messages."""
    found = []
    with jax.enable_x64(bool(sample.get("x64", False))):
        namespace = {}
        exec(compile(sample["python"], "<sample>", "exec"), namespace)
        function = jax.jit(namespace[sample["entry"]])
        rng = np.random.default_rng(sample["input_seed"] % 2**32)
        for how in ["low", "high"] + ["random"] * RANDOM_DRAWS:
            outputs = jax.tree_util.tree_leaves(function(*_inputs(sample["args"], how, rng)))
            rows = zip(outputs, sample["expected_outputs"], sample["output_ranges"])
            for i, (value, expected, bounds) in enumerate(rows):
                value = np.asarray(value)
                if value.size == 0:
                    continue
                low, high = bounds["low"], bounds["high"]
                slack = _tolerance(expected["dtype"], low, high)
                value = value.astype(np.float64)
                seen_low, seen_high = float(np.min(value)), float(np.max(value))
                below = low is not None and seen_low < low - slack
                if below or (high is not None and seen_high > high + slack):
                    found.append(f"output {i} ({expected['dtype']}) spans [{seen_low}, {seen_high}], "
                                 f"outside [{low}, {high}] with {how} inputs")
    return found


def _samples(*args):
    samples = [json.loads(line) for line in run_cli("sample", *args).stdout.splitlines()]
    if not all("output_ranges" in s for s in samples):
        pytest.skip("`jitsynth sample` does not print output_ranges (synth::OutputRanges) yet")
    return samples


@pytest.fixture(scope="module")
def covering_checked(cli):
    """(sample, violations) for every program of the covering set."""
    return [(s, _violations(s)) for s in _samples("--cover-ops", "--seed", 0)]


@pytest.mark.parametrize("op", OP_NAMES)
def test_outputs_stay_in_their_inferred_ranges(op, covering_checked):
    checked = [(s, v) for s, v in covering_checked if op in s["ops"]]
    assert checked, f"no covering program uses {op}"
    for sample, violations in checked:
        assert not violations, (violations, sample["python"])


# A known unsound rule: jnp.round rounds halves to even (round(0.5) == 0), the interval rule
# for `round` (src/ir/ranges.cc) rounds them away from zero, so an argument in [0.5, 2] gives
# [1, 2] where JAX gives 0. Fixing it changes the generated data. Strict: passes once fixed.
ROUND_HALF_EVEN = pytest.mark.xfail(strict=True, reason="the interval rule of round rounds halves "
                                    "away from zero; jnp.round rounds them to even")


@ROUND_HALF_EVEN
def test_round_of_a_half_stays_in_its_inferred_range(cli):
    """elementwise sample 13 of seed 5: cbrt(tanh(relu(round(scale)))) with scale in [0.5, 2]."""
    (sample,) = _samples("--family", "elementwise", "--seed", 5, "--start", 13, "--count", 1)
    assert "round" in sample["ops"]
    assert not _violations(sample)


@pytest.mark.skipif(not SLOW, reason="set JITSYNTH_SLOW=1 for every family over more samples")
# The round-half case is pinned by test_round_of_a_half_stays_in_its_inferred_range; whether the
# elementwise sweep meets one depends on the generator's weights, so the sweep is not marked.
@pytest.mark.parametrize("family", FAMILIES)
def test_family_outputs_stay_in_their_inferred_ranges(family, cli):
    for sample in _samples("--family", family, "--count", SLOW_PER_FAMILY, "--seed", 5):
        violations = _violations(sample)
        assert not violations, (violations, sample["id"], sample["python"])
