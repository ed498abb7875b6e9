#include "card/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace jitsynth::card {
namespace {

constexpr std::string_view kBarColor = "#4c78a8";
constexpr std::string_view kTailColor = "#9ecae9";  // the open bin: not like the others
constexpr std::string_view kGridColor = "#dddddd";
constexpr std::string_view kTextColor = "#222222";
constexpr double kCharWidth = 7.0;  // average advance of a 12px sans-serif character

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The smallest step of 1, 2, 2.5 or 5 times a power of ten that is at least `raw`: what a person
// would choose for an axis. 2.5 only from 25 up, so that counts keep integer steps.
double NiceStep(double raw) {
  if (!(raw > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  if (fraction <= 1) return magnitude;
  if (fraction <= 2) return 2 * magnitude;
  if (fraction <= 2.5 && magnitude >= 10) return 2.5 * magnitude;
  if (fraction <= 5) return 5 * magnitude;
  return 10 * magnitude;
}

// Axis numbers: short ("12k", "1.5M"), never in exponent notation.
std::string FormatNumber(double v) {
  const double a = std::fabs(v);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  if (v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

struct Axis {
  double step;
  double max;  // a multiple of step, at least the largest value
};

// About five round steps up to `largest`; whole steps when the values are counts.
Axis ValueAxis(double largest, bool counts) {
  double step = largest > 0 ? NiceStep(largest / 5) : 1;
  if (counts) step = std::max(step, 1.0);
  return {step, std::max(step, std::ceil(largest / step) * step)};
}

std::string Open(double width, double height, std::string_view title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
      "font-size=\"12\" fill=\"{2}\">\n"
      "<title>{3}</title>\n"
      // Opaque, so that the chart stays readable in a viewer with a dark background.
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<text x=\"{4:.0f}\" y=\"26\" font-size=\"16\" font-weight=\"bold\" "
      "text-anchor=\"middle\">{3}</text>\n",
      width, height, kTextColor, Escape(title), width / 2);
}

std::string Text(double x, double y, std::string_view anchor, std::string_view text,
                 std::string_view extra = "") {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\"{}>{}</text>\n", x, y,
                     anchor, extra, Escape(text));
}

std::string Line(double x1, double y1, double x2, double y2, std::string_view color) {
  return fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", x1, y1, x2,
      y2, color);
}

std::string Rect(double x, double y, double w, double h, std::string_view color) {
  return fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", x, y,
      std::max(w, 0.0), std::max(h, 0.0), color);
}

}  // namespace

std::string BarChartSvg(std::span<const Bar> bars, const ChartText& text) {
  constexpr double kTop = 48, kRow = 22, kBar = 15, kPlot = 460, kRight = 120, kBottom = 56;
  size_t longest = 4;
  double largest = 0;
  for (const Bar& b : bars) {
    longest = std::max(longest, b.label.size());
    largest = std::max(largest, b.value);
  }
  const double left = static_cast<double>(longest) * kCharWidth + 20;
  const double plot_bottom = kTop + static_cast<double>(std::max<size_t>(bars.size(), 1)) * kRow;
  const double width = left + kPlot + kRight;
  std::string svg = Open(width, plot_bottom + kBottom, text.title);
  if (bars.empty()) {
    svg += Text(width / 2, kTop + 14, "middle", "(no data)");
    return svg + "</svg>\n";
  }
  const bool counts = std::all_of(bars.begin(), bars.end(),
                                  [](const Bar& b) { return b.value == std::floor(b.value); });
  const Axis axis = ValueAxis(largest, counts);
  const auto x_of = [&](double v) { return left + v / axis.max * kPlot; };
  for (double tick = 0; tick <= axis.max * (1 + 1e-9); tick += axis.step) {
    svg += Line(x_of(tick), kTop - 4, x_of(tick), plot_bottom, kGridColor);
    svg += Text(x_of(tick), plot_bottom + 16, "middle", FormatNumber(tick));
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = kTop + static_cast<double>(i) * kRow;
    svg += Rect(left, y + (kRow - kBar) / 2, x_of(b.value) - left, kBar, kBarColor);
    svg += Text(left - 8, y + kRow / 2 + 4, "end", b.label);
    svg += Text(x_of(b.value) + 6, y + kRow / 2 + 4, "start",
                b.note.empty() ? FormatNumber(b.value) : b.note);
  }
  svg += Line(left, kTop - 4, left, plot_bottom, kTextColor);
  svg += Text(left + kPlot / 2, plot_bottom + 40, "middle", text.value_axis);
  return svg + "</svg>\n";
}

