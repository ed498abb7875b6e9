#!/usr/bin/env python3
"""Fails when a function in src/ grows past the limit (default 120 lines, body braces included).

A function does one thing you can name; past about 80 lines it usually does two (STYLE.md).
The scan strips comments and string literals, then matches braces: a brace block that follows a
parameter list (not `if`/`for`/`while`/`switch`/`catch`) and is not inside another function is a
function body; lambdas inside a function count towards that function.

    scripts/check_function_size.py [--max-lines N] [PATH ...]   (default: src)
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTROL = re.compile(r"\b(if|for|while|switch|catch)\s*\((?:[^()]|\([^()]*\))*\)\s*$")
AFTER_PARAMS = re.compile(r"\)\s*(?:const|override|noexcept|final|mutable|->\s*[\w:<>,\s*&]+|\s)*$")


def strip(src: str) -> str:
    """Comments and string/char literals blanked, line breaks kept."""
    keep_lines = lambda m: "\n" * m.group(0).count("\n")
    src = re.sub(r'R"(\w*)\(.*?\)\1"', lambda m: '""' + keep_lines(m), src, flags=re.S)
    src = re.sub(r"//[^\n]*", "", src)
    src = re.sub(r"/\*.*?\*/", keep_lines, src, flags=re.S)
    src = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', src)
    return re.sub(r"'(?:\\.|[^'\\\n])*'", "''", src)


def functions(path: pathlib.Path):
    """(first line, line count, signature line) of each outermost function body."""
    text = strip(path.read_text(errors="replace"))
    lines = text.split("\n")
    stack = []  # (line, is_function)
    line = 1
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
        elif ch == "{":
            before = text[max(0, i - 300):i].rstrip()
            is_fn = bool(AFTER_PARAMS.search(before)) and not CONTROL.search(before)
            stack.append((line, is_fn))
        elif ch == "}" and stack:
            start, is_fn = stack.pop()
            if is_fn and not any(f for _, f in stack):
                yield start, line - start + 1, lines[start - 1].strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-lines", type=int, default=120)
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "src")])
    args = parser.parse_args()
    too_long = []
    count = 0
    for root in map(pathlib.Path, args.paths):
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.suffix not in (".cc", ".h"):
                continue
            for start, n, signature in functions(path):
                count += 1
                if n > args.max_lines:
                    too_long.append(f"{path}:{start}: {n} lines (limit {args.max_lines}): "
                                    f"{signature[:80]}; split it into functions you can name")
    for line in too_long:
        print(f"check_function_size: {line}")
    if too_long:
        return 1
    print(f"check_function_size: {count} functions, none over {args.max_lines} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
