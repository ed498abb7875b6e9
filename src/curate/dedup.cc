#include "curate/dedup.h"

#include <fmt/format.h>

#include <unordered_map>

#include "store/derive.h"
#include "store/files.h"

namespace jitsynth::curate {
using store::ForEachRecord;
using store::Json;
using store::OpenRun;
using store::RecordLine;
using store::Run;
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kViaDuplicate = "duplicate of a contaminated record";

// Adds the records of an evaluation run or JSON lines file to `keys`; their ids to `ids`.
Status AddEvaluationSet(const fs::path& path, KeyTable& keys, std::vector<std::string>& ids) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    ASSIGN_OR_RETURN(const Run run, OpenRun(path));
    return ForEachRecord(run, [&](const RecordLine& r) -> Status {
      const auto id = r.json.find("id");
      ids.push_back(id != r.json.end() && id->is_string() ? id->get<std::string>()
                                                          : fmt::format("{}:{}", path.string(), r.index));
      return keys.Add(r.json, fmt::format("{}: record {}", path.string(), r.index));
    });
  }
  if (!fs::is_regular_file(path, ec)) {
    return InvalidArgument(fmt::format(
        "--against {}: no such run or file (give a run directory or a JSON lines file of records)",
        path.string()));
  }
  ASSIGN_OR_RETURN(const std::string content, store::ReadWhole(path));
  size_t number = 0;
  for (size_t start = 0; start < content.size();) {
    ++number;
    size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    const std::string_view line = std::string_view(content).substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = fmt::format("{}:{}", path.string(), number);
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) return ParseError(fmt::format("{}: not a JSON record", where));
    const auto id = j.find("id");
    ids.push_back(id != j.end() && id->is_string() ? id->get<std::string>() : where);
    RETURN_IF_ERROR(keys.Add(j, where));
  }
  return Status::Ok();
}

// Where each input record is: its run and id, in the order the keys were added.
struct InputRecord {
  size_t run;
  uint64_t index;
  std::string id;
};

Result<std::vector<Run>> OpenInputs(const DedupOptions& o) {
  std::vector<Run> runs;
  for (const fs::path& in : o.inputs) {
    ASSIGN_OR_RETURN(Run run, OpenRun(in));
    for (const Run& earlier : runs) {
      std::error_code ec;
      if (fs::equivalent(earlier.dir, run.dir, ec)) {
        return InvalidArgument(fmt::format("{} is given twice; name each run once", in.string()));
      }
    }
    runs.push_back(std::move(run));
  }
  for (const Run& run : runs) RETURN_IF_ERROR(store::CheckOutsideRun(run, o.out, "--out"));
  if (runs.size() > 1) {
    for (size_t k = 0; k < runs.size(); ++k) {
      if (runs[k].manifest.partial) {
        return InvalidArgument(fmt::format(
            "{} is a partial run (generate --chunks): merge whole runs, or dedup it alone",
            o.inputs[k].string()));
      }
    }
  }
  for (const fs::path& eval : o.against) {
    std::error_code ec;
    if (fs::is_directory(eval, ec)) {
      ASSIGN_OR_RETURN(const Run run, OpenRun(eval));
      RETURN_IF_ERROR(store::CheckOutsideRun(run, o.out, "--out"));
    }
  }
  return runs;
}

// Refuses two kept records of different runs with one id, naming the runs. (Within one run ids
// are the run's own business: dedup of a single run never changes them.)
Status CheckUniqueIds(const std::vector<InputRecord>& inputs, const std::vector<bool>& kept,
                      const DedupOptions& o) {
  std::unordered_map<std::string_view, size_t> first;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!kept[i]) continue;
    const auto [it, fresh] = first.emplace(inputs[i].id, i);
    if (fresh || inputs[it->second].run == inputs[i].run) continue;
    return InvalidArgument(fmt::format(
        "id {} is in both {} and {} (runs of one seed share ids): merge runs of different "
        "seeds, or dedup them apart",
        inputs[i].id, o.inputs[inputs[it->second].run].string(), o.inputs[inputs[i].run].string()));
  }
  return Status::Ok();
}

