#include "driver/protocol.h"

#include <fmt/format.h>

namespace jitsynth::driver {
namespace {

using json = nlohmann::json;

std::vector<store::ArgSpec> ArgsFrom(const json& args) {
  std::vector<store::ArgSpec> out;
  for (const json& a : args) {
    out.push_back({a.at("name").get<std::string>(), a.at("shape").get<std::vector<int64_t>>(),
                   a.at("dtype").get<std::string>(), std::nullopt, std::nullopt});
  }
  return out;
}

std::optional<std::string> OptionalText(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  return it->get<std::string>();
}

store::Levels LevelsFrom(const json& j) {
  return {j.at("jaxpr").get<std::string>(),     j.at("stablehlo").get<std::string>(),
          j.at("hlo").get<std::string>(),       j.at("optimized_hlo").get<std::string>(),
          OptionalText(j, "llvm_ir_unoptimized"), OptionalText(j, "llvm_ir"),
          OptionalText(j, "asm")};
}

store::GpuLevels GpuLevelsFrom(const json& j) {
  return {j.at("optimized_hlo").get<std::string>(), j.at("llvm_ir").get<std::string>(),
          j.at("ptx").get<std::string>()};
}

std::optional<store::GpuPass> GpuFrom(const json& j) {
  const auto it = j.find("gpu");
  if (it == j.end() || it->is_null()) return std::nullopt;
  store::GpuPass gpu{it->at("target").get<std::string>(), GpuLevelsFrom(*it), std::nullopt};
  if (const auto g = it->find("grad"); g != it->end() && !g->is_null()) {
    gpu.grad = GpuLevelsFrom(*g);
  }
  return gpu;
}

ReplyError ErrorFrom(const json& j) {
  return {j.value("stage", "unknown"), j.value("error_type", ""), j.value("message", "")};
}

Status Malformed(std::string_view what, const json::exception& e) {
  return ParseError(fmt::format("the worker's {} reply is malformed: {}", what, e.what()));
}

}  // namespace

json CompileRequest::ToJson() const {
  json out = json::array();
  for (const RequestArg& a : args) {
    json arg = {{"name", a.name}, {"shape", a.shape}, {"dtype", a.dtype}};
    if (a.low) arg["low"] = *a.low;
    if (a.high) arg["high"] = *a.high;
    out.push_back(std::move(arg));
  }
  json j = {{"op", "compile"}, {"id", id},   {"python", python}, {"entry", entry},
            {"args", out},     {"x64", x64}, {"grad", grad},     {"execute", execute}};
  if (input_seed) j["input_seed"] = *input_seed;
  if (!levels.empty()) j["levels"] = levels;
  if (!gpu_target.empty()) j["gpu_target"] = gpu_target;
  if (!inject.empty()) j["inject"] = inject;
  return j;
}

json InspectRequest::ToJson() const {
  return {
      {"op", "inspect"}, {"id", id}, {"python", python}, {"entry", entry}, {"filename", filename}};
}

Result<CompileReply> CompileReply::FromJson(const json& j) {
  CompileReply r;
  try {
    r.ok = j.value("ok", false);
    if (const auto t = j.find("timings"); t != j.end() && t->is_object()) {
      r.timings = t->get<std::map<std::string, double>>();
    }
    if (!r.ok) {
      r.error = ErrorFrom(j);
      return r;
    }
    for (const json& o : j.at("outputs")) {
      r.outputs.push_back(
          {o.at("shape").get<std::vector<int64_t>>(), o.at("dtype").get<std::string>()});
    }
    r.levels = LevelsFrom(j);
    if (const json& g = j.at("grad"); !g.is_null()) {
      r.grad = store::GradPass{g.at("entry").get<std::string>(), g.at("python").get<std::string>(),
                               ArgsFrom(g.at("args")), LevelsFrom(g)};
    }
    r.gpu = GpuFrom(j);
    const json& cost = j.at("cost");
    r.cost = {cost.at("flops").get<double>(), cost.at("bytes_accessed").get<double>(),
              cost.at("transcendentals").get<double>()};
  } catch (const json::exception& e) {
    return Malformed("compile", e);
  }
  return r;
}

Result<InspectReply> InspectReply::FromJson(const json& j) {
  InspectReply r;
  try {
    r.ok = j.value("ok", false);
    if (!r.ok) {
      r.error = ErrorFrom(j);
      return r;
    }
    for (const json& p : j.at("parameters")) {
      r.parameters.push_back({p.at("name").get<std::string>(), p.at("kind").get<std::string>(),
                              p.at("default").get<bool>()});
    }
  } catch (const json::exception& e) {
    return Malformed("inspect", e);
  }
  return r;
}

Versions Versions::FromJson(const json& versions) {
  if (!versions.is_object()) return {};
  Versions v;
  v.jax = versions.value("jax", "");
  v.jaxlib = versions.value("jaxlib", "");
  v.python = versions.value("python", "");
  v.backend = versions.value("backend", "");
  v.optimized_hlo_from = versions.value("optimized_hlo_from", "compiled_executable");
  if (const auto t = versions.find("target"); t != versions.end() && t->is_object()) {
    v.target_cpu_isa = t->value("cpu_isa", "");
    v.target_compile_cpus = t->value("compile_cpus", int64_t{0});
  }
  return v;
}

store::Provenance MakeProvenance(const Versions& versions, std::string xla_flags,
                                 std::string policy_hash) {
  store::Provenance p;
  p.jitsynth_version = JITSYNTH_VERSION;
  p.jax_version = versions.jax;
  p.jaxlib_version = versions.jaxlib;
  p.python_version = versions.python;
  p.backend = versions.backend;
  p.xla_flags = std::move(xla_flags);
  p.optimized_hlo_from = versions.optimized_hlo_from;
  p.policy_hash = std::move(policy_hash);
  p.target_cpu_isa = versions.target_cpu_isa;
  p.target_compile_cpus = versions.target_compile_cpus;
  return p;
}

}  // namespace jitsynth::driver
