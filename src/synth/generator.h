// The program generator: builds random JAX programs that are valid by
// construction. Sample `index` of a run with seed `seed` draws only from
// Rng(seed, index), so it is a pure function of (seed, index, policy).
//
//   synth::Generator gen(synth::Policy::Default(), /*seed=*/7);
//   Result<synth::Sample> s = gen.Generate(/*index=*/0);
//   // s->python is a module defining s->entry(*args)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "ir/program.h"
#include "synth/policy.h"

namespace jitsynth::synth {

struct Sample {
  ir::Program program;
  std::string python;       // the emitted module
  std::string entry;        // the entry function's name
  std::vector<ir::Var> args;  // entry arguments with the ranges inputs are drawn from
  std::vector<ir::TensorType> outputs;  // what the verifier infers the entry returns
};

// The kernel families, one per category.
std::vector<std::string> FamilyNames();

class Generator {
 public:
  Generator(Policy policy, uint64_t seed);

  Result<Sample> Generate(uint64_t index) const;
  // The same, forcing the family (for tests and per-family benchmarks).
  Result<Sample> Generate(uint64_t index, std::string_view family) const;

  const Policy& policy() const { return policy_; }

 private:
  Policy policy_;
  uint64_t seed_;
};

}  // namespace jitsynth::synth
