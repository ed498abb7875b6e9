// `jitsynth eval`: scores predictions for a task on a run by a ladder of verdicts.
//
//   eval::EvalOptions o;
//   o.run = "data/test"; o.task = "python-to-stablehlo"; o.out = "report";
//   o.predictions = {"preds.jsonl", "oracle"};
//   ASSIGN_OR_RETURN(eval::EvalSummary s, eval::Eval(o, &stop));
//
// Rungs, each a rate over the task's records: well_formed, compiles, equivalent (the prediction
// and the record's own target run on K seeded inputs in the sandbox and agree), exact (equal
// after canonicalization), similarity (chrF of the canonical texts, a mean). Candidates run only
// in python/jitsynth_eval, through the driver's pool; nothing here executes them.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace jitsynth::eval {

// What one candidate may use in the sandbox.
struct SandboxLimits {
  double cpu_s = 20;                       // RLIMIT_CPU of the candidate's process
  double wall_s = 60;                      // then its process group is killed
  int64_t memory_bytes = 8LL << 30;        // RLIMIT_AS (XLA reserves much address space)
  int64_t file_bytes = 16LL << 20;         // RLIMIT_FSIZE
  int processes = 1024;                    // RLIMIT_NPROC where it is enforced (threads count)
};

struct EvalOptions {
  std::filesystem::path run;
  std::string task;
  std::vector<std::string> predictions;  // JSONL files, or oracle, shuffled, retrieval
  std::filesystem::path train;           // the train split retrieval searches
  std::filesystem::path out;             // new or empty directory
  int workers = 2;
  int inputs = 3;  // K seeded input sets per candidate
  std::string python;
  SandboxLimits limits;
  std::vector<std::string> command_line;
  bool progress = true;  // a line on stderr every few seconds
};

// One record's verdict. Rungs that do not apply to the task (nothing to execute) are nullopt.
struct Verdict {
  std::string id, category;
  std::optional<bool> well_formed, compiles, equivalent;
  bool exact = false;
  double similarity = 0;
  bool refused = false;  // the sandbox refused the candidate (imports, custom calls, syscalls)
  std::string stage;     // the first rung it failed, "timeout", "sandbox" or "reference"
  std::string reason;
  std::vector<std::string> layers;  // the sandbox layers that were in force
};

struct SetSummary {
  std::string label;
  uint64_t records = 0;
  uint64_t well_formed = 0, compiles = 0, equivalent = 0, exact = 0, refused = 0;
  double similarity = 0;  // mean
  bool executes = false;  // whether well_formed/compiles/equivalent apply
};

struct EvalSummary {
  std::string task;
  uint64_t skipped = 0;
  std::vector<SetSummary> sets;
  double seconds = 0;
  uint64_t candidates = 0;
};

Result<EvalSummary> Eval(const EvalOptions& options, const std::atomic<bool>* stop = nullptr);

}  // namespace jitsynth::eval
