"""How much of real model code's optimized HLO a run covers: fusion patterns and opcode edges.

    build/jitsynth generate --count 2000 --seed 0 --out out/cov
    .venv/bin/python bench/realism.py out/cov

Compiles every function of bench/realism_corpus (forward, and backward as the worker builds it: a
vjp of the float outputs with respect to the float arguments) to XLA:CPU optimized HLO the way the
worker does (jitsynth_worker.optimized, under the run's XLA_FLAGS as its manifest records them, unless
XLA_FLAGS is set: a run with kernel levels keeps small while loops as while loops, which changes the
HLO around them),
then reports the share of the corpus's fusion patterns (the opcode set of each fused computation)
and of its producer->consumer opcode edges found in the run's records (forward and backward).
Exits 1 when a target (--patterns, --edges) is missed.
"""

import argparse
import hashlib
import json
import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

from hlo_patterns import patterns_and_edges  # noqa: E402


def _float(dtype):
    import jax.numpy as jnp
    return jnp.issubdtype(dtype, jnp.floating)


def corpus_modules(case):
    """(forward optimized HLO, backward optimized HLO or None) of one corpus case."""
    import jax
    from jitsynth_worker import capture, optimized

    forward = jax.jit(case.fn).trace(*case.args).lower()
    _, fwd_text = optimized.compile_with_text(forward)
    leaves, treedef = jax.tree_util.tree_flatten(case.args)
    floats = [i for i, leaf in enumerate(leaves) if _float(leaf.dtype)]
    out_leaves = jax.tree_util.tree_leaves(jax.eval_shape(case.fn, *case.args))
    float_outs = [o for o in out_leaves if _float(o.dtype)]
    if not floats or not float_outs:
        return fwd_text, None

    def primal(float_args, other_args):
        merged = list(other_args)
        for i, a in zip(floats, float_args):
            merged[i] = a
        out = case.fn(*jax.tree_util.tree_unflatten(treedef, merged))
        return [o for o in jax.tree_util.tree_leaves(out) if _float(o.dtype)]

    def backward(float_args, other_args, cotangents):
        _, pull = jax.vjp(lambda f: primal(f, other_args), float_args)
        return pull(cotangents)

    float_specs = [leaves[i] for i in floats]
    other_specs = [None if i in floats else leaf for i, leaf in enumerate(leaves)]
    cot_specs = [jax.ShapeDtypeStruct(o.shape, o.dtype) for o in float_outs]
    lowered = jax.jit(backward).trace(float_specs, other_specs, cot_specs).lower()
    bwd_text = optimized.optimized_hlo(lowered, capture.BACKWARD_COMPILER_OPTIONS)
    return fwd_text, bwd_text


def corpus_figures(cache):
    """{case name: {"patterns": [...], "edges": [...]}}, from CACHE when the corpus is unchanged."""
    import jax
    source = b"".join(p.read_bytes() for p in sorted((HERE / "realism_corpus").glob("*.py")))
    key = hashlib.sha256(source + jax.__version__.encode() + os.environ.get("XLA_FLAGS", "").encode()).hexdigest()
    if cache and cache.exists():
        stored = json.loads(cache.read_text())
        if stored.get("key") == key:
            return stored["cases"]
    from realism_corpus import all_cases
    cases = {}
    for case in all_cases():
        patterns, edges = set(), set()
        for text in corpus_modules(case):
            if text is None:
                continue
            p, e = patterns_and_edges(text)
            patterns |= p
            edges |= e
        cases[case.name] = {"patterns": sorted(map(list, patterns)), "edges": sorted(map(list, edges))}
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "cases": cases}))
    return cases


def run_xla_flags(out_dir):
    """The XLA_FLAGS the run's workers compiled under (its manifest's provenance), or None."""
    manifest = pathlib.Path(out_dir) / "manifest.json"
    if not manifest.exists():
        return None
    provenance = json.loads(manifest.read_text()).get("provenance") or {}
    return provenance.get("xla_flags") if isinstance(provenance, dict) else None


def run_records(out_dir):
    for chunk in sorted(pathlib.Path(out_dir).glob("data-*.jsonl")):
        for line in chunk.read_text().splitlines():
            yield json.loads(line)


def run_figures(out_dir):
    patterns, edges, n = set(), set(), 0
    for record in run_records(out_dir):
        n += 1
        texts = [record["optimized_hlo"]]
        if record.get("grad"):
            texts.append(record["grad"]["optimized_hlo"])
        for text in texts:
            p, e = patterns_and_edges(text)
            patterns |= p
            edges |= e
    return n, patterns, edges


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a jitsynth generate output directory")
    parser.add_argument("--cache", type=pathlib.Path, default=HERE.parent / "build" / "realism_corpus.json",
                        help="where the corpus's figures are kept between runs (recomputed when the corpus, "
                             "JAX or XLA_FLAGS change)")
    parser.add_argument("--patterns", type=float, default=0.90, help="target share of fusion patterns")
    parser.add_argument("--edges", type=float, default=0.99, help="target share of opcode edges")
    parser.add_argument("--missing", action="store_true", help="list what the run lacks, by corpus function")
    args = parser.parse_args()
    flags = run_xla_flags(args.run)
    if "XLA_FLAGS" not in os.environ and flags is not None:
        os.environ["XLA_FLAGS"] = flags  # before JAX is imported: the corpus compiles as the run did
    cases = corpus_figures(args.cache)
    corpus_patterns = {tuple(p) for c in cases.values() for p in c["patterns"]}
    corpus_edges = {tuple(e) for c in cases.values() for e in c["edges"]}
    n, patterns, edges = run_figures(args.run)
    if n == 0:
        print(f"{args.run}: no records (data-*.jsonl) found; pass a jitsynth generate output directory")
        return 2
    p_share = len(corpus_patterns & patterns) / len(corpus_patterns)
    e_share = len(corpus_edges & edges) / len(corpus_edges)
    print(f"corpus: {len(cases)} functions, {len(corpus_patterns)} fusion patterns, {len(corpus_edges)} opcode edges;"
          f" run: {n} records")
    print(f"[{'ok' if p_share >= args.patterns else 'MISSED'}] fusion patterns covered: "
          f"{len(corpus_patterns & patterns)}/{len(corpus_patterns)} = {p_share:.1%} (target >= {args.patterns:.0%})")
    print(f"[{'ok' if e_share >= args.edges else 'MISSED'}] opcode edges covered: "
          f"{len(corpus_edges & edges)}/{len(corpus_edges)} = {e_share:.1%} (target >= {args.edges:.0%})")
    if args.missing:
        for name, c in cases.items():
            lacks = [" ".join(p) for p in map(tuple, c["patterns"]) if p not in patterns]
            lacks += ["->".join(e) for e in map(tuple, c["edges"]) if e not in edges]
            if lacks:
                print(f"  {name}: " + "; ".join(lacks))
    return 0 if p_share >= args.patterns and e_share >= args.edges else 1


if __name__ == "__main__":
    sys.exit(main())
