"""Records to Parquet: `python -m jitsynth_tools.export --out FILE CHUNK...`.

Run by `jitsynth export --format parquet`, which has already checked the chunks (it refuses a
truncated or corrupt one) and renames FILE into place once this exits 0; on failure this prints
one line on stderr and exits 1. The Parquet file has one column per field of docs/schema.json,
in its order: `grad`, `cost` and `provenance` are structs (`grad` null where the record's is),
`args` and `outputs` lists of structs, shapes lists of int64.
"""

import argparse
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

_ARG = pa.struct([("name", pa.string()), ("shape", pa.list_(pa.int64())), ("dtype", pa.string())])
_SPEC = pa.struct([("shape", pa.list_(pa.int64())), ("dtype", pa.string())])
_LEVELS = [(level, pa.string()) for level in ("jaxpr", "stablehlo", "hlo", "optimized_hlo")]
_GRAD = pa.struct([("entry", pa.string()), ("python", pa.string()), ("args", pa.list_(_ARG)), *_LEVELS])
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
        ("args", pa.list_(_ARG)),
        ("x64", pa.bool_()),
        ("outputs", pa.list_(_SPEC)),
        *_LEVELS,
        ("grad", _GRAD),
        ("cost", pa.struct([(k, pa.float64()) for k in ("flops", "bytes_accessed", "transcendentals")])),
        ("provenance", pa.struct([(k, pa.string()) for k in _PROVENANCE])),
    ]
)

# Records per row group: large enough to compress well, small enough to hold a few in memory
# (a record with its IR is tens of kilobytes).
ROWS_PER_GROUP = 512


def write_parquet(chunks: list[str], out: str, schema: pa.Schema = SCHEMA) -> None:
    """Write the records of the JSONL files CHUNKS, in order, to OUT: one column per field of SCHEMA."""
    fields = set(schema.names)
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch = []
        for path in chunks:
            with open(path, encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    record = json.loads(line)
                    # from_pylist would drop an unknown field and null a missing one silently.
                    if set(record) != fields:
                        raise ValueError(
                            f"{path}:{number}: fields {sorted(set(record) ^ fields)} differ from the schema's"
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
    parser.add_argument("chunks", nargs="*", help="data-NNNNN.jsonl files, in index order")
    options = parser.parse_args(argv)
    try:
        write_parquet(options.chunks, options.out)
    except Exception as error:  # one line for the CLI to relay, never a traceback
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
