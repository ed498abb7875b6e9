#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/signals.h"

namespace jitsynth::cli {

int ExitCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kParseError:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists: return 2;
    case StatusCode::kCancelled: return LastSignal() == SIGTERM ? 143 : 130;
    case StatusCode::kIoError:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kTimeout:
    case StatusCode::kCrashed:
    case StatusCode::kInternal: return 1;
  }
  return 1;  // not reached: the switch lists every code
}

void PrintError(const Status& status) {
  std::string line;
  for (const char c : status.message()) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\n') line += "\\n";
    else if (byte < 0x20 || byte == 0x7f) line += fmt::format("\\x{:02x}", byte);
    else line += c;
  }
  fmt::print(stderr, "jitsynth: {}\n", line);
}

void AddRunInput(CLI::App& cmd, std::string& in) {
  cmd.add_option("IN", in, "a jitsynth output directory (written by generate); only read")
      ->required();
}

void AddPythonOption(CLI::App& cmd, std::string& python, std::string_view needs) {
  const char* env = std::getenv("JITSYNTH_PYTHON");
  python = env != nullptr && *env != '\0' ? env : JITSYNTH_DEFAULT_PYTHON;
  cmd.add_option("--python", python,
                 fmt::format("Python interpreter with {} installed (default: $JITSYNTH_PYTHON, "
                             "else the project's .venv)",
                             needs));
}

Status CheckPython(const std::string& python, std::string_view package) {
  if (::access(python.c_str(), X_OK) == 0) return Status::Ok();
  return InvalidArgument(fmt::format(
      "--python {}: no such executable; run scripts/bootstrap to create .venv, or point "
      "--python (or JITSYNTH_PYTHON) at an interpreter with {} installed",
      python, package));
}

Result<uint64_t> ParsePositive(std::string_view flag, std::string_view text, bool allow_zero) {
  uint64_t value = 0;
  bool ok = !text.empty() && text.size() <= 19;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    else value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!ok || (!allow_zero && value == 0)) {
    return InvalidArgument(fmt::format("{} must be a {} integer, got '{}'", flag,
                                       allow_zero ? "non-negative" : "positive", text));
  }
  return value;
}

void AddDeriveFlags(CLI::App& cmd, DeriveFlags& flags, const std::string& out_help,
                    bool several_inputs) {
  if (several_inputs) {
    cmd.add_option("IN", flags.inputs,
                   "one or more jitsynth output directories (of generate, dedup, split or import)")
        ->required();
  } else {
    cmd.add_option("IN", flags.in, "a jitsynth output directory (of generate, dedup or split)")
        ->required();
  }
  cmd.add_option("--out", flags.out, out_help)->required();
  cmd.add_option("--threshold", flags.threshold,
                 "near-duplicates: estimated Jaccard similarity of shingles at which two "
                 "records count as one program, in (0, 1] (default 0.9)");
  cmd.add_flag("--no-near", flags.no_near, "exact duplicates only: no MinHash/LSH search");
  cmd.add_option("--compress", flags.compress,
                 "none or zstd: how the output's chunks are stored (default: as IN's)");
}

Result<std::optional<store::Compression>> ParseDeriveCompression(const DeriveFlags& flags) {
  if (flags.compress.empty()) return std::optional<store::Compression>();
  ASSIGN_OR_RETURN(const store::Compression c,
                   store::ParseCompression(flags.compress, "--compress"));
  return std::optional<store::Compression>(c);
}

Result<curate::NearOptions> ParseDeriveFlags(const DeriveFlags& flags) {
  if (flags.out.empty()) return InvalidArgument("--out must name a directory");
  const std::string_view text = flags.threshold;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(value > 0) ||
      value > 1) {
    return InvalidArgument(
        fmt::format("--threshold must be a number in (0, 1] such as 0.9, got '{}'", text));
  }
  return curate::NearOptions{!flags.no_near, value};
}

}  // namespace jitsynth::cli

int main(int argc, char** argv) {
  using jitsynth::cli::Action;
  std::vector<std::string> args(argv, argv + argc);
  CLI::App app{
      "jitsynth: synthesize JAX programs and capture what JAX and XLA compile them to\n"
      "(jaxpr, StableHLO, HLO, optimized HLO; forward and backward), as datasets."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("jitsynth ") + JITSYNTH_VERSION);
  app.footer(
      "Examples:\n"
      "  jitsynth generate --count 200 --seed 7 --out data/run1\n"
      "  jitsynth dedup data/run1 --out data/run1-dedup\n"
      "  jitsynth split data/run1-dedup --out data/run1-split --ratios 0.8,0.1,0.1\n"
      "  jitsynth policy --dump > policy.toml\n"
      "  jitsynth stats data/run1 --out data/run1-card\n"
      "  jitsynth export data/run1 --format parquet --out run1.parquet\n"
      "  jitsynth extract examples/saxpy.py:saxpy --arg 'f32[]' --arg 'f32[1024]' --arg 'f32[1024]'\n"
      "  jitsynth generate --count 200 --policy policy.toml --out data/run2\n"
      "  jitsynth sample --count 3 --family loop\n"
      "  jitsynth ops\n"
      "  jitsynth tasks data/run1-split/train --task python-to-stablehlo --out train.jsonl\n"
      "  jitsynth import records.jsonl --out data/imported\n"
      "  jitsynth eval data/split/test --task python-to-stablehlo --predictions oracle --out report\n"
      "Run 'jitsynth COMMAND --help' for a command's options.");
  Action action;
  jitsynth::cli::AddGenerate(app, action, args);
  jitsynth::cli::AddPolicy(app, action);
  jitsynth::cli::AddStats(app, action);
  jitsynth::cli::AddExport(app, action);
  jitsynth::cli::AddExtract(app, action);
  jitsynth::cli::AddDedup(app, action, args);
  jitsynth::cli::AddSplit(app, action, args);
  jitsynth::cli::AddSample(app, action);
  jitsynth::cli::AddOps(app, action);
  jitsynth::cli::AddTasks(app, action, args);
  jitsynth::cli::AddImport(app, action, args);
  jitsynth::cli::AddEval(app, action, args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    jitsynth::cli::PrintError(jitsynth::InvalidArgument(
        fmt::format("{}; run 'jitsynth --help' for usage", e.what())));
    return 2;
  }
  const jitsynth::Status status = action();
  if (!status.ok()) jitsynth::cli::PrintError(status);
  return jitsynth::cli::ExitCode(status);
}
