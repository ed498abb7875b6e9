#include "dataset/record.h"

#include <cstdlib>

#include <fmt/format.h>

#include "core/rng.h"

namespace jitsynth::dataset {

std::string RecordId(uint64_t seed, uint64_t index) { return fmt::format("js-{}-{}", seed, index); }

uint64_t InputSeed(uint64_t seed, uint64_t index) {
  return Rng(seed, index).Split("inputs").NextU64() >> 1;  // fits numpy's seed and JSON's int64
}

Json ArgJson(const ir::Var& v) {
  Json j;
  j["name"] = v.name;
  j["shape"] = v.type.shape;
  j["dtype"] = std::string(ir::NumpyName(v.type.dtype));
  return j;
}

nlohmann::json CompileRequest(const synth::Sample& sample, uint64_t seed, uint64_t index) {
  nlohmann::json args = nlohmann::json::array();
  for (const ir::Var& v : sample.args) {
    args.push_back({{"name", v.name},
                    {"shape", v.type.shape},
                    {"dtype", std::string(ir::NumpyName(v.type.dtype))},
                    {"low", v.range.lo},
                    {"high", v.range.hi}});
  }
  return {{"op", "compile"},
          {"id", index},
          {"python", sample.python},
          {"entry", sample.entry},
          {"args", std::move(args)},
          {"x64", sample.program.needs_x64},
          {"grad", sample.program.differentiable},
          {"execute", true},
          {"input_seed", InputSeed(seed, index)}};
}

namespace {
Json Levels(const nlohmann::json& from, Json into) {
  for (const char* level : {"jaxpr", "stablehlo", "hlo", "optimized_hlo"}) {
    into[level] = from.at(level).get<std::string>();
  }
  return into;
}
}  // namespace

Provenance MakeProvenance(const nlohmann::json& versions, std::string policy_hash) {
  const char* xla_flags = std::getenv("XLA_FLAGS");
  Provenance p;
  p.jitsynth_version = JITSYNTH_VERSION;
  p.jax_version = versions.value("jax", "");
  p.jaxlib_version = versions.value("jaxlib", "");
  p.backend = versions.value("backend", "");
  p.xla_flags = xla_flags != nullptr ? xla_flags : "";
  p.optimized_hlo_from = versions.value("optimized_hlo_from", "compiled_executable");
  p.policy_hash = std::move(policy_hash);
  return p;
}

ProgramHeader SampleHeader(const synth::Sample& sample, uint64_t seed, uint64_t index) {
  return {.id = RecordId(seed, index),
          .seed = seed,
          .index = index,
          .category = sample.program.category,
          .entry = sample.entry,
          .python = sample.python,
          .args = sample.args,
          .x64 = sample.program.needs_x64};
}

namespace {
// The listed fields of each element of `from`, in the schema's order.
Json Fields(const nlohmann::json& from, std::initializer_list<const char*> keys) {
  Json out = Json::array();
  for (const auto& item : from) {
    Json picked;
    for (const char* k : keys) picked[k] = item.at(k);
    out.push_back(std::move(picked));
  }
  return out;
}
}  // namespace

Json MakeRecord(const ProgramHeader& program, const nlohmann::json& reply,
                const Provenance& provenance) {
  Json r;
  r["id"] = program.id;
  r["seed"] = program.seed;
  r["index"] = program.index;
  r["category"] = program.category;
  r["entry"] = program.entry;
  r["python"] = program.python;
  Json args = Json::array();
  for (const ir::Var& v : program.args) args.push_back(ArgJson(v));
  r["args"] = std::move(args);
  r["x64"] = program.x64;
  r["outputs"] = Fields(reply.at("outputs"), {"shape", "dtype"});
  r = Levels(reply, std::move(r));
  const auto& grad = reply.at("grad");
  if (grad.is_null()) {
    r["grad"] = nullptr;
  } else {
    Json g;
    g["entry"] = grad.at("entry");
    g["python"] = grad.at("python");
    g["args"] = Fields(grad.at("args"), {"name", "shape", "dtype"});
    r["grad"] = Levels(grad, std::move(g));
  }
  Json cost;
  for (const char* k : {"flops", "bytes_accessed", "transcendentals"}) {
    cost[k] = reply.at("cost").at(k).get<double>();
  }
  r["cost"] = std::move(cost);
  Json p;
  p["jitsynth_version"] = provenance.jitsynth_version;
  p["jax_version"] = provenance.jax_version;
  p["jaxlib_version"] = provenance.jaxlib_version;
  p["backend"] = provenance.backend;
  p["xla_flags"] = provenance.xla_flags;
  p["optimized_hlo_from"] = provenance.optimized_hlo_from;
  p["policy_hash"] = provenance.policy_hash;
  r["provenance"] = std::move(p);
  return r;
}

Json MakeFailure(uint64_t seed, uint64_t index, std::string_view category, std::string_view stage,
                 std::string_view error_type, std::string_view message) {
  Json f;
  f["id"] = RecordId(seed, index);
  f["index"] = index;
  f["category"] = category;
  f["stage"] = stage;
  f["error_type"] = error_type;
  f["message"] = message;
  return f;
}

std::string OutputMismatch(const synth::Sample& sample, const nlohmann::json& outputs) {
  std::vector<std::string> jax_types;
  for (const auto& o : outputs) {
    jax_types.push_back(fmt::format("{}{}", o.at("dtype").get<std::string>(),
                                    o.at("shape").dump()));
  }
  std::vector<std::string> ours;
  for (const ir::TensorType& t : sample.outputs) {
    ours.push_back(fmt::format("{}{}", ir::NumpyName(t.dtype), nlohmann::json(t.shape).dump()));
  }
  if (ours == jax_types) return "";
  return fmt::format("the verifier inferred ({}) but JAX reports ({})", fmt::join(ours, ", "),
                     fmt::join(jax_types, ", "));
}

}  // namespace jitsynth::dataset
