#include "curate/import.h"

#include <fmt/format.h>

#include <set>
#include <unordered_map>

#include "store/files.h"
#include "store/manifest.h"
#include "store/record_check.h"
#include "store/writer.h"

namespace jitsynth::curate {
using store::Json;
namespace fs = std::filesystem;
namespace {

// Calls `visit(line_number, record)` for every non-blank line, parsed and checked.
template <typename Visit>
Status ForEachImportLine(const fs::path& path, std::string_view content, Visit visit) {
  size_t number = 0;
  for (size_t start = 0; start < content.size();) {
    ++number;
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    const std::string_view line = content.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Json record = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      return InvalidArgument(fmt::format(
          "{}:{}: not JSON; every line must be one record of docs/schema.json (nothing imported)",
          path.string(), number));
    }
    if (Status s = store::CheckRecord(record); !s.ok()) {
      return InvalidArgument(fmt::format("{}:{}: not a record of docs/schema.json: {} (nothing "
                                         "imported)",
                                         path.string(), number, s.message()));
    }
    RETURN_IF_ERROR(visit(number, record));
  }
  return Status::Ok();
}

struct Scan {
  uint64_t records = 0;
  bool increasing = true;
  uint64_t last_index = 0;
  std::set<uint64_t> seeds;
  Json first;  // the first record, for the manifest's provenance
};

// First pass: checks every line and every id; nothing is written.
Result<Scan> ScanFile(const fs::path& path, std::string_view content) {
  Scan scan;
  std::unordered_map<std::string, size_t> line_of_id;
  RETURN_IF_ERROR(ForEachImportLine(path, content, [&](size_t number, const Json& r) -> Status {
    const std::string& id = r["id"].get_ref<const std::string&>();
    const auto [it, fresh] = line_of_id.emplace(id, number);
    if (!fresh) {
      return InvalidArgument(fmt::format("{}:{}: id {} is also on line {}; ids must be unique "
                                         "(nothing imported)",
                                         path.string(), number, id, it->second));
    }
    const uint64_t index = r["index"].get<uint64_t>();
    if (scan.records > 0 && index <= scan.last_index) scan.increasing = false;
    if (scan.records == 0) scan.first = r;
    scan.last_index = index;
    scan.seeds.insert(r["seed"].get<uint64_t>());
    ++scan.records;
    return Status::Ok();
  }));
  if (scan.records == 0) {
    return InvalidArgument(
        fmt::format("{}: holds no records; import needs at least one line", path.string()));
  }
  return scan;
}

store::Manifest ImportManifest(const ImportOptions& o, const Scan& scan, uint64_t end_index,
                               std::vector<store::ChunkInfo> chunks) {
  store::Manifest m;
  m.command = o.command_line;
  m.seed = scan.seeds.size() == 1 ? *scan.seeds.begin() : 0;
  m.count = end_index;
  m.chunk_size = o.chunk_size;
  m.provenance = store::Provenance::FromJson(scan.first.at("provenance"));
  m.chunks = std::move(chunks);
  m.complete = true;
  m.records = scan.records;
  m.derivation.push_back({{"tool", "import"},
                          {"command", o.command_line},
                          {"input", o.in.string()},
                          {"records", scan.records},
                          {"indices", scan.increasing ? "kept" : "renumbered in file order"},
                          {"seeds", scan.seeds}});
  return m;
}

}  // namespace

Result<ImportSummary> Import(const ImportOptions& o) {
  std::error_code ec;
  if (!fs::is_regular_file(o.in, ec)) {
    return InvalidArgument(fmt::format("{}: no such file (import reads a JSON lines file of "
                                       "records, such as extract's output)",
                                       o.in.string()));
  }
  ASSIGN_OR_RETURN(const std::string content, store::ReadWhole(o.in));
  ASSIGN_OR_RETURN(const Scan scan, ScanFile(o.in, content));
  const uint64_t end_index = scan.increasing ? scan.last_index + 1 : scan.records;
  RETURN_IF_ERROR(store::PrepareNewOutputDir(o.out));
  RETURN_IF_ERROR(store::WriteFileAtomic(o.out / "failures.jsonl", ""));
  store::RunWriter writer(o.out, o.chunk_size, end_index);
  uint64_t next = 0;
  RETURN_IF_ERROR(ForEachImportLine(o.in, content, [&](size_t, Json& r) -> Status {
    const uint64_t index = scan.increasing ? r["index"].get<uint64_t>() : next;
    for (; next < index; ++next) RETURN_IF_ERROR(writer.Skip(next));
    r["index"] = index;
    ++next;
    return writer.AddRecord(index, r.dump());
  }));
  const store::Manifest m = ImportManifest(o, scan, end_index, writer.chunks());
  RETURN_IF_ERROR(store::WriteFileAtomic(o.out / "manifest.json", m.Dump()));
  return ImportSummary{scan.records, !scan.increasing};
}

}  // namespace jitsynth::curate
