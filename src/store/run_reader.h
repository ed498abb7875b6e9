// Reading a run: the output directory of generate, dedup or split. Every
// tool that takes a run as input opens it here, so that each one accepts the
// same directories and rejects the rest with the same messages.
//
//   ASSIGN_OR_RETURN(dataset::Run run, dataset::OpenRun("data/run1"));
//   RETURN_IF_ERROR(dataset::ForEachRecord(run, [](const dataset::RecordLine& r) {
//     Use(r.index, r.json.at("python").get<std::string>());
//     return Status::Ok();
//   }));
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/manifest.h"
#include "store/record.h"

namespace jitsynth::store {

struct Run {
  std::filesystem::path dir;
  Manifest manifest;
  uint64_t chunk_size() const { return manifest.chunk_size; }
  const std::vector<ChunkInfo>& chunks() const { return manifest.chunks; }
  bool complete() const { return manifest.complete; }  // false: interrupted (chunks still valid)
  // One past the last index a committed chunk covers.
  uint64_t end_index() const { return manifest.committed_through(); }
};

// Checks that `dir` holds a run: a manifest.json of format jitsynth-run/1
// whose chunk list is contiguous from index 0 and names files that exist.
// Anything else is kInvalidArgument, with a message that names the directory
// and what is wrong.
Result<Run> OpenRun(const std::filesystem::path& dir);

struct RecordLine {
  uint64_t index;
  std::string_view line;  // as stored, without its newline
  const nlohmann::json& json;
};

// Calls `visit` for every record of the committed chunks, in index order. A
// line that is not a JSON object with an index inside its chunk, a last line
// without its newline (a truncated chunk) or a record count other than the
// manifest's is kParseError naming the file and the line.
Status ForEachRecord(const Run& run, const std::function<Status(const RecordLine&)>& visit);

// kInvalidArgument when `out` is the run's directory or lies inside it: tools never modify their
// input. `flag` names the option in the message.
Status CheckOutsideRun(const Run& run, const std::filesystem::path& out, std::string_view flag);

// The failures.jsonl lines of committed indices, by index.
Result<std::map<uint64_t, std::string>> ReadFailures(const Run& run);

}  // namespace jitsynth::store
