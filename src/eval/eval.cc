#include "eval/eval.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include "driver/pool.h"
#include "eval/ladder.h"
#include "eval/predictions.h"
#include "eval/report.h"
#include "store/files.h"
#include "store/run_reader.h"

namespace jitsynth::eval {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct PredictionSet {
  std::string label;
  std::vector<std::string> predictions;
};

Result<PredictionSet> MakeSet(const EvalOptions& o, const std::string& spec,
                              const TaskRecords& records, const TaskFields& task) {
  if (spec == "oracle") return PredictionSet{spec, OraclePredictions(records)};
  if (spec == "shuffled") return PredictionSet{spec, ShuffledPredictions(records)};
  if (spec == "retrieval") {
    if (o.train.empty()) {
      return InvalidArgument(
          "--predictions retrieval needs --train TRAIN_RUN (the train split it searches, e.g. "
          "the train/ part of jitsynth split)");
    }
    ASSIGN_OR_RETURN(const store::Run train, store::OpenRun(o.train));
    ASSIGN_OR_RETURN(std::vector<std::string> p, RetrievalPredictions(records, task, train));
    return PredictionSet{spec, std::move(p)};
  }
  ASSIGN_OR_RETURN(std::vector<std::string> p, ReadPredictions(spec, records));
  return PredictionSet{fs::path(spec).stem().string(), std::move(p)};
}

// Every prediction set read and checked before anything is written.
Result<std::vector<PredictionSet>> CollectSets(const EvalOptions& o, const TaskRecords& records,
                                               const TaskFields& task) {
  std::vector<PredictionSet> sets;
  std::set<std::string> labels;
  for (const std::string& spec : o.predictions) {
    ASSIGN_OR_RETURN(PredictionSet set, MakeSet(o, spec, records, task));
    std::string label = set.label;
    for (int n = 2; labels.count(label); ++n) label = fmt::format("{}-{}", set.label, n);
    set.label = label;
    labels.insert(label);
    sets.push_back(std::move(set));
  }
  return sets;
}

// The rungs computed here: exact and similarity over canonical texts; for a cost, all of them.
Verdict TextVerdict(const TaskRecord& r, const TaskFields& task, const std::string& prediction) {
  Verdict v;
  v.id = r.id;
  v.category = r.category;
  v.exact = ExactAfterCanonicalization(task.target_kind, prediction, r.target);
  v.similarity = v.exact ? 1.0
                         : ChrF(CanonicalText(task.target_kind, prediction),
                                CanonicalText(task.target_kind, r.target));
  if (task.target_kind == TargetKind::kCost) {
    const std::optional<CostFigures> got = ParseCost(prediction);
    const std::optional<CostFigures> want = ParseCost(r.target);
    v.well_formed = got.has_value();
    v.compiles = got.has_value();  // nothing to compile: a cost is well-formed or not
    v.equivalent = got && want && CostEquivalent(*got, *want);
    if (!got) {
      v.stage = "well_formed";
      v.reason = "not a JSON object with numbers flops, bytes_accessed, transcendentals";
    } else if (!*v.equivalent) {
      v.stage = "equivalent";
      v.reason = "a figure differs by more than 1% (and more than 1)";
    }
  }
  return v;
}

// One request per record: the record's program runs once in the sandbox, each set's prediction
// in a child of its own, and all are compared with the record's outputs.
json CheckRequest(const TaskRecord& r, const TaskFields& task,
                  const std::vector<PredictionSet>& sets, const EvalOptions& o, uint64_t i) {
  const std::string kind(SandboxKind(task.target_kind));
  const SandboxLimits& l = o.limits;
  json candidates = json::array();
  for (const PredictionSet& set : sets) {
    candidates.push_back({{"kind", kind}, {"text", set.predictions[i]}, {"entry", r.entry}});
  }
  return {{"op", "check"},
          {"id", i},
          {"candidates", std::move(candidates)},
          {"reference", {{"kind", kind}, {"text", r.target}, {"entry", r.entry}}},
          {"args", r.args},
          {"record_hlo", r.hlo},
          {"input_seed", r.input_seed},
          {"inputs", o.inputs},
          {"x64", r.x64},
          {"limits",
           {{"cpu_s", l.cpu_s},
            {"wall_s", l.wall_s},
            {"memory_bytes", l.memory_bytes},
            {"file_bytes", l.file_bytes},
            {"processes", l.processes}}}};
}

void Fail(Verdict& v, std::string stage, std::string reason) {
  v.well_formed = v.compiles = v.equivalent = false;
  v.stage = std::move(stage);
  v.reason = std::move(reason);
}

// The verdict R (one entry of the reply's "verdicts") on V.
void ApplyVerdict(const json& r, Verdict& v) {
  if (!r.is_object()) {
    Fail(v, "sandbox", "the sandbox sent no verdict for this candidate");
    return;
  }
  auto flag = [&](const char* key) {
    const auto it = r.find(key);
    return it != r.end() && it->is_boolean() && it->get<bool>();
  };
  v.well_formed = flag("well_formed");
  v.compiles = flag("compiles");
  v.equivalent = flag("equivalent");
  v.refused = flag("refused");
  v.stage = r.value("stage", json()).is_string() ? r["stage"].get<std::string>() : "";
  v.reason = r.value("reason", json()).is_string() ? r["reason"].get<std::string>() : "";
  if (r.contains("layers") && r["layers"].is_array()) {
    for (const json& l : r["layers"]) {
      if (l.is_string()) v.layers.push_back(l.get<std::string>());
    }
  }
  if (v.refused) {  // a refused candidate scores 0 on every rung
    v.exact = false;
    v.similarity = 0;
  }
}

// The reply to one record's request on that record's verdict in every set.
void ApplyReply(const driver::Outcome& outcome, std::vector<std::vector<Verdict>>& verdicts,
                uint64_t i) {
  for (size_t s = 0; s < verdicts.size(); ++s) {
    Verdict& v = verdicts[s][i];
    if (!outcome.reply) {
      Fail(v, outcome.failure_stage, "the sandbox server failed twice: " + outcome.failure_message);
    } else if (!outcome.reply->value("ok", false)) {
      Fail(v, "sandbox", outcome.reply->value("message", std::string("the sandbox failed")));
    } else {
      const auto it = outcome.reply->find("verdicts");
      const bool present = it != outcome.reply->end() && it->is_array() && it->size() == verdicts.size();
      ApplyVerdict(present ? (*it)[s] : json(), v);
    }
  }
}

void Progress(const EvalOptions& o, uint64_t done, uint64_t total, size_t sets,
              Clock::time_point start, Clock::time_point& last) {
  const Clock::time_point now = Clock::now();
  if (!o.progress || (now - last < std::chrono::seconds(5) && done != total)) return;
  last = now;
  const double s = std::chrono::duration<double>(now - start).count();
  const uint64_t candidates = done * sets;
  std::fprintf(stderr, "eval: %llu/%llu records, %llu candidates (%.1f/s)\n",
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
               static_cast<unsigned long long>(candidates),
               s > 0 ? static_cast<double>(candidates) / s : 0.0);
}

// Every set's verdicts, in the order of SETS: the text rungs here, the executed ones in the
// sandbox, one request per record for all sets.
Result<std::vector<std::vector<Verdict>>> ScoreSets(const TaskRecords& records,
                                                    const TaskFields& task,
                                                    const std::vector<PredictionSet>& sets,
                                                    driver::Pool* pool, const EvalOptions& o,
                                                    const std::atomic<bool>* stop) {
  const std::vector<TaskRecord>& rs = records.records;
  std::vector<std::vector<Verdict>> verdicts(sets.size());
  for (size_t s = 0; s < sets.size(); ++s) {
    verdicts[s].reserve(rs.size());
    for (size_t i = 0; i < rs.size(); ++i) {
      verdicts[s].push_back(TextVerdict(rs[i], task, sets[s].predictions[i]));
    }
  }
  if (pool == nullptr) return verdicts;
  const Clock::time_point start = Clock::now();
  Clock::time_point last = start;
  RETURN_IF_ERROR(pool->Run(
      0, rs.size(), [&](uint64_t i) { return CheckRequest(rs[i], task, sets, o, i); },
      [&](uint64_t i, driver::Outcome outcome) {
        ApplyReply(outcome, verdicts, i);
        Progress(o, i + 1, rs.size(), sets.size(), start, last);
        return Status::Ok();
      },
      stop));
  return verdicts;
}

Result<std::unique_ptr<driver::Pool>> StartSandboxes(const EvalOptions& o, size_t records,
                                                     size_t sets, const std::atomic<bool>* stop) {
  driver::PoolOptions p;
  p.workers = static_cast<int>(std::min<size_t>(std::max(o.workers, 1), records));
  p.worker.python = o.python;
  p.worker.args = {"-m", "jitsynth_eval", "--candidates", std::to_string(sets), "--hide",
                   fs::absolute(o.run).lexically_normal().string()};
  if (!o.train.empty()) {
    p.worker.args.push_back("--hide");
    p.worker.args.push_back(fs::absolute(o.train).lexically_normal().string());
  }
  p.worker.log_path = (o.out / "sandbox.log").string();
  // The server enforces wall_s on each child (the record's and one per set, one after the
  // other); the driver's deadline only catches a stuck server.
  p.worker.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(o.limits.wall_s * 1000 * static_cast<double>(sets + 1)) + 60000);
  return driver::Pool::Create(std::move(p), stop);
}

}  // namespace

