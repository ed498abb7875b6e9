#include "store/record_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>
#include <string_view>
#include <utility>

namespace jitsynth::store {
namespace {

using json = Json;

constexpr std::array<std::string_view, 11> kDtypes = {
    "float32", "float16", "bfloat16", "float64", "int32", "int8",
    "uint8",   "bool",    "int64",    "uint32",  "float0"};
constexpr std::array<std::string_view, 4> kLevels = {"jaxpr", "stablehlo", "hlo",
                                                     "optimized_hlo"};

// An integer >= 0 (built in C++, a non-negative int is signed; parsed, it is unsigned).
bool IsSize(const json& j) {
  return j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0);
}

Status Bad(std::string_view field, std::string_view problem) {
  return InvalidArgument(fmt::format("field '{}': {}", field, problem));
}

// The object's fields are `required`, and any of `optional`.
Status CheckFields(const json& j, std::string_view where,
                   std::initializer_list<std::string_view> required,
                   std::initializer_list<std::string_view> optional = {}) {
  if (!j.is_object()) return Bad(where, "not an object");
  for (const std::string_view name : required) {
    if (!j.contains(name)) {
      return Bad(where.empty() ? name : fmt::format("{}.{}", where, name), "missing");
    }
  }
  for (const auto& [key, value] : j.items()) {
    if (std::find(required.begin(), required.end(), key) == required.end() &&
        std::find(optional.begin(), optional.end(), key) == optional.end()) {
      return Bad(where.empty() ? key : fmt::format("{}.{}", where, key),
                 "not a field of the schema");
    }
  }
  return Status::Ok();
}

Status CheckString(const json& j, std::string_view field, bool non_empty) {
  if (!j.is_string()) return Bad(field, "not a string");
  if (non_empty && j.get_ref<const std::string&>().empty()) return Bad(field, "empty");
  return Status::Ok();
}

Status CheckMatch(const json& j, std::string_view field, const std::regex& pattern,
                  std::string_view what) {
  RETURN_IF_ERROR(CheckString(j, field, false));
  if (!std::regex_match(j.get_ref<const std::string&>(), pattern)) {
    return Bad(field, fmt::format("'{}' is not {}", j.get<std::string>(), what));
  }
  return Status::Ok();
}

Status CheckIdentifier(const json& j, std::string_view field) {
  static const std::regex kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
  return CheckMatch(j, field, kIdentifier, "an identifier");
}

// {shape, dtype} or, with a name, {name, shape, dtype}.
Status CheckSpec(const json& j, std::string_view field, bool named) {
  if (named) {
    RETURN_IF_ERROR(CheckFields(j, field, {"name", "shape", "dtype"}, {"low", "high"}));
    RETURN_IF_ERROR(CheckIdentifier(j["name"], fmt::format("{}.name", field)));
    if (j.contains("low") != j.contains("high")) {
      return Bad(fmt::format("{}.{}", field, j.contains("low") ? "high" : "low"),
                 "missing (low and high come together)");
    }
    for (const char* bound : {"low", "high"}) {
      if (j.contains(bound) && !j[bound].is_number()) {
        return Bad(fmt::format("{}.{}", field, bound), "not a number");
      }
    }
  } else {
    RETURN_IF_ERROR(CheckFields(j, field, {"shape", "dtype"}));
  }
  const json& shape = j["shape"];
  if (!shape.is_array()) return Bad(fmt::format("{}.shape", field), "not a list");
  for (const json& d : shape) {
    if (!IsSize(d)) {
      return Bad(fmt::format("{}.shape", field), "holds something other than a size >= 0");
    }
  }
  const json& dtype = j["dtype"];
  if (!dtype.is_string() || std::find(kDtypes.begin(), kDtypes.end(),
                                      dtype.get_ref<const std::string&>()) == kDtypes.end()) {
    return Bad(fmt::format("{}.dtype", field), fmt::format("{} is not a dtype", dtype.dump()));
  }
  return Status::Ok();
}

Status CheckSpecs(const json& j, std::string_view field, bool named, bool non_empty) {
  if (!j.is_array()) return Bad(field, "not a list");
  if (non_empty && j.empty()) return Bad(field, "empty");
  for (size_t i = 0; i < j.size(); ++i) {
    RETURN_IF_ERROR(CheckSpec(j[i], fmt::format("{}[{}]", field, i), named));
  }
  return Status::Ok();
}

Status CheckLevels(const json& j, std::string_view prefix) {
  for (const std::string_view level : kLevels) {
    RETURN_IF_ERROR(CheckString(j[level], fmt::format("{}{}", prefix, level), true));
  }
  return Status::Ok();
}

// The optional levels below HLO: "" (no kernel) or kernels, each after its header line.
Status CheckKernelLevel(const json& j, std::string_view field, std::string_view header) {
  RETURN_IF_ERROR(CheckString(j, field, false));
  const std::string& text = j.get_ref<const std::string&>();
  if (text.empty() || (text.starts_with(header) && text.find('\n') != std::string::npos &&
                       text.find('\n') > header.size())) {
    return Status::Ok();
  }
  return Bad(field, fmt::format("neither empty nor kernels each after a '{}NAME' line", header));
}

constexpr std::string_view kLlvmHeader = "; ---- kernel: ";
constexpr std::string_view kAsmHeader = "# ---- kernel: ";
constexpr std::string_view kPtxHeader = "// ---- kernel: ";

Status CheckCpuKernelLevels(const json& j, std::string_view prefix) {
  for (const auto& [level, header] : {std::pair{"llvm_ir_unoptimized", kLlvmHeader},
                                      std::pair{"llvm_ir", kLlvmHeader},
                                      std::pair{"asm", kAsmHeader}}) {
    if (!j.contains(level)) continue;
    RETURN_IF_ERROR(CheckKernelLevel(j[level], fmt::format("{}{}", prefix, level), header));
  }
  return Status::Ok();
}

Status CheckGpuLevels(const json& g, std::string_view where) {
  RETURN_IF_ERROR(CheckString(g["optimized_hlo"], fmt::format("{}.optimized_hlo", where), true));
  RETURN_IF_ERROR(CheckKernelLevel(g["llvm_ir"], fmt::format("{}.llvm_ir", where), kLlvmHeader));
  return CheckKernelLevel(g["ptx"], fmt::format("{}.ptx", where), kPtxHeader);
}

Status CheckGpu(const json& r) {
  if (!r.contains("gpu")) return Status::Ok();
  const json& g = r["gpu"];
  RETURN_IF_ERROR(CheckFields(g, "gpu", {"target", "optimized_hlo", "llvm_ir", "ptx"}, {"grad"}));
  RETURN_IF_ERROR(CheckString(g["target"], "gpu.target", true));
  RETURN_IF_ERROR(CheckGpuLevels(g, "gpu"));
  if (!g.contains("grad")) return Status::Ok();
  RETURN_IF_ERROR(CheckFields(g["grad"], "gpu.grad", {"optimized_hlo", "llvm_ir", "ptx"}));
  return CheckGpuLevels(g["grad"], "gpu.grad");
}

Status CheckGrad(const json& g) {
  if (g.is_null()) return Status::Ok();
  RETURN_IF_ERROR(
      CheckFields(g, "grad", {"entry", "python", "args", "jaxpr", "stablehlo", "hlo",
                              "optimized_hlo"},
                  {"llvm_ir_unoptimized", "llvm_ir", "asm"}));
  RETURN_IF_ERROR(CheckCpuKernelLevels(g, "grad."));
  RETURN_IF_ERROR(CheckIdentifier(g["entry"], "grad.entry"));
  RETURN_IF_ERROR(CheckString(g["python"], "grad.python", true));
  RETURN_IF_ERROR(CheckSpecs(g["args"], "grad.args", true, false));
  return CheckLevels(g, "grad.");
}

Status CheckCost(const json& c) {
  RETURN_IF_ERROR(CheckFields(c, "cost", {"flops", "bytes_accessed", "transcendentals"}));
  for (const auto& [key, value] : c.items()) {
    if (!value.is_number() || value.get<double>() < 0) {
      return Bad(fmt::format("cost.{}", key), "not a number >= 0");
    }
  }
  return Status::Ok();
}

Status CheckProvenance(const json& p) {
  RETURN_IF_ERROR(CheckFields(p, "provenance",
                              {"jitsynth_version", "jax_version", "jaxlib_version", "backend",
                               "xla_flags", "optimized_hlo_from", "policy_hash", "target"}));
  for (const auto& [key, value] : p.items()) {
    if (key == "target") continue;
    RETURN_IF_ERROR(CheckString(value, fmt::format("provenance.{}", key), false));
  }
  const json& target = p["target"];
  RETURN_IF_ERROR(CheckFields(target, "provenance.target", {"cpu_isa", "compile_cpus"}));
  RETURN_IF_ERROR(CheckString(target["cpu_isa"], "provenance.target.cpu_isa", false));
  if (!IsSize(target["compile_cpus"])) {
    return Bad("provenance.target.compile_cpus", "not an integer >= 0");
  }
  const std::string& from = p["optimized_hlo_from"].get_ref<const std::string&>();
  if (from != "post_scheduler_hook" && from != "compiled_executable") {
    return Bad("provenance.optimized_hlo_from",
               fmt::format("'{}' is neither post_scheduler_hook nor compiled_executable", from));
  }
  static const std::regex kPolicyHash("([0-9a-f]{16})?");
  return CheckMatch(p["policy_hash"], "provenance.policy_hash", kPolicyHash,
                    "16 hex digits or empty");
}

Status CheckUnsigned(const json& j, std::string_view field) {
  if (!IsSize(j)) return Bad(field, "not an integer >= 0");
  return Status::Ok();
}

}  // namespace

