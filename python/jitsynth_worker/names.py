"""Names in optimized HLO text, renumbered so that the text is a function of the module.

XLA names instructions and computations `base.N` from counters that count everything its passes
ever created. For some modules (bfloat16 scatter and select-and-scatter reducers, which XLA's float
normalization makes float32) the passes create instructions in an order that changes from one
compile of the same module to the next, so the same module prints as `ROOT %convert.51 = ...` after
one compile and `ROOT %convert.53 = ...` after another. renumber() gives every suffixed name the
next number of its base in order of appearance; names without a numeric suffix are kept.

No JAX here: bench/xla/q4_post_scheduler.py --verify imports it in a process that must not
register the worker's compile hook.
"""

import re

# A quoted string (skipped whole: metadata and attributes may hold anything), or a name after
# `%`, or a parameter name in a computation's signature line: `%comp (p.1: f32[], q.2: s32[]) ->`.
_NAME = r"[A-Za-z_][\w.\-]*"
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|%(' + _NAME + r')|(?:(?<=\()|(?<=, ))(' + _NAME + r')(?=: )')
_SUFFIXED = re.compile(r"(.+)\.(\d+)")


def renumber(text: str, names: dict[str, str] | None = None) -> str:
    """TEXT with each name `base.N` renamed `base.K`, K counting the bases in order of appearance.

    NAMES, when given, receives every name seen and its new name (kernels.py renames the kernels
    of the text's module with it).

    Names without a numeric suffix are kept. New names all end in `.digits` and kept ones never do,
    and (base, K) pairs are distinct, so no two names merge. Signature parameter names are only
    looked for on lines that start a computation (no indentation, ending in `{`), where they are
    the parameter instructions' names.
    """
    names = {} if names is None else names
    counts: dict[str, int] = {}

    def rename(name: str) -> str:
        new = names.get(name)
        if new is None:
            suffixed = _SUFFIXED.fullmatch(name)
            if suffixed is None:
                new = name
            else:
                base = suffixed.group(1)
                counts[base] = counts.get(base, 0) + 1
                new = f"{base}.{counts[base]}"
            names[name] = new
        return new

    def replace(match: re.Match) -> str:
        if match.group(1) is not None:
            return "%" + rename(match.group(1))
        if match.group(2) is not None:
            return rename(match.group(2))
        return match.group(0)

    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(" ") or line.startswith("HloModule"):
            lines[i] = _TOKEN.sub(lambda m: m.group(0) if m.group(2) is not None else replace(m), line)
        elif line.endswith("{"):
            lines[i] = _TOKEN.sub(replace, line)
    return "\n".join(lines)
