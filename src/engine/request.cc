#include "engine/request.h"

#include <fmt/format.h>

#include "core/rng.h"

namespace jitsynth::engine {

uint64_t InputSeed(uint64_t seed, uint64_t index) {
  return Rng(seed, index).Split("inputs").NextU64() >> 1;  // fits numpy's seed and JSON's int64
}

std::vector<store::ArgSpec> ArgSpecs(const std::vector<ir::Var>& args) {
  std::vector<store::ArgSpec> out;
  for (const ir::Var& v : args) {
    out.push_back({v.name, v.type.shape, std::string(ir::NumpyName(v.type.dtype)), std::nullopt,
                   std::nullopt});
  }
  return out;
}

driver::CompileRequest MakeCompileRequest(const synth::Sample& sample, uint64_t seed,
                                          uint64_t index, const LevelChoice& levels) {
  driver::CompileRequest r;
  r.id = index;
  r.python = sample.python;
  r.entry = sample.entry;
  for (const ir::Var& v : sample.args) {
    r.args.push_back(
        {v.name, v.type.shape, std::string(ir::NumpyName(v.type.dtype)), v.range.lo, v.range.hi});
  }
  r.x64 = sample.program.needs_x64;
  r.grad = sample.program.differentiable;
  r.execute = true;
  r.input_seed = InputSeed(seed, index);
  r.levels = levels.levels.Optional();
  r.gpu_target = levels.gpu_target;
  return r;
}

store::Record SampleRecord(const synth::Sample& sample, uint64_t seed, uint64_t index) {
  store::Record r;
  r.id = store::RecordId(seed, index);
  r.seed = seed;
  r.index = index;
  r.category = sample.program.category;
  r.entry = sample.entry;
  r.python = sample.python;
  r.args = ArgSpecs(sample.args);
  for (size_t i = 0; i < r.args.size(); ++i) {  // the ranges the worker drew the inputs from
    r.args[i].low = sample.args[i].range.lo;
    r.args[i].high = sample.args[i].range.hi;
  }
  r.input_seed = InputSeed(seed, index);
  r.x64 = sample.program.needs_x64;
  return r;
}

store::Record CompleteRecord(store::Record record, driver::CompileReply reply,
                             const store::Provenance& provenance) {
  record.outputs = std::move(reply.outputs);
  record.levels = std::move(reply.levels);
  record.grad = std::move(reply.grad);
  record.gpu = std::move(reply.gpu);
  record.cost = reply.cost;
  record.provenance = provenance;
  return record;
}

LevelChoice DefaultLevelChoice() {
  Result<store::LevelSet> levels = store::ParseLevels(store::kDefaultLevels);
  return {levels.ok() ? *levels : store::LevelSet{}, ""};
}

std::string WorkerXlaFlags(const std::string& xla_flags, const LevelChoice& levels) {
  if (!levels.levels.HasKernelLevel() || xla_flags.find(kSmallWhileLoopFlag) != std::string::npos) {
    return xla_flags;
  }
  return xla_flags.empty() ? std::string(kSmallWhileLoopFlag)
                           : fmt::format("{} {}", xla_flags, kSmallWhileLoopFlag);
}

std::string OutputMismatch(const synth::Sample& sample,
                           const std::vector<store::TensorSpec>& outputs) {
  std::vector<std::string> jax_types;
  for (const store::TensorSpec& o : outputs) {
    jax_types.push_back(fmt::format("{}{}", o.dtype, nlohmann::json(o.shape).dump()));
  }
  std::vector<std::string> ours;
  for (const ir::TensorType& t : sample.outputs) {
    ours.push_back(fmt::format("{}{}", ir::NumpyName(t.dtype), nlohmann::json(t.shape).dump()));
  }
  if (ours == jax_types) return "";
  return fmt::format("the verifier inferred ({}) but JAX reports ({})", fmt::join(ours, ", "),
                     fmt::join(jax_types, ", "));
}

}  // namespace jitsynth::engine
