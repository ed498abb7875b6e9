#include "engine/extract.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "driver/protocol.h"
#include "driver/worker.h"
#include "engine/request.h"
#include "ir/program.h"

namespace jitsynth::engine {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSpecHelp =
    "expected DTYPE[DIMS] such as f32[16,8], s32[], pred[4] or float32[8]";

bool IsIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])) != 0) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

Result<std::string> ReadSource(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return InvalidArgument(fmt::format("{}: no such file", file.string()));
  if (fs::is_directory(file, ec)) {
    return InvalidArgument(fmt::format("{}: is a directory, not a Python file", file.string()));
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return InvalidArgument(fmt::format("{}: cannot be read", file.string()));
  std::string source = std::move(text).str();
  try {
    (void)nlohmann::json(source).dump();  // the worker protocol is JSON: UTF-8 only
  } catch (const nlohmann::json::exception&) {
    return InvalidArgument(fmt::format("{}: is not UTF-8 text", file.string()));
  }
  return source;
}

// The names of the arguments: FUNC's positional parameters, in order. The count of specs must
// cover the parameters without a default and not exceed the positional ones.
Result<std::vector<std::string>> ArgumentNames(const std::vector<driver::Parameter>& parameters,
                                               std::string_view target, std::string_view func,
                                               size_t given) {
  std::vector<std::string> positional;
  std::vector<std::string> shown;
  size_t required = 0;
  for (const driver::Parameter& p : parameters) {
    const std::string& name = p.name;
    const std::string& kind = p.kind;
    const bool has_default = p.has_default;
    shown.push_back(name);
    if (kind == "POSITIONAL_ONLY" || kind == "POSITIONAL_OR_KEYWORD") {
      positional.push_back(name);
      if (!has_default) required = positional.size();
    } else if (kind == "VAR_POSITIONAL") {
      return InvalidArgument(fmt::format(
          "{}: {} takes *{}; extract names each array argument after a parameter, so give it "
          "one parameter per array",
          target, func, name));
    } else if (kind == "KEYWORD_ONLY" && !has_default) {
      return InvalidArgument(fmt::format(
          "{}: {} has the keyword-only parameter {} without a default; extract passes arrays "
          "positionally",
          target, func, name));
    }
  }
  if (given < required || given > positional.size()) {
    const std::string takes = required == positional.size()
                                  ? fmt::format("{}", required)
                                  : fmt::format("{} to {}", required, positional.size());
    return InvalidArgument(fmt::format("{}: {}({}) takes {} array argument{} but {} --arg {} given",
                                       target, func, fmt::join(shown, ", "), takes,
                                       positional.size() == 1 ? "" : "s", given,
                                       given == 1 ? "was" : "were"));
  }
  positional.resize(given);
  return positional;
}

// A failed worker reply as a Status: the function's own faults are bad input (exit 2).
Status ReplyFailure(const driver::ReplyError& reply, std::string_view target) {
  const std::string& stage = reply.stage;
  const std::string error =
      fmt::format("{}: {}", reply.error_type.empty() ? "Error" : reply.error_type, reply.message);
  if (stage == "trace" || stage == "lower") {
    return InvalidArgument(fmt::format("{}: JAX cannot {} it: {}", target, stage, error));
  }
  if (stage == "grad") {
    return InvalidArgument(fmt::format(
        "{}: JAX cannot build its backward pass: {} (--no-grad extracts the forward pass alone)",
        target, error));
  }
  return Internal(fmt::format("{}: the worker failed at stage {}: {}", target, stage, error));
}

std::string RecordIdOf(std::string_view source, std::string_view func,
                       const std::vector<ir::Var>& args, bool grad) {
  std::string key = fmt::format("{}\n{}\n{}\n", source, func, grad ? "grad" : "no-grad");
  for (const ir::Var& v : args) key += v.type.ToString() + "\n";
  return fmt::format("extract-{:016x}", XXH64(key.data(), key.size(), 0));
}

}  // namespace

