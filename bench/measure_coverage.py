"""Coverage figures of a `jitsynth generate` output directory, against the targets of issue 3.

    build/jitsynth generate --count 2000 --seed 0 --out out/coverage
    .venv/bin/python bench/measure_coverage.py out/coverage

Prints one line per figure with its target and exits 1 when a target is missed. Needs only the
standard library (no JAX): everything is read from the records.
"""

import argparse
import collections
import io
import json
import keyword
import pathlib
import re
import sys
import tokenize

# Qualified calls: jnp.sum(, lax.fori_loop(, jax.nn.relu(, jax.random.normal(, jax.vmap(.
API_CALL = re.compile(r"\b((?:jnp|lax|jax)(?:\.[A-Za-z_][A-Za-z_0-9]*)+)\s*\(")
LAX_CONTROL_FLOW = re.compile(r"\blax\.(cond|switch|fori_loop|scan|while_loop)\(")
# An HLO instruction: `[ROOT ]name = shape opcode(operands)...`; shapes may be tuples.
HLO_INSTRUCTION = re.compile(r"^\s*(?:ROOT\s+)?[\w.\-]+\s*=\s*(.*)$")
DTYPES = ("float32", "float16", "bfloat16", "float64", "int32", "int8", "uint8", "bool")


def normalised(source):
    """Python source with comments, docstrings and identifiers renamed by first appearance.

    Names reached through an attribute (jnp.sum, x.astype) and the module names
    jax/jnp/lax keep their spelling: they are the API, not the author's choice.
    """
    names = {}
    out = []
    prev = None
    skip_newline = False
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
            continue
        if skip_newline and tok.type == tokenize.NEWLINE:
            skip_newline = False
            continue
        text = tok.string
        if tok.type == tokenize.STRING and prev in (":", None, "NEWLINE"):
            skip_newline = True  # a docstring, and the end of its line
            continue
        if tok.type == tokenize.NAME and not keyword.iskeyword(text) and prev != "." and \
                text not in ("jax", "jnp", "lax", "True", "False", "None"):
            text = names.setdefault(text, f"v{len(names)}")
        out.append(text)
        prev = "NEWLINE" if tok.type == tokenize.NEWLINE else tok.string
    return " ".join(out)


def hlo_opcodes(text):
    """The opcodes of every instruction of an HLO module's text."""
    opcodes = set()
    for line in text.splitlines():
        match = HLO_INSTRUCTION.match(line)
        if not match:
            continue
        rest = match.group(1)
        if rest.startswith("("):  # a tuple shape: skip to its closing parenthesis
            depth = 0
            for i, c in enumerate(rest):
                depth += c == "("
                depth -= c == ")"
                if depth == 0:
                    rest = rest[i + 1:]
                    break
        else:
            rest = rest.split(" ", 1)[1] if " " in rest else ""
        opcode = re.match(r"\s*([a-z][a-z0-9\-]*)\(", rest)
        if opcode:
            opcodes.add(opcode.group(1))
    return opcodes


def measure(out_dir):
    out_dir = pathlib.Path(out_dir)
    records = []
    for chunk in sorted(out_dir.glob("data-*.jsonl")):
        records.extend(json.loads(line) for line in chunk.read_text().splitlines())
    failures = [json.loads(line) for line in (out_dir / "failures.jsonl").read_text().splitlines()]
    calls, opcodes, grad_opcodes, arg_dtypes = set(), set(), set(), set()
    for r in records:
        calls.update(API_CALL.findall(r["python"]))
        opcodes |= hlo_opcodes(r["hlo"])
        if r["grad"]:
            grad_opcodes |= hlo_opcodes(r["grad"]["hlo"])
        arg_dtypes.update(a["dtype"] for a in r["args"])
    n = len(records) + len(failures)
    return {
        "samples": n,
        "records": len(records),
        "failures_by_stage": dict(collections.Counter(f["stage"] for f in failures)),
        "api_calls": sorted(calls),
        "hlo_opcodes": sorted(opcodes),
        "hlo_opcodes_with_backward": sorted(opcodes | grad_opcodes),
        "lax_control_flow": sum(bool(LAX_CONTROL_FLOW.search(r["python"])) for r in records) / max(n, 1),
        "arg_dtypes": sorted(arg_dtypes),
        "distinct_after_renaming": len({normalised(r["python"]) for r in records}) / max(n, 1),
        "with_backward_pass": sum(r["grad"] is not None for r in records) / max(n, 1),
        "x64": sum(r["x64"] for r in records) / max(n, 1),
        "categories": dict(sorted(collections.Counter(r["category"] for r in records).items())),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="a jitsynth generate output directory")
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    args = parser.parse_args()
    m = measure(args.out_dir)
    if args.json:
        print(json.dumps(m, indent=2))
    checks = [
        (f"failures at every stage: {m['failures_by_stage'] or 0}", not m["failures_by_stage"]),
        (f"distinct JAX API calls in the Python: {len(m['api_calls'])} (target >= 120)", len(m["api_calls"]) >= 120),
        (f"distinct HLO opcodes, unoptimized forward HLO: {len(m['hlo_opcodes'])} (target >= 55); "
         f"with the backward pass: {len(m['hlo_opcodes_with_backward'])}", len(m["hlo_opcodes"]) >= 55),
        (f"programs with lax control flow: {m['lax_control_flow']:.1%} (target >= 30%)", m["lax_control_flow"] >= 0.30),
        (f"argument dtypes: {', '.join(m['arg_dtypes'])}", set(DTYPES) <= set(m["arg_dtypes"])),
        (f"distinct after identifier renaming: {m['distinct_after_renaming']:.2%} (target >= 99.5%)",
         m["distinct_after_renaming"] >= 0.995),
        (f"records with a backward pass: {m['with_backward_pass']:.1%} (target >= 60%)", m["with_backward_pass"] >= 0.60),
    ]
    print(f"{m['samples']} samples, {m['records']} records, x64 programs {m['x64']:.1%}")
    for line, ok in checks:
        print(f"[{'ok' if ok else 'MISSED'}] {line}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
