"""Task examples to Parquet: `python -m jitsynth_tools.tasks --out FILE EXAMPLES.jsonl`.

Run by `jitsynth tasks --format parquet`, which writes the examples as JSON lines
{id, task, prompt, completion} first and renames FILE into place once this exits 0; on failure
this prints one line on stderr and exits 1. Four string columns, in that order, written as
`jitsynth_tools.export` writes records.
"""

import argparse
import sys

import pyarrow as pa

from jitsynth_tools.export import write_parquet

SCHEMA = pa.schema([(name, pa.string()) for name in ("id", "task", "prompt", "completion")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jitsynth_tools.tasks", description=__doc__)
    parser.add_argument("--out", required=True, help="Parquet file to write")
    parser.add_argument("examples", help="JSON lines of {id, task, prompt, completion}")
    options = parser.parse_args(argv)
    try:
        write_parquet([options.examples], options.out, schema=SCHEMA)
    except Exception as error:  # one line for the CLI to relay, never a traceback
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
