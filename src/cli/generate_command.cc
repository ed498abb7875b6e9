#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string_view>
#include <thread>

#include "cli/commands.h"
#include "cli/ray_launch.h"
#include "cli/signals.h"
#include "driver/resources.h"
#include "engine/generate.h"

namespace jitsynth::cli {
namespace {

// Test-only fault injection, from $JITSYNTH_TEST_INJECT ("3=crash,7=hang,9=reject"): the
// library takes it as an option; only the CLI reads the environment.
Result<std::map<uint64_t, std::string>> ParseInjections(const char* env) {
  std::map<uint64_t, std::string> out;
  if (env == nullptr) return out;
  std::string_view rest(env);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument("JITSYNTH_TEST_INJECT: expected INDEX=KIND[,INDEX=KIND...]");
    }
    ASSIGN_OR_RETURN(const uint64_t index, ParsePositive("JITSYNTH_TEST_INJECT index",
                                                         item.substr(0, eq), /*allow_zero=*/true));
    out[index] = std::string(item.substr(eq + 1));
  }
  return out;
}

struct GenerateFlags {
  std::string count, seed = "0", out, workers, chunk_size = "1000", timeout = "120",
                     max_requests = "500", max_rss_mib = "4096", max_driver_rss_mib;
  std::string python;
  std::string policy;
  LevelFlags levels;
  std::string compress = "none";
  bool quiet = false;
  bool resume = false;
  std::string chunks;  // --chunks A:B
  std::string ray;     // --ray ADDRESS
  std::string cpus_per_task = "1", ray_retries = "3";
};

// --chunks A:B: chunk numbers, A < B (checked against --count by the engine).
Result<std::optional<store::ChunkRange>> ParseChunks(const std::string& text) {
  if (text.empty()) return std::optional<store::ChunkRange>();
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    return InvalidArgument(fmt::format("--chunks must be A:B (chunks A to B-1), got '{}'", text));
  }
  ASSIGN_OR_RETURN(const uint64_t first, ParsePositive("--chunks' A", text.substr(0, colon),
                                                       /*allow_zero=*/true));
  ASSIGN_OR_RETURN(const uint64_t end, ParsePositive("--chunks' B", text.substr(colon + 1)));
  return std::optional<store::ChunkRange>(store::ChunkRange{first, end});
}

// --workers: at most what the machine holds (cores; workers of ~500 MiB in half the available
// memory). More is capped, with a note saying why, rather than refused: the data are the same
// for any number of workers, and a long run should not fail for an over-generous flag.
Result<int> ParseWorkers(const std::string& text) {
  const driver::WorkerLimit limit = driver::MachineWorkerLimit();
  if (text.empty()) return limit.workers;
  ASSIGN_OR_RETURN(const uint64_t requested, ParsePositive("--workers", text));
  if (requested <= static_cast<uint64_t>(limit.workers)) return static_cast<int>(requested);
  fmt::print(stderr, "jitsynth: note: --workers {} capped to {}: {}\n", text, limit.workers,
             limit.reason);
  return limit.workers;
}

// --max-driver-rss in MiB; by default a quarter of the memory available now (the workers are
// allotted half of it), so that the driver stops with a message long before the kernel would
// kill it.
Result<int64_t> ParseDriverBudget(const std::string& text) {
  if (text.empty()) return std::max<int64_t>(driver::MemAvailableBytes() / 4, 256LL << 20);
  ASSIGN_OR_RETURN(const uint64_t mib, ParsePositive("--max-driver-rss", text));
  return static_cast<int64_t>(std::min<uint64_t>(mib, 1ULL << 30)) << 20;
}