Json Derivation(const DedupOptions& o, const DedupSummary& s, std::span<const Run> runs,
                const std::vector<uint64_t>& kept_per_run,
                const std::vector<uint64_t>& records_per_run) {
  const std::vector<uint64_t> offsets = store::MergedOffsets(runs);
  Json inputs = Json::array();
  for (size_t k = 0; k < runs.size(); ++k) {
    inputs.push_back({{"run", o.inputs[k].string()},
                      {"first_index", offsets[k]},
                      {"end_index", offsets[k + 1]},
                      {"seed", runs[k].manifest.seed},
                      {"policy_hash", runs[k].manifest.provenance.policy_hash},
                      {"records_in", records_per_run[k]},
                      {"kept", kept_per_run[k]}});
  }
  Json d = {{"tool", "dedup"}, {"command", o.command_line}};
  if (runs.size() == 1) d["input"] = o.inputs[0].string();
  d["inputs"] = inputs;
  d["key"] = DedupKeyName(o.clusters.key);
  d["near"] = o.clusters.near.enabled;
  d["threshold"] = o.clusters.near.threshold;
  d["records_in"] = s.records;
  d["kept"] = s.kept;
  d["exact_duplicates"] = s.exact_duplicates;
  d["near_duplicates"] = s.near_duplicates;
  if (!o.against.empty()) {
    Json against = Json::array();
    for (const fs::path& p : o.against) against.push_back(p.string());
    d["against"] = against;
    d["eval_records"] = s.eval_records;
    Json reasons = Json::object();
    for (const auto& [reason, n] : s.contaminated) reasons[reason] = n;
    d["contaminated"] = reasons;
  }
  return d;
}

}  // namespace

Result<DedupSummary> Dedup(const DedupOptions& o) {
  if (o.inputs.empty()) return InvalidArgument("dedup needs at least one run");
  ASSIGN_OR_RETURN(const std::vector<Run> runs, OpenInputs(o));
  // Every record is read before anything is written: a corrupt input leaves no output behind.
  KeyTable keys(o.clusters);
  std::vector<std::string> eval_ids;
  for (const fs::path& eval : o.against) RETURN_IF_ERROR(AddEvaluationSet(eval, keys, eval_ids));
  const size_t first = keys.size();
  std::vector<InputRecord> inputs;
  for (size_t k = 0; k < runs.size(); ++k) {
    RETURN_IF_ERROR(ForEachRecord(runs[k], [&](const RecordLine& r) -> Status {
      const auto id = r.json.find("id");
      inputs.push_back({k, r.index, id != r.json.end() && id->is_string() ? id->get<std::string>()
                                                                          : std::string()});
      return keys.Add(r.json, runs.size() == 1 ? fmt::format("record {}", r.index)
                                               : fmt::format("{}: record {}",
                                                             o.inputs[k].string(), r.index));
    }));
  }
  std::vector<size_t> exact_roots;
  const std::vector<size_t> roots = keys.Link(&exact_roots);
  const std::vector<KeyTable::Match> matches = keys.MatchesBelow(first);
  DedupSummary s;
  s.records = inputs.size();
  s.eval_records = first;
  std::vector<bool> kept(inputs.size(), false);
  std::vector<std::vector<bool>> keep(runs.size());
  std::vector<uint64_t> kept_per_run(runs.size(), 0), records_per_run(runs.size(), 0);
  std::string removed;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const size_t p = first + i;
    if (roots[p] < first) {
      const KeyTable::Match& m = matches[p];
      const std::string reason = m.reason.empty() ? std::string(kViaDuplicate) : m.reason;
      ++s.contaminated[reason];
      removed += Json{{"id", inputs[i].id},
                      {"run", o.inputs[inputs[i].run].string()},
                      {"index", inputs[i].index},
                      {"reason", reason},
                      {"eval_id", eval_ids[m.reason.empty() ? roots[p] : m.other]}}
                     .dump() +
                 "\n";
    } else if (exact_roots[p] != p) {
      ++s.exact_duplicates;
    } else if (roots[p] != p) {
      ++s.near_duplicates;
    } else {
      kept[i] = true;
      ++s.kept;
      ++kept_per_run[inputs[i].run];
    }
    ++records_per_run[inputs[i].run];
    keep[inputs[i].run].push_back(kept[i]);
  }
  RETURN_IF_ERROR(CheckUniqueIds(inputs, kept, o));
  RETURN_IF_ERROR(store::PrepareDerivedDir(runs.front(), o.out));
  if (!o.against.empty()) {
    RETURN_IF_ERROR(store::WriteFileAtomic(o.out / "contaminated.jsonl", removed));
  }
  RETURN_IF_ERROR(store::WriteMerged(runs, keep, o.out,
                                     Derivation(o, s, runs, kept_per_run, records_per_run),
                                     o.compression));
  return s;
}

}  // namespace jitsynth::curate
