#include "eval/report.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "store/files.h"

namespace jitsynth::eval {
namespace {

using Json = nlohmann::ordered_json;

Json Optional(const std::optional<bool>& b) { return b ? Json(*b) : Json(nullptr); }

Json VerdictJson(const Verdict& v) {
  return {{"id", v.id},
          {"category", v.category},
          {"well_formed", Optional(v.well_formed)},
          {"compiles", Optional(v.compiles)},
          {"equivalent", Optional(v.equivalent)},
          {"exact", v.exact},
          {"similarity", v.similarity},
          {"refused", v.refused},
          {"stage", v.stage},
          {"reason", v.reason},
          {"sandbox", v.layers}};
}

double Rate(uint64_t count, uint64_t total) {
  return total == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(total);
}

Json Rates(const SetSummary& s) {
  Json j;
  j["records"] = s.records;
  j["well_formed"] = s.executes ? Json(Rate(s.well_formed, s.records)) : Json(nullptr);
  j["compiles"] = s.executes ? Json(Rate(s.compiles, s.records)) : Json(nullptr);
  j["equivalent"] = s.executes ? Json(Rate(s.equivalent, s.records)) : Json(nullptr);
  j["exact"] = Rate(s.exact, s.records);
  j["similarity"] = s.similarity;
  j["refused"] = s.refused;
  return j;
}

std::string Percent(uint64_t count, uint64_t total, bool applies) {
  if (!applies) return "n/a";
  return fmt::format("{:.1f}%", 100.0 * Rate(count, total));
}

std::string Row(const std::string& label, const SetSummary& s) {
  return fmt::format("| {} | {} | {} | {} | {} | {} | {:.3f} |\n", label, s.records,
                     Percent(s.well_formed, s.records, s.executes),
                     Percent(s.compiles, s.records, s.executes),
                     Percent(s.equivalent, s.records, s.executes),
                     Percent(s.exact, s.records, true), s.similarity);
}

std::map<std::string, SetSummary> ByCategory(const std::vector<Verdict>& verdicts, bool executes) {
  std::map<std::string, std::vector<Verdict>> groups;
  for (const Verdict& v : verdicts) groups[v.category].push_back(v);
  std::map<std::string, SetSummary> out;
  for (const auto& [category, group] : groups) {
    SetSummary s;
    s.label = category;
    s.executes = executes;
    Tally(group, s);
    out[category] = s;
  }
  return out;
}

constexpr const char* kHeader =
    "| predictions | records | well-formed | compiles | equivalent | exact | similarity (chrF) "
    "|\n|---|---:|---:|---:|---:|---:|---:|\n";

}  // namespace

void Tally(const std::vector<Verdict>& verdicts, SetSummary& summary) {
  summary.records = verdicts.size();
  double similarity = 0;
  for (const Verdict& v : verdicts) {
    summary.well_formed += v.well_formed.value_or(false);
    summary.compiles += v.compiles.value_or(false);
    summary.equivalent += v.equivalent.value_or(false);
    summary.exact += v.exact;
    summary.refused += v.refused;
    similarity += v.similarity;
  }
  summary.similarity = verdicts.empty() ? 0 : similarity / static_cast<double>(verdicts.size());
}

Status WriteSetReport(const std::filesystem::path& dir, const std::string& task,
                      const SetSummary& summary, const std::vector<Verdict>& verdicts) {
  std::string lines;
  for (const Verdict& v : verdicts) lines += VerdictJson(v).dump() + "\n";
  RETURN_IF_ERROR(store::WriteFileAtomic(dir / "verdicts.jsonl", lines));
  Json j;
  j["task"] = task;
  j["predictions"] = summary.label;
  j["overall"] = Rates(summary);
  Json categories = Json::object();
  for (const auto& [category, s] : ByCategory(verdicts, summary.executes)) {
    categories[category] = Rates(s);
  }
  j["by_category"] = std::move(categories);
  Json by_task;
  by_task[task] = Rates(summary);
  j["by_task"] = std::move(by_task);
  return store::WriteFileAtomic(dir / "summary.json", j.dump(2) + "\n");
}

std::string MarkdownTable(const EvalSummary& summary,
                          const std::vector<std::vector<Verdict>>& verdicts) {
  std::string md = fmt::format("# jitsynth eval: {}\n\n", summary.task);
  if (summary.skipped > 0) {
    md += fmt::format("{} records without this task's target were skipped.\n\n", summary.skipped);
  }
  md += kHeader;
  for (const SetSummary& s : summary.sets) md += Row(s.label, s);
  for (size_t i = 0; i < summary.sets.size(); ++i) {
    md += fmt::format("\n## {} by category\n\n", summary.sets[i].label);
    md += std::string(kHeader).replace(2, 11, "category");
    for (const auto& [category, s] : ByCategory(verdicts[i], summary.sets[i].executes)) {
      md += Row(category, s);
    }
  }
  return md;
}

}  // namespace jitsynth::eval
