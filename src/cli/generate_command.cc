#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.h"
#include "dataset/generate.h"

namespace jitsynth::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

void OnSignal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

std::string DefaultPython() {
  if (const char* env = std::getenv("JITSYNTH_PYTHON"); env != nullptr && *env != '\0') return env;
  return JITSYNTH_DEFAULT_PYTHON;
}

}  // namespace

int LastSignal() { return g_signal.load(); }

void AddGenerate(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    std::string count, seed = "0", out, workers, chunk_size = "1000", timeout = "120",
                       max_requests = "500";
    std::string python = DefaultPython();
    std::string policy;
    bool quiet = false;
  };
  auto flags = std::make_shared<Flags>();
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
                  "JAX worker processes (default: the number of cores)");
  cmd->add_option("--chunk-size", flags->chunk_size, "sample indices per data file (default 1000)");
  cmd->add_option("--timeout", flags->timeout,
                  "seconds one sample may take before its worker is killed (default 120)");
  cmd->add_option("--max-requests-per-worker", flags->max_requests,
                  "recycle a worker after this many samples, since JAX caches grow (default 500)");
  cmd->add_option("--python", flags->python,
                  "Python interpreter with jitsynth_worker and JAX installed (default: "
                  "$JITSYNTH_PYTHON, else the project's .venv)");
  cmd->add_option("--policy", flags->policy,
                  "generation policy (TOML; any subset of the keys `jitsynth policy --dump` prints)");
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress line");
  cmd->footer(
      "Examples:\n  jitsynth generate --count 200 --seed 7 --out data/run1 --workers 2\n"
      "  jitsynth policy --dump > policy.toml   # edit, then\n"
      "  jitsynth generate --count 200 --policy policy.toml --out data/run2");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      dataset::GenerateOptions o;
      ASSIGN_OR_RETURN(o.count, ParsePositive("--count", flags->count));
      ASSIGN_OR_RETURN(o.seed, ParsePositive("--seed", flags->seed, /*allow_zero=*/true));
      o.out = flags->out;
      if (o.out.empty()) return InvalidArgument("--out must name a directory");
      if (!flags->policy.empty()) {
        ASSIGN_OR_RETURN(o.policy, synth::Policy::Load(flags->policy));
      }
      if (flags->workers.empty()) {
        o.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      } else {
        ASSIGN_OR_RETURN(uint64_t w, ParsePositive("--workers", flags->workers));
        if (w > 1024) return InvalidArgument("--workers must be at most 1024");
        o.workers = static_cast<int>(w);
      }
      ASSIGN_OR_RETURN(o.chunk_size, ParsePositive("--chunk-size", flags->chunk_size));
      ASSIGN_OR_RETURN(uint64_t timeout, ParsePositive("--timeout", flags->timeout));
      o.timeout = std::chrono::seconds(timeout);
      ASSIGN_OR_RETURN(uint64_t max_requests,
                       ParsePositive("--max-requests-per-worker", flags->max_requests));
      o.max_requests_per_worker = static_cast<int>(std::min<uint64_t>(max_requests, 1 << 30));
      o.python = flags->python;
      if (::access(o.python.c_str(), X_OK) != 0) {
        return InvalidArgument(fmt::format(
            "--python {}: no such executable; run scripts/bootstrap to create .venv, or point "
            "--python (or JITSYNTH_PYTHON) at an interpreter with jitsynth_worker installed",
            o.python));
      }
      o.progress = !flags->quiet && ::isatty(STDERR_FILENO) != 0;
      o.command_line = argv;
      std::signal(SIGINT, OnSignal);
      std::signal(SIGTERM, OnSignal);
      auto summary = dataset::Generate(o, &g_stop);
      if (!summary.ok()) {
        if (summary.status().code() == StatusCode::kCancelled) {
          return Status(StatusCode::kCancelled,
                        fmt::format("interrupted; committed chunks and the manifest in {} are intact",
                                    o.out));
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
    };
  });
}

}  // namespace jitsynth::cli
