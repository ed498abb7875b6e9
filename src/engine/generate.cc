#include "engine/generate.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "driver/pool.h"
#include "driver/protocol.h"
#include "engine/request.h"
#include "engine/resume.h"
#include "engine/watch.h"
#include "store/files.h"
#include "store/manifest.h"
#include "store/writer.h"
#include "synth/generator.h"

namespace jitsynth::engine {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

class Progress {
 public:
  Progress(bool enabled, uint64_t first, uint64_t total)
      : enabled_(enabled), first_(first), total_(total), start_(Clock::now()) {}
  void Update(uint64_t done, uint64_t failures, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done - first_) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    fmt::print(stderr, "\r\033[K{}/{} ({:.0f}%)  {:.1f} pairs/s  ETA {:.0f}s  failures {}{}", done,
               total_, 100.0 * static_cast<double>(done) / static_cast<double>(total_), rate, eta,
               failures, final ? "\n" : "");
  }

 private:
  bool enabled_;
  uint64_t first_;
  uint64_t total_;
  Clock::time_point start_;
  Clock::time_point last_;
};

Status CheckOptions(const GenerateOptions& o) {
  if (o.count == 0) return InvalidArgument("--count must be a positive integer");
  if (o.workers < 1) return InvalidArgument("--workers must be at least 1");
  if (o.chunk_size == 0) return InvalidArgument("--chunk-size must be a positive integer");
  if (o.chunks) {
    const uint64_t chunks_in_run = (o.count + o.chunk_size - 1) / o.chunk_size;
    if (o.chunks->first >= o.chunks->end || o.chunks->end > chunks_in_run) {
      return InvalidArgument(fmt::format(
          "--chunks {}:{}: give A:B with A < B <= {} (the run of --count {} has {} chunks of "
          "--chunk-size {})",
          o.chunks->first, o.chunks->end, chunks_in_run, o.count, chunks_in_run, o.chunk_size));
    }
  }
  return Status::Ok();
}

// The manifest a run starts from: the resumed run's, or a new one in a prepared directory.
Result<store::Manifest> StartManifest(const GenerateOptions& o, const std::string& policy_hash) {
  const fs::path dir(o.out);
  if (o.resume && !NothingToResume(dir)) {
    return LoadForResume(dir, {o.seed, o.count, o.chunk_size, policy_hash, o.chunks,
                               o.levels.levels.names, o.levels.gpu_target, o.compression});
  }
  if (o.resume) {
    std::error_code ec;
    fs::remove(dir / "worker.log", ec);
  }
  RETURN_IF_ERROR(store::PrepareNewOutputDir(dir));
  store::Manifest m;
  m.seed = o.seed;
  m.count = o.count;
  m.chunk_size = o.chunk_size;
  m.partial = o.chunks;
  m.levels = o.levels.levels.names;
  m.gpu_target = o.levels.gpu_target;
  m.compression = o.compression;
  return m;
}

driver::PoolOptions MakePoolOptions(const GenerateOptions& o, uint64_t left) {
  driver::PoolOptions p;
  // A worker costs a JAX import and a few hundred MiB: none beyond the samples left to do.
  p.workers = static_cast<int>(std::min<uint64_t>(static_cast<uint64_t>(o.workers), left));
  p.worker.python = o.python;
  p.worker.timeout = o.timeout;
  p.worker.log_path = (fs::path(o.out) / "worker.log").string();
  p.max_requests_per_worker = o.max_requests_per_worker;
  p.max_rss_bytes = o.max_worker_rss_bytes;
  if (!o.inject.empty()) p.worker.extra_env.emplace_back("JITSYNTH_TEST_HOOKS", "1");
  p.worker.extra_env.emplace_back("XLA_FLAGS", WorkerXlaFlags(o.xla_flags, o.levels));
  return p;
}

// One generation in progress: requests made on the pool's threads, results written in index
// order, the manifest rewritten at each committed chunk.
class Generation {
 public:
  Generation(const GenerateOptions& o, store::Manifest manifest, driver::Pool& pool,
             store::Provenance provenance)
      : o_(o),
        manifest_(std::move(manifest)),
        pool_(pool),
        provenance_(std::move(provenance)),
        generator_(o.policy, o.seed),
        writer_(o.out, o.chunk_size, manifest_.end_index(), manifest_.chunks,
                manifest_.start_index(), manifest_.compression),
        first_index_(manifest_.committed_through()),
        previous_wall_seconds_(manifest_.wall_seconds),
        previous_records_(manifest_.records),
        progress_(o.progress, first_index_, manifest_.end_index()) {
    summary_.records = manifest_.records;
    summary_.failures = manifest_.failures;
    writer_.on_commit = [this] { return WriteManifest(false); };
  }

