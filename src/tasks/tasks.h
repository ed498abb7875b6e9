// The tasks a model is trained and scored on: one table, read by `jitsynth tasks` (which writes
// training files) and by `jitsynth eval` (which scores predictions), so both ask the same
// question of a record in the same words.
//
// API (for eval and other readers):
//   ASSIGN_OR_RETURN(const tasks::Task* task, tasks::ParseTask("python-to-stablehlo"));
//   ASSIGN_OR_RETURN(tasks::Outcome o, tasks::MakeExample(*task, record_json));
//   if (o.skip == tasks::Skip::kNone) Use(o.example.prompt, o.example.completion);
// - `Task::target` is a JSON pointer into the record: the reference answer's field.
//   `Task::target_kind` says how to check a prediction (which parser, what "exact" means).
// - MakeExample is kInvalidArgument when the record lacks the task's source or target field
//   (the run was made without that level: the caller refuses the whole run); a record that has
//   the fields but cannot serve the task (no backward pass, an empty kernel level) is skipped
//   with its reason. The token budget is the caller's (ExampleTokens).
// - A change to a template's words bumps its `version`; outputs record "NAME/vVERSION".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jitsynth::tasks {

// What a text is, so a scorer knows how to parse and compare it.
enum class TextKind { kPython, kStableHlo, kHlo, kLlvmIr, kAsm, kPtx, kCostJson };
std::string_view TextKindName(TextKind kind);

struct Task {
  std::string_view name;  // "python-to-stablehlo"
  int version;            // of the template; bumped whenever its words change
  std::string_view source;  // JSON pointer: the field shown to the model ("/python")
  TextKind source_kind;
  std::string_view target;  // JSON pointer: the field the model must write ("/stablehlo")
  TextKind target_kind;
  // The prompt: fmt named fields {source}, {entry}, {args}, {grad_args}, {gpu_target}.
  std::string_view prompt_template;
  std::string_view summary;  // one line for `tasks --list`
};

// Every task, in the order `tasks --list` prints them.
std::span<const Task> AllTasks();
// kInvalidArgument naming the known tasks when `name` is none of them.
Result<const Task*> ParseTask(std::string_view name);
// "python-to-stablehlo/v1": what a task file records of the template it used.
std::string TemplateId(const Task& task);

struct Example {
  std::string id;  // the record's
  std::string prompt;
  std::string completion;
};

// Why a record makes no example.
enum class Skip {
  kNone,
  kNoBackward,   // grad is null: nothing differentiable
  kEmptySource,  // the level is there but empty (a program without kernels)
  kEmptyTarget,
};
std::string_view SkipName(Skip skip);  // "no_backward", "empty_source", "empty_target"

struct Outcome {
  Skip skip = Skip::kNone;
  Example example;  // set when skip == kNone
};

// The example `record` (one data line, parsed) makes for `task`.
Result<Outcome> MakeExample(const Task& task, const nlohmann::json& record);

// The approximate tokens of prompt and completion together (post::ApproxTokens).
uint64_t ExampleTokens(const Example& example);

}  // namespace jitsynth::tasks
