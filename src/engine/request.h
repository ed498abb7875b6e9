// From a generated sample to a worker request, and from the worker's reply to a record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "driver/protocol.h"
#include "ir/program.h"
#include "store/record.h"
#include "synth/generator.h"

namespace jitsynth::engine {

// The seed of the execution check's inputs for sample `index`.
uint64_t InputSeed(uint64_t seed, uint64_t index);

// {name, shape, dtype} of each argument, as records write them.
std::vector<store::ArgSpec> ArgSpecs(const std::vector<ir::Var>& args);

// The worker request for one generated sample: compile, run on seeded inputs, and build the
// backward pass where the program is differentiable.
driver::CompileRequest MakeCompileRequest(const synth::Sample& sample, uint64_t seed,
                                          uint64_t index);

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
