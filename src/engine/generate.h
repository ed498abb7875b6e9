// `jitsynth generate`: synthesize programs, compile them through the worker
// pool, write the output directory (data chunks, failures, manifest).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/manifest.h"
#include "engine/request.h"
#include "synth/policy.h"

namespace jitsynth::engine {

struct GenerateOptions {
  uint64_t count = 0;
  uint64_t seed = 0;
  std::string out;
  int workers = 1;  // at most; never more than there are samples left to do
  uint64_t chunk_size = 1000;
  // --chunks A:B: write only chunks A..B-1 (indices [A*chunk_size, min(B*chunk_size, count))),
  // byte-identical to those chunks of the whole run; the manifest says it is a partial run.
  std::optional<store::ChunkRange> chunks;
  // How chunks are stored (--compress): plain JSONL or zstd frames (data-NNNNN.jsonl.zst).
  store::Compression compression = store::Compression::kNone;
  std::string python;  // interpreter that runs jitsynth_worker
  std::chrono::milliseconds timeout{120000};
  int max_requests_per_worker = 500;
  int64_t max_worker_rss_bytes = 4LL << 30;
  // The driver's own resident memory may not exceed this (0: no limit): over it, the run stops
  // with kFailedPrecondition, committed chunks intact, instead of growing until the kernel kills
  // it. Looked at every 50 ms.
  int64_t max_driver_rss_bytes = 0;
  // Called from a watchdog thread when the run has not ended 3.5 s after a stop was asked for
  // (by `stop` or the memory budget), with the reason: it should end the process (the CLI
  // prints the reason and calls _exit). Empty: the run waits for as long as it takes.
  std::function<void(const Status&)> on_stuck;
  // Continue the run in `out` (same seed, count, chunk size and policy).
  bool resume = false;
  bool progress = false;  // a progress line on stderr
  std::vector<std::string> command_line;
  synth::Policy policy = synth::Policy::Default();
  // What the workers' XLA_FLAGS hold, for provenance (the library reads no environment).
  std::string xla_flags;
  // --levels and --gpu-target; recorded in the manifest, and a resume must ask the same.
  LevelChoice levels = DefaultLevelChoice();
  // Test-only fault injection, by index: "crash", "hang" or "abort" ask the worker's test hooks
  // to die or hang on that index; "reject" replaces the program by one JAX refuses to trace;
  // "bloat" makes the driver allocate without end while it generates that index.
  std::map<uint64_t, std::string> inject;
};

struct GenerateSummary {
  uint64_t records = 0;
  std::map<std::string, uint64_t> failures;  // by stage
  double wall_seconds = 0;
  double pairs_per_second = 0;
};

// Runs a whole generation. `stop` (set by SIGINT/SIGTERM) ends it early with
// kCancelled after committed chunks and the manifest are on disk.
Result<GenerateSummary> Generate(const GenerateOptions& options, const std::atomic<bool>* stop);

}  // namespace jitsynth::engine