Result<EvalSummary> Eval(const EvalOptions& o, const std::atomic<bool>* stop) {
  const TaskFields* task = FindTask(o.task);
  if (task == nullptr) {
    return InvalidArgument(fmt::format("--task {}: no such task; one of {}", o.task, TaskNames()));
  }
  if (o.predictions.empty()) {
    return InvalidArgument("--predictions is required: a JSONL file, oracle, shuffled or retrieval");
  }
  ASSIGN_OR_RETURN(const store::Run run, store::OpenRun(o.run));
  RETURN_IF_ERROR(store::CheckOutsideRun(run, o.out, "--out"));
  ASSIGN_OR_RETURN(const TaskRecords records, LoadTaskRecords(run, *task));
  ASSIGN_OR_RETURN(const std::vector<PredictionSet> sets, CollectSets(o, records, *task));
  RETURN_IF_ERROR(store::PrepareNewOutputDir(o.out));

  const Clock::time_point start = Clock::now();
  std::unique_ptr<driver::Pool> pool;
  if (Executes(task->target_kind)) {
    ASSIGN_OR_RETURN(pool, StartSandboxes(o, records.records.size(), sets.size(), stop));
  }
  EvalSummary summary;
  summary.task = std::string(task->name);
  summary.skipped = records.skipped;
  ASSIGN_OR_RETURN(std::vector<std::vector<Verdict>> all,
                   ScoreSets(records, *task, sets, pool.get(), o, stop));
  for (size_t k = 0; k < sets.size(); ++k) {
    SetSummary s;
    s.label = sets[k].label;
    s.executes = Executes(task->target_kind) || task->target_kind == TargetKind::kCost;
    Tally(all[k], s);
    const fs::path dir = sets.size() == 1 ? o.out : o.out / sets[k].label;
    if (sets.size() > 1) fs::create_directories(dir);
    RETURN_IF_ERROR(WriteSetReport(dir, summary.task, s, all[k]));
    summary.sets.push_back(s);
    summary.candidates += all[k].size();
  }
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  RETURN_IF_ERROR(store::WriteFileAtomic(o.out / "summary.md", MarkdownTable(summary, all)));
  return summary;
}

}  // namespace jitsynth::eval
