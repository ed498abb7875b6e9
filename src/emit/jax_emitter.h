// Prints an ir::Program as a self-contained Python module (imports included)
// that defines the entry function.
//
//   std::string src = emit::EmitPython(program);
#pragma once

#include <string>

#include "ir/program.h"

namespace jitsynth::emit {

// Prints one expression as Python (for tests and diagnostics).
std::string EmitExpr(const ir::Expr& expr);

std::string EmitPython(const ir::Program& program);

// A Python literal for `value` in a context of dtype `dtype`: "2.0", "3", "True".
std::string PythonLiteral(double value, ir::DType dtype);

}  // namespace jitsynth::emit
