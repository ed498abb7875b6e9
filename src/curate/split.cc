#include "curate/split.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "store/derive.h"
#include "store/files.h"
#include "post/hash.h"

namespace jitsynth::curate {
using store::Run;
using store::OpenRun;

using store::Part;
using store::PrepareDerivedDir;
using store::WriteParts;
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The part of a cluster whose representative has program key `key`: where a
// seeded hash of it, read as a number in [0, 1), falls among the cumulative
// ratios. Parts therefore get their share of clusters only approximately,
// and a small run may leave a part empty.
size_t PartOf(uint64_t key, uint64_t seed, const SplitRatios& ratios) {
  // Hex digits: the same bytes on every host, whatever its byte order.
  const uint64_t h = post::Hash64(fmt::format("{:016x}", key), seed);
  const double u = static_cast<double>(h >> 11) * 0x1.0p-53;  // uniform in [0, 1)
  double cumulative = 0;
  size_t last_nonempty = 0;
  for (size_t p = 0; p < ratios.size(); ++p) {
    if (ratios[p] <= 0) continue;
    cumulative += ratios[p];
    last_nonempty = p;
    if (u < cumulative) return p;
  }
  return last_nonempty;  // ratios summing to slightly below 1
}

}  // namespace

Result<SplitRatios> ParseRatios(std::string_view text) {
  SplitRatios ratios{};
  std::string_view rest = text;
  for (size_t i = 0; i < ratios.size(); ++i) {
    const size_t comma = rest.find(',');
    const bool last = i + 1 == ratios.size();
    if (last != (comma == std::string_view::npos)) {
      return InvalidArgument(fmt::format(
          "--ratios must be three numbers train,validation,test such as 0.8,0.1,0.1, got '{}'",
          text));
    }
    const std::string_view field = Trim(rest.substr(0, comma));
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), ratios[i]);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size() ||
        !std::isfinite(ratios[i])) {
      return InvalidArgument(fmt::format("--ratios: '{}' is not a number (in '{}')", field, text));
    }
    if (ratios[i] < 0) {
      return InvalidArgument(fmt::format("--ratios: {} is negative (in '{}')", field, text));
    }
    rest = last ? std::string_view() : rest.substr(comma + 1);
  }
  const double sum = ratios[0] + ratios[1] + ratios[2];
  if (std::abs(sum - 1.0) > 1e-6) {
    return InvalidArgument(fmt::format("--ratios must sum to 1, '{}' sums to {}", text, sum));
  }
  return ratios;
}

Result<SplitSummary> Split(const SplitOptions& options) {
  ASSIGN_OR_RETURN(const Run input, OpenRun(options.in));
  const ClusterOptions cluster_options{options.key, options.near};
  ASSIGN_OR_RETURN(const Clusters clusters, FindClusters(input, cluster_options));
  RETURN_IF_ERROR(PrepareDerivedDir(input, options.out));
  SplitSummary summary;
  summary.records = clusters.index.size();
  summary.clusters = clusters.count();
  std::vector<size_t> part_of_record(clusters.index.size());
  for (size_t i = 0; i < part_of_record.size(); ++i) {
    part_of_record[i] =
        PartOf(clusters.program_key[clusters.root[i]], options.seed, options.ratios);
    ++summary.records_per_part[part_of_record[i]];
  }
  std::vector<Part> parts;
  for (size_t p = 0; p < kSplitParts.size(); ++p) {
    const std::filesystem::path dir = options.out / kSplitParts[p];
    RETURN_IF_ERROR(store::PrepareNewOutputDir(dir));
    parts.push_back({dir,
                     /*failures=*/false,
                     {{"tool", "split"},
                      {"command", options.command_line},
                      {"input", options.in.string()},
                      {"part", kSplitParts[p]},
                      {"ratios", options.ratios},
                      {"seed", options.seed},
                      {"near", options.near.enabled},
                      {"threshold", options.near.threshold},
                      {"records_in", summary.records},
                      {"clusters_in", summary.clusters},
                      {"records", summary.records_per_part[p]}},
                     options.compression});
    if (options.key.fields != DedupKey::Both().fields) {
      parts.back().derivation["key"] = DedupKeyName(options.key);
    }
  }
  RETURN_IF_ERROR(WriteParts(input, parts, part_of_record));
  return summary;
}

}  // namespace jitsynth::curate
