"""Writes the inputs of the canonicalizer's golden tests (tests/cpp/canonical_test.cc).

    build/jitsynth generate --count 50 --seed 1 --out /tmp/run1 --workers 1
    PYTHONPATH=python .venv/bin/python tests/golden/canonical/make_inputs.py /tmp/run1

For three records of that run (a loop, a branch, a reduction) it writes NAME.py and the four IR
levels NAME.jaxpr, NAME.stablehlo, NAME.hlo, NAME.optimized_hlo; the same for a copy of the
program whose names were all changed and whose layout was redone, recompiled through the worker
(NAME_renamed.*); and NAME.debug.stablehlo, the StableHLO printed with its locations. The
expected canonical texts (NAME.LEVEL.canonical) are written by the test itself under
JITSYNTH_UPDATE_GOLDEN=1.
"""

import json
import pathlib
import sys

import jax

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "py"))
from program_copies import recompiled, renamed_copy  # noqa: E402

RECORDS = {"loop": 12, "branch": 20, "reduction": 44}
LEVELS = ("jaxpr", "stablehlo", "hlo", "optimized_hlo")
HERE = pathlib.Path(__file__).resolve().parent


def records(run):
    for chunk in sorted(pathlib.Path(run).glob("data-*.jsonl")):
        for line in chunk.read_text().splitlines():
            yield json.loads(line)


def debug_stablehlo(record):
    namespace = {}
    exec(compile(record["python"], "<jitsynth>", "exec"), namespace)
    specs = [jax.ShapeDtypeStruct(tuple(a["shape"]), a["dtype"]) for a in record["args"]]
    return jax.jit(namespace[record["entry"]]).lower(*specs).as_text(debug_info=True)


def write(name, record):
    (HERE / f"{name}.py").write_text(record["python"])
    for level in LEVELS:
        (HERE / f"{name}.{level}").write_text(record[level])


def main(run):
    by_index = {r["index"]: r for r in records(run)}
    for name, index in RECORDS.items():
        record = by_index[index]
        write(name, record)
        write(f"{name}_renamed", recompiled(record, renamed_copy(record)))
        (HERE / f"{name}.debug.stablehlo").write_text(debug_stablehlo(record))


if __name__ == "__main__":
    main(sys.argv[1])
