// One function per subcommand: each registers its options on the app and
// returns the action to run once parsing succeeded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.h"
#include "curate/clusters.h"
#include "engine/request.h"
#include "store/manifest.h"

namespace jitsynth::cli {

using Action = std::function<Status()>;

// Exit codes: 0 success, 1 failure inside the engine, 2 bad input,
// 130/143 interrupted by SIGINT/SIGTERM.
int ExitCode(const Status& status);

// Prints "jitsynth: MESSAGE" on stderr as one line: line breaks and other control characters
// of the message (a path may hold them) are escaped.
void PrintError(const Status& status);

void AddGenerate(CLI::App& app, Action& action, const std::vector<std::string>& argv);
void AddPolicy(CLI::App& app, Action& action);
void AddStats(CLI::App& app, Action& action);
void AddExport(CLI::App& app, Action& action);
void AddExtract(CLI::App& app, Action& action);

// Adds the positional IN, a jitsynth output directory that the command only reads.
void AddRunInput(CLI::App& cmd, std::string& in);

// Adds --python to `cmd`, defaulting to $JITSYNTH_PYTHON, else the interpreter compiled in
// (JITSYNTH_DEFAULT_PYTHON: the project's .venv). `needs` says what it must have installed.
void AddPythonOption(CLI::App& cmd, std::string& python, std::string_view needs);
// kInvalidArgument naming the fix when `python` is not an executable file.
Status CheckPython(const std::string& python, std::string_view package);
void AddDedup(CLI::App& app, Action& action, const std::vector<std::string>& argv);
void AddSplit(CLI::App& app, Action& action, const std::vector<std::string>& argv);
void AddSample(CLI::App& app, Action& action);
void AddOps(CLI::App& app, Action& action);
void AddTasks(CLI::App& app, Action& action, const std::vector<std::string>& argv);
void AddImport(CLI::App& app, Action& action, const std::vector<std::string>& argv);

// --levels and --gpu-target (levels_flags.cc), shared by generate and extract.
struct LevelFlags {
  std::string levels;
  std::string gpu_target;
};
void AddLevelFlags(CLI::App& cmd, LevelFlags& flags);
// kInvalidArgument (exit 2) for an unknown level or target, a grad.gpu without --gpu-target, or
// a --gpu-target whose CUDA plugin `python` lacks (naming scripts/bootstrap --with-cuda).
Result<engine::LevelChoice> ParseLevelFlags(const LevelFlags& flags, const std::string& python);
void AddEval(CLI::App& app, Action& action, const std::vector<std::string>& argv);

// Parses a positive integer flag value with a message naming the flag.
Result<uint64_t> ParsePositive(std::string_view flag, std::string_view text, bool allow_zero = false);

// What the tools that derive runs from a run (dedup, split) share: the run
// they read (IN), the directory they write (--out), the near-duplicate search.
struct DeriveFlags {
  std::string in, out, threshold = "0.9";
  std::vector<std::string> inputs;  // IN... where the command takes several runs (dedup)
  bool no_near = false;
  std::string compress;  // empty: as the input's
};
void AddDeriveFlags(CLI::App& cmd, DeriveFlags& flags, const std::string& out_help,
                    bool several_inputs = false);
// Checks --out and --threshold (a number in (0, 1]).
Result<curate::NearOptions> ParseDeriveFlags(const DeriveFlags& flags);
// --compress of a derived run: none, zstd, or (not given) nullopt, the input's.
Result<std::optional<store::Compression>> ParseDeriveCompression(const DeriveFlags& flags);

}  // namespace jitsynth::cli
