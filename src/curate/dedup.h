// `jitsynth dedup`: a run without its duplicates. Of each cluster of
// clusters.h the lowest index stays; failures are carried over.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "curate/clusters.h"
#include "store/manifest.h"

namespace jitsynth::curate {

struct DedupOptions {
  std::filesystem::path in;
  std::filesystem::path out;  // new or empty
  ClusterOptions clusters;
  // How the output's chunks are stored (--compress); none: as the input's.
  std::optional<store::Compression> compression;
  std::vector<std::string> command_line;  // recorded in the manifest
};

struct DedupSummary {
  uint64_t records = 0;  // in the input
  uint64_t kept = 0;
  uint64_t exact_duplicates = 0;
  uint64_t near_duplicates = 0;
};

// Reads `in` twice (keys, then copying) and never writes to it.
Result<DedupSummary> Dedup(const DedupOptions& options);

}  // namespace jitsynth::curate
