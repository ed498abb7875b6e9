// `jitsynth stats`: a dataset card for a run, README.md in Hugging Face's format (YAML front
// matter, then sections), with SVG charts in charts/: records per category and dtype, JAX API and
// HLO opcode coverage, length distributions of the Python and every IR level, the share with
// control flow and with a backward pass, failures per stage, throughput.
//
//   ASSIGN_OR_RETURN(StatsSummary s, WriteStats({.in = "data/run1", .out = "data/run1-card"}));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jitsynth::card {

struct StatsOptions {
  std::string in;   // a jitsynth output directory; only read
  std::string out;  // the report directory: new, empty, or a report this command wrote before
  std::string license = "unknown";  // the card's `license:`, a Hugging Face license identifier
};

struct StatsSummary {
  uint64_t records = 0;
  std::vector<std::string> charts;  // file names under OUT/charts, in the card's order
};

Result<StatsSummary> WriteStats(const StatsOptions& options);

}  // namespace jitsynth::card
