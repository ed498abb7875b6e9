#include "dataset/generate.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
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

Status Corrupt(const fs::path& dir, std::string_view what) {
  return InvalidArgument(fmt::format(
      "--resume: {} in {}; it cannot be resumed safely (start a new run in another directory)",
      what, dir.string()));
}

// What a resumed run starts from: the committed chunks (checked against their
// checksums) and the failures of the indices they cover.
struct ResumeState {
  std::vector<ChunkInfo> chunks;
  uint64_t records = 0;
  std::map<std::string, uint64_t> failures;
  double previous_wall_seconds = 0;
  bool complete = false;
};

Result<ResumeState> LoadForResume(const fs::path& dir, const GenerateOptions& o,
                                  const std::string& policy_hash) {
  const fs::path manifest_path = dir / "manifest.json";
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || !fs::exists(manifest_path, ec)) {
    return InvalidArgument(fmt::format(
        "--resume: {} holds no jitsynth run (no manifest.json); drop --resume to start one",
        dir.string()));
  }
  std::ifstream in(manifest_path);
  Json m = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded() || !m.is_object() || m.value("format", "") != "jitsynth-run/1") {
    return Corrupt(dir, "manifest.json is corrupt or not a jitsynth manifest");
  }
  ResumeState state;
  try {
    std::vector<std::string> differences;
    auto compare = [&](std::string_view flag, const Json& stored, const Json& given) {
      if (stored != given) differences.push_back(fmt::format("{} {} (now {})", flag, stored.dump(), given.dump()));
    };
    compare("--seed", m.at("seed"), o.seed);
    compare("--count", m.at("count"), o.count);
    compare("--chunk-size", m.at("chunk_size"), o.chunk_size);
    compare("policy hash", m.at("provenance").at("policy_hash"), policy_hash);
    if (!differences.empty()) {
      return InvalidArgument(fmt::format(
          "--resume: {} was made with other arguments: {}; rerun with the original arguments",
          dir.string(), fmt::join(differences, ", ")));
    }
    uint64_t expected_first = 0;
    uint64_t expected_failures = 0;
    for (const Json& c : m.at("chunks")) {
      ChunkInfo info;
      info.file = c.at("file").get<std::string>();
      info.first_index = c.at("first_index").get<uint64_t>();
      info.end_index = c.at("end_index").get<uint64_t>();
      info.records = c.at("records").get<uint64_t>();
      info.failures = c.at("failures").get<uint64_t>();
      info.bytes = c.at("bytes").get<uint64_t>();
      info.xxh64 = c.at("xxh64").get<std::string>();
      if (info.first_index != expected_first || info.file != ChunkName(info.first_index / o.chunk_size)) {
        return Corrupt(dir, "manifest.json lists chunks out of order");
      }
      auto hashed = HashFile(dir / info.file);
      if (!hashed.ok()) return Corrupt(dir, fmt::format("chunk {} is missing", info.file));
      if (hashed->first != info.xxh64 || hashed->second != info.bytes) {
        return Corrupt(dir, fmt::format("chunk {} is truncated or altered ({} bytes, expected {})",
                                        info.file, hashed->second, info.bytes));
      }
      expected_first = info.end_index;
      expected_failures += info.failures;
      state.records += info.records;
      state.chunks.push_back(std::move(info));
    }
    state.previous_wall_seconds = m.at("timings").value("wall_seconds", 0.0);
    state.complete = m.value("complete", false) && expected_first == o.count;

    // Keep the failures of committed indices; a line cut short by the crash
    // can only be the last one.
    std::string kept;
    uint64_t kept_count = 0;
    std::ifstream failures(dir / "failures.jsonl");
    for (std::string line; std::getline(failures, line);) {
      Json f = Json::parse(line, nullptr, false);
      if (f.is_discarded()) break;
      if (f.at("index").get<uint64_t>() >= expected_first) break;
      ++state.failures[f.at("stage").get<std::string>()];
      ++kept_count;
      kept += line + "\n";
    }
    if (kept_count != expected_failures) {
      return Corrupt(dir, fmt::format("failures.jsonl holds {} failures of committed chunks, the "
                                      "manifest {}", kept_count, expected_failures));
    }
    RETURN_IF_ERROR(WriteFileAtomic(dir / "failures.jsonl", kept));
  } catch (const Json::exception& e) {
    return Corrupt(dir, fmt::format("manifest.json is missing a field ({})", e.what()));
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
  }
  return state;
}

// Whether `dir` is missing, empty, or holds only a worker log.
bool OnlyWorkerLog(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename() != "worker.log") return false;
  }
  return true;
}

// Test-only fault injection (JITSYNTH_TEST_INJECT="3=crash,7=hang,9=reject"):
// crash/hang/abort ask the worker's test hooks to die or hang on that index;
// reject replaces the program by one that JAX refuses to trace.
Result<std::map<uint64_t, std::string>> ParseInjections() {
  std::map<uint64_t, std::string> out;
  const char* env = std::getenv("JITSYNTH_TEST_INJECT");
  if (env == nullptr) return out;
  std::string_view rest(env);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return InvalidArgument("JITSYNTH_TEST_INJECT: expected INDEX=KIND");
    out[std::stoull(std::string(item.substr(0, eq)))] = std::string(item.substr(eq + 1));
  }
  return out;
}

}  // namespace

