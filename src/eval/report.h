// The report directory of `jitsynth eval`: per-record verdicts, summary.json, summary.md.
#pragma once

#include <filesystem>
#include <vector>

#include "core/status.h"
#include "eval/eval.h"
#include "eval/predictions.h"

namespace jitsynth::eval {

// Tallies `verdicts` into `summary` (its label already set).
void Tally(const std::vector<Verdict>& verdicts, SetSummary& summary);

// Writes DIR/verdicts.jsonl and DIR/summary.json (rates overall and per category) for one set.
Status WriteSetReport(const std::filesystem::path& dir, const std::string& task,
                      const SetSummary& summary, const std::vector<Verdict>& verdicts);

// The Markdown table of every set (one row each), and the per-category table of each.
std::string MarkdownTable(const EvalSummary& summary,
                          const std::vector<std::vector<Verdict>>& verdicts);

}  // namespace jitsynth::eval
