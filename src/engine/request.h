// From a generated sample to a worker request, and from the worker's reply to a record.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <string>
#include <vector>

#include "driver/protocol.h"
#include "ir/program.h"
#include "store/levels.h"
#include "store/record.h"
#include "synth/generator.h"

namespace jitsynth::engine {

// The levels a run captures: --levels and --gpu-target.
struct LevelChoice {
  store::LevelSet levels;
  std::string gpu_target;  // empty: no GPU levels
};

// The GPU targets whose configs python/jitsynth_worker/gpu_targets holds (tests/py checks both
// lists agree).
inline constexpr std::array<std::string_view, 2> kGpuTargets = {"sm_80", "sm_90"};

// Added to the workers' XLA_FLAGS when a CPU kernel level is asked: XLA:CPU would otherwise make
// a small while loop one kernel whose argument order changes from compile to compile (it iterates
// an absl::flat_hash_set). The flag changes the optimized HLO of such programs (the loop stays a
// while loop), so it is set only when kernel levels are captured. docs/worker-protocol.md.
inline constexpr std::string_view kSmallWhileLoopFlag =
    "--xla_backend_extra_options=xla_cpu_small_while_loop_byte_threshold=0";

// The default: store::kDefaultLevels, no GPU target.
LevelChoice DefaultLevelChoice();

// The workers' XLA_FLAGS: XLA_FLAGS, plus kSmallWhileLoopFlag when a kernel level is asked.
std::string WorkerXlaFlags(const std::string& xla_flags, const LevelChoice& levels);

// The seed of the execution check's inputs for sample `index`.
uint64_t InputSeed(uint64_t seed, uint64_t index);

// {name, shape, dtype} of each argument, as records write them.
std::vector<store::ArgSpec> ArgSpecs(const std::vector<ir::Var>& args);

// The worker request for one generated sample: compile, run on seeded inputs, and build the
// backward pass where the program is differentiable.
driver::CompileRequest MakeCompileRequest(const synth::Sample& sample, uint64_t seed,
                                          uint64_t index, const LevelChoice& levels);

// A record whose program fields (id, seed, index, category, entry, python, args, x64) are those
// of the sample; the compiled levels come from CompleteRecord.
store::Record SampleRecord(const synth::Sample& sample, uint64_t seed, uint64_t index);

// Fills `record`'s compiled fields from a successful reply.
store::Record CompleteRecord(store::Record record, driver::CompileReply reply,
                             const store::Provenance& provenance);

// Compares the output types the verifier inferred with those JAX reported; an empty string when
// they agree, else a description of the difference.
std::string OutputMismatch(const synth::Sample& sample,
                           const std::vector<store::TensorSpec>& outputs);

}  // namespace jitsynth::engine
