// `jitsynth split`: train, validation and test runs with no structural
// leakage. Every cluster of clusters.h (by default over both keys: a program
// that shares its normalized Python or its canonical optimized HLO with one
// in another part would leak; --key adds or chooses others) goes whole to one part, chosen by a hash of its
// representative's program key (normalized Python and argument specs): the
// same program lands in the same part in every run and every record order.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "curate/clusters.h"
#include "store/manifest.h"

namespace jitsynth::curate {

inline constexpr std::array<std::string_view, 3> kSplitParts = {"train", "validation", "test"};

using SplitRatios = std::array<double, 3>;

// "0.8,0.1,0.1": three non-negative numbers that sum to 1 (within 1e-6).
Result<SplitRatios> ParseRatios(std::string_view text);

struct SplitOptions {
  std::filesystem::path in;
  std::filesystem::path out;  // new or empty; receives train/, validation/, test/
  SplitRatios ratios = {0.8, 0.1, 0.1};
  uint64_t seed = 0;
  NearOptions near;
  // What makes two records one program (--key; default python and optimized HLO).
  DedupKey key = DedupKey::Both();
  // How the parts' chunks are stored (--compress); none: as the input's.
  std::optional<store::Compression> compression;
  std::vector<std::string> command_line;  // recorded in each part's manifest
};

struct SplitSummary {
  uint64_t records = 0;
  uint64_t clusters = 0;
  std::array<uint64_t, 3> records_per_part = {0, 0, 0};
};

Result<SplitSummary> Split(const SplitOptions& options);

}  // namespace jitsynth::curate
