// The record schema (docs/schema.json): one JSON object per line of a data file, and one per
// failure in failures.jsonl. Typed here once; the worker protocol's replies (driver/protocol.h)
// carry these same pieces, and the engine assembles a Record from a reply.
//
//   store::Record r;
//   r.id = store::RecordId(seed, index);
//   ...
//   writer.AddRecord(index, r.ToJson().dump());
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace jitsynth::store {

using Json = nlohmann::ordered_json;

// {shape, dtype}: an output of a program.
struct TensorSpec {
  std::vector<int64_t> shape;
  std::string dtype;  // NumPy name: "float32"

  Json ToJson() const { return {{"shape", shape}, {"dtype", dtype}}; }
};

// {name, shape, dtype[, low, high]}: an array argument of a program, in call order. low and high
// (the closed range the program's inputs are drawn from, the generator's declared domain) are
// present on a record's own arguments, absent on the backward module's: eval draws its
// equivalence inputs from them.
struct ArgSpec {
  std::string name;
  std::vector<int64_t> shape;
  std::string dtype;
  std::optional<double> low;
  std::optional<double> high;

  Json ToJson() const {
    Json j = {{"name", name}, {"shape", shape}, {"dtype", dtype}};
    if (low && high) {
      j["low"] = *low;
      j["high"] = *high;
    }
    return j;
  }
};

// The IR levels of one pass (forward or backward).
struct Levels {
  std::string jaxpr;
  std::string stablehlo;
  std::string hlo;
  std::string optimized_hlo;
  // XLA:CPU's kernels (store/levels.h), present when asked: every kernel's text sorted by name,
  // each after a header line; "" for a program without kernels (a bare matmul).
  std::optional<std::string> llvm_ir_unoptimized;
  std::optional<std::string> llvm_ir;  // after LLVM's passes
  std::optional<std::string> asm_;     // x86-64, objdump's syntax ("asm" in the record)
};

// One pass compiled for an NVIDIA GPU target, without a GPU.
struct GpuLevels {
  std::string optimized_hlo;
  std::string llvm_ir;  // the kernels after LLVM's passes, each after a header line
  std::string ptx;

  Json ToJson() const {
    return {{"optimized_hlo", optimized_hlo}, {"llvm_ir", llvm_ir}, {"ptx", ptx}};
  }
};

// `gpu` of a record made with --gpu-target.
struct GpuPass {
  std::string target;  // "sm_90"
  GpuLevels forward;
  std::optional<GpuLevels> grad;  // with the level grad.gpu, where the program has a backward

  Json ToJson() const;
};

// The backward module: the vjp of the entry, as its own Python module.
struct GradPass {
  std::string entry;
  std::string python;
  std::vector<ArgSpec> args;
  Levels levels;
};

struct Cost {
  double flops = 0;
  double bytes_accessed = 0;
  double transcendentals = 0;

  Json ToJson() const {
    return {
        {"flops", flops}, {"bytes_accessed", bytes_accessed}, {"transcendentals", transcendentals}};
  }
};

struct Provenance {
  std::string jitsynth_version;
  std::string jax_version;
  std::string jaxlib_version;
  std::string python_version;  // in the manifest only
  std::string backend;
  std::string xla_flags;
  // Where optimized_hlo texts come from: "post_scheduler_hook" (the module as XLA's HLO passes
  // leave it; code generation skipped for the backward module) or "compiled_executable".
  std::string optimized_hlo_from;
  std::string policy_hash;  // 16 hex digits; empty for extracted records, which no policy made
  // The declared compile target (python/jitsynth_worker/target.py): the instruction set XLA may
  // use and the CPUs the compiling worker may run on. Empty/0: a worker that declared none.
  std::string target_cpu_isa;
  int64_t target_compile_cpus = 0;

  enum class Where { kRecord, kManifest };
  Json ToJson(Where where) const;
  static Provenance FromJson(const Json& j);  // missing fields stay empty
};

struct Record {
  std::string id;
  uint64_t seed = 0;
  uint64_t index = 0;
  std::string category;
  std::string entry;
  std::string python;
  std::vector<ArgSpec> args;
  // The seed of the inputs the worker ran the program on (engine::InputSeed); eval draws from it.
  // Absent for extracted records, which are never run.
  std::optional<uint64_t> input_seed;
  bool x64 = false;  // runs (and reproduces) with jax_enable_x64
  std::vector<TensorSpec> outputs;
  Levels levels;
  std::optional<GradPass> grad;
  std::optional<GpuPass> gpu;
  Cost cost;
  Provenance provenance;

  // The schema's field order; the bytes of a data line.
  Json ToJson() const;
};

// A failure line: never data, kept apart in failures.jsonl.
struct Failure {
  std::string id;
  uint64_t index = 0;
  std::string category;
  std::string stage;
  std::string error_type;
  std::string message;

  Json ToJson() const;
};

// "js-<seed>-<index>": stable, readable, unique within a run.
std::string RecordId(uint64_t seed, uint64_t index);

}  // namespace jitsynth::store
