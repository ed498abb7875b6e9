#include "store/run_reader.h"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "store/files.h"
#include "store/zstd_lines.h"

namespace jitsynth::store {
namespace fs = std::filesystem;
namespace {

// Calls `visit(line_number, line)` for each newline-terminated line; a last
// line without its newline is reported as truncation.
Status ForEachLine(const fs::path& path, std::string_view content,
                   const std::function<Status(size_t, std::string_view)>& visit) {
  size_t line_number = 0;
  size_t start = 0;
  while (start < content.size()) {
    ++line_number;
    const size_t end = content.find('\n', start);
    if (end == std::string_view::npos) {
      return ParseError(
          fmt::format("{}:{}: truncated: the line has no newline", path.string(), line_number));
    }
    RETURN_IF_ERROR(visit(line_number, content.substr(start, end - start)));
    start = end + 1;
  }
  return Status::Ok();
}

// The "index" of a line of a data or failures file, when it is a JSON object with one.
std::optional<uint64_t> IndexOf(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  const auto it = json.find("index");
  if (it == json.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<uint64_t>();
}

}  // namespace

Result<Run> OpenRun(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    return InvalidArgument(fmt::format("{}: no such directory", dir.string()));
  }
  if (!fs::is_directory(dir, ec)) {
    return NotARun(dir, "it is a file, not a directory");
  }
  if (!fs::is_regular_file(dir / "manifest.json", ec))
    return NotARun(dir, "it has no manifest.json");
  Run run;
  run.dir = dir;
  ASSIGN_OR_RETURN(run.manifest, Manifest::Read(dir));
  for (const ChunkInfo& c : run.chunks()) {
    if (!fs::is_regular_file(dir / c.file, ec)) {
      return NotARun(dir, fmt::format("{} is listed in manifest.json but missing", c.file));
    }
  }
  return run;
}

Status ForEachRecord(const Run& run, const std::function<Status(const RecordLine&)>& visit) {
  for (const ChunkInfo& chunk : run.chunks()) {
    const fs::path path = run.dir / chunk.file;
    uint64_t records = 0;
    uint64_t next_index = chunk.first_index;
    auto visit_line = [&](size_t n, std::string_view line) -> Status {
      const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
      const std::optional<uint64_t> index = IndexOf(json);
      if (!index) {
        return ParseError(
            fmt::format("{}:{}: not a JSON record with an index (a corrupt "
                        "chunk)",
                        path.string(), n));
      }
      const uint64_t i = *index;
      if (i < next_index || i >= chunk.end_index) {
        return ParseError(
            fmt::format("{}:{}: index {} is out of order or outside the "
                        "chunk's indices {}..{}",
                        path.string(), n, i, chunk.first_index, chunk.end_index));
      }
      next_index = i + 1;
      ++records;
      return visit(RecordLine{i, line, json});
    };
    switch (run.manifest.compression) {
      case Compression::kNone: {
        ASSIGN_OR_RETURN(const std::string content, ReadWhole(path));
        RETURN_IF_ERROR(ForEachLine(path, content, visit_line));
        break;
      }
      case Compression::kZstd:
        RETURN_IF_ERROR(ForEachZstdLine(path.string(), visit_line));
        break;
    }
    if (records != chunk.records) {
      return ParseError(fmt::format("{}: holds {} records, manifest.json says {}", path.string(),
                                    records, chunk.records));
    }
  }
  return Status::Ok();
}

Result<std::map<uint64_t, std::string>> ReadFailures(const Run& run) {
  std::map<uint64_t, std::string> failures;
  const fs::path path = run.dir / "failures.jsonl";
  std::error_code ec;
  if (!fs::exists(path, ec)) return failures;
  ASSIGN_OR_RETURN(std::string content, ReadWhole(path));
  // Generate appends failure lines before their chunk commits, so a crash can
  // leave a partial last line: it belongs to no committed chunk.
  content.resize(content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1);
  RETURN_IF_ERROR(ForEachLine(path, content, [&](size_t n, std::string_view line) -> Status {
    const std::optional<uint64_t> index = IndexOf(nlohmann::json::parse(line, nullptr, false));
    if (!index) {
      return ParseError(fmt::format("{}:{}: not a failure record with an index", path.string(), n));
    }
    if (*index >= run.manifest.start_index() && *index < run.end_index()) failures.emplace(*index, std::string(line));
    return Status::Ok();
  }));
  return failures;
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

}  // namespace jitsynth::store