  Result<GenerateSummary> Run(const std::atomic<bool>* stop) {
    RETURN_IF_ERROR(WriteManifest(false));
    const Status run = pool_.Run(
        first_index_, manifest_.end_index(), [this](uint64_t i) { return MakeRequest(i); },
        [this](uint64_t i, driver::Outcome outcome) { return OnResult(i, std::move(outcome)); },
        stop);
    progress_.Update(writer_.chunks().empty() ? first_index_ : writer_.chunks().back().end_index,
                     failure_count_, /*final=*/true);
    const double this_run = Elapsed();
    summary_.wall_seconds = previous_wall_seconds_ + this_run;
    summary_.pairs_per_second =
        this_run > 0 ? static_cast<double>(summary_.records - previous_records_) / this_run : 0;
    RETURN_IF_ERROR(WriteManifest(run.ok()));
    RETURN_IF_ERROR(run);
    return summary_;
  }

 private:
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  Status WriteManifest(bool complete) {
    store::Manifest& m = manifest_;
    m.command = o_.command_line;
    m.workers = pool_.size();
    m.policy = o_.policy.ToToml();
    m.provenance = provenance_;
    m.chunks = writer_.chunks();
    m.complete = complete;
    m.records = 0;
    for (const store::ChunkInfo& c : m.chunks) m.records += c.records;
    m.failures = summary_.failures;
    m.wall_seconds = previous_wall_seconds_ + Elapsed();
    m.pairs_per_second =
        m.wall_seconds > 0 ? static_cast<double>(summary_.records) / m.wall_seconds : 0;
    m.worker_stage_seconds = stage_seconds_;
    const driver::PoolStats ps = pool_.stats();
    m.pool = {ps.requests, ps.retries,  ps.timeouts,      ps.crashes,
              ps.restarts, ps.recycles, ps.peak_rss_bytes};
    return store::WriteFileAtomic(fs::path(o_.out) / "manifest.json", m.Dump());
  }

  // On a pool thread: generate sample `index` and make its request.
  nlohmann::json MakeRequest(uint64_t index) {
    if (auto it = o_.inject.find(index); it != o_.inject.end() && it->second == "bloat") Bloat();
    Result<synth::Sample> sample = generator_.Generate(index);
    // Nothing to compile: a ping keeps the pool's one-reply-per-index rhythm; OnResult records
    // the generation failure.
    nlohmann::json request = nlohmann::json{{"op", "ping"}};
    if (sample.ok()) {
      driver::CompileRequest r = MakeCompileRequest(*sample, o_.seed, index, o_.levels);
      if (auto it = o_.inject.find(index); it != o_.inject.end()) Inject(it->second, r);
      request = r.ToJson();
    }
    std::lock_guard lock(mu_);
    pending_.emplace(index, std::move(sample));
    return request;
  }

