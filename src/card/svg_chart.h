// Charts for the dataset card, as standalone SVG: no plotting dependency, text that stays
// selectable and sharp at any zoom, and files small enough to commit beside a README.
//
//   std::vector<Bar> bars = {{"loop", 120}, {"branch", 97}};
//   std::string svg = BarChartSvg(bars, {"Records per category", "records"});
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jitsynth::card {

struct ChartText {
  std::string title;
  std::string value_axis;  // the label under the axis that carries the values
};

struct Bar {
  std::string label;
  double value = 0;
  std::string note;  // written at the bar's end; empty: the value itself
};

// One horizontal bar per entry, top to bottom in the order given, labels on the left.
std::string BarChartSvg(std::span<const Bar> bars, const ChartText& text);

// Counts of values in consecutive bins [edges[i], edges[i+1]). With `open_last`, the last bin
// holds every value from its lower edge up (the long tail, so the body of the distribution keeps
// its resolution).
struct Histogram {
  std::vector<double> edges;
  std::vector<uint64_t> counts;  // edges.size() - 1 of them
  bool open_last = false;
};

// About `target_bins` bins of a round width (1 at least: the values are counts) from the smallest
// value to the 99th percentile, and an open bin for the rest when there is any. `values` need not
// be sorted; empty gives no bins.
Histogram MakeHistogram(std::span<const double> values, int target_bins);

// Vertical bars over the bins, counts on the left axis.
std::string HistogramSvg(const Histogram& histogram, const ChartText& text,
                         std::string_view count_axis);

}  // namespace jitsynth::card
