#include "eval/predictions.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <unordered_map>

#include "post/canonical.h"
#include "post/hash.h"
#include "post/minhash.h"
#include "post/python.h"

namespace jitsynth::eval {
namespace {

using json = nlohmann::json;

// The field as text: strings as they are, the cost object as compact JSON; nullopt when absent.
std::optional<std::string> FieldText(const json& record, std::string_view pointer) {
  const json::json_pointer ptr{std::string(pointer)};
  if (!record.contains(ptr)) return std::nullopt;
  const json& value = record.at(ptr);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return std::string();
  return value.dump();
}

// Cotangents (the backward module's arguments the forward one lacks) are drawn from [-1, 1].
json BackwardArgs(const json& record) {
  std::map<std::string, json> forward;
  for (const json& a : record.at("args")) forward[a.value("name", "")] = a;
  json out = json::array();
  for (json a : record.at("/grad/args"_json_pointer)) {
    const auto it = forward.find(a.value("name", ""));
    a["low"] = it != forward.end() && it->second.contains("low") ? it->second["low"] : json(-1.0);
    a["high"] = it != forward.end() && it->second.contains("high") ? it->second["high"] : json(1.0);
    out.push_back(std::move(a));
  }
  return out;
}

Status CheckExecutable(const TaskRecord& r, const json& record) {
  for (const json& a : r.args) {
    if (!a.contains("low") || !a.contains("high")) {
      return InvalidArgument(fmt::format(
          "record {} has no argument ranges (args[].low/high): it was made by an older jitsynth; "
          "regenerate the run to score execution",
          r.id));
    }
  }
  if (!record.contains("input_seed")) {
    return InvalidArgument(fmt::format(
        "record {} has no input_seed: it was made by an older jitsynth; regenerate the run", r.id));
  }
  return Status::Ok();
}

std::vector<std::string> ShingleTokens(TargetKind kind, std::string_view text) {
  switch (kind) {
    case TargetKind::kPython:
      return post::PythonShingleTokens(text);
    case TargetKind::kStableHlo:
      return post::IrShingleTokens(text, post::IrFormat::kStableHlo);
    case TargetKind::kHlo:
      return post::IrShingleTokens(text, post::IrFormat::kHlo);
    case TargetKind::kCost:
    case TargetKind::kText:
      break;
  }
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

Result<TaskRecords> LoadTaskRecords(const store::Run& run, const TaskFields& task) {
  TaskRecords out;
  bool field_seen = false;
  Status bad = Status::Ok();
  RETURN_IF_ERROR(store::ForEachRecord(run, [&](const store::RecordLine& line) -> Status {
    const json& j = line.json;
    const std::optional<std::string> target = FieldText(j, task.target);
    const std::optional<std::string> source = FieldText(j, task.source);
    if (target) field_seen = true;
    TaskRecord r;
    r.index = line.index;
    r.id = j.value("id", "");
    if (!target || !source || target->empty() || source->empty()) {
      ++out.skipped;
      out.skipped_ids.push_back(r.id);
      return Status::Ok();
    }
    r.category = j.value("category", "");
    r.entry = task.backward ? j.at("/grad/entry"_json_pointer).get<std::string>()
                            : j.value("entry", "");
    r.source = *source;
    r.target = *target;
    r.args = task.backward ? BackwardArgs(j) : j.value("args", json::array());
    r.hlo = FieldText(j, task.backward ? "/grad/hlo" : "/hlo").value_or("");
    const json seed = j.value("input_seed", json());
    r.input_seed = seed.is_number_unsigned() ? seed.get<uint64_t>() : 0;
    r.x64 = j.value("x64", false);
    if (Executes(task.target_kind)) RETURN_IF_ERROR(CheckExecutable(r, j));
    out.records.push_back(std::move(r));
    return Status::Ok();
  }));
  if (!field_seen) {
    return InvalidArgument(fmt::format(
        "{}: no record has the field {} that task {} scores; the run was made without that "
        "level (see `jitsynth generate --help`), or choose another task",
        run.dir.string(), task.target, task.name));
  }
  if (out.records.empty()) {
    return InvalidArgument(fmt::format("{}: no record can serve task {} ({} skipped: empty {})",
                                       run.dir.string(), task.name, out.skipped, task.target));
  }
  return out;
}

Result<std::vector<std::string>> ReadPredictions(const std::filesystem::path& file,
                                                 const TaskRecords& records) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return InvalidArgument(fmt::format("--predictions {}: cannot be read (a JSONL file, or one "
                                       "of oracle, shuffled, retrieval)",
                                       file.string()));
  }
  std::unordered_map<std::string, size_t> position;
  for (size_t i = 0; i < records.records.size(); ++i) position[records.records[i].id] = i;
  std::unordered_map<std::string, size_t> skipped;
  for (const std::string& id : records.skipped_ids) skipped[id] = 0;
  std::vector<std::optional<std::string>> found(records.records.size());
  std::unordered_map<std::string, uint64_t> first_line;
  std::string line;
  uint64_t number = 0;
  const std::string where = file.string();
  while (std::getline(in, line)) {
    ++number;
    const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("prediction") ||
        !(j["prediction"].is_string() || j["prediction"].is_object())) {
      return InvalidArgument(fmt::format(
          "{} line {}: not a prediction; each line must be a JSON object "
          "{{\"id\": \"<record id>\", \"prediction\": \"<text>\"}}",
          where, number));
    }
    const std::string id = j["id"].get<std::string>();
    if (const auto [it, fresh] = first_line.emplace(id, number); !fresh) {
      return InvalidArgument(fmt::format("{} line {}: id {} appears twice (first on line {}); "
                                         "keep one prediction per record",
                                         where, number, id, it->second));
    }
    if (skipped.count(id)) continue;
    const auto it = position.find(id);
    if (it == position.end()) {
      return InvalidArgument(fmt::format(
          "{} line {}: id {} is not a record of the run; predictions must come from the run "
          "being scored",
          where, number, id));
    }
    const json& p = j["prediction"];
    found[it->second] = p.is_string() ? p.get<std::string>() : p.dump();
  }
  std::vector<std::string> out;
  size_t missing = 0;
  std::string first_missing;
  for (size_t i = 0; i < found.size(); ++i) {
    if (!found[i]) {
      if (missing++ == 0) first_missing = records.records[i].id;
      continue;
    }
    out.push_back(std::move(*found[i]));
  }
  if (missing > 0) {
    return InvalidArgument(fmt::format(
        "{}: no prediction for {} of the {} records (first: {}); predict every record, or score "
        "a subset by making a run of it (jitsynth split)",
        where, missing, records.records.size(), first_missing));
  }
  return out;
}

