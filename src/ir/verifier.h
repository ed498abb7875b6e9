// Checks that a Program is well-formed before it is emitted: every expression
// well-typed by the op table, every name defined before use, control-flow
// signatures consistent, every domain satisfied and every value range finite.
// The generator is correct by construction; the verifier is how we know.
#pragma once

#include "core/status.h"
#include "ir/program.h"

namespace jitsynth::ir {

Status Verify(const Program& program);

// The types the entry function returns, in order.
std::vector<TensorType> ResultTypes(const Program& program);

}  // namespace jitsynth::ir
