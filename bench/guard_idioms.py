"""Share of a run's programs that use each guard idiom: how the generator keeps values in range.

    build/jitsynth generate --count 2000 --seed 0 --out out/cov
    .venv/bin/python bench/guard_idioms.py out/cov

A guard is code whose job is to keep a value inside an op's domain or a dtype's budget rather than
to compute something. Model code guards too (an epsilon under a square root, a clip of logits, a
norm rescale), but a data set in which one idiom appears everywhere teaches it as JAX style. Each
idiom below is matched on the program's Python; some patterns (a tanh, an abs) also have ordinary
uses, and are counted anyway: the figures are upper bounds. Exits 1 when an idiom is in more than
--limit of the programs.
"""

import argparse
import json
import pathlib
import re
import sys

_ARG = r"(?:[^()]|\((?:[^()]|\([^()]*\))*\))*"  # an argument with up to two levels of parentheses
_LOOPS = re.compile(r"\blax\.(?:fori_loop|scan|while_loop)\(([^\n]*)")
_DOMAIN_FUNCS = r"(?:jnp\.(?:sqrt|log|log1p|log2|log10|power|reciprocal|arcsin|arccos|arctanh)|lax\.rsqrt|jnp\.float_power)"
_CLIP = r"(?:jnp\.clip\(|\.clip\(|lax\.clamp\()"

# name, what it matches, pattern (searched in the program's Python)
IDIOMS = [
    ("clip", "any jnp.clip / .clip / lax.clamp", re.compile(_CLIP)),
    ("clip_unit", "a clip to [-1, 1]", re.compile(r"jnp\.clip\(" + _ARG + r", -1(?:\.0)?, 1(?:\.0)?\)")),
    ("clip_symmetric_other", "a clip to [-k, k], k != 1",
     re.compile(r"jnp\.clip\(" + _ARG + r", -(\d+(?:\.\d+)?), (\d+(?:\.\d+)?)\)")),
    ("abs_plus_one", "abs(...) + 1 (a positive denominator or log argument)",
     re.compile(r"jnp\.abs\(" + _ARG + r"\) \+ 1(?:\.0)?\b")),
    ("abs_into_domain", "abs(...) straight into sqrt, log, power, arcsin, ...",
     re.compile(_DOMAIN_FUNCS + r"\(jnp\.abs\(")),
    ("plus_one_shift", "x + 1.0 / 1.0 + x on an op's argument (a shift away from zero)",
     re.compile(_DOMAIN_FUNCS + r"\(" + _ARG + r" \+ 1(?:\.0)?\)|/ \(" + _ARG + r" \+ 1(?:\.0)?\)")),
    ("tanh", "any jnp.tanh (a squash; also an activation)", re.compile(r"jnp\.tanh\(")),
    ("soft_sign", "jax.nn.soft_sign or x / (1 + |x|)", re.compile(r"soft_sign\(|/ \(1(?:\.0)? \+ jnp\.abs\(")),
    ("hard_tanh", "jax.nn.hard_tanh", re.compile(r"hard_tanh\(")),
    ("where_mask", "jnp.where(jnp.abs(x) <= k, x, ...) (a range mask)", re.compile(r"jnp\.where\(jnp\.abs\(")),
    ("norm_rescale", "x / (max |x| + eps) or x / sqrt(mean x^2 + eps) (rescaling by a norm)",
     re.compile(r"/ \(jnp\.max\(jnp\.abs\(|\* lax\.rsqrt\(jnp\.mean\(jnp\.square\(|/ jnp\.sqrt\(jnp\.mean\(jnp\.square\(")),
    ("square_plus_eps", "x * x + eps or jnp.square(x) + eps (a positive argument)",
     re.compile(r"jnp\.square\(" + _ARG + r"\) \+ (?:1e-|0\.|1(?:\.0)?\b)")),
    ("softplus_plus_eps", "softplus(x) + eps", re.compile(r"softplus\(" + _ARG + r"\) \+ ")),
    ("maximum_floor", "jnp.maximum(x, c) with a literal floor", re.compile(r"jnp\.maximum\(" + _ARG + r", -?\d+(?:\.\d+)?\)")),
    ("shift_mask", "x & (bits - 1) before a shift", re.compile(r"& (?:7|15|31|63)\b")),
]


def loop_bodies(source):
    """The text of every nested function passed to a lax loop."""
    names = set()
    for match in _LOOPS.finditer(source):
        names.update(re.findall(r"\b([A-Za-z_]\w*)\b", match.group(1)))
    bodies = []
    for match in re.finditer(r"^( +)def (\w+)\(.*?\n((?:\1 +.*\n|\s*\n)*)", source, re.MULTILINE):
        if match.group(2) in names:
            bodies.append(match.group(3))
    return bodies


def measure(out_dir):
    path = pathlib.Path(out_dir)
    chunks = [path] if path.is_file() else sorted(path.glob("data-*.jsonl"))  # a file: `jitsynth sample` output
    programs = []
    for chunk in chunks:
        programs.extend(json.loads(line)["python"] for line in chunk.read_text().splitlines())
    counts = {name: 0 for name, _, _ in IDIOMS}
    with_loop = clip_in_loop = 0
    for source in programs:
        for name, _, pattern in IDIOMS:
            if name == "clip_symmetric_other":
                hit = any(a == b and float(a) != 1 for a, b in pattern.findall(source))
            else:
                hit = bool(pattern.search(source))
            counts[name] += hit
        bodies = loop_bodies(source)
        if bodies:
            with_loop += 1
            clip_in_loop += any(re.search(_CLIP, b) for b in bodies)
    return len(programs), counts, with_loop, clip_in_loop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a jitsynth generate output directory (or a file of `jitsynth sample` lines)")
    parser.add_argument("--limit", type=float, default=0.10, help="largest share of programs one idiom may reach")
    args = parser.parse_args()
    n, counts, with_loop, clip_in_loop = measure(args.run)
    if n == 0:
        print(f"{args.run}: no records (data-*.jsonl) found; pass a jitsynth generate output directory")
        return 2
    ok = True
    print(f"{n} programs")
    rows = [(name, what, counts[name] / n) for name, what, _ in IDIOMS]
    rows.append(("clip_in_loop", "a clip inside a lax loop body (share of all programs)", clip_in_loop / n))
    for name, what, share in sorted(rows, key=lambda r: -r[2]):
        over = share > args.limit
        ok &= not over
        print(f"[{'OVER' if over else 'ok'}] {share:6.1%}  {name:22s} {what}")
    if with_loop:
        print(f"       {clip_in_loop / with_loop:6.1%}  of the {with_loop} programs with a loop body clip inside it")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