std::vector<std::string> OraclePredictions(const TaskRecords& records) {
  std::vector<std::string> out;
  for (const TaskRecord& r : records.records) out.push_back(r.target);
  return out;
}

std::vector<std::string> ShuffledPredictions(const TaskRecords& records) {
  const size_t n = records.records.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const uint64_t ha = post::Hash64(records.records[a].id, 0x5eed);
    const uint64_t hb = post::Hash64(records.records[b].id, 0x5eed);
    return ha != hb ? ha < hb : a < b;
  });
  std::vector<std::string> out(n);
  for (size_t k = 0; k < n; ++k) {
    out[order[k]] = records.records[order[(k + 1) % n]].target;  // the next one in hash order
  }
  return out;
}

Result<std::vector<std::string>> RetrievalPredictions(const TaskRecords& records,
                                                      const TaskFields& task,
                                                      const store::Run& train) {
  ASSIGN_OR_RETURN(const TaskRecords pool, LoadTaskRecords(train, task));
  std::vector<post::MinHashSignature> signatures;
  signatures.reserve(pool.records.size());
  for (const TaskRecord& r : pool.records) {
    signatures.push_back(post::MinHash(ShingleTokens(task.source_kind, r.source)));
  }
  std::vector<std::string> out;
  for (const TaskRecord& r : records.records) {
    const post::MinHashSignature query = post::MinHash(ShingleTokens(task.source_kind, r.source));
    size_t best = 0;
    double best_score = -1;
    for (size_t i = 0; i < signatures.size(); ++i) {
      const double score = post::EstimatedJaccard(query, signatures[i]);
      if (score > best_score) {
        best_score = score;
        best = i;
      }
    }
    out.push_back(pool.records[best].target);
  }
  return out;
}

}  // namespace jitsynth::eval
