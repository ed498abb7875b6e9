#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"

namespace jitsynth::cli {

int ExitCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kParseError:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists: return 2;
    case StatusCode::kCancelled: return LastSignal() == SIGTERM ? 143 : 130;
    default: return 1;
  }
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
      "  jitsynth policy --dump > policy.toml\n"
      "  jitsynth generate --count 200 --policy policy.toml --out data/run2\n"
      "  jitsynth sample --count 3 --family loop\n"
      "  jitsynth ops\n"
      "Run 'jitsynth COMMAND --help' for a command's options.");
  Action action;
  jitsynth::cli::AddGenerate(app, action, args);
  jitsynth::cli::AddPolicy(app, action);
  jitsynth::cli::AddSample(app, action);
  jitsynth::cli::AddOps(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "jitsynth: {}; run 'jitsynth --help' for usage\n", e.what());
    return 2;
  }
  const jitsynth::Status status = action();
  if (!status.ok()) fmt::print(stderr, "jitsynth: {}\n", status.message());
  return jitsynth::cli::ExitCode(status);
}