Result<ir::TensorType> ParseArgSpec(std::string_view spec) {
  const auto bad = [&](std::string_view why) {
    return InvalidArgument(fmt::format("--arg '{}': {}; {}", spec, why, kSpecHelp));
  };
  const size_t open = spec.find('[');
  if (open == std::string_view::npos || spec.empty() || spec.back() != ']') {
    return bad("no [DIMS]");
  }
  const std::string_view dtype_name = spec.substr(0, open);
  const std::optional<ir::DType> dtype = ir::ParseDType(dtype_name);
  if (!dtype) return bad(fmt::format("unknown dtype '{}'", dtype_name));
  ir::TensorType type{*dtype, {}};
  std::string_view dims = spec.substr(open + 1, spec.size() - open - 2);
  while (!dims.empty()) {
    const size_t comma = dims.find(',');
    std::string_view dim = dims.substr(0, comma);
    while (!dim.empty() && dim.front() == ' ') dim.remove_prefix(1);
    while (!dim.empty() && dim.back() == ' ') dim.remove_suffix(1);
    if (dim.empty() || dim.size() > 12 || !std::all_of(dim.begin(), dim.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return bad(fmt::format("dimension '{}' is not a non-negative integer", dim));
    }
    type.shape.push_back(std::stoll(std::string(dim)));
    if (comma == std::string_view::npos) break;
    dims.remove_prefix(comma + 1);
    if (dims.empty()) return bad("a trailing comma");
  }
  return type;
}

Result<store::Json> Extract(const ExtractOptions& options) {
  const size_t colon = options.target.rfind(':');
  if (colon == std::string::npos) {
    return InvalidArgument(fmt::format(
        "'{}': expected FILE.py:FUNC, the file and the function to extract", options.target));
  }
  const fs::path file = options.target.substr(0, colon);
  const std::string func = options.target.substr(colon + 1);
  if (!IsIdentifier(func)) {
    return InvalidArgument(fmt::format(
        "'{}': '{}' is not a Python function name; expected FILE.py:FUNC", options.target, func));
  }
  std::vector<ir::TensorType> types;
  for (const std::string& spec : options.args) {
    ASSIGN_OR_RETURN(ir::TensorType type, ParseArgSpec(spec));
    types.push_back(std::move(type));
  }
  ASSIGN_OR_RETURN(const std::string source, ReadSource(file));

  driver::WorkerOptions worker_options;
  worker_options.python = options.python;
  worker_options.timeout = options.timeout;
  worker_options.extra_env.emplace_back("XLA_FLAGS",
                                        WorkerXlaFlags(options.xla_flags, options.levels));
  ASSIGN_OR_RETURN(std::unique_ptr<driver::Worker> worker, driver::Worker::Start(worker_options));

  driver::InspectRequest inspect{
      .id = 0, .python = source, .entry = func, .filename = file.string()};
  ASSIGN_OR_RETURN(const nlohmann::json inspect_raw, worker->Call(inspect.ToJson()));
  ASSIGN_OR_RETURN(const driver::InspectReply inspected,
                   driver::InspectReply::FromJson(inspect_raw));
  if (!inspected.ok) {
    // The module did not run (a syntax error, an import that failed) or lacks the function.
    return InvalidArgument(
        fmt::format("{}: {}: {}", options.target,
                    inspected.error.error_type.empty() ? "Error" : inspected.error.error_type,
                    inspected.error.message));
  }
  ASSIGN_OR_RETURN(const std::vector<std::string> names,
                   ArgumentNames(inspected.parameters, options.target, func, types.size()));

  std::vector<ir::Var> args;
  driver::CompileRequest request{.id = 0, .python = source, .entry = func};
  for (size_t i = 0; i < types.size(); ++i) {
    args.push_back({names[i], types[i], {}});
    request.args.push_back(
        {names[i], types[i].shape, std::string(ir::NumpyName(types[i].dtype)), {}, {}});
    request.x64 = request.x64 || ir::ByteSize(types[i].dtype) == 8;  // float64 needs x64
  }
  request.grad = options.grad;
  request.execute = false;  // a user's function need not be finite on random inputs
  request.levels = options.levels.levels.Optional();
  request.gpu_target = options.levels.gpu_target;
  ASSIGN_OR_RETURN(const nlohmann::json raw, worker->Call(request.ToJson()));
  ASSIGN_OR_RETURN(driver::CompileReply reply, driver::CompileReply::FromJson(raw));
  if (!reply.ok) return ReplyFailure(reply.error, options.target);
  if (reply.outputs.empty()) {
    return InvalidArgument(
        fmt::format("{}: returns no array; there is nothing to compile", options.target));
  }
  // Seed and index 0: nothing random made this record.
  store::Record record;
  record.id = RecordIdOf(source, func, args, options.grad);
  record.category = "extracted";
  record.entry = func;
  record.python = source;
  record.args = ArgSpecs(args);
  record.x64 = request.x64;
  const store::Provenance provenance =
      driver::MakeProvenance(driver::Versions::FromJson(worker->versions()),
                             WorkerXlaFlags(options.xla_flags, options.levels), "");
  return CompleteRecord(std::move(record), std::move(reply), provenance).ToJson();
}

}  // namespace jitsynth::engine
