// The rungs of the ladder that need no execution, and what eval knows of each task.
//
//   const eval::TaskFields* task = eval::FindTask("python-to-stablehlo");
//   bool same = eval::ExactAfterCanonicalization(task->target_kind, prediction, reference);
//   double s = eval::ChrF(a, b);  // in [0, 1]
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jitsynth::eval {

// What a task's answer is, hence how it is checked.
enum class TargetKind {
  kPython,     // a module defining the entry: executed
  kStableHlo,  // MLIR text: parsed, compiled, executed
  kHlo,        // HLO text through XLA's parser: compiled, executed
  kCost,       // {"flops", "bytes_accessed", "transcendentals"}: compared within a tolerance
  kText,       // LLVM IR, assembly, PTX: exact and similarity only (nothing to execute here)
};

// A task's source and target fields as JSON pointers into a record: src/tasks' table (the one
// `jitsynth tasks` writes training files from), as the ladder reads it.
struct TaskFields {
  std::string_view name;
  std::string_view source;  // "/python"
  TargetKind source_kind;
  std::string_view target;  // "/stablehlo"
  TargetKind target_kind;
  bool backward = false;  // the target is the backward module's: its args are grad.args
};

std::span<const TaskFields> Tasks();
const TaskFields* FindTask(std::string_view name);
std::string TaskNames();  // "python-to-stablehlo, python-to-hlo, ..."

// Whether the sandbox compiles and runs this kind.
bool Executes(TargetKind kind);
// The sandbox's name of an executable kind: "python", "stablehlo", "hlo".
std::string_view SandboxKind(TargetKind kind);

// The text the exact rung compares: normalized Python, Fingerprint()-canonical IR, the cost's
// three numbers, or whitespace-collapsed text.
std::string CanonicalText(TargetKind kind, std::string_view text);
bool ExactAfterCanonicalization(TargetKind kind, std::string_view prediction,
                                std::string_view reference);

// chrF (Popović 2015): character n-gram F-score, n = 1..6, beta = 2, whitespace ignored, as
// sacrebleu's default. 1 for equal texts, 0 for texts sharing no character.
double ChrF(std::string_view hypothesis, std::string_view reference);

// Cost predictions: a JSON object with the three numbers.
struct CostFigures {
  double flops = 0, bytes_accessed = 0, transcendentals = 0;
};
std::optional<CostFigures> ParseCost(std::string_view text);
// Each figure within 1% (relative) of the reference's, or within 1 (absolute).
bool CostEquivalent(const CostFigures& prediction, const CostFigures& reference);

}  // namespace jitsynth::eval
