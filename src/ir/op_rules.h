// Internal to ir: what the type rules (ops.cc) and the interval rules
// (ranges.cc) share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jitsynth::ir {

// einsum subscripts "ij,jk->ik": one string of letters per operand, then the output.
struct EinsumSpec {
  std::vector<std::string> inputs;
  std::string output;
};

std::optional<EinsumSpec> ParseEinsum(std::string_view s);

}  // namespace jitsynth::ir
