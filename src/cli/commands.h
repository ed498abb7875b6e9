// One function per subcommand: each registers its options on the app and
// returns the action to run once parsing succeeded.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.h"

namespace jitsynth::cli {

using Action = std::function<Status()>;

// Exit codes: 0 success, 1 failure inside the engine, 2 bad input,
// 130/143 interrupted by SIGINT/SIGTERM.
int ExitCode(const Status& status);

void AddGenerate(CLI::App& app, Action& action, const std::vector<std::string>& argv);
void AddPolicy(CLI::App& app, Action& action);
void AddSample(CLI::App& app, Action& action);
void AddOps(CLI::App& app, Action& action);

// Parses a positive integer flag value with a message naming the flag.
Result<uint64_t> ParsePositive(std::string_view flag, std::string_view text, bool allow_zero = false);

// Set by the SIGINT/SIGTERM handler.
int LastSignal();

}  // namespace jitsynth::cli