  // Test-only "bloat": a generator that keeps allocating and never returns (the case the
  // memory budget and the stop watchdog are for). Stops growing at 2 GiB, then waits forever.
  [[noreturn]] static void Bloat() {
    constexpr size_t kStep = 32 << 20;
    std::vector<std::unique_ptr<char[]>> held;
    for (size_t total = 0; total < (size_t{2} << 30); total += kStep) {
      held.push_back(std::make_unique<char[]>(kStep));
      std::memset(held.back().get(), 1, kStep);  // resident, not only reserved
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }

  static void Inject(const std::string& kind, driver::CompileRequest& r) {
    if (kind != "reject") {
      r.inject = kind;
      return;
    }
    r.python += fmt::format(
        "\n\ndef {}(*args):\n    raise TypeError(\"rejected by JITSYNTH_TEST_INJECT\")\n", r.entry);
  }

  Status Fail(uint64_t index, std::string_view category, std::string_view stage,
              std::string_view type, std::string_view message) {
    ++summary_.failures[std::string(stage)];
    ++failure_count_;
    const store::Failure f{store::RecordId(o_.seed, index),
                           index,
                           std::string(category),
                           std::string(stage),
                           std::string(type),
                           std::string(message)};
    return writer_.AddFailure(index, f.ToJson().dump());
  }

  // In index order, on the calling thread.
  Status OnResult(uint64_t index, driver::Outcome outcome) {
    std::optional<Result<synth::Sample>> sample = TakePending(index);
    if (!sample) return Internal(fmt::format("no pending sample for index {}", index));
    const Status st = Deliver(index, *sample, outcome);
    progress_.Update(index + 1, failure_count_);
    return st;
  }

  std::optional<Result<synth::Sample>> TakePending(uint64_t index) {
    std::lock_guard lock(mu_);
    auto it = pending_.find(index);
    if (it == pending_.end()) return std::nullopt;
    std::optional<Result<synth::Sample>> sample = std::move(it->second);
    pending_.erase(it);
    return sample;
  }

  Status Deliver(uint64_t index, const Result<synth::Sample>& sample,
                 const driver::Outcome& outcome) {
    if (!sample.ok()) {
      return Fail(index, "", "generate", StatusCodeName(sample.status().code()),
                  sample.status().message());
    }
    const std::string& category = sample->program.category;
    if (!outcome.reply) {
      return Fail(index, category, outcome.failure_stage, "WorkerFailure", outcome.failure_message);
    }
    ASSIGN_OR_RETURN(driver::CompileReply reply, driver::CompileReply::FromJson(*outcome.reply));
    for (const auto& [stage, seconds] : reply.timings) stage_seconds_[stage] += seconds;
    if (!reply.ok) {
      return Fail(index, category, reply.error.stage, reply.error.error_type, reply.error.message);
    }
    if (std::string mismatch = OutputMismatch(*sample, reply.outputs); !mismatch.empty()) {
      return Fail(index, category, "verify", "OutputTypeMismatch", mismatch);
    }
    ++summary_.records;
    const store::Record record =
        CompleteRecord(SampleRecord(*sample, o_.seed, index), std::move(reply), provenance_);
    return writer_.AddRecord(index, record.ToJson().dump());
  }

  const GenerateOptions& o_;
  store::Manifest manifest_;
  driver::Pool& pool_;
  const store::Provenance provenance_;
  const synth::Generator generator_;
  store::RunWriter writer_;
  const uint64_t first_index_;
  const double previous_wall_seconds_;
  const uint64_t previous_records_;
  const Clock::time_point start_ = Clock::now();
  Progress progress_;
  GenerateSummary summary_;
  std::map<std::string, double> stage_seconds_;
  uint64_t failure_count_ = 0;
  std::mutex mu_;
  std::unordered_map<uint64_t, Result<synth::Sample>> pending_;
};

}  // namespace

Result<GenerateSummary> Generate(const GenerateOptions& options, const std::atomic<bool>* stop) {
  RETURN_IF_ERROR(CheckOptions(options));
  const fs::path dir(options.out);
  const std::string policy_hash = fmt::format("{:016x}", options.policy.Hash());
  std::error_code exists_ec;
  const bool created_dir = !fs::exists(dir, exists_ec);
  ASSIGN_OR_RETURN(store::Manifest manifest, StartManifest(options, policy_hash));
  if (manifest.complete && manifest.committed_through() == manifest.end_index()) {
    return GenerateSummary{manifest.records, manifest.failures, manifest.wall_seconds, 0};
  }
  // Outlives the pool, so that its shutdown too is watched.
  Watch watch(stop, options.max_driver_rss_bytes, options.on_stuck, options.out);
  auto pool = driver::Pool::Create(
      MakePoolOptions(options, manifest.end_index() - manifest.committed_through()),
      watch.stop());
  if (!pool.ok()) {
    // Nothing of this run was written: leave nothing behind.
    std::error_code ec;
    fs::remove(dir / "worker.log", ec);
    if (created_dir) fs::remove(dir, ec);
    return watch.over_budget() ? watch.BudgetStatus() : pool.status();
  }
  store::Provenance provenance = driver::MakeProvenance(
      driver::Versions::FromJson((*pool)->versions()),
      WorkerXlaFlags(options.xla_flags, options.levels), policy_hash);
  Generation generation(options, std::move(manifest), **pool, std::move(provenance));
  Result<GenerateSummary> summary = generation.Run(watch.stop());
  if (!summary.ok() && watch.over_budget()) return watch.BudgetStatus();
  return summary;
}

}  // namespace jitsynth::engine