Result<engine::GenerateOptions> ParseGenerateFlags(const GenerateFlags& flags) {
  engine::GenerateOptions o;
  ASSIGN_OR_RETURN(o.count, ParsePositive("--count", flags.count));
  ASSIGN_OR_RETURN(o.seed, ParsePositive("--seed", flags.seed, /*allow_zero=*/true));
  o.out = flags.out;
  if (o.out.empty()) return InvalidArgument("--out must name a directory");
  if (!flags.policy.empty()) {
    ASSIGN_OR_RETURN(o.policy, synth::Policy::Load(flags.policy));
  }
  ASSIGN_OR_RETURN(o.chunk_size, ParsePositive("--chunk-size", flags.chunk_size));
  ASSIGN_OR_RETURN(o.chunks, ParseChunks(flags.chunks));
  ASSIGN_OR_RETURN(o.compression, store::ParseCompression(flags.compress, "--compress"));
  ASSIGN_OR_RETURN(uint64_t timeout, ParsePositive("--timeout", flags.timeout));
  o.timeout = std::chrono::seconds(std::min<uint64_t>(timeout, 1ULL << 30));
  ASSIGN_OR_RETURN(uint64_t max_requests,
                   ParsePositive("--max-requests-per-worker", flags.max_requests));
  o.max_requests_per_worker = static_cast<int>(std::min<uint64_t>(max_requests, 1 << 30));
  ASSIGN_OR_RETURN(uint64_t rss_mib, ParsePositive("--max-worker-rss", flags.max_rss_mib));
  o.max_worker_rss_bytes = static_cast<int64_t>(std::min<uint64_t>(rss_mib, 1 << 30)) << 20;
  ASSIGN_OR_RETURN(o.max_driver_rss_bytes, ParseDriverBudget(flags.max_driver_rss_mib));
  o.resume = flags.resume;
  o.python = flags.python;
  RETURN_IF_ERROR(CheckPython(o.python, "jitsynth_worker"));
  ASSIGN_OR_RETURN(o.levels, ParseLevelFlags(flags.levels, o.python));
  ASSIGN_OR_RETURN(o.workers, ParseWorkers(flags.workers));
  o.progress = !flags.quiet && ::isatty(STDERR_FILENO) != 0;
  ASSIGN_OR_RETURN(o.inject, ParseInjections(std::getenv("JITSYNTH_TEST_INJECT")));
  const char* xla_flags = std::getenv("XLA_FLAGS");
  o.xla_flags = xla_flags != nullptr ? xla_flags : "";
  // A run that cannot wind down in time (a stop, the memory budget) ends here, at once: what
  // is committed is as safe as after a SIGKILL, which --resume is built for.
  o.on_stuck = [](const Status& reason) {
    PrintError(reason);
    std::_Exit(ExitCode(reason));
  };
  return o;
}

// --ray: the checks of a local run (count, seed, chunk size, policy, Python), then the launcher.
Status LaunchRay(const GenerateFlags& flags, const std::vector<std::string>& argv) {
  if (!flags.chunks.empty()) {
    return InvalidArgument("--chunks and --ray: a Ray run spreads every chunk over the cluster; "
                           "drop --chunks (a rerun of the same command does only missing chunks)");
  }
  GenerateFlags local = flags;
  // Checked here, written by the tasks: OUT may be an object-store URI, and --workers is
  // --cpus-per-task on each node.
  if (IsObjectStoreUri(local.out)) local.out = "s3-placeholder";
  local.workers = "1";
  ASSIGN_OR_RETURN(const engine::GenerateOptions o, ParseGenerateFlags(local));
  RayLaunch launch;
  launch.address = flags.ray;
  launch.python = o.python;
  launch.out = flags.out;
  launch.count = o.count;
  launch.seed = o.seed;
  launch.chunk_size = o.chunk_size;
  ASSIGN_OR_RETURN(launch.cpus_per_task, ParsePositive("--cpus-per-task", flags.cpus_per_task));
  ASSIGN_OR_RETURN(launch.max_retries,
                   ParsePositive("--ray-retries", flags.ray_retries, /*allow_zero=*/true));
  launch.policy_path = flags.policy;
  launch.policy_hash = fmt::format("{:016x}", o.policy.Hash());
  launch.cli_flags = {"--timeout=" + flags.timeout,
                      "--max-requests-per-worker=" + flags.max_requests,
                      "--max-worker-rss=" + flags.max_rss_mib};
  launch.command = argv;
  launch.quiet = flags.quiet;
  if (const char* fail = std::getenv("JITSYNTH_TEST_RAY_FAIL_CHUNK"); fail != nullptr) {
    ASSIGN_OR_RETURN(const uint64_t chunk, ParsePositive("JITSYNTH_TEST_RAY_FAIL_CHUNK", fail,
                                                         /*allow_zero=*/true));
    launch.test_fail_chunk = std::to_string(chunk);
  }
  return ExecRayLauncher(launch);
}

Status RunGenerate(const GenerateFlags& flags, const std::vector<std::string>& argv) {
  if (!flags.ray.empty()) return LaunchRay(flags, argv);
  ASSIGN_OR_RETURN(engine::GenerateOptions o, ParseGenerateFlags(flags));
  o.command_line = argv;
  InstallStopHandlers();
  auto summary = engine::Generate(o, StopFlag());
  if (!summary.ok()) {
    if (summary.status().code() == StatusCode::kCancelled) {
      return Status(
          StatusCode::kCancelled,
          fmt::format("interrupted; committed chunks and the manifest in {} are intact", o.out));
    }
    if (summary.status().code() == StatusCode::kIoError) {
      return Status(StatusCode::kIoError,
                    fmt::format("{}; committed chunks in {} are intact: fix the cause (free "
                                "space?) and continue with --resume",
                                summary.status().message(), o.out));
    }
    return summary.status();
  }
  uint64_t failures = 0;
  std::string by_stage;
  for (const auto& [stage, n] : summary->failures) {
    failures += n;
    by_stage += fmt::format(" {}={}", stage, n);
  }
  fmt::print("{} records, {} failures{}{} in {:.1f}s ({:.2f} pairs/s) -> {}\n",
             summary->records, failures, failures > 0 ? " (by stage:" : "",
             failures > 0 ? by_stage + ")" : "", summary->wall_seconds,
             summary->pairs_per_second, o.out);
  return Status::Ok();
}

}  // namespace

