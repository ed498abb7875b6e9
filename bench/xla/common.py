"""Shared helpers for the XLA compile-time experiments (jitsynth bench).

Configures JAX like jitsynth_worker/capture.py does (no stack frames in locations, CPU),
loads a jitsynth run's records and rebuilds forward/backward lowerings from them.
"""
import glob
import json
import os
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_traceback_in_locations_limit", 0)
jax.config.update("jax_platforms", "cpu")

# A generate output directory: JS_RUN, e.g.
#   build/jitsynth generate --count 300 --seed 5 --out /tmp/xla-run --workers 1 --quiet
RUN_DIR = os.environ.get("JS_RUN", "/tmp/xla-run")


def load_records(run_dir=RUN_DIR, limit=None):
    recs = []
    for path in sorted(glob.glob(os.path.join(run_dir, "data-*.jsonl"))):
        with open(path) as f:
            for line in f:
                recs.append(json.loads(line))
                if limit and len(recs) >= limit:
                    return recs
    return recs


def specs(args):
    return [jax.ShapeDtypeStruct(tuple(a["shape"]), jnp.dtype(a["dtype"])) for a in args]


def run_module(source):
    ns = {}
    exec(compile(source, "<jitsynth>", "exec"), ns)
    return ns


def modules(rec):
    """[(kind, python, entry, args)] for the record's forward and (if any) backward module."""
    out = [("fwd", rec["python"], rec["entry"], rec["args"])]
    if rec.get("grad"):
        g = rec["grad"]
        out.append(("bwd", g["python"], g["entry"], g["args"]))
    return out


def trace(python, entry, args):
    ns = run_module(python)
    return jax.jit(ns[entry]).trace(*specs(args))


def lower(python, entry, args):
    """A fresh Lowered (a new MLIR module, so JAX's compile caches never hit)."""
    return trace(python, entry, args).lower()


def cost3(compiled_or_dict):
    a = compiled_or_dict.cost_analysis() if hasattr(compiled_or_dict, "cost_analysis") else compiled_or_dict
    if isinstance(a, list):
        a = a[0] if a else None
    a = a or {}
    return (float(a.get("flops", 0.0)), float(a.get("bytes accessed", 0.0)),
            float(a.get("transcendentals", 0.0)))


def fixed_inputs(args, seed=0):
    """Deterministic finite inputs in a safe range (records carry no low/high)."""
    rng = np.random.default_rng(seed)
    out = []
    for a in args:
        dt = jnp.dtype(a["dtype"])
        shape = tuple(a["shape"])
        if jnp.issubdtype(dt, jnp.floating):
            v = rng.uniform(0.1, 1.0, size=shape)
        elif dt == np.bool_:
            v = rng.integers(0, 2, size=shape)
        else:
            v = rng.integers(0, 5, size=shape, endpoint=True)
        out.append(np.asarray(v).astype(dt))
    return out


def leaves_bytes(result):
    return [np.asarray(x).tobytes() for x in jax.tree_util.tree_leaves(result)]


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, int(round(q / 100 * (len(xs) - 1)))))
    return xs[i]


def loadavg():
    return os.getloadavg()[0]
