"""Fusion patterns and opcode edges of optimized HLO text (shared by bench/realism.py and its test).

A fusion pattern is the set of opcodes of one fused computation (parameters left out: every fused
computation has them). An opcode edge is (producer opcode, consumer opcode) for every operand of
every instruction of every computation, fused or not.
"""

import re

# `[ROOT ]%name = shape opcode(operands), attrs`; shapes may be tuples.
_INSTRUCTION = re.compile(r"^\s*(?:ROOT\s+)?%?([\w.\-]+)\s*=\s*(.*)$")
_HEADER = re.compile(r"^(?:ENTRY\s+)?%?([\w.\-]+)\s.*\{\s*$")
_OPERAND = re.compile(r"%([\w.\-]+)")
_CALLS = re.compile(r"calls=%?([\w.\-]+)")


def _split_shape(rest):
    """REST without its leading shape: `opcode(operands), attrs`."""
    if rest.startswith("("):
        depth = 0
        for i, c in enumerate(rest):
            depth += c == "("
            depth -= c == ")"
            if depth == 0:
                return rest[i + 1:].lstrip()
        return ""
    return rest.split(" ", 1)[1] if " " in rest else ""


def _operands(text):
    """The operand list of `opcode(...)...`: the text up to the matching parenthesis."""
    start = text.index("(")
    depth = 0
    for i in range(start, len(text)):
        depth += text[i] == "("
        depth -= text[i] == ")"
        if depth == 0:
            return text[start + 1:i]
    return text[start + 1:]


def computations(text):
    """{computation name: [(name, opcode, [operand names], attrs text)]} of an HLO module's text."""
    comps, current = {}, None
    for line in text.splitlines():
        if current is None:
            header = _HEADER.match(line)
            if header and not line.startswith("HloModule"):
                current = comps.setdefault(header.group(1), [])
            continue
        if line.strip() == "}":
            current = None
            continue
        match = _INSTRUCTION.match(line)
        if not match:
            continue
        body = _split_shape(match.group(2))
        opcode = re.match(r"([a-z][a-z0-9\-]*)\(", body)
        if not opcode:
            continue
        args = _operands(body)
        current.append((match.group(1), opcode.group(1), _OPERAND.findall(args), body))
    return comps


def patterns_and_edges(text):
    """(set of fusion patterns as sorted opcode tuples, set of (producer, consumer) opcode edges)."""
    comps = computations(text)
    fused = set()
    for instructions in comps.values():
        for _, opcode, _, body in instructions:
            if opcode == "fusion":
                fused.update(_CALLS.findall(body))
    patterns, edges = set(), set()
    for name, instructions in comps.items():
        opcode_of = {n: op for n, op, _, _ in instructions}
        for _, opcode, operands, _ in instructions:
            for operand in operands:
                if operand in opcode_of:
                    edges.add((opcode_of[operand], opcode))
        if name in fused:
            patterns.add(tuple(sorted({op for _, op, _, _ in instructions} - {"parameter"})))
    return patterns, edges
