// Reading a jitsynth output directory, the layout `generate` writes: manifest.json, the data
// chunks it lists, failures.jsonl. The tools (stats, export) read runs only through here, so a
// directory that is not a jitsynth output, or a chunk that was cut short or corrupted, is refused
// in one place, as kInvalidArgument naming the file and the line.
//
//   ASSIGN_OR_RETURN(Run run, OpenRun("data/run1"));
//   RETURN_IF_ERROR(ForEachRecord(run, [&](std::string_view line, const Json& record) {
//     ...;
//     return Status::Ok();
//   }));
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "dataset/record.h"
#include "dataset/writer.h"

namespace jitsynth::dataset {

struct Run {
  std::filesystem::path dir;
  Json manifest;
  std::vector<ChunkInfo> chunks;   // committed chunks, in index order
  uint64_t committed_through = 0;  // every index below is in a chunk or in failures.jsonl
  bool complete = false;           // false: the run was interrupted (the chunks are still valid)
};

// Reads and checks `dir`/manifest.json (format "jitsynth-run/1") and that every chunk it lists
// exists. Does not read the chunks.
Result<Run> OpenRun(const std::filesystem::path& dir);

// kInvalidArgument when `out` is the run's directory or lies inside it: tools never modify their
// input. `flag` names the option in the message.
Status CheckOutsideRun(const Run& run, const std::filesystem::path& out, std::string_view flag);

// Calls `visit` with every record, in index order: the line as stored (without its newline) and
// the record parsed. Each record is checked to be an object with the schema's top-level fields
// of the right JSON types (docs/schema.json), so visitors may read them without checking.
using RecordVisitor = std::function<Status(std::string_view line, const Json& record)>;
Status ForEachRecord(const Run& run, const RecordVisitor& visit);

// The failure lines of the committed chunks (index below committed_through), in file order.
// Lines past that belong to a chunk that an interrupted run never committed and are ignored.
Result<std::vector<Json>> ReadFailures(const Run& run);

}  // namespace jitsynth::dataset
