// The worker protocol's messages (docs/worker-protocol.md), typed: each request a struct with
// ToJson, each reply a struct with FromJson. generate and extract both speak through these; the
// worker's Python mirrors them in python/jitsynth_worker. The reply's record pieces (levels,
// arguments, outputs, cost) are the record schema's own types (store/record.h).
//
//   CompileRequest request{.id = 17, .python = source, .entry = "kernel", ...};
//   ASSIGN_OR_RETURN(nlohmann::json raw, worker->Call(request.ToJson()));
//   ASSIGN_OR_RETURN(CompileReply reply, CompileReply::FromJson(raw));
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/record.h"

namespace jitsynth::driver {

// An argument of a compile request: its type, and for the execution check the closed range its
// inputs are drawn from.
struct RequestArg {
  std::string name;
  std::vector<int64_t> shape;
  std::string dtype;  // NumPy name
  std::optional<double> low;
  std::optional<double> high;
};

struct CompileRequest {
  uint64_t id = 0;
  std::string python;
  std::string entry;
  std::vector<RequestArg> args;
  bool x64 = false;      // run with jax_enable_x64
  bool grad = false;     // build and capture the backward pass
  bool execute = false;  // run the forward pass on seeded inputs; outputs must be finite
  std::optional<uint64_t> input_seed;  // with execute
  // The levels beyond the always-captured ones (store::LevelSet::Optional()): CPU kernel levels
  // ("llvm_ir", "grad.asm", ...) and "grad.gpu".
  std::vector<std::string> levels;
  // With gpu_target (a file name of python/jitsynth_worker/gpu_targets without ".txtpb"), the
  // worker also compiles for that GPU and replies "gpu".
  std::string gpu_target;
  // Test hooks (JITSYNTH_TEST_HOOKS=1 in the worker): "crash", "hang" or "abort"; empty: none.
  std::string inject;

  nlohmann::json ToJson() const;
};

struct InspectRequest {
  uint64_t id = 0;
  std::string python;
  std::string entry;
  std::string filename;  // the module runs under this name, so errors name the user's file

  nlohmann::json ToJson() const;
};

// What a failed request says: the stage it failed at and why.
struct ReplyError {
  std::string stage;  // trace, lower, compile, execute, grad, ...
  std::string error_type;
  std::string message;
};

struct CompileReply {
  bool ok = false;
  ReplyError error;  // when !ok
  std::vector<store::TensorSpec> outputs;
  store::Levels levels;
  std::optional<store::GradPass> grad;
  std::optional<store::GpuPass> gpu;
  store::Cost cost;
  std::map<std::string, double> timings;  // seconds per stage

  // kParseError when a field is missing or of the wrong type (a worker that broke the protocol).
  static Result<CompileReply> FromJson(const nlohmann::json& j);
};

struct Parameter {
  std::string name;
  std::string kind;  // inspect.Parameter.kind's name: POSITIONAL_OR_KEYWORD, ...
  bool has_default = false;
};

struct InspectReply {
  bool ok = false;
  ReplyError error;  // when !ok
  std::vector<Parameter> parameters;

  static Result<InspectReply> FromJson(const nlohmann::json& j);
};

// The ping reply's "versions".
struct Versions {
  std::string jax;
  std::string jaxlib;
  std::string python;
  std::string backend;
  std::string optimized_hlo_from;  // "post_scheduler_hook" or "compiled_executable"
  std::string target_cpu_isa;       // the declared target: "AVX2"
  int64_t target_compile_cpus = 0;  // the CPUs a compiling worker may run on: 1

  static Versions FromJson(const nlohmann::json& versions);
};

// The provenance of records compiled by workers of these versions.
store::Provenance MakeProvenance(const Versions& versions, std::string xla_flags,
                                 std::string policy_hash);

}  // namespace jitsynth::driver
