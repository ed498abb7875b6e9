"""The run's manifest.json, assembled from the chunks' partial manifests.

The CLI wrote each partial manifest (store::Manifest, docs/schema of manifest.json); the whole
run's is the same document with the chunk lists joined, the counts added and `partial` gone, so
that it equals what a local run writes in every field but the timings and how the run was made.
"""

from __future__ import annotations

import json


def _sum_maps(maps) -> dict:
    total: dict = {}
    for m in maps:
        for key, value in m.items():
            total[key] = total.get(key, 0) + value
    return dict(sorted(total.items()))  # std::map order, as the CLI writes them


def assemble(records: list[dict], *, command: list[str], cpus_per_task: int, wall_seconds: float,
             ray_figures: dict) -> dict:
    """The whole run's manifest from the commit records of all its chunks, in chunk order."""
    parts = [r["manifest"] for r in records]
    first = parts[0]
    for p in parts[1:]:
        for key in ("seed", "count", "chunk_size", "policy", "provenance"):
            if p[key] != first[key]:
                raise ValueError(f"chunk {p['partial']['first_chunk']} was made with another {key} "
                                 f"than chunk {first['partial']['first_chunk']}")
    manifest = {key: value for key, value in first.items() if key != "partial"}
    manifest["command"] = command
    manifest["workers"] = cpus_per_task
    manifest["chunks"] = [entry for p in parts for entry in p["chunks"]]
    manifest["committed_through"] = manifest["chunks"][-1]["end_index"]
    manifest["complete"] = manifest["committed_through"] == manifest["count"]
    records_total = sum(p["counts"]["records"] for p in parts)
    manifest["counts"] = {"records": records_total,
                          "failures": _sum_maps(p["counts"]["failures"] for p in parts)}
    manifest["timings"] = {
        "wall_seconds": wall_seconds,
        "pairs_per_second": records_total / wall_seconds if wall_seconds > 0 else 0,
        "worker_stage_seconds": _sum_maps(p["timings"]["worker_stage_seconds"] for p in parts),
    }
    pool = {key: sum(p["pool"][key] for p in parts) for key in first["pool"] if key != "peak_worker_rss_bytes"}
    pool["peak_worker_rss_bytes"] = max(p["pool"]["peak_worker_rss_bytes"] for p in parts)
    manifest["pool"] = pool
    manifest["ray"] = ray_figures
    return manifest


def dump(manifest: dict) -> bytes:
    """The bytes of manifest.json: indented by 2, a final newline, as the CLI writes it."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
