// Python source as dedup sees it: tokens, then a normal form in which two
// programs that differ only in identifier names, comments, docstrings and
// formatting are one text.
//
//   post::NormalizePython("def f(x):\n    return jnp.sin(x)  # c\n")
//     == "def v0 ( v1 ) :\n    return jnp . sin ( v1 )\n"
//
// The tokenizer is lenient (it never fails, whatever the bytes; fuzzed by
// fuzz/fuzz_python.cc): dedup must read every record, and a record's Python
// is valid by construction anyway.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jitsynth::post {

enum class PyTokenKind {
  kName,
  kNumber,
  kString,   // with its prefix and quotes: r'x', """doc"""
  kOp,       // operators and brackets, longest match: **=, ->, (
  kComment,  // "# ..." to the end of the line
  kNewline,  // the end of a logical line (not inside brackets, not after a backslash)
  kIndent,
  kDedent,
  kError,  // what Python would reject: an unterminated string, a stray backslash, '$'
};

struct PyToken {
  PyTokenKind kind;
  std::string_view text;  // a view into the source; empty for kNewline, kIndent, kDedent
};

std::vector<PyToken> TokenizePython(std::string_view source);

// The normal form: comments, docstrings (any statement that is only a string)
// and malformed tokens dropped; ';' and line breaks end statements alike;
// indentation in steps of four spaces; one space between tokens; a trailing
// comma before a closing bracket dropped where it means nothing; parentheses
// around the whole value of an assignment or return dropped ("x = (a + b)" is
// "x = a + b"), with a trailing comma after two or more items; identifiers
// renamed v0, v1, ... by first appearance. Kept as written: keywords,
// builtins, names after a dot (the API: jnp.sum, x.shape), keyword-argument
// names in calls (axis=0), and every name an import statement mentions
// (jax, jnp, lax). Idempotent.
std::string NormalizePython(std::string_view source);

// Hash64 of NormalizePython: the exact-duplicate key of a program.
uint64_t PythonFingerprint(std::string_view source);

// The normal form's tokens with every renamed identifier as "$id" and each
// statement end as "\n", import statements left out: what near-duplicate
// detection compares, so that one inserted temporary does not renumber every
// name after it and shared boilerplate does not make programs alike.
std::vector<std::string> PythonShingleTokens(std::string_view source);

}  // namespace jitsynth::post
