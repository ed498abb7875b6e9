#include "dataset/generate.h"

#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "dataset/record.h"
#include "dataset/writer.h"
#include "driver/pool.h"
#include "synth/generator.h"

namespace jitsynth::dataset {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// What one generated sample carries from its pool thread to the writer.
struct Pending {
  Result<synth::Sample> sample = Status(StatusCode::kInternal, "not generated");
};

class Progress {
 public:
  Progress(bool enabled, uint64_t total) : enabled_(enabled), total_(total), start_(Clock::now()) {}
  void Update(uint64_t done, uint64_t failures, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    fmt::print(stderr, "\r\033[K{}/{} ({:.0f}%)  {:.1f} pairs/s  ETA {:.0f}s  failures {}{}", done,
               total_, 100.0 * static_cast<double>(done) / static_cast<double>(total_), rate, eta,
               failures, final ? "\n" : "");
  }

 private:
  bool enabled_;
  uint64_t total_;
  Clock::time_point start_;
  Clock::time_point last_;
};

}  // namespace

Result<GenerateSummary> Generate(const GenerateOptions& options, const std::atomic<bool>* stop) {
  if (options.count == 0) return InvalidArgument("--count must be a positive integer");
  if (options.workers < 1) return InvalidArgument("--workers must be at least 1");
  if (options.chunk_size == 0) return InvalidArgument("--chunk-size must be a positive integer");
  const fs::path dir(options.out);
  RETURN_IF_ERROR(PrepareNewOutputDir(dir));

  const auto start = Clock::now();
  driver::PoolOptions pool_options;
  pool_options.workers = options.workers;
  pool_options.worker.python = options.python;
  pool_options.worker.timeout = options.timeout;
  pool_options.worker.log_path = (dir / "worker.log").string();
  pool_options.max_requests_per_worker = options.max_requests_per_worker;
  auto pool_or = driver::Pool::Create(pool_options);
  if (!pool_or.ok()) {
    std::error_code ec;
    fs::remove(dir / "worker.log", ec);
    return pool_or.status();
  }
  std::unique_ptr<driver::Pool> pool = std::move(pool_or).value();
  const nlohmann::json& versions = pool->versions();

  const synth::Generator generator(options.policy, options.seed);
  const Provenance provenance =
      MakeProvenance(versions, fmt::format("{:016x}", options.policy.Hash()));

  GenerateSummary summary;
  std::map<std::string, double> stage_seconds;
  RunWriter writer(dir, options.chunk_size, options.count);

  auto manifest = [&](bool complete) {
    Json m;
    m["format"] = "jitsynth-run/1";
    m["command"] = options.command_line;
    m["seed"] = options.seed;
    m["count"] = options.count;
    m["chunk_size"] = options.chunk_size;
    m["workers"] = options.workers;
    m["policy"] = options.policy.ToToml();
    m["provenance"] = {{"jitsynth_version", provenance.jitsynth_version},
                       {"jax_version", provenance.jax_version},
                       {"jaxlib_version", provenance.jaxlib_version},
                       {"python_version", versions.value("python", "")},
                       {"backend", provenance.backend},
                       {"xla_flags", provenance.xla_flags},
                       {"policy_hash", provenance.policy_hash}};
    Json chunks = Json::array();
    uint64_t done = 0;
    for (const ChunkInfo& c : writer.chunks()) {
      chunks.push_back({{"file", c.file},
                        {"first_index", c.first_index},
                        {"end_index", c.end_index},
                        {"records", c.records},
                        {"failures", c.failures}});
      done = c.end_index;
    }
    m["chunks"] = std::move(chunks);
    m["committed_through"] = done;
    m["complete"] = complete;
    Json failures = Json::object();
    for (const auto& [stage, n] : summary.failures) failures[stage] = n;
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    m["counts"] = {{"records", summary.records}, {"failures", failures}};
    Json stages = Json::object();
    for (const auto& [stage, s] : stage_seconds) stages[stage] = s;
    const driver::PoolStats ps = pool->stats();
    m["timings"] = {{"wall_seconds", wall},
                    {"pairs_per_second", wall > 0 ? static_cast<double>(summary.records) / wall : 0},
                    {"worker_stage_seconds", stages}};
    m["pool"] = {{"requests", ps.requests}, {"retries", ps.retries}, {"timeouts", ps.timeouts},
                 {"crashes", ps.crashes},   {"restarts", ps.restarts}, {"recycles", ps.recycles},
                 {"peak_worker_rss_bytes", ps.peak_rss_bytes}};
    return WriteFileAtomic(dir / "manifest.json", m.dump(2) + "\n");
  };
  writer.on_commit = [&] { return manifest(false); };
  RETURN_IF_ERROR(manifest(false));

  std::mutex mu;
  std::unordered_map<uint64_t, Pending> pending;
  Progress progress(options.progress, options.count);
  uint64_t failure_count = 0;

  auto make_request = [&](uint64_t index) -> nlohmann::json {
    Pending p;
    p.sample = generator.Generate(index);
    nlohmann::json request = p.sample.ok() ? CompileRequest(*p.sample, options.seed, index)
                                           // Nothing to compile: a ping keeps the pool's
                                           // one-reply-per-index rhythm; on_result records
                                           // the generation failure.
                                           : nlohmann::json{{"op", "ping"}};
    std::lock_guard lock(mu);
    pending.emplace(index, std::move(p));
    return request;
  };

  auto on_result = [&](uint64_t index, driver::Outcome outcome) -> Status {
    Pending p;
    {
      std::lock_guard lock(mu);
      auto it = pending.find(index);
      if (it == pending.end()) return Internal(fmt::format("no pending sample for index {}", index));
      p = std::move(it->second);
      pending.erase(it);
    }
    auto fail = [&](std::string_view category, std::string_view stage, std::string_view type,
                    std::string_view message) {
      ++summary.failures[std::string(stage)];
      ++failure_count;
      return writer.AddFailure(index,
                               MakeFailure(options.seed, index, category, stage, type, message).dump());
    };
    Status st;
    if (!p.sample.ok()) {
      st = fail("", "generate", StatusCodeName(p.sample.status().code()), p.sample.status().message());
    } else if (!outcome.reply) {
      st = fail(p.sample->program.category, outcome.failure_stage, "WorkerFailure",
                outcome.failure_message);
    } else {
      const nlohmann::json& reply = *outcome.reply;
      if (auto t = reply.find("timings"); t != reply.end()) {
        for (const auto& [stage, seconds] : t->items()) stage_seconds[stage] += seconds.get<double>();
      }
      if (!reply.value("ok", false)) {
        st = fail(p.sample->program.category, reply.value("stage", "unknown"),
                  reply.value("error_type", ""), reply.value("message", ""));
      } else if (std::string mismatch = OutputMismatch(*p.sample, reply.at("outputs"));
                 !mismatch.empty()) {
        st = fail(p.sample->program.category, "verify", "OutputTypeMismatch", mismatch);
      } else {
        ++summary.records;
        st = writer.AddRecord(
            index,
            MakeRecord(SampleHeader(*p.sample, options.seed, index), reply, provenance).dump());
      }
    }
    progress.Update(index + 1, failure_count);
    return st;
  };

  Status run = pool->Run(0, options.count, make_request, on_result, stop);
  progress.Update(writer.chunks().empty() ? 0 : writer.chunks().back().end_index, failure_count,
                  /*final=*/true);
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary.pairs_per_second =
      summary.wall_seconds > 0 ? static_cast<double>(summary.records) / summary.wall_seconds : 0;
  RETURN_IF_ERROR(manifest(run.ok()));
  RETURN_IF_ERROR(run);
  return summary;
}

}  // namespace jitsynth::dataset