Result<GenerateSummary> Generate(const GenerateOptions& options, const std::atomic<bool>* stop) {
  if (options.count == 0) return InvalidArgument("--count must be a positive integer");
  if (options.workers < 1) return InvalidArgument("--workers must be at least 1");
  if (options.chunk_size == 0) return InvalidArgument("--chunk-size must be a positive integer");
  const fs::path dir(options.out);
  const std::string policy_hash = fmt::format("{:016x}", options.policy.Hash());
  ASSIGN_OR_RETURN(const auto injections, ParseInjections());
  ResumeState resumed;
  // A run killed while its workers started has written no manifest yet: resuming it is
  // starting it.
  std::error_code exists_ec;
  const bool created_dir = !fs::exists(dir, exists_ec);
  const bool nothing_to_resume = options.resume && !fs::exists(dir / "manifest.json") &&
                                 OnlyWorkerLog(dir);
  if (options.resume && !nothing_to_resume) {
    ASSIGN_OR_RETURN(resumed, LoadForResume(dir, options, policy_hash));
    if (resumed.complete) {
      GenerateSummary done;
      done.records = resumed.records;
      done.failures = resumed.failures;
      done.wall_seconds = resumed.previous_wall_seconds;
      return done;
    }
  } else {
    if (nothing_to_resume) fs::remove(dir / "worker.log");
    RETURN_IF_ERROR(PrepareNewOutputDir(dir));
  }

  const auto start = Clock::now();
  driver::PoolOptions pool_options;
  pool_options.workers = options.workers;
  pool_options.worker.python = options.python;
  pool_options.worker.timeout = options.timeout;
  pool_options.worker.log_path = (dir / "worker.log").string();
  pool_options.max_requests_per_worker = options.max_requests_per_worker;
  pool_options.max_rss_bytes = options.max_worker_rss_bytes;
  if (!injections.empty()) pool_options.worker.extra_env.emplace_back("JITSYNTH_TEST_HOOKS", "1");
  auto pool_or = driver::Pool::Create(pool_options);
  if (!pool_or.ok()) {
    // Nothing of this run was written: leave nothing behind.
    std::error_code ec;
    fs::remove(dir / "worker.log", ec);
    if (created_dir) fs::remove(dir, ec);
    return pool_or.status();
  }
  std::unique_ptr<driver::Pool> pool = std::move(pool_or).value();
  const nlohmann::json& versions = pool->versions();

  const synth::Generator generator(options.policy, options.seed);
  const Provenance provenance = MakeProvenance(versions, policy_hash);

  GenerateSummary summary;
  summary.records = resumed.records;
  summary.failures = resumed.failures;
  std::map<std::string, double> stage_seconds;
  RunWriter writer(dir, options.chunk_size, options.count, resumed.chunks);
  const uint64_t first_index = resumed.chunks.empty() ? 0 : resumed.chunks.back().end_index;

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
                       {"optimized_hlo_from", provenance.optimized_hlo_from},
                       {"policy_hash", provenance.policy_hash}};
    Json chunks = Json::array();
    uint64_t done = 0;
    for (const ChunkInfo& c : writer.chunks()) {
      chunks.push_back(ChunkJson(c));
      done = c.end_index;
    }
    m["chunks"] = std::move(chunks);
    m["committed_through"] = done;
    m["complete"] = complete;
    Json failures = Json::object();
    for (const auto& [stage, n] : summary.failures) failures[stage] = n;
    const double wall = resumed.previous_wall_seconds +
                        std::chrono::duration<double>(Clock::now() - start).count();
    // Counts of committed chunks only: what a resume starts from.
    uint64_t committed_records = 0;
    for (const ChunkInfo& c : writer.chunks()) committed_records += c.records;
    m["counts"] = {{"records", committed_records}, {"failures", failures}};
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
  Progress progress(options.progress, first_index, options.count);
  uint64_t failure_count = 0;

  auto make_request = [&](uint64_t index) -> nlohmann::json {
    Pending p;
    p.sample = generator.Generate(index);
    nlohmann::json request = p.sample.ok() ? CompileRequest(*p.sample, options.seed, index)
                                           // Nothing to compile: a ping keeps the pool's
                                           // one-reply-per-index rhythm; on_result records
                                           // the generation failure.
                                           : nlohmann::json{{"op", "ping"}};
    if (auto it = injections.find(index); it != injections.end() && p.sample.ok()) {
      if (it->second == "reject") {
        request["python"] = p.sample->python + fmt::format(
            "\n\ndef {}(*args):\n    raise TypeError(\"rejected by JITSYNTH_TEST_INJECT\")\n",
            p.sample->entry);
      } else {
        request["inject"] = it->second;
      }
    }
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

  Status run = pool->Run(first_index, options.count, make_request, on_result, stop);
  progress.Update(writer.chunks().empty() ? first_index : writer.chunks().back().end_index,
                  failure_count, /*final=*/true);
  const double this_run = std::chrono::duration<double>(Clock::now() - start).count();
  summary.wall_seconds = resumed.previous_wall_seconds + this_run;
  summary.pairs_per_second =
      this_run > 0 ? static_cast<double>(summary.records - resumed.records) / this_run : 0;
  RETURN_IF_ERROR(manifest(run.ok()));
  RETURN_IF_ERROR(run);
  return summary;
}

}  // namespace jitsynth::dataset
