#include "dataset/run_reader.h"

#include <fmt/format.h>

#include <fstream>
#include <string>

namespace jitsynth::dataset {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRunFormat = "jitsynth-run/1";
constexpr const char* kLevels[] = {"jaxpr", "stablehlo", "hlo", "optimized_hlo"};

Status NotARun(const fs::path& dir, std::string_view why) {
  return InvalidArgument(
      fmt::format("{}: not a jitsynth output directory ({}); give a directory written by "
                  "'jitsynth generate'",
                  dir.string(), why));
}

// Reads `path` line by line. `visit` gets the 1-based line number and the line; a last line
// without its newline (a write cut short) is reported through `truncated` instead.
Status ForEachLine(const fs::path& path,
                   const std::function<Status(uint64_t number, const std::string& line)>& visit,
                   const std::function<Status(uint64_t number)>& truncated) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(fmt::format("{}: cannot be read", path.string()));
  std::string line;
  uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    // getline sets eof only when the file ended before a newline.
    if (in.eof()) return truncated(number);
    RETURN_IF_ERROR(visit(number, line));
  }
  if (in.bad()) return InvalidArgument(fmt::format("{}: read error", path.string()));
  return Status::Ok();
}

Status Corrupt(const fs::path& path, uint64_t line, std::string_view why) {
  return InvalidArgument(fmt::format("{}:{}: {}", path.string(), line, why));
}

// The first field that docs/schema.json requires and `record` lacks or mistypes, or "".
// Checks what the tools read, not every constraint of the schema.
std::string MissingField(const Json& record) {
  if (!record.is_object()) return "the line is not a JSON object";
  auto has = [](const Json& j, const char* key, auto is) {
    const auto it = j.find(key);
    return it != j.end() && is(*it);
  };
  const auto is_string = [](const Json& v) { return v.is_string(); };
  const auto is_count = [](const Json& v) { return v.is_number_unsigned(); };
  const auto is_array = [](const Json& v) { return v.is_array(); };
  const auto is_object = [](const Json& v) { return v.is_object(); };
  auto args_ok = [&](const Json& args) {
    for (const Json& a : args) {
      if (!a.is_object() || !has(a, "name", is_string) || !has(a, "shape", is_array) ||
          !has(a, "dtype", is_string)) {
        return false;
      }
    }
    return true;
  };
  for (const char* key : {"id", "category", "entry", "python"}) {
    if (!has(record, key, is_string)) return fmt::format("no string field '{}'", key);
  }
  for (const char* key : {"seed", "index"}) {
    if (!has(record, key, is_count)) return fmt::format("no non-negative integer '{}'", key);
  }
  for (const char* key : kLevels) {
    if (!has(record, key, is_string)) return fmt::format("no string field '{}'", key);
  }
  if (!has(record, "args", is_array) || !args_ok(record["args"])) {
    return "no array 'args' of {name, shape, dtype}";
  }
  if (!has(record, "outputs", is_array)) return "no array field 'outputs'";
  for (const char* key : {"cost", "provenance"}) {
    if (!has(record, key, is_object)) return fmt::format("no object field '{}'", key);
  }
  const auto grad = record.find("grad");
  if (grad == record.end()) return "no field 'grad'";
  if (grad->is_null()) return "";
  if (!grad->is_object()) return "'grad' is neither null nor an object";
  for (const char* key : {"entry", "python"}) {
    if (!has(*grad, key, is_string)) return fmt::format("no string field 'grad.{}'", key);
  }
  for (const char* key : kLevels) {
    if (!has(*grad, key, is_string)) return fmt::format("no string field 'grad.{}'", key);
  }
  if (!has(*grad, "args", is_array) || !args_ok((*grad)["args"])) {
    return "no array 'grad.args' of {name, shape, dtype}";
  }
  return "";
}

Result<uint64_t> Unsigned(const Json& object, const char* key, const fs::path& manifest) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned()) {
    return InvalidArgument(
        fmt::format("{}: '{}' is missing or not a non-negative integer", manifest.string(), key));
  }
  return it->get<uint64_t>();
}

}  // namespace

