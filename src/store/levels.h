// The IR levels a run captures (`generate --levels`, `extract --levels`, the manifest's
// "levels"), declared once. A level is a record field: a forward level is a top-level key of a
// record, `grad.<level>` the same key inside `grad`, `grad.gpu` the backward's GPU levels.
//
//   ASSIGN_OR_RETURN(store::LevelSet levels, store::ParseLevels("llvm_ir,asm"));
//   if (levels.Has("asm")) ...
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jitsynth::store {

// Every level name, in the order records and manifests list them.
inline constexpr std::array<std::string_view, 15> kLevelNames = {
    "jaxpr",          "stablehlo",           "hlo",           "optimized_hlo",
    "llvm_ir_unoptimized", "llvm_ir",      "asm",           "grad.jaxpr",
    "grad.stablehlo", "grad.hlo",          "grad.optimized_hlo", "grad.llvm_ir_unoptimized",
    "grad.llvm_ir",   "grad.asm",          "grad.gpu"};

// Captured for every record whatever the list says (the schema requires them): the forward's and,
// where the program is differentiable, the backward's four HLO-side levels.
inline constexpr std::array<std::string_view, 8> kAlwaysLevels = {
    "jaxpr",          "stablehlo",      "hlo",      "optimized_hlo",
    "grad.jaxpr",     "grad.stablehlo", "grad.hlo", "grad.optimized_hlo"};

// The default of --levels: every CPU level of the forward pass, the HLO levels of the backward.
inline constexpr std::string_view kDefaultLevels =
    "jaxpr,stablehlo,hlo,optimized_hlo,llvm_ir_unoptimized,llvm_ir,asm,"
    "grad.jaxpr,grad.stablehlo,grad.hlo,grad.optimized_hlo";

// The CPU kernel levels (LLVM IR and assembly of XLA's kernels), without the "grad." prefix.
inline constexpr std::array<std::string_view, 3> kKernelLevels = {"llvm_ir_unoptimized", "llvm_ir",
                                                                  "asm"};

// A set of level names, kept in kLevelNames' order, always holding kAlwaysLevels.
struct LevelSet {
  std::vector<std::string> names;

  bool Has(std::string_view name) const;
  // Whether a CPU kernel level of either pass is asked (the workers then need the flag that
  // keeps small while loops out of one kernel: docs/worker-protocol.md).
  bool HasKernelLevel() const;
  // The names beyond kAlwaysLevels: what a worker request lists.
  std::vector<std::string> Optional() const;
  // "a,b,c"
  std::string Joined() const;
};

// LIST: comma-separated names of kLevelNames. An unknown or empty name is kInvalidArgument
// naming it and the known ones.
Result<LevelSet> ParseLevels(std::string_view list);

}  // namespace jitsynth::store
