// What eval reads: the records a task can score, and the predictions to score (a file of the
// user's, or a baseline made from the run itself).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "eval/ladder.h"
#include "store/run_reader.h"

namespace jitsynth::eval {

// One record as a task sees it.
struct TaskRecord {
  uint64_t index = 0;
  std::string id, category, entry;
  std::string source, target;  // the task's fields (the cost object as JSON text)
  nlohmann::json args;         // [{name, shape, dtype, low, high}] of the program the target is
  std::string hlo;             // that program's HLO: its entry parameters say which args it keeps
  uint64_t input_seed = 0;
  bool x64 = false;
};

struct TaskRecords {
  std::vector<TaskRecord> records;  // index order
  uint64_t skipped = 0;             // records without the task's target (grad null, empty level)
  std::vector<std::string> skipped_ids;
};

// kInvalidArgument when no record has the task's target field at all (the run was made without
// that level) or, for a task that executes, when records lack argument ranges or input seeds.
Result<TaskRecords> LoadTaskRecords(const store::Run& run, const TaskFields& task);

// The predictions, aligned with `records`. A file is JSONL {"id", "prediction"}: every line an
// object, every id a record of the run, none twice, none of the task's records left out; else
// kInvalidArgument naming the file, the line and the fix. Ids of records the task skips are
// accepted and ignored.
Result<std::vector<std::string>> ReadPredictions(const std::filesystem::path& file,
                                                 const TaskRecords& records);

// The baselines: the record's own target (oracle); another record's (shuffled: a derangement
// by the hash of the ids, the same for every run order); the target of the train record whose
// source is nearest by MinHash (retrieval).
std::vector<std::string> OraclePredictions(const TaskRecords& records);
std::vector<std::string> ShuffledPredictions(const TaskRecords& records);
Result<std::vector<std::string>> RetrievalPredictions(const TaskRecords& records,
                                                      const TaskFields& task,
                                                      const store::Run& train);

}  // namespace jitsynth::eval