Status CheckRecord(const json& r) {
  if (!r.is_object()) return InvalidArgument("not a JSON object");
  RETURN_IF_ERROR(CheckFields(r, "",
                              {"id", "seed", "index", "category", "entry", "python", "args",
                               "input_seed", "x64", "outputs", "jaxpr", "stablehlo", "hlo",
                               "optimized_hlo", "grad", "cost", "provenance"},
                              {"llvm_ir_unoptimized", "llvm_ir", "asm", "gpu"}));
  static const std::regex kId("js-[0-9]+-[0-9]+|extract-[0-9a-f]{16}");
  RETURN_IF_ERROR(CheckMatch(r["id"], "id", kId, "js-SEED-INDEX or extract-HEX16"));
  RETURN_IF_ERROR(CheckUnsigned(r["seed"], "seed"));
  RETURN_IF_ERROR(CheckUnsigned(r["index"], "index"));
  RETURN_IF_ERROR(CheckString(r["category"], "category", true));
  RETURN_IF_ERROR(CheckIdentifier(r["entry"], "entry"));
  RETURN_IF_ERROR(CheckString(r["python"], "python", true));
  RETURN_IF_ERROR(CheckSpecs(r["args"], "args", true, false));
  if (!r["input_seed"].is_null() && !IsSize(r["input_seed"])) {
    return Bad("input_seed", "neither an integer >= 0 nor null");
  }
  if (!r["x64"].is_boolean()) return Bad("x64", "not true or false");
  RETURN_IF_ERROR(CheckSpecs(r["outputs"], "outputs", false, true));
  RETURN_IF_ERROR(CheckLevels(r, ""));
  RETURN_IF_ERROR(CheckCpuKernelLevels(r, ""));
  RETURN_IF_ERROR(CheckGpu(r));
  RETURN_IF_ERROR(CheckGrad(r["grad"]));
  RETURN_IF_ERROR(CheckCost(r["cost"]));
  return CheckProvenance(r["provenance"]);
}

}  // namespace jitsynth::store
