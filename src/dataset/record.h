// The record schema (docs/schema.json): one JSON object per line of a data
// file, and one per failure in failures.jsonl.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "synth/generator.h"

namespace jitsynth::dataset {

using Json = nlohmann::ordered_json;

struct Provenance {
  std::string jitsynth_version;
  std::string jax_version;
  std::string jaxlib_version;
  std::string backend;
  std::string xla_flags;
  // Where optimized_hlo texts come from: "post_scheduler_hook" (the module as XLA's HLO passes
  // leave it; code generation skipped for the backward module) or "compiled_executable".
  std::string optimized_hlo_from;
  std::string policy_hash;  // 16 hex digits; empty for extracted records, which no policy made
};

// Provenance from a worker's "versions" (its ping reply) and $XLA_FLAGS.
Provenance MakeProvenance(const nlohmann::json& versions, std::string policy_hash);

// What a record says about its program beyond what the worker reports. Views: the strings and
// arguments must outlive the MakeRecord call.
struct ProgramHeader {
  std::string id;
  uint64_t seed = 0;
  uint64_t index = 0;
  std::string_view category;
  std::string_view entry;
  std::string_view python;
  std::span<const ir::Var> args;  // names and types; ranges are not part of a record
  bool x64 = false;               // runs (and reproduces) with jax_enable_x64
};

// The header of a generated sample.
ProgramHeader SampleHeader(const synth::Sample& sample, uint64_t seed, uint64_t index);

// "js-<seed>-<index>": stable, readable, unique within a run.
std::string RecordId(uint64_t seed, uint64_t index);

// The seed of the execution check's inputs for sample `index`.
uint64_t InputSeed(uint64_t seed, uint64_t index);

// The worker request for one generated sample.
nlohmann::json CompileRequest(const synth::Sample& sample, uint64_t seed, uint64_t index);

// The data record from a program and the worker's successful reply.
Json MakeRecord(const ProgramHeader& program, const nlohmann::json& reply,
                const Provenance& provenance);

// A failure line: never data, kept apart in failures.jsonl.
Json MakeFailure(uint64_t seed, uint64_t index, std::string_view category, std::string_view stage,
                 std::string_view error_type, std::string_view message);

// {name, shape, dtype} as the schema writes arguments.
Json ArgJson(const ir::Var& v);

// Compares the output types the verifier inferred with those JAX reported;
// an empty string when they agree, else a description of the difference.
std::string OutputMismatch(const synth::Sample& sample, const nlohmann::json& outputs);

}  // namespace jitsynth::dataset
