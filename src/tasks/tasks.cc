#include "tasks/tasks.h"

#include <fmt/format.h>

#include <array>

#include "post/text.h"

namespace jitsynth::tasks {
namespace {

using nlohmann::json;

// Version 1 of every template. The words say which tool and which call printed the answer, so
// that a model (and a reader) knows exactly what text is expected.
constexpr std::array kTasks = {
    Task{"python-to-stablehlo", 1, "/python", TextKind::kPython, "/stablehlo",
         TextKind::kStableHlo,
         "Lower the JAX function `{entry}` to StableHLO: write the module that "
         "`jax.jit({entry}).lower(*args).as_text()` prints for the arguments {args}.\n\n"
         "```python\n{source}```\n",
         "JAX Python -> StableHLO (what jax.jit(f).lower(...).as_text() prints)"},
    Task{"python-to-hlo", 1, "/python", TextKind::kPython, "/hlo", TextKind::kHlo,
         "Lower the JAX function `{entry}` to HLO before XLA's optimization passes: write the "
         "module that `jax.jit({entry}).lower(*args).as_text(dialect=\"hlo\")` prints for the "
         "arguments {args}.\n\n```python\n{source}```\n",
         "JAX Python -> HLO before XLA's passes"},
    Task{"hlo-to-optimized-hlo", 1, "/hlo", TextKind::kHlo, "/optimized_hlo", TextKind::kHlo,
         "Optimize this HLO module as XLA's CPU compiler does: write the module its HLO passes "
         "produce (instruction names numbered per base name, no metadata).\n\n```\n{source}```\n",
         "HLO -> optimized HLO (emulate XLA's CPU HLO passes)"},
    Task{"optimized-hlo-to-python", 1, "/optimized_hlo", TextKind::kHlo, "/python",
         TextKind::kPython,
         "Write a self-contained JAX Python module (imports included) defining `{entry}` with "
         "the arguments {args}, whose `jax.jit({entry})` XLA's CPU compiler optimizes to this "
         "HLO module.\n\n```\n{source}```\n",
         "optimized HLO -> JAX Python (lift back to JAX)"},
    Task{"stablehlo-to-grad-stablehlo", 1, "/stablehlo", TextKind::kStableHlo,
         "/grad/stablehlo", TextKind::kStableHlo,
         "Differentiate this StableHLO module: write the StableHLO module of its vector-Jacobian "
         "product with respect to every floating-point argument. The backward module takes the "
         "arguments {grad_args} (the forward arguments, then one cotangent per floating-point "
         "output) and returns the gradients.\n\n```\n{source}```\n",
         "StableHLO -> StableHLO of the vjp (differentiate at the IR level; records without a "
         "backward pass are skipped)"},
    Task{"optimized-hlo-to-cost", 1, "/optimized_hlo", TextKind::kHlo, "/cost",
         TextKind::kCostJson,
         "Estimate what XLA's CPU cost analysis reports for this optimized HLO module. Answer "
         "with one JSON object: {{\"flops\": F, \"bytes_accessed\": B, \"transcendentals\": "
         "T}}.\n\n```\n{source}```\n",
         "optimized HLO -> {flops, bytes_accessed, transcendentals} as JSON"},
    Task{"optimized-hlo-to-llvm-ir", 1, "/optimized_hlo", TextKind::kHlo, "/llvm_ir",
         TextKind::kLlvmIr,
         "Write the optimized LLVM IR that XLA's CPU backend generates for the kernels of this "
         "optimized HLO module, each kernel headed by its name.\n\n```\n{source}```\n",
         "optimized HLO -> LLVM IR of its CPU kernels (runs made with the llvm_ir level)"},
    Task{"python-to-asm", 1, "/python", TextKind::kPython, "/asm", TextKind::kAsm,
         "Compile the JAX function `{entry}` for the arguments {args} with XLA's CPU backend: "
         "write the x86-64 assembly of its kernels, each kernel headed by its name.\n\n"
         "```python\n{source}```\n",
         "JAX Python -> x86-64 assembly of its CPU kernels (runs made with the asm level)"},
    Task{"optimized-hlo-to-ptx", 1, "/gpu/optimized_hlo", TextKind::kHlo, "/gpu/ptx",
         TextKind::kPtx,
         "Write the PTX that XLA's GPU backend generates for {gpu_target} from this optimized "
         "HLO module, each kernel headed by its name.\n\n```\n{source}```\n",
         "GPU optimized HLO -> PTX (runs made with --gpu-target)"},
};

// obj[key] when obj is an object whose field is a string, else `fallback`.
std::string StringOr(const json& obj, const char* key, std::string_view fallback) {
  if (!obj.is_object()) return std::string(fallback);
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}

// "x: float32[4,8], y: int32[]"
std::string ArgList(const json& args) {
  std::string out;
  if (!args.is_array()) return out;
  for (const json& a : args) {
    if (!a.is_object()) continue;
    if (!out.empty()) out += ", ";
    std::string dims;
    const auto shape = a.find("shape");
    if (shape != a.end() && shape->is_array()) {
      for (const json& d : *shape) {
        if (!dims.empty()) dims += ',';
        dims += d.dump();
      }
    }
    out += fmt::format("{}: {}[{}]", StringOr(a, "name", "?"), StringOr(a, "dtype", "?"), dims);
  }
  return out;
}

// The field at `pointer`, or nullptr when the record has none (null counts as none).
const json* FieldAt(const json& record, std::string_view pointer) {
  const json::json_pointer p{std::string(pointer)};
  if (!record.contains(p)) return nullptr;
  const json& value = record.at(p);
  return value.is_null() ? nullptr : &value;
}

std::string IdOf(const json& record) { return StringOr(record, "id", "?"); }

// The record's text at `pointer`; the cost object is written as compact JSON.
Result<std::string> TextAt(const json& record, const Task& task, std::string_view pointer,
                           TextKind kind) {
  const json* value = FieldAt(record, pointer);
  if (value == nullptr) {
    return InvalidArgument(fmt::format(
        "record {} has no '{}' field, which task {} needs: the run was made without that level",
        IdOf(record), pointer.substr(1), task.name));
  }
  if (kind == TextKind::kCostJson && value->is_object()) {
    // In the schema's order (the prompt's), whatever order the record was parsed into.
    nlohmann::ordered_json cost = nlohmann::ordered_json::object();
    for (const char* key : {"flops", "bytes_accessed", "transcendentals"}) {
      if (value->contains(key)) cost[key] = value->at(key);
    }
    return cost.dump();
  }
  if (!value->is_string()) {
    return InvalidArgument(
        fmt::format("record {}: '{}' is not a string", IdOf(record), pointer.substr(1)));
  }
  return value->get<std::string>();
}

}  // namespace

std::string_view TextKindName(TextKind kind) {
  switch (kind) {
    case TextKind::kPython: return "python";
    case TextKind::kStableHlo: return "stablehlo";
    case TextKind::kHlo: return "hlo";
    case TextKind::kLlvmIr: return "llvm_ir";
    case TextKind::kAsm: return "asm";
    case TextKind::kPtx: return "ptx";
    case TextKind::kCostJson: return "cost_json";
  }
  return "?";
}

std::string_view SkipName(Skip skip) {
  switch (skip) {
    case Skip::kNone: return "none";
    case Skip::kNoBackward: return "no_backward";
    case Skip::kEmptySource: return "empty_source";
    case Skip::kEmptyTarget: return "empty_target";
  }
  return "?";
}

std::span<const Task> AllTasks() { return kTasks; }

Result<const Task*> ParseTask(std::string_view name) {
  std::string names;
  for (const Task& t : kTasks) {
    if (t.name == name) return &t;
    if (!names.empty()) names += ", ";
    names += t.name;
  }
  return InvalidArgument(fmt::format("--task '{}' is not a task; choose one of {}", name, names));
}

std::string TemplateId(const Task& task) { return fmt::format("{}/v{}", task.name, task.version); }

Result<Outcome> MakeExample(const Task& task, const json& record) {
  Outcome o;
  // The backward pass is absent by design for some records (nothing differentiable): skipped,
  // unlike a level the whole run lacks.
  if (task.target.starts_with("/grad/") &&
      (!record.is_object() || !record.contains("grad") || record.at("grad").is_null())) {
    if (!record.is_object() || !record.contains("grad")) {
      return InvalidArgument(
          fmt::format("record {} has no 'grad' field, which task {} needs", IdOf(record), task.name));
    }
    o.skip = Skip::kNoBackward;
    return o;
  }
  ASSIGN_OR_RETURN(const std::string source,
                   TextAt(record, task, task.source, task.source_kind));
  ASSIGN_OR_RETURN(const std::string target,
                   TextAt(record, task, task.target, task.target_kind));
  if (source.empty() || target.empty()) {
    o.skip = source.empty() ? Skip::kEmptySource : Skip::kEmptyTarget;
    return o;
  }
  const json* gpu_target = FieldAt(record, "/gpu/target");
  const json* grad_args = FieldAt(record, "/grad/args");
  const std::string entry = StringOr(record, "entry", "");
  const json* record_args = FieldAt(record, "/args");
  const std::string args = record_args ? ArgList(*record_args) : std::string();
  const std::string backward_args = grad_args ? ArgList(*grad_args) : std::string();
  const std::string gpu = gpu_target && gpu_target->is_string() ? gpu_target->get<std::string>()
                                                                 : std::string("the GPU");
  const std::string ending = source.ends_with('\n') ? "" : "\n";
  o.example.id = IdOf(record);
  o.example.prompt = fmt::format(fmt::runtime(task.prompt_template), fmt::arg("source", source + ending),
                                 fmt::arg("entry", entry), fmt::arg("args", args),
                                 fmt::arg("grad_args", backward_args), fmt::arg("gpu_target", gpu));
  o.example.completion = target;
  return o;
}

uint64_t ExampleTokens(const Example& example) {
  return post::ApproxTokens(example.prompt) + post::ApproxTokens(example.completion);
}

}  // namespace jitsynth::tasks