Result<Run> OpenRun(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotARun(dir, "no such directory");
  const fs::path manifest_path = dir / "manifest.json";
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) return NotARun(dir, "no manifest.json");
  Run run;
  run.dir = dir;
  run.manifest = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (run.manifest.is_discarded() || !run.manifest.is_object()) {
    return NotARun(dir, "manifest.json is not a JSON object");
  }
  const auto format = run.manifest.find("format");
  if (format == run.manifest.end() || !format->is_string() || *format != kRunFormat) {
    return NotARun(dir, fmt::format("manifest.json lacks \"format\": \"{}\"", kRunFormat));
  }
  const auto chunks = run.manifest.find("chunks");
  if (chunks == run.manifest.end() || !chunks->is_array()) {
    return InvalidArgument(fmt::format("{}: no \"chunks\" list", manifest_path.string()));
  }
  for (const Json& c : *chunks) {
    if (!c.is_object() || !c.contains("file") || !c["file"].is_string()) {
      return InvalidArgument(
          fmt::format("{}: a chunk without a file name", manifest_path.string()));
    }
    ChunkInfo chunk;
    chunk.file = c["file"].get<std::string>();
    // A name with a separator could make a tool read outside the run.
    if (chunk.file.empty() || chunk.file.find('/') != std::string::npos || chunk.file[0] == '.') {
      return InvalidArgument(fmt::format("{}: chunk file name '{}' is not a plain name",
                                         manifest_path.string(), chunk.file));
    }
    ASSIGN_OR_RETURN(chunk.first_index, Unsigned(c, "first_index", manifest_path));
    ASSIGN_OR_RETURN(chunk.end_index, Unsigned(c, "end_index", manifest_path));
    ASSIGN_OR_RETURN(chunk.records, Unsigned(c, "records", manifest_path));
    ASSIGN_OR_RETURN(chunk.failures, Unsigned(c, "failures", manifest_path));
    if (!fs::is_regular_file(dir / chunk.file, ec)) {
      return InvalidArgument(
          fmt::format("{}: listed in manifest.json but missing", (dir / chunk.file).string()));
    }
    run.committed_through = std::max(run.committed_through, chunk.end_index);
    run.chunks.push_back(std::move(chunk));
  }
  const auto complete = run.manifest.find("complete");
  run.complete = complete != run.manifest.end() && complete->is_boolean() && complete->get<bool>();
  return run;
}

Status CheckOutsideRun(const Run& run, const fs::path& out, std::string_view flag) {
  std::error_code ec;
  const fs::path dir = fs::weakly_canonical(fs::absolute(run.dir), ec);
  const fs::path target = fs::weakly_canonical(fs::absolute(out), ec);
  auto d = dir.begin();
  auto t = target.begin();
  while (d != dir.end() && t != target.end() && *d == *t) {
    ++d;
    ++t;
  }
  if (d == dir.end() || (d->empty() && std::next(d) == dir.end())) {
    return InvalidArgument(
        fmt::format("{} {}: is inside the input {}; tools never modify their "
                    "input, so choose a path outside it",
                    flag, out.string(), run.dir.string()));
  }
  return Status::Ok();
}

Status ForEachRecord(const Run& run, const RecordVisitor& visit) {
  for (const ChunkInfo& chunk : run.chunks) {
    const fs::path path = run.dir / chunk.file;
    uint64_t records = 0;
    RETURN_IF_ERROR(ForEachLine(
        path,
        [&](uint64_t number, const std::string& line) -> Status {
          const Json record = Json::parse(line, nullptr, /*allow_exceptions=*/false);
          if (record.is_discarded()) return Corrupt(path, number, "not valid JSON");
          if (std::string missing = MissingField(record); !missing.empty()) {
            return Corrupt(path, number, fmt::format("not a jitsynth record: {}", missing));
          }
          const auto index = record["index"].get<uint64_t>();
          if (index < chunk.first_index || index >= chunk.end_index) {
            return Corrupt(path, number,
                           fmt::format("index {} is outside the chunk's range [{}, {})", index,
                                       chunk.first_index, chunk.end_index));
          }
          ++records;
          return visit(line, record);
        },
        [&](uint64_t number) {
          return Corrupt(path, number, "truncated: the last line has no newline");
        }));
    if (records != chunk.records) {
      return InvalidArgument(fmt::format("{}: holds {} records but manifest.json says {}",
                                         path.string(), records, chunk.records));
    }
  }
  return Status::Ok();
}

Result<std::vector<Json>> ReadFailures(const Run& run) {
  const fs::path path = run.dir / "failures.jsonl";
  std::vector<Json> failures;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (run.committed_through == 0) return failures;  // nothing was committed yet
    return InvalidArgument(fmt::format("{}: missing", path.string()));
  }
  RETURN_IF_ERROR(ForEachLine(
      path,
      [&](uint64_t number, const std::string& line) -> Status {
        Json failure = Json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (failure.is_discarded() || !failure.is_object() || !failure.contains("index") ||
            !failure["index"].is_number_unsigned() || !failure.contains("stage") ||
            !failure["stage"].is_string()) {
          return Corrupt(path, number, "not a failure line with an index and a stage");
        }
        if (failure["index"].get<uint64_t>() < run.committed_through) {
          failures.push_back(std::move(failure));
        }
        return Status::Ok();
      },
      [&](uint64_t number) {
        // Lines are written whole before their chunk commits: a cut-short line can only belong
        // to a chunk that an interrupted run never committed.
        if (!run.complete) return Status::Ok();
        return Corrupt(path, number, "truncated: the last line has no newline");
      }));
  return failures;
}

}  // namespace jitsynth::dataset
