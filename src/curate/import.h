// `jitsynth import`: a run made of records from a JSON lines file (the output of `extract`, an
// exported run, records from elsewhere), so that every tool reads them like a generated run.
//
// The file is all or nothing: every line must be a record of docs/schema.json (blank lines are
// ignored) and every id unique; the first line that is not refuses the whole file, naming the
// line and the field, and nothing is written. A partial import would hide a problem a user
// asked to be told of; fixing the line and importing again is cheap.
//
// Indices: kept when they increase strictly through the file (an exported run comes back
// with the same indices, byte for byte); otherwise (several extracted records, all index 0)
// the records are numbered 0, 1, ... in file order and the manifest says so. Ids never change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace jitsynth::curate {

struct ImportOptions {
  std::filesystem::path in;   // a JSON lines file
  std::filesystem::path out;  // new or empty directory
  uint64_t chunk_size = 1000;
  std::vector<std::string> command_line;  // recorded in the manifest
};

struct ImportSummary {
  uint64_t records = 0;
  bool renumbered = false;  // indices assigned in file order
};

Result<ImportSummary> Import(const ImportOptions& options);

}  // namespace jitsynth::curate