void AddGenerate(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  auto flags = std::make_shared<GenerateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Synthesize COUNT programs and write them, with their IR at every level, to OUT.\n"
      "Sample i is a pure function of (seed, i): the same seed gives byte-identical data\n"
      "files for any number of workers.");
  cmd->add_option("--count", flags->count, "number of samples to synthesize (positive integer)")
      ->required();
  cmd->add_option("--seed", flags->seed, "run seed (default 0)");
  cmd->add_option("--out", flags->out,
                  "output directory: new or empty; receives data-NNNNN.jsonl, failures.jsonl, "
                  "manifest.json")
      ->required();
  cmd->add_option("--workers", flags->workers,
                  "JAX worker processes (default and most: the number of cores, and no more "
                  "than fit at ~500 MiB each in half the available memory; never more than "
                  "samples left to do)");
  cmd->add_option("--chunk-size", flags->chunk_size, "sample indices per data file (default 1000)");
  cmd->add_option("--compress", flags->compress,
                  "none (default: data-NNNNN.jsonl) or zstd (data-NNNNN.jsonl.zst, one zstd "
                  "frame per chunk, several times smaller; every jitsynth tool and "
                  "datasets.load_dataset read both)");
  cmd->add_option("--timeout", flags->timeout,
                  "seconds one sample may take before its worker is killed (default 120)");
  cmd->add_option("--max-requests-per-worker", flags->max_requests,
                  "recycle a worker after this many samples, since JAX caches grow (default 500)");
  AddPythonOption(*cmd, flags->python, "jitsynth_worker and JAX");
  cmd->add_option(
      "--policy", flags->policy,
      "generation policy (TOML; any subset of the keys `jitsynth policy --dump` prints)");
  cmd->add_option("--max-worker-rss", flags->max_rss_mib,
                  "recycle a worker whose resident memory exceeds this many MiB (default 4096)");
  cmd->add_option("--max-driver-rss", flags->max_driver_rss_mib,
                  "stop the run, committed chunks intact, if the driver's own resident memory "
                  "exceeds this many MiB (default: a quarter of the available memory)");
  cmd->add_flag("--resume", flags->resume,
                "continue an interrupted run in OUT; give the same --count, --seed, --chunk-size, "
                "policy, --levels, --gpu-target and --compress. The data files come out byte-identical to an uninterrupted run");
  AddLevelFlags(*cmd, flags->levels);
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress line");
  cmd->add_option("--chunks", flags->chunks,
                  "A:B: write only chunks A to B-1 (of --chunk-size indices each), "
                  "byte-identical to those chunks of the whole run; the manifest says the "
                  "directory is a partial run, and --resume continues it with the same --chunks");
  cmd->add_option("--ray", flags->ray,
                  "run on Ray: one task per chunk, each running this CLI on its node. ADDRESS: "
                  "'local' starts a Ray instance here, else a cluster's address ('auto', "
                  "'HOST:6379', 'ray://HOST:10001'). OUT: a path every node sees, or "
                  "s3://BUCKET/PREFIX. The same command again does only the missing chunks");
  cmd->add_option("--cpus-per-task", flags->cpus_per_task,
                  "with --ray: CPUs (and JAX workers) per chunk task (default 1)");
  cmd->add_option("--ray-retries", flags->ray_retries,
                  "with --ray: attempts after the first for a chunk whose node died or whose "
                  "CLI failed (default 3)");
  cmd->footer(
      "Examples:\n"
      "  jitsynth generate --count 200 --seed 7 --out data/run1 --workers 2\n"
      "  jitsynth generate --count 200 --seed 7 --out data/run1 --resume   # after an "
      "interruption\n"
      "  jitsynth policy --dump > policy.toml   # edit, then\n"
      "  jitsynth generate --count 200 --policy policy.toml --out data/run2\n"
      "  jitsynth generate --count 100000 --seed 7 --out /shared/run3 --ray auto   # a Ray "
      "cluster\n"
      "Exit codes: 0 done, 1 engine or I/O failure, 2 bad input, 130/143 interrupted "
      "(SIGINT/SIGTERM;\n"
      "committed chunks stay intact and --resume continues).");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status { return RunGenerate(*flags, argv); };
  });
}

}  // namespace jitsynth::cli
