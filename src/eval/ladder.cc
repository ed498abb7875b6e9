#include "eval/ladder.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "post/canonical.h"
#include "post/python.h"
#include "tasks/tasks.h"

namespace jitsynth::eval {
namespace {

TargetKind KindOf(tasks::TextKind kind) {
  switch (kind) {
    case tasks::TextKind::kPython:
      return TargetKind::kPython;
    case tasks::TextKind::kStableHlo:
      return TargetKind::kStableHlo;
    case tasks::TextKind::kHlo:
      return TargetKind::kHlo;
    case tasks::TextKind::kCostJson:
      return TargetKind::kCost;
    case tasks::TextKind::kLlvmIr:
    case tasks::TextKind::kAsm:
    case tasks::TextKind::kPtx:
      return TargetKind::kText;
  }
  return TargetKind::kText;
}

// The task table of src/tasks (the one `jitsynth tasks` writes training files from), seen as
// what the ladder needs of each task.
const std::vector<TaskFields>& TaskTable() {
  static const std::vector<TaskFields> table = [] {
    std::vector<TaskFields> fields;
    for (const tasks::Task& t : tasks::AllTasks()) {
      fields.push_back({t.name, t.source, KindOf(t.source_kind), t.target, KindOf(t.target_kind),
                        t.target.starts_with("/grad/")});
    }
    return fields;
  }();
  return table;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  bool blank = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

std::string WithoutWhitespace(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

using NgramCounts = std::unordered_map<std::string_view, int>;

NgramCounts Ngrams(std::string_view text, size_t n) {
  NgramCounts counts;
  for (size_t i = 0; i + n <= text.size(); ++i) ++counts[text.substr(i, n)];
  return counts;
}

}  // namespace

std::span<const TaskFields> Tasks() { return TaskTable(); }

const TaskFields* FindTask(std::string_view name) {
  for (const TaskFields& t : TaskTable()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string TaskNames() {
  std::vector<std::string_view> names;
  for (const TaskFields& t : TaskTable()) names.push_back(t.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

bool Executes(TargetKind kind) {
  switch (kind) {
    case TargetKind::kPython:
    case TargetKind::kStableHlo:
    case TargetKind::kHlo:
      return true;
    case TargetKind::kCost:
    case TargetKind::kText:
      return false;
  }
  return false;
}

std::string_view SandboxKind(TargetKind kind) {
  switch (kind) {
    case TargetKind::kPython:
      return "python";
    case TargetKind::kStableHlo:
      return "stablehlo";
    case TargetKind::kHlo:
      return "hlo";
    case TargetKind::kCost:
      return "cost";
    case TargetKind::kText:
      return "text";
  }
  return "";
}

std::string CanonicalText(TargetKind kind, std::string_view text) {
  switch (kind) {
    case TargetKind::kPython:
      return post::NormalizePython(text);
    case TargetKind::kStableHlo:
      return post::Canonicalize(text, post::IrFormat::kStableHlo,
                                post::CanonicalOptions::Fingerprint());
    case TargetKind::kHlo:
      return post::Canonicalize(text, post::IrFormat::kHlo, post::CanonicalOptions::Fingerprint());
    case TargetKind::kCost: {
      const std::optional<CostFigures> c = ParseCost(text);
      if (!c) return CollapseWhitespace(text);
      return fmt::format("{} {} {}", c->flops, c->bytes_accessed, c->transcendentals);
    }
    case TargetKind::kText:
      return CollapseWhitespace(text);
  }
  return std::string(text);
}

bool ExactAfterCanonicalization(TargetKind kind, std::string_view prediction,
                                std::string_view reference) {
  return CanonicalText(kind, prediction) == CanonicalText(kind, reference);
}

double ChrF(std::string_view hypothesis, std::string_view reference) {
  const std::string hyp = WithoutWhitespace(hypothesis);
  const std::string ref = WithoutWhitespace(reference);
  if (hyp == ref) return 1.0;
  constexpr size_t kMaxOrder = 6;
  constexpr double kBeta2 = 4.0;  // beta = 2: recall weighs four times precision
  double precision = 0, recall = 0;
  size_t orders = 0;
  for (size_t n = 1; n <= kMaxOrder; ++n) {
    if (hyp.size() < n || ref.size() < n) break;
    const NgramCounts h = Ngrams(hyp, n);
    const NgramCounts r = Ngrams(ref, n);
    double matches = 0;
    for (const auto& [gram, count] : h) {
      const auto it = r.find(gram);
      if (it != r.end()) matches += std::min(count, it->second);
    }
    precision += matches / static_cast<double>(hyp.size() - n + 1);
    recall += matches / static_cast<double>(ref.size() - n + 1);
    ++orders;
  }
  if (orders == 0) return 0.0;
  precision /= static_cast<double>(orders);
  recall /= static_cast<double>(orders);
  if (precision + recall == 0) return 0.0;
  return (1 + kBeta2) * precision * recall / (kBeta2 * precision + recall);
}

std::optional<CostFigures> ParseCost(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  CostFigures c;
  for (auto [key, into] : {std::pair{"flops", &c.flops},
                           std::pair{"bytes_accessed", &c.bytes_accessed},
                           std::pair{"transcendentals", &c.transcendentals}}) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    *into = it->get<double>();
    if (!std::isfinite(*into)) return std::nullopt;
  }
  return c;
}

bool CostEquivalent(const CostFigures& prediction, const CostFigures& reference) {
  auto close = [](double got, double want) {
    const double diff = std::fabs(got - want);
    return diff <= 1.0 || diff <= 0.01 * std::fabs(want);
  };
  return close(prediction.flops, reference.flops) &&
         close(prediction.bytes_accessed, reference.bytes_accessed) &&
         close(prediction.transcendentals, reference.transcendentals);
}

}  // namespace jitsynth::eval