Histogram MakeHistogram(std::span<const double> values, int target_bins) {
  Histogram h;
  if (values.empty()) return h;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  // Nearest-rank 99th percentile: the end of the body; the tail past it gets one open bin.
  const size_t p99 = (sorted.size() * 99 + 99) / 100 - 1;
  const double lo = sorted.front();
  const double hi = sorted[std::min(p99, sorted.size() - 1)];
  const double step = NiceStep(std::max((hi - lo) / std::max(target_bins, 1), 1.0));
  const double start = std::floor(lo / step) * step;
  const auto closed = static_cast<size_t>(std::floor((hi - start) / step)) + 1;
  for (size_t i = 0; i <= closed; ++i) h.edges.push_back(start + static_cast<double>(i) * step);
  h.open_last = sorted.back() >= h.edges.back();
  if (h.open_last) h.edges.push_back(sorted.back());
  h.counts.assign(h.edges.size() - 1, 0);
  for (double v : sorted) {
    const auto bin = static_cast<size_t>(std::floor((v - start) / step));
    ++h.counts[std::min(bin, h.counts.size() - 1)];
  }
  return h;
}

std::string HistogramSvg(const Histogram& histogram, const ChartText& text,
                         std::string_view count_axis) {
  constexpr double kWidth = 760, kLeft = 72, kRight = 24, kTop = 48, kPlotHeight = 260,
                   kBottom = 72;
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_bottom = kTop + kPlotHeight;
  std::string svg = Open(kWidth, plot_bottom + kBottom, text.title);
  const size_t bins = histogram.counts.size();
  if (bins == 0) {
    svg += Text(kWidth / 2, kTop + 14, "middle", "(no data)");
    return svg + "</svg>\n";
  }
  const Axis axis = ValueAxis(
      static_cast<double>(*std::max_element(histogram.counts.begin(), histogram.counts.end())),
      /*counts=*/true);
  const auto y_of = [&](double count) { return plot_bottom - count / axis.max * kPlotHeight; };
  for (double tick = 0; tick <= axis.max * (1 + 1e-9); tick += axis.step) {
    svg += Line(kLeft, y_of(tick), kLeft + plot_width, y_of(tick), kGridColor);
    svg += Text(kLeft - 6, y_of(tick) + 4, "end", FormatNumber(tick));
  }
  const double bin_width = plot_width / static_cast<double>(bins);
  for (size_t i = 0; i < bins; ++i) {
    const double x = kLeft + static_cast<double>(i) * bin_width;
    const double count = static_cast<double>(histogram.counts[i]);
    const bool tail = histogram.open_last && i + 1 == bins;
    svg += Rect(x + 1, y_of(count), bin_width - 2, plot_bottom - y_of(count),
                tail ? kTailColor : kBarColor);
    if (count > 0) {
      svg += Text(x + bin_width / 2, y_of(count) - 3, "middle", FormatNumber(count),
                  " font-size=\"10\"");
    }
  }
  // Edge labels, thinned to about ten; the open bin is labelled by its lower edge and a "≥".
  const size_t labelled_edges = histogram.open_last ? bins : bins + 1;
  const size_t every = (labelled_edges + 9) / 10;
  for (size_t i = 0; i < labelled_edges; i += every) {
    const double x = kLeft + static_cast<double>(i) * bin_width;
    svg += Line(x, plot_bottom, x, plot_bottom + 4, kTextColor);
    svg += Text(x, plot_bottom + 17, "middle", FormatNumber(histogram.edges[i]));
  }
  if (histogram.open_last) {
    svg += Text(kLeft + (static_cast<double>(bins) - 0.5) * bin_width, plot_bottom + 30, "middle",
                "\u2265 " + FormatNumber(histogram.edges[bins - 1]), " font-size=\"10\"");
  }
  svg += Line(kLeft, plot_bottom, kLeft + plot_width, plot_bottom, kTextColor);
  svg += Line(kLeft, kTop, kLeft, plot_bottom, kTextColor);
  svg += Text(kLeft + plot_width / 2, plot_bottom + 52, "middle", text.value_axis);
  svg += Text(18, kTop + kPlotHeight / 2, "middle", count_axis,
              fmt::format(" transform=\"rotate(-90 18 {:.1f})\"", kTop + kPlotHeight / 2));
  return svg + "</svg>\n";
}

}  // namespace jitsynth::card
