// `jitsynth export`: the records of a run as one file that loaders read directly.
//
//   ExportOptions o{.in = "data/run1", .out = "run1.parquet", .format = ExportFormat::kParquet,
//                   .python = ".venv/bin/python"};
//   ASSIGN_OR_RETURN(ExportSummary s, Export(o));
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace jitsynth::publish {

enum class ExportFormat {
  // Through pyarrow (python -m jitsynth_tools.export): one column per schema field.
  kParquet,
  // The data lines exactly as stored, in index order, in one zstd frame (libzstd, here).
  kJsonlZst,
};

struct ExportOptions {
  std::string in;   // a jitsynth output directory; only read
  std::string out;  // the file to write; an existing file is replaced, atomically
  ExportFormat format = ExportFormat::kParquet;
  std::string python;  // interpreter with pyarrow and jitsynth_tools (Parquet only)
};

struct ExportSummary {
  uint64_t records = 0;
  uint64_t bytes = 0;  // size of the file written
};

// Every record is read and checked before anything is written; the output appears under its
// name only when complete. Bad input (not a run, a corrupt chunk, an --out inside the run or
// naming a directory) is kInvalidArgument.
Result<ExportSummary> Export(const ExportOptions& options);

}  // namespace jitsynth::publish
