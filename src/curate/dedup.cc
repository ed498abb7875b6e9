#include "curate/dedup.h"

#include "store/derive.h"

namespace jitsynth::curate {
using store::Run;
using store::OpenRun;
using store::Part;
using store::kNoPart;
using store::PrepareDerivedDir;
using store::WriteParts;
using store::Json;

Result<DedupSummary> Dedup(const DedupOptions& options) {
  ASSIGN_OR_RETURN(const Run input, OpenRun(options.in));
  // Every record is read before anything is written: a corrupt input leaves no output behind.
  ASSIGN_OR_RETURN(const Clusters clusters, FindClusters(input, options.clusters));
  RETURN_IF_ERROR(PrepareDerivedDir(input, options.out));
  DedupSummary summary;
  summary.records = clusters.index.size();
  summary.kept = clusters.count();
  summary.exact_duplicates = clusters.exact_duplicates;
  summary.near_duplicates = clusters.near_duplicates;
  std::vector<size_t> part_of_record(clusters.index.size(), kNoPart);
  for (size_t i = 0; i < clusters.root.size(); ++i) {
    if (clusters.root[i] == i) part_of_record[i] = 0;
  }
  Part part{options.out, /*failures=*/true,
                  Json{{"tool", "dedup"},
                       {"command", options.command_line},
                       {"input", options.in.string()},
                       {"key", DedupKeyName(options.clusters.key)},
                       {"near", options.clusters.near.enabled},
                       {"threshold", options.clusters.near.threshold},
                       {"records_in", summary.records},
                       {"kept", summary.kept},
                       {"exact_duplicates", summary.exact_duplicates},
                       {"near_duplicates", summary.near_duplicates}},
            options.compression};
  RETURN_IF_ERROR(WriteParts(input, std::span<const Part>(&part, 1), part_of_record));
  return summary;
}

}  // namespace jitsynth::curate
