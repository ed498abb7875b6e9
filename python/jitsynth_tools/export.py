"""Records to Parquet: `python -m jitsynth_tools.export --out FILE CHUNK...`.

Run by `jitsynth export --format parquet`, which has already checked the chunks (it refuses a
truncated or corrupt one) and renames FILE into place once this exits 0; on failure this prints
one line on stderr and exits 1. The Parquet file has one column per field of docs/schema.json,
in its order: `grad`, `cost` and `provenance` are structs (`grad` null where the record's is),
`args` and `outputs` lists of structs, shapes lists of int64.

The levels below HLO (`llvm_ir_unoptimized`, `llvm_ir`, `asm`, also inside `grad`) and the `gpu`
struct are columns only when some record of the run has them: a run made without them exports
exactly as before. Chunks may be plain (`data-NNNNN.jsonl`) or zstd (`data-NNNNN.jsonl.zst`).
"""

import argparse
import io
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

_ARG = pa.struct([("name", pa.string()), ("shape", pa.list_(pa.int64())), ("dtype", pa.string())])
# Arguments carry their value range (null where the record has none: an extracted record, the
# backward module).
_RANGED_ARG = pa.struct([*_ARG, ("low", pa.float64()), ("high", pa.float64())])
_SPEC = pa.struct([("shape", pa.list_(pa.int64())), ("dtype", pa.string())])
_LEVELS = [(level, pa.string()) for level in ("jaxpr", "stablehlo", "hlo", "optimized_hlo")]
_GRAD = pa.struct([("entry", pa.string()), ("python", pa.string()), ("args", pa.list_(_RANGED_ARG)), *_LEVELS])
_PROVENANCE = ("jitsynth_version", "jax_version", "jaxlib_version", "backend", "xla_flags", "optimized_hlo_from",
               "policy_hash")

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        # The seed is any uint64 (`--seed`), past int64's range.
        ("seed", pa.uint64()),
        ("index", pa.uint64()),
        ("category", pa.string()),
        ("entry", pa.string()),
        ("python", pa.string()),
        ("args", pa.list_(_RANGED_ARG)),
        ("input_seed", pa.uint64()),
        ("x64", pa.bool_()),
        ("outputs", pa.list_(_SPEC)),
        *_LEVELS,
        ("grad", _GRAD),
        ("cost", pa.struct([(k, pa.float64()) for k in ("flops", "bytes_accessed", "transcendentals")])),
        ("provenance", pa.struct([*[(k, pa.string()) for k in _PROVENANCE],
                                  ("target", pa.struct([("cpu_isa", pa.string()),
                                                        ("compile_cpus", pa.int64())]))])),
    ]
)

# Levels a run may or may not have (`generate --levels`), in the order they take after
# optimized_hlo, in the record and in `grad`.
OPTIONAL_LEVELS = ("llvm_ir_unoptimized", "llvm_ir", "asm")
_GPU_LEVELS = [(level, pa.string()) for level in ("optimized_hlo", "llvm_ir", "ptx")]
GPU = pa.struct([("target", pa.string()), *_GPU_LEVELS, ("grad", pa.struct(_GPU_LEVELS))])


def schema_for(levels, grad_levels, gpu):
    """SCHEMA with the optional columns a run has: LEVELS and GRAD_LEVELS (subsets of
    OPTIONAL_LEVELS) after optimized_hlo at the top and in `grad`, and `gpu` last when GPU."""
    fields = []
    for field in SCHEMA:
        if field.name == "grad":
            extra = [(level, pa.string()) for level in OPTIONAL_LEVELS if level in grad_levels]
            field = pa.field("grad", pa.struct([*field.type, *extra]))
        fields.append(field)
        if field.name == "optimized_hlo":
            fields.extend(pa.field(level, pa.string()) for level in OPTIONAL_LEVELS if level in levels)
        if field.name == "grad" and gpu:  # the record's order: gpu follows grad
            fields.append(pa.field("gpu", GPU))
    return pa.schema(fields)


def read_lines(path):
    """(line number, text) of a chunk, plain or zstd-compressed."""
    if path.endswith(".zst"):
        stream = io.TextIOWrapper(pa.input_stream(path, compression="zstd"), encoding="utf-8")
    else:
        stream = open(path, encoding="utf-8")
    with stream:
        yield from enumerate(stream, 1)


def run_schema(chunks):
    """The schema of the records in CHUNKS: which optional columns any of them has."""
    levels, grad_levels, gpu = set(), set(), False
    for path in chunks:
        for _, line in read_lines(path):
            record = json.loads(line)
            levels.update(level for level in OPTIONAL_LEVELS if level in record)
            if isinstance(record.get("grad"), dict):
                grad_levels.update(level for level in OPTIONAL_LEVELS if level in record["grad"])
            gpu = gpu or "gpu" in record
    return schema_for(levels, grad_levels, gpu)


# Records per row group: large enough to compress well, small enough to hold a few in memory
# (a record with its IR is tens of kilobytes).
ROWS_PER_GROUP = 512


def write_parquet(chunks: list[str], out: str, schema: pa.Schema | None = None) -> None:
    """Write the records of the JSONL files CHUNKS (plain or .zst), in order, to OUT: one column
    per field of SCHEMA (default: the record schema with the optional levels the run has)."""
    if schema is None:
        schema, required = run_schema(chunks), set(SCHEMA.names)
    else:
        required = set(schema.names)
    known = set(schema.names)
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch = []
        for path in chunks:
            for number, line in read_lines(path):
                record = json.loads(line)
                # from_pylist would drop an unknown field and null a missing one silently; only
                # the optional levels may be absent from a record (where a run has them in others).
                if not required <= set(record) <= known:
                    raise ValueError(
                        f"{path}:{number}: fields {sorted((required - set(record)) | (set(record) - known))} "
                        "differ from the schema's"
                    )
                batch.append(record)
                if len(batch) == ROWS_PER_GROUP:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jitsynth_tools.export", description=__doc__)
    parser.add_argument("--out", required=True, help="Parquet file to write")
    parser.add_argument("chunks", nargs="*", help="data-NNNNN.jsonl[.zst] files, in index order")
    options = parser.parse_args(argv)
    try:
        write_parquet(options.chunks, options.out)
    except Exception as error:  # one line for the CLI to relay, never a traceback
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
