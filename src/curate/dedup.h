// `jitsynth dedup`: runs without their duplicates, and without copies of an evaluation set.
//
// One run: of each cluster of clusters.h the lowest index stays; failures are carried over.
// Several runs (other seeds, policies, imported records): they are read as one run, run k's
// indices shifted past the runs before it (store::WriteMerged), and clustered together, so a
// program in two runs is kept once, from the first run that has it. The manifest's derivation
// lists each run with its output index range: the provenance of every kept record. Two kept
// records of different runs with one id (runs of one seed) are refused, before anything is
// written.
//
// --against EVAL... (runs or JSON lines files of records): every input record that shares an
// exact key with an evaluation record, is its near-duplicate, or is linked to one through
// other input records (a cluster that reaches the evaluation set) is removed, with its reason
// counted in the manifest and listed in OUT/contaminated.jsonl.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "curate/clusters.h"
#include "store/manifest.h"

namespace jitsynth::curate {

struct DedupOptions {
  std::vector<std::filesystem::path> inputs;   // runs, in order of precedence
  std::vector<std::filesystem::path> against;  // evaluation runs or JSON lines files
  std::filesystem::path out;                   // new or empty
  ClusterOptions clusters;
  // How the output's chunks are stored (--compress); none: as the input's.
  std::optional<store::Compression> compression;
  std::vector<std::string> command_line;  // recorded in the manifest
};

struct DedupSummary {
  uint64_t records = 0;  // in the inputs
  uint64_t kept = 0;
  uint64_t exact_duplicates = 0;
  uint64_t near_duplicates = 0;
  uint64_t eval_records = 0;  // in the --against sets
  // Records removed as copies of the evaluation set, by reason: "exact python", "near
  // optimized_hlo", ..., "duplicate of a contaminated record".
  std::map<std::string, uint64_t> contaminated;
  uint64_t contaminated_total() const {
    uint64_t n = 0;
    for (const auto& [reason, count] : contaminated) n += count;
    return n;
  }
};

// Reads the inputs twice (keys, then copying) and never writes to them.
Result<DedupSummary> Dedup(const DedupOptions& options);

}  // namespace jitsynth::curate
