"""Copies of a generated program that differ only in what dedup must ignore, and ones that do not.

`renamed_copy` renames every name the program binds (its functions, parameters and temporaries),
re-spaces every line, indents by two instead of four, and adds comments, blank lines and a
docstring: the same program to a reader, a different text to `diff`. `mutated_copy` changes one
operator: a different program that looks almost the same. `recompiled` captures a copy's IR
through the worker, so that its IR differs from the original's exactly as JAX makes it differ.
"""

import ast
import io
import re
import tokenize


def bound_names(source):
    """Names the program binds: its functions, their parameters, and assignment targets."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
            names.update(a.arg for a in node.args.args)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def rename(source, names, prefix):
    """SOURCE with each of NAMES (not after a dot) spelled PREFIX + name; the layout is kept."""
    lines = source.splitlines(keepends=True)
    edits = []
    prev = None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and tok.string in names and (prev is None or prev.string != "."):
            edits.append(tok)
        prev = tok
    for tok in reversed(edits):
        row, col = tok.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + prefix + tok.string + line[col + len(tok.string):]
    return "".join(lines)


def reformat(source):
    """The same program laid out differently: spacing, indentation, comments, blank lines."""
    out = ["# a copy, reformatted\n"]
    for line in source.splitlines():
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4 * 2
        if not stripped:
            out.append("\n\n")
            continue
        # Spaces inside brackets and around commas: what black would undo.
        respaced = re.sub(r"\(", "( ", stripped)
        respaced = re.sub(r",", " ,  ", respaced)
        comment = "  # was: " + stripped.replace("#", "") if stripped.startswith("return") else ""
        out.append(" " * indent + respaced + comment + "\n")
        if stripped.startswith("def "):
            out.append(" " * (indent + 2) + '"""Added docstring."""\n')
    return "".join(out)


def renamed_copy(record, prefix="my_"):
    """RECORD's program with renamed names and a new layout, as {python, entry, args}."""
    names = bound_names(record["python"])
    python = reformat(rename(record["python"], names, prefix))
    args = [dict(a, name=prefix + a["name"] if a["name"] in names else a["name"])
            for a in record["args"]]
    entry = prefix + record["entry"] if record["entry"] in names else record["entry"]
    return {"python": python, "entry": entry, "args": args}


def mutated_copy(record):
    """RECORD's program with its first binary "+", "-" or "*" changed: a different program,
    nearly the same text. None when the program has none of them."""
    python = record["python"]
    match = re.search(r" ([-+*]) ", python)
    if match is None:
        return None
    swapped = {"+": "*", "-": "+", "*": "+"}[match.group(1)]
    python = python[:match.start(1)] + swapped + python[match.end(1):]
    return {"python": python, "entry": record["entry"], "args": record["args"]}


def recompiled(record, copy):
    """A record for COPY: RECORD's fields, with the Python and IR that COPY compiles to."""
    from jitsynth_worker.capture import capture

    reply = capture({"python": copy["python"], "entry": copy["entry"],
                     "args": [{k: a[k] for k in ("name", "shape", "dtype")} for a in copy["args"]],
                     "x64": record["x64"], "grad": False, "execute": False})
    assert reply["ok"], reply
    new = dict(record, **copy, grad=None)
    for level in ("jaxpr", "stablehlo", "hlo", "optimized_hlo"):
        new[level] = reply[level]
    return new
