// The program generator: builds random JAX programs that are valid by
// construction. Sample `index` of a run with seed `seed` draws only from
// Rng(seed, index), so it is a pure function of (seed, index, policy).
//
//   synth::Generator gen(synth::Policy::Default(), /*seed=*/7);
//   Result<synth::Sample> s = gen.Generate(/*index=*/0);
//   // s->python is a module defining s->entry(*args)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ir/program.h"
#include "synth/policy.h"

namespace jitsynth::synth {

namespace detail {
struct Knobs;
}  // namespace detail

struct Sample {
  ir::Program program;
  std::string python;                   // the emitted module
  std::string entry;                    // the entry function's name
  std::vector<ir::Var> args;            // entry arguments with the ranges inputs are drawn from
  std::vector<ir::TensorType> outputs;  // what the verifier infers the entry returns
  int64_t steps = 0;  // the builder's work on this sample (detail::Builder::steps)
};

// The kernel families, one per category, in table order.
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
  std::shared_ptr<const detail::Knobs> knobs_;  // the policy, looked up once
};

// The intervals the generator inferred for the entry's outputs, one per
// output: every output value lies in its interval for inputs drawn from the
// arguments' ranges (Sample::args).
std::vector<ir::Interval> OutputRanges(const Sample& sample);

// Whether reverse mode applies to the sample: the program asks for it and it
// has a floating-point argument and output for the vjp to connect.
bool HasBackwardPass(const Sample& sample);

// Samples that together use every op in the table. For each op no earlier
// sample used: of the first samples (index 0 up) that use it under `policy`
// with that op's weight boosted, the one using most ops not yet used. A
// differentiable op counts only in a sample with a backward pass. Fails
// naming the op when none of `max_tries` samples uses it.
struct Covering {
  Sample sample;
  uint64_t index = 0;
  std::string boosted_op;
  std::vector<ir::OpId> covers;  // the ops this sample was kept for
};
Result<std::vector<Covering>> CoverOps(const Policy& policy, uint64_t seed,
                                       uint64_t max_tries = 20000);

}  // namespace jitsynth::synth
