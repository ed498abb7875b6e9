#!/usr/bin/env python3
"""Fails when a random choice in src/synth draws with a literal probability.

Every yes/no choice of the generator reads its probability from a policy key
(src/synth/choices.h, `jitsynth policy --dump`), so a `Bernoulli(0.3)`, a
`u < 0.7` on a uniform draw, or a probability assigned from a literal is a
choice nobody can steer. Run by ctest (test `literal_probabilities`).

  python3 scripts/check_literal_probabilities.py [FILE...]   # default: src/synth/*
  python3 scripts/check_literal_probabilities.py --self-test
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# What a literal probability looks like in this code base.
PATTERNS = [
    (re.compile(r"Bernoulli\(\s*[0-9.]"), "Bernoulli with a literal probability"),
    (re.compile(r"\bu\s*<\s*[0-9.]"), "a uniform draw compared with a literal"),
    (re.compile(r"UniformDouble\(\)\s*<\s*[0-9.]"), "a uniform draw compared with a literal"),
    (re.compile(r"(_p_?|probability_?)\s*=\s*(0?\.[0-9]*[1-9]|1\.0)"),
     "a probability assigned from a literal"),
    (re.compile(r"\?\s*[0-9.]+\s*:\s*0\.0;"), "a probability chosen between literals"),
    (re.compile(r"weight \*= [0-9.]"), "a literal weight"),
    (re.compile(r"\bw\.push_back\(.*\?\s*[0-9.]+\s*:"), "a literal weight"),
    (re.compile(r"PickWeighted\(\s*std::array"), "literal weights"),
]

# Lines that look alike but are not probabilities (values, shapes, ranges).
ALLOWED = [
    re.compile(r"^\s*//"),
]


def violations(path: pathlib.Path):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if any(a.search(line) for a in ALLOWED):
            continue
        for pattern, what in PATTERNS:
            if pattern.search(line):
                yield f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{number}: {what}: {line.strip()}"


def self_test() -> int:
    bad = [
        "if (rng_.Bernoulli(0.3)) x = y;",
        "if (u < 0.7) return Cond();",
        "nested_p_ = 0.8;",
        "temps_probability_ = rng_.Bernoulli(knobs_.temporaries_p) ? 0.35 : 0.0;",
        "if (depth > 0) weight *= 0.25;",
        "for (const Var& v : vars) w.push_back(v.type == t ? 8.0 : 1.0);",
    ]
    good = [
        "if (Chance(Choice::kLoopFori)) {",
        "if (u < P(Choice::kBranchWhere)) {",
        "nested_p_ = P(Choice::kCompoundNested);",
        "constexpr std::array<Interval, 2> kPositive = {Interval{0.5, 2}, Interval{1, 3}};",
    ]
    failed = 0
    for line in bad:
        if not any(p.search(line) for p, _ in PATTERNS):
            print(f"self-test: not caught: {line}")
            failed += 1
    for line in good:
        if any(p.search(line) for p, _ in PATTERNS):
            print(f"self-test: caught wrongly: {line}")
            failed += 1
    return 1 if failed else 0


def main(argv) -> int:
    if argv[1:] == ["--self-test"]:
        return self_test()
    files = [pathlib.Path(a) for a in argv[1:]] or sorted(
        p for p in (ROOT / "src" / "synth").iterdir() if p.suffix in (".cc", ".h") and p.name != "choices.h")
    found = [v for f in files for v in violations(f)]
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} literal probabilities: give each a policy key in src/synth/choices.h "
              "and draw it with Chance(Choice::k...) or P(Choice::k...)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
