#include "store/record.h"

#include <fmt/format.h>

namespace jitsynth::store {
namespace {

template <typename T>
Json Array(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& item : items) out.push_back(item.ToJson());
  return out;
}

Json WithLevels(const Levels& levels, Json into) {
  into["jaxpr"] = levels.jaxpr;
  into["stablehlo"] = levels.stablehlo;
  into["hlo"] = levels.hlo;
  into["optimized_hlo"] = levels.optimized_hlo;
  if (levels.llvm_ir_unoptimized) into["llvm_ir_unoptimized"] = *levels.llvm_ir_unoptimized;
  if (levels.llvm_ir) into["llvm_ir"] = *levels.llvm_ir;
  if (levels.asm_) into["asm"] = *levels.asm_;
  return into;
}

}  // namespace

Json GpuPass::ToJson() const {
  Json g = {{"target", target}};
  g.update(forward.ToJson());
  if (grad) g["grad"] = grad->ToJson();
  return g;
}

std::string RecordId(uint64_t seed, uint64_t index) { return fmt::format("js-{}-{}", seed, index); }

Json Provenance::ToJson(Where where) const {
  Json p;
  p["jitsynth_version"] = jitsynth_version;
  p["jax_version"] = jax_version;
  p["jaxlib_version"] = jaxlib_version;
  if (where == Where::kManifest) p["python_version"] = python_version;
  p["backend"] = backend;
  p["xla_flags"] = xla_flags;
  p["optimized_hlo_from"] = optimized_hlo_from;
  p["policy_hash"] = policy_hash;
  p["target"] = {{"cpu_isa", target_cpu_isa}, {"compile_cpus", target_compile_cpus}};
  return p;
}

Provenance Provenance::FromJson(const Json& j) {
  Provenance p;
  if (!j.is_object()) return p;
  auto text = [&](const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  p.jitsynth_version = text("jitsynth_version");
  p.jax_version = text("jax_version");
  p.jaxlib_version = text("jaxlib_version");
  p.python_version = text("python_version");
  p.backend = text("backend");
  p.xla_flags = text("xla_flags");
  p.optimized_hlo_from = text("optimized_hlo_from");
  p.policy_hash = text("policy_hash");
  if (const auto t = j.find("target"); t != j.end() && t->is_object()) {
    const auto isa = t->find("cpu_isa");
    if (isa != t->end() && isa->is_string()) p.target_cpu_isa = isa->get<std::string>();
    const auto cpus = t->find("compile_cpus");
    if (cpus != t->end() && cpus->is_number_integer()) p.target_compile_cpus = cpus->get<int64_t>();
  }
  return p;
}

Json Record::ToJson() const {
  Json r = {{"id", id},
            {"seed", seed},
            {"index", index},
            {"category", category},
            {"entry", entry},
            {"python", python},
            {"args", Array(args)},
            {"input_seed", input_seed ? Json(*input_seed) : Json(nullptr)},
            {"x64", x64},
            {"outputs", Array(outputs)}};
  r = WithLevels(levels, std::move(r));
  if (!grad) {
    r["grad"] = nullptr;
  } else {
    Json g;
    g["entry"] = grad->entry;
    g["python"] = grad->python;
    g["args"] = Array(grad->args);
    r["grad"] = WithLevels(grad->levels, std::move(g));
  }
  if (gpu) r["gpu"] = gpu->ToJson();
  r["cost"] = cost.ToJson();
  r["provenance"] = provenance.ToJson(Provenance::Where::kRecord);
  return r;
}

Json Failure::ToJson() const {
  return {{"id", id},       {"index", index},           {"category", category},
          {"stage", stage}, {"error_type", error_type}, {"message", message}};
}

}  // namespace jitsynth::store
