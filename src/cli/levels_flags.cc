// --levels and --gpu-target, shared by generate and extract.
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <string>

#include "cli/commands.h"
#include "store/levels.h"

extern char** environ;

namespace jitsynth::cli {
namespace {

// Whether `python` finds XLA's CUDA plugin: a module lookup, without importing JAX. Without any
// plugin there is no `jax_plugins` package either, and find_spec raises rather than return None.
bool HasCudaPlugin(const std::string& python) {
  const char* code =
      "import importlib.util, sys\n"
      "try:\n"
      "    found = importlib.util.find_spec('jax_plugins.xla_cuda12') is not None\n"
      "except ModuleNotFoundError:\n"
      "    found = False\n"
      "sys.exit(0 if found else 3)\n";
  std::string interpreter = python;
  std::string dash_c = "-c";
  std::string source = code;
  char* argv[] = {interpreter.data(), dash_c.data(), source.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, python.c_str(), nullptr, nullptr, argv, environ) != 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

void AddLevelFlags(CLI::App& cmd, LevelFlags& flags) {
  cmd.add_option(
      "--levels", flags.levels,
      fmt::format("comma-separated IR levels to capture, of {} (default {}). jaxpr, stablehlo, "
                  "hlo and optimized_hlo of both passes are always captured; grad.X are the "
                  "backward's; grad.gpu adds the backward's GPU levels to --gpu-target's",
                  fmt::join(store::kLevelNames, ","), store::kDefaultLevels));
  cmd.add_option("--gpu-target", flags.gpu_target,
                 fmt::format("also compile for this NVIDIA GPU, without one, and capture its "
                             "optimized HLO, LLVM IR and PTX (record field gpu): {}; needs the "
                             "CUDA plugin (scripts/bootstrap --with-cuda)",
                             fmt::join(engine::kGpuTargets, ", ")));
}

Result<engine::LevelChoice> ParseLevelFlags(const LevelFlags& flags, const std::string& python) {
  engine::LevelChoice choice;
  ASSIGN_OR_RETURN(choice.levels,
                   store::ParseLevels(flags.levels.empty() ? store::kDefaultLevels : flags.levels));
  choice.gpu_target = flags.gpu_target;
  if (choice.gpu_target.empty()) {
    if (choice.levels.Has("grad.gpu")) {
      return InvalidArgument("--levels grad.gpu needs --gpu-target (one of " +
                             fmt::format("{}", fmt::join(engine::kGpuTargets, ", ")) + ")");
    }
    return choice;
  }
  if (std::find(engine::kGpuTargets.begin(), engine::kGpuTargets.end(), choice.gpu_target) ==
      engine::kGpuTargets.end()) {
    return InvalidArgument(fmt::format("--gpu-target: unknown target '{}'; the known ones are {}",
                                       choice.gpu_target, fmt::join(engine::kGpuTargets, ", ")));
  }
  if (!HasCudaPlugin(python)) {
    return InvalidArgument(fmt::format(
        "--gpu-target {}: {} lacks XLA's CUDA plugin (jax-cuda12-plugin); install it with "
        "scripts/bootstrap --with-cuda",
        choice.gpu_target, python));
  }
  return choice;
}

}  // namespace jitsynth::cli
