#!/usr/bin/env python3
"""Checks that the rooms of src/ depend on each other only as docs/architecture.md draws them.

Two views, both must agree with the rules:
  * links: the CMake targets each room's library reaches, transitively (cmake --graphviz);
  * includes: the "room/header.h" includes of each room's files (a header-only dependency would
    not show in the links).
Exit status 1 with one line per violation; 0 and a one-line summary when the layout holds.

    scripts/check_layout.py [BUILD_DIR]
"""

import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

# What each room may use (transitively): its own declared dependencies and theirs.
ALLOWED = {
    "core": set(),
    "ir": {"core"},
    "emit": {"ir", "core"},
    "synth": {"emit", "ir", "core"},
    "store": {"core"},
    "driver": {"store", "core"},
    "post": {"core"},
    "engine": {"synth", "emit", "ir", "driver", "store", "post", "core"},
    # The tools read runs through store and text through post: never the generator or workers.
    "curate": {"store", "post", "core"},
    "card": {"store", "post", "core"},
    # The task table (tasks/tasks.h): shared by the tools that write task files and score them.
    "tasks": {"store", "post", "core"},
    "publish": {"tasks", "store", "post", "core"},
    # Scoring reaches the sandbox through the driver's pool; it never links synth or engine.
    "eval": {"tasks", "driver", "store", "post", "core"},
    "cli": {"engine", "curate", "card", "publish", "tasks", "eval", "synth", "emit", "ir", "driver", "store", "post",
            "core"},
}
TOOLS = ("curate", "card", "publish")


def link_graph(build: pathlib.Path) -> dict[str, set[str]]:
    """room -> rooms its library links directly, from CMake's graphviz output."""
    with tempfile.TemporaryDirectory() as tmp:
        dot = pathlib.Path(tmp) / "deps.dot"
        subprocess.run(["cmake", f"--graphviz={dot}", str(build)], check=True,
                       capture_output=True, cwd=tmp)
        text = dot.read_text()
    rooms = {p.name for p in (ROOT / "src").iterdir() if p.is_dir()}
    names = {}
    for node, label in re.findall(r'"(node\d+)" \[ label = "([^"\\]+)', text):
        m = re.fullmatch(r"jitsynth(?:_(\w+))?", label)
        if m and (m.group(1) or "cli") in rooms:
            names[node] = m.group(1) or "cli"
    graph = {room: set() for room in names.values()}
    for a, b in re.findall(r'"(node\d+)" -> "(node\d+)"', text):
        if a in names and b in names:
            graph[names[a]].add(names[b])
    return graph


def closure(graph: dict[str, set[str]], room: str) -> set[str]:
    seen, todo = set(), list(graph.get(room, ()))
    while todo:
        r = todo.pop()
        if r not in seen:
            seen.add(r)
            todo.extend(graph.get(r, ()))
    return seen


def include_violations() -> list[str]:
    out = []
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        room = path.relative_to(ROOT / "src").parts[0]
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = re.match(r'\s*#\s*include\s+"(\w+)/', line)
            if not m or m.group(1) == room:
                continue
            if m.group(1) not in ALLOWED.get(room, set()):
                out.append(f"{path.relative_to(ROOT)}:{n}: {room} includes {m.group(1)}/ "
                           f"(allowed: {', '.join(sorted(ALLOWED.get(room, ()))) or 'nothing'})")
    return out


def main() -> int:
    build = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build"
    problems = include_violations()
    graph = link_graph(build.resolve())
    missing = [r for r in ALLOWED if r not in graph]
    if missing:
        problems.append(f"no CMake library for room(s) {', '.join(missing)}: "
                        "each folder of src/ is one target")
    for room in graph:
        if room not in ALLOWED:
            problems.append(f"src/{room}: a room the layout rules do not know; add it to "
                            "scripts/check_layout.py and docs/architecture.md")
            continue
        extra = closure(graph, room) - ALLOWED[room]
        if extra:
            problems.append(f"src/{room} links {', '.join(sorted(extra))}, which it may not "
                            f"(allowed: {', '.join(sorted(ALLOWED[room])) or 'nothing'})")
    for line in problems:
        print(f"check_layout: {line}")
    if problems:
        return 1
    tools = ", ".join(f"{t} -> {{{', '.join(sorted(closure(graph, t)))}}}" for t in TOOLS)
    print(f"check_layout: {len(graph)} rooms as drawn; tools link only {tools}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
