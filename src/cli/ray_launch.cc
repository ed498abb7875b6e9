#include "cli/ray_launch.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace jitsynth::cli {
namespace fs = std::filesystem;

bool IsObjectStoreUri(const std::string& out) { return out.rfind("s3://", 0) == 0; }

Status ExecRayLauncher(const RayLaunch& launch) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return FailedPrecondition("cannot find the jitsynth executable (/proc/self/exe)");
  // Nodes run with other working directories: every path they get is absolute.
  const std::string out = IsObjectStoreUri(launch.out) ? launch.out
                                                       : fs::absolute(launch.out).string();
  std::vector<std::string> args = {
      launch.python,
      "-m",
      "jitsynth_cluster",
      "--address=" + launch.address,
      "--out=" + out,
      fmt::format("--count={}", launch.count),
      fmt::format("--seed={}", launch.seed),
      fmt::format("--chunk-size={}", launch.chunk_size),
      fmt::format("--cpus-per-task={}", launch.cpus_per_task),
      fmt::format("--max-retries={}", launch.max_retries),
      "--policy-hash=" + launch.policy_hash,
      "--cli=" + self.string(),
      "--python=" + launch.python,
      "--command-json=" + nlohmann::json(launch.command).dump(),
  };
  if (!launch.policy_path.empty()) {
    args.push_back("--policy=" + fs::absolute(launch.policy_path).string());
  }
  if (launch.quiet) args.emplace_back("--quiet");
  if (!launch.test_fail_chunk.empty()) args.push_back("--test-fail-chunk=" + launch.test_fail_chunk);
  for (const std::string& flag : launch.cli_flags) args.push_back("--cli-flag=" + flag);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(launch.python.c_str(), argv.data());
  return FailedPrecondition(
      fmt::format("cannot run the Ray launcher with {}: {}", launch.python, std::strerror(errno)));
}

}  // namespace jitsynth::cli
