// `jitsynth tasks`: the examples of one task (tasks/tasks.h) made from every record of a run, as
// one file a trainer reads: JSON lines {id, task, prompt, completion} (TRL's prompt-completion
// format), {id, task, messages} (TRL's conversational format: a user turn, an assistant turn),
// or Parquet with the prompt-completion columns. A sidecar FILE.summary.json says what was
// written and what was skipped and why.
//
//   TaskFileOptions o{.in = "data/run1", .out = "train.jsonl", .task = task};
//   ASSIGN_OR_RETURN(TaskFileSummary s, WriteTaskFile(o));
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "tasks/tasks.h"

namespace jitsynth::publish {

enum class TaskFormat { kPromptCompletion, kChat, kParquet };
// "prompt-completion", "chat", "parquet"
Result<TaskFormat> ParseTaskFormat(std::string_view text);
std::string_view TaskFormatName(TaskFormat format);

inline constexpr uint64_t kDefaultMaxTokens = 8192;

struct TaskFileOptions {
  std::string in;   // a jitsynth output directory; only read
  std::string out;  // the file to write; an existing file is replaced, atomically
  const tasks::Task* task = nullptr;
  TaskFormat format = TaskFormat::kPromptCompletion;
  uint64_t max_tokens = kDefaultMaxTokens;  // prompt + completion (tasks::ExampleTokens); 0: none
  std::string python;  // interpreter with pyarrow and jitsynth_tools (Parquet only)
  std::vector<std::string> command_line;  // recorded in the summary
};

struct TaskFileSummary {
  uint64_t records = 0;      // in the run
  uint64_t written = 0;
  uint64_t over_budget = 0;  // skipped: more than max_tokens
  std::map<std::string, uint64_t> skipped;  // other reasons (tasks::SkipName), by reason
  uint64_t bytes = 0;        // of the file written
};

// OUT.summary.json: the sidecar's path.
std::string SummaryPath(const std::string& out);

// Every record is read before the file appears under its name; a run that lacks the task's
// level, a corrupt chunk or a bad --out is kInvalidArgument/kParseError and writes nothing.
Result<TaskFileSummary> WriteTaskFile(const TaskFileOptions& options);

}  // namespace jitsynth::publish
