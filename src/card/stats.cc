#include "card/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "card/svg_chart.h"
#include "post/text.h"
#include "store/files.h"
#include "store/run_reader.h"
#include "store/writer.h"

namespace jitsynth::card {
using store::CheckOutsideRun;
using store::ForEachRecord;
using store::Json;
using store::Manifest;
using store::OpenRun;
using store::ReadFailures;
using store::RecordLine;
using store::Run;
using store::WriteFileAtomic;
namespace fs = std::filesystem;
namespace {

// What the card says when the run is not all there: interrupted, or a part of a run.
std::string PartialNote(const store::Run& run) {
  const store::Manifest& m = run.manifest;
  std::string note;
  if (m.partial) {
    note = fmt::format(" This directory is a part of a run of {} samples: chunks {} to {} "
                       "(indices {} to {}).",
                       m.count, m.partial->first, m.partial->end - 1, m.start_index(),
                       m.end_index() - 1);
  }
  if (!run.complete()) {
    note += fmt::format(" The run was interrupted: this card describes the {} indices it "
                        "committed.",
                        run.end_index() - m.start_index());
  }
  return note;
}

// The texts whose lengths the card reports, forward then backward.
constexpr std::array<const char*, 5> kTexts = {"python", "jaxpr", "stablehlo", "hlo",
                                               "optimized_hlo"};
constexpr std::array<const char*, 5> kControlFlow = {"lax.cond", "lax.switch", "lax.fori_loop",
                                                     "lax.scan", "lax.while_loop"};
// Coverage charts show the most frequent names; the tables under them list every one.
constexpr size_t kTopApi = 30;
constexpr size_t kTopOpcodes = 40;
constexpr int kHistogramBins = 20;

struct Count {
  uint64_t records = 0;  // records with at least one
  uint64_t total = 0;    // occurrences
};

// The levels below HLO, in a run made with them (generate --levels, --gpu-target): where each
// text is, how its kernels are headed, and how its instruction mix is read (none: not reported).
struct MachineLevel {
  const char* name;    // in the card and stats.json: "llvm_ir", "grad.asm", "gpu.ptx"
  const char* holder;  // the object that holds it: "" (the record), "grad", "gpu", "gpu.grad"
  const char* field;
  const char* header;  // the line that heads each kernel; "" for a level without kernels
  std::vector<std::string> (*mix)(std::string_view);
};
constexpr std::string_view kIrHeader = "; ---- kernel: ";
constexpr MachineLevel kMachineLevels[] = {
    {"llvm_ir_unoptimized", "", "llvm_ir_unoptimized", kIrHeader.data(), post::LlvmIrOpcodes},
    {"llvm_ir", "", "llvm_ir", kIrHeader.data(), post::LlvmIrOpcodes},
    {"asm", "", "asm", "# ---- kernel: ", post::AsmMnemonics},
    {"grad.llvm_ir_unoptimized", "grad", "llvm_ir_unoptimized", kIrHeader.data(), nullptr},
    {"grad.llvm_ir", "grad", "llvm_ir", kIrHeader.data(), nullptr},
    {"grad.asm", "grad", "asm", "# ---- kernel: ", nullptr},
    {"gpu.optimized_hlo", "gpu", "optimized_hlo", "", nullptr},
    {"gpu.llvm_ir", "gpu", "llvm_ir", kIrHeader.data(), nullptr},
    {"gpu.ptx", "gpu", "ptx", "// ---- kernel: ", post::PtxOpcodes},
    {"gpu.grad.optimized_hlo", "gpu.grad", "optimized_hlo", "", nullptr},
    {"gpu.grad.llvm_ir", "gpu.grad", "llvm_ir", kIrHeader.data(), nullptr},
    {"gpu.grad.ptx", "gpu.grad", "ptx", "// ---- kernel: ", nullptr},
};

// A level's text in a record, or null: holder.field, or holder.levels.field.
const store::Json* MachineText(const store::Json& record, const MachineLevel& level) {
  const store::Json* holder = &record;
  std::string_view path = level.holder;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const auto it = holder->find(std::string(path.substr(0, dot)));
    if (it == holder->end() || !it->is_object()) return nullptr;
    holder = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  if (const auto it = holder->find(level.field); it != holder->end() && it->is_string()) {
    return &*it;
  }
  const auto levels = holder->find("levels");
  if (levels == holder->end() || !levels->is_object()) return nullptr;
  const auto it = levels->find(level.field);
  return it != levels->end() && it->is_string() ? &*it : nullptr;
}

// Adds one record's names: `records` once per distinct name, `total` once per occurrence.
void Tally(std::map<std::string, Count>& counts, const std::vector<std::string>& names) {
  std::set<std::string_view> seen;
  for (const std::string& name : names) {
    Count& c = counts[name];
    ++c.total;
    if (seen.insert(name).second) ++c.records;
  }
}

// Names by decreasing record count, then by name: the order of the charts and tables.
std::vector<std::pair<std::string, Count>> ByRecords(const std::map<std::string, Count>& counts) {
  std::vector<std::pair<std::string, Count>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.records > b.second.records;
  });
  return sorted;
}

std::string Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? "0%"
                    : fmt::format("{:.1f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, int p) {
  if (sorted.empty()) return 0;
  const size_t rank = (sorted.size() * static_cast<size_t>(p) + 99) / 100;
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

// Hugging Face's size buckets (the `size_categories` of a card).
std::string SizeCategory(uint64_t n) {
  constexpr std::array<std::pair<uint64_t, const char*>, 6> kBuckets = {{
      {1'000, "n<1K"},
      {10'000, "1K<n<10K"},
      {100'000, "10K<n<100K"},
      {1'000'000, "100K<n<1M"},
      {10'000'000, "1M<n<10M"},
      {100'000'000, "10M<n<100M"},
  }};
  for (const auto& [limit, name] : kBuckets) {
    if (n < limit) return name;
  }
  return "100M<n<1B";
}

// Manifest fields are read leniently: an odd field shows as "?" in the card, never as a failure.
const Json& Object(const Json& j, const char* key) {
  static const Json kEmpty = Json::object();
  const auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}
std::string String(const Json& j, const char* key, std::string fallback = "?") {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}
double Number(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}
// An integer as written (a uint64 seed does not survive a trip through double).
std::string Integer(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->dump() : "?";
}

// A YAML scalar in double quotes: the license or a name may hold ':' or '#'.
std::string YamlString(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

struct Lengths {
  std::vector<double> chars;
  std::vector<double> tokens;
  void Add(std::string_view text) {
    chars.push_back(static_cast<double>(text.size()));
    tokens.push_back(static_cast<double>(post::ApproxTokens(text)));
  }
};

// One level below HLO over the records that have it.
struct MachineTally {
  Lengths lengths;
  std::vector<double> kernels;  // per record, when the level has kernel headers
  uint64_t without_kernels = 0;  // records whose text is "" (a program without kernels)
  std::map<std::string, Count> mix;

  void Add(const std::string& text, const MachineLevel& level) {
    lengths.Add(text);
    without_kernels += text.empty();
    if (*level.header != '\0') {
      kernels.push_back(static_cast<double>(post::KernelCount(text, level.header)));
    }
    if (level.mix != nullptr) Tally(mix, level.mix(text));
  }
};

// Everything the card reports, gathered in one pass over the records.
struct Tallies {
  uint64_t records = 0;
  uint64_t with_grad = 0;
  uint64_t with_control_flow = 0;
  std::map<std::string, uint64_t> categories;
  std::map<std::string, uint64_t> dtypes;  // records with an argument of the dtype
  std::map<std::string, Count> api;
  std::map<std::string, Count> opcodes;
  std::map<std::string, Lengths> forward;    // by text field
  std::map<std::string, Lengths> backward;   // by text field of `grad`
  std::map<std::string, uint64_t> failures;  // by stage
  std::map<std::string, MachineTally> machine;  // by MachineLevel::name, the levels present
  std::map<std::string, uint64_t> gpu_targets;  // records per gpu.target

  void AddMachineLevels(const Json& r) {
    for (const MachineLevel& level : kMachineLevels) {
      if (const Json* text = MachineText(r, level)) {
        machine[level.name].Add(text->get_ref<const std::string&>(), level);
      }
    }
    if (const auto gpu = r.find("gpu"); gpu != r.end() && gpu->is_object()) {
      ++gpu_targets[String(*gpu, "target")];
    }
  }

  void Add(const Json& r) {
    AddMachineLevels(r);
    ++records;
    ++categories[r["category"].get<std::string>()];
    std::set<std::string> arg_dtypes;
    for (const Json& a : r["args"]) arg_dtypes.insert(a["dtype"].get<std::string>());
    for (const std::string& d : arg_dtypes) ++dtypes[d];
    const std::vector<std::string> calls = post::JaxApiCalls(r["python"].get<std::string>());
    Tally(api, calls);
    if (std::any_of(calls.begin(), calls.end(), [](const std::string& c) {
          return std::find(kControlFlow.begin(), kControlFlow.end(), c) != kControlFlow.end();
        })) {
      ++with_control_flow;
    }
    Tally(opcodes, post::HloOpcodes(r["hlo"].get<std::string>()));
    for (const char* field : kTexts) forward[field].Add(r[field].get<std::string>());
    if (r["grad"].is_null()) return;
    ++with_grad;
    for (const char* field : kTexts) backward[field].Add(r["grad"][field].get<std::string>());
  }
};

// The report directory: new, empty, or holding only what this command writes (README.md and
// charts/ of SVG files), which it replaces.
Status PrepareReportDir(const fs::path& out) {
  RETURN_IF_ERROR(store::CheckNotLink(out, "--out"));
  std::error_code ec;
  if (!fs::exists(out, ec)) {
    fs::create_directories(out / "charts", ec);
    if (ec) {
      return InvalidArgument(
          fmt::format("--out {}: cannot create the directory: {}", out.string(), ec.message()));
    }
    return Status::Ok();
  }
  if (!fs::is_directory(out, ec)) {
    return InvalidArgument(
        fmt::format("--out {}: is an existing file; choose a directory", out.string()));
  }
  const auto foreign = [&]() {
    return InvalidArgument(fmt::format(
        "--out {}: holds files that 'jitsynth stats' did not write; choose a new or empty "
        "directory",
        out.string()));
  };
  for (const fs::directory_entry& e : fs::directory_iterator(out, ec)) {
    const std::string name = e.path().filename().string();
    if ((name == "README.md" || name == "stats.json") && e.is_regular_file()) continue;
    if (name != "charts" || !e.is_directory()) return foreign();
    for (const fs::directory_entry& chart : fs::directory_iterator(e.path(), ec)) {
      if (chart.path().extension() != ".svg" || !chart.is_regular_file()) return foreign();
    }
  }
  // Charts of an earlier report that this one may not draw (failures) must not linger.
  fs::remove_all(out / "charts", ec);
  fs::create_directories(out / "charts", ec);
  if (ec) {
    return InvalidArgument(fmt::format("--out {}: cannot write: {}", out.string(), ec.message()));
  }
  return Status::Ok();
}

// Writes the charts and collects the card's text.
class Card {
 public:
  explicit Card(fs::path out) : out_(std::move(out)) {}

  Status Chart(const std::string& name, const std::string& svg, std::string_view alt) {
    RETURN_IF_ERROR(WriteFileAtomic(out_ / "charts" / name, svg));
    charts_.push_back(name);
    text_ += fmt::format("![{}](charts/{})\n\n", alt, name);
    return Status::Ok();
  }
  Card& operator<<(std::string_view text) {
    text_ += text;
    return *this;
  }
  const std::string& text() const { return text_; }
  std::vector<std::string>& charts() { return charts_; }

 private:
  fs::path out_;
  std::string text_;
  std::vector<std::string> charts_;
};

// A table of `counts` by name, largest first, with each count's share of `total` `units`.
std::string CountTable(std::string_view what, const std::map<std::string, uint64_t>& counts,
                       uint64_t total, std::string_view units) {
  std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string t = fmt::format("| {} | {} | share |\n|---|---:|---:|\n", what, units);
  for (const auto& [name, n] : sorted) {
    t += fmt::format("| `{}` | {} | {} |\n", name, n, Percent(n, total));
  }
  return t + "\n";
}

std::vector<Bar> CountBars(const std::map<std::string, uint64_t>& counts, uint64_t records) {
  std::vector<Bar> bars;
  for (const auto& [name, n] : counts) {
    bars.push_back({name, static_cast<double>(n), fmt::format("{} ({})", n, Percent(n, records))});
  }
  std::stable_sort(bars.begin(), bars.end(),
                   [](const Bar& a, const Bar& b) { return a.value > b.value; });
  return bars;
}

Status Coverage(Card& card, std::string_view what, const std::map<std::string, Count>& counts,
                size_t top, const std::string& chart, std::string_view title) {
  const auto sorted = ByRecords(counts);
  std::vector<Bar> bars;
  for (size_t i = 0; i < std::min(top, sorted.size()); ++i) {
    bars.push_back({sorted[i].first, static_cast<double>(sorted[i].second.records), ""});
  }
  const std::string shown = sorted.size() > top
                                ? fmt::format("the {} most frequent of {}", top, sorted.size())
                                : fmt::format("all {}", sorted.size());
  RETURN_IF_ERROR(card.Chart(
      chart, BarChartSvg(bars, {fmt::format("{} ({})", title, shown), "records that use it"}),
      title));
  card << fmt::format(
      "<details><summary>All {} {}</summary>\n\n| {} | records | uses |\n"
      "|---|---:|---:|\n",
      sorted.size(), what, what);
  for (const auto& [name, c] : sorted) {
    card << fmt::format("| `{}` | {} | {} |\n", name, c.records, c.total);
  }
  card << "\n</details>\n\n";
  return Status::Ok();
}

std::string LengthTable(const std::map<std::string, Lengths>& lengths, std::string_view prefix) {
  std::string t;
  for (const char* field : kTexts) {
    const auto it = lengths.find(field);
    if (it == lengths.end()) continue;
    for (const auto& [unit, values] :
         {std::pair{"chars", it->second.chars}, std::pair{"tokens", it->second.tokens}}) {
      std::vector<double> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      t += fmt::format("| `{}{}` | {} | {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} |\n", prefix,
                       field, unit, Percentile(sorted, 0), Percentile(sorted, 50),
                       Percentile(sorted, 90), Percentile(sorted, 99), sorted.back());
    }
  }
  return t;
}

// The YAML header, the title and what the files hold.
Status Introduction(Card& card, const Run& run, const Tallies& t, const Json& m,
                    const StatsOptions& options) {
  const Json& provenance = Object(m, "provenance");
  const std::string jax_version = String(provenance, "jax_version");
  // zstd chunks (generate --compress zstd): datasets reads them through zstandard.
  const std::string_view ext =
      run.manifest.compression == store::Compression::kZstd ? ".jsonl.zst" : ".jsonl";
  card << "---\n"
       << fmt::format("license: {}\n", YamlString(options.license))
       << "pretty_name: \"jitsynth: synthetic JAX programs and their XLA IR\"\n"
       << "task_categories:\n- text-generation\n- translation\n"
       << "tags:\n- code\n- compilers\n- jax\n- xla\n- stablehlo\n- hlo\n- synthetic\n"
       << fmt::format("size_categories:\n- {}\n", SizeCategory(t.records))
       << "configs:\n- config_name: default\n  data_files:\n  - split: train\n"
       << fmt::format("    path: \"data-*{}\"\n", ext)
       << "---\n\n";

  card << fmt::format("# jitsynth: {} JAX programs and what JAX and XLA compile them to\n\n",
                      t.records)
       << fmt::format(
              "Synthetic programs written by jitsynth {} (seed {}), each paired with its "
              "jaxpr, StableHLO, HLO before XLA's passes and optimized HLO after them, for the "
              "forward pass and, where one exists, the backward pass; compiled with JAX {} on "
              "the {} backend.{}\n\n",
              String(provenance, "jitsynth_version"), Integer(m, "seed"), jax_version,
              String(provenance, "backend"),
              PartialNote(run));

  card << "## Files\n\n"
       << fmt::format("The data are the run's `data-NNNNN{}` files, ", ext)
       << (ext == ".jsonl" ? "" : "each one zstd frame of ")
       << "one JSON record per line (the "
          "`configs` above expect them beside this card). Each record holds `id`, `seed`, "
          "`index`, `category`, `entry`, `python` (a self-contained module defining `entry`), "
          "`args` and `outputs` (`{shape, dtype}`), the forward pass as `jaxpr`, `stablehlo`, "
          "`hlo` and `optimized_hlo`, `grad` (`null`, or the backward module with the same "
          "four levels), `cost` (XLA's flops, bytes accessed, transcendentals) and "
          "`provenance`. A record's `python`, `args` and `entry` reproduce its `stablehlo` "
          "exactly with the same JAX version.\n\n"
       << "```python\nfrom datasets import load_dataset\n\n"
       << fmt::format("ds = load_dataset(\"json\", data_files=\"data-*{}\", split=\"train\")\n```\n\n",
                      ext);

  return Status::Ok();
}

Status CategoriesAndDtypes(Card& card, const Tallies& t) {
  card << "## Categories and dtypes\n\n";
  RETURN_IF_ERROR(card.Chart(
      "categories.svg",
      BarChartSvg(CountBars(t.categories, t.records), {"Records per category", "records"}),
      "Records per category"));
  card << CountTable("category", t.categories, t.records, "records")
       << "A record counts under every dtype among its arguments, so a program that mixes "
          "dtypes counts more than once.\n\n";
  RETURN_IF_ERROR(card.Chart(
      "dtypes.svg",
      BarChartSvg(CountBars(t.dtypes, t.records), {"Records per argument dtype", "records"}),
      "Records per argument dtype"));
  card << CountTable("dtype", t.dtypes, t.records, "records");

  return Status::Ok();
}

Status ControlFlowAndGrad(Card& card, const Tallies& t) {
  card << "## Control flow and backward pass\n\n";
  std::map<std::string, uint64_t> constructs;
  for (const char* c : kControlFlow) {
    const auto it = t.api.find(c);
    constructs[c] = it == t.api.end() ? 0 : it->second.records;
  }
  std::vector<Bar> flow = {
      {"any control flow", static_cast<double>(t.with_control_flow),
       fmt::format("{} ({})", t.with_control_flow, Percent(t.with_control_flow, t.records))},
      {"backward pass", static_cast<double>(t.with_grad),
       fmt::format("{} ({})", t.with_grad, Percent(t.with_grad, t.records))}};
  for (const char* c : kControlFlow) {
    flow.push_back({c, static_cast<double>(constructs[c]),
                    fmt::format("{} ({})", constructs[c], Percent(constructs[c], t.records))});
  }
  RETURN_IF_ERROR(card.Chart(
      "control_flow.svg",
      BarChartSvg(flow, {"Records with control flow and with a backward pass", "records"}),
      "Records with control flow and with a backward pass"));
  card << fmt::format(
      "{} of the records ({}) call one of `lax.cond`, `lax.switch`, `lax.fori_loop`, "
      "`lax.scan`, `lax.while_loop`; {} ({}) have a backward pass (`grad` is not null: "
      "some argument and some output are floating-point).\n\n",
      t.with_control_flow, Percent(t.with_control_flow, t.records), t.with_grad,
      Percent(t.with_grad, t.records));

  return Status::Ok();
}

Status ApiAndOpcodeCoverage(Card& card, const Tallies& t) {
  card << "## JAX API coverage\n\n"
       << "Calls found in the forward `python` of each record: dotted names under `jnp`, "
          "`lax` and `jax` followed by `(` (`jax.numpy` and `jax.lax` are counted as `jnp` and "
          "`lax`; comments and strings are skipped).\n\n";
  RETURN_IF_ERROR(Coverage(card, "calls", t.api, kTopApi, "jax_api.svg", "JAX API calls"));
  card << "## HLO opcode coverage\n\n"
          "Opcodes of the instructions in `hlo`, the forward pass before XLA's passes.\n\n";
  RETURN_IF_ERROR(
      Coverage(card, "opcodes", t.opcodes, kTopOpcodes, "hlo_opcodes.svg", "HLO opcodes"));

  return Status::Ok();
}

Status LengthsSection(Card& card, const Tallies& t) {
  card << "## Lengths\n\n"
       << "Characters, and approximate tokens: every maximal run of letters, digits and `_` "
          "counts one token, and so does every other non-blank character (no vocabulary; "
          "close to a code tokenizer on IR, where names are short and punctuation dense). "
          "Percentiles are nearest-rank.\n\n"
       << "| text | unit | min | p50 | p90 | p99 | max |\n|---|---|---:|---:|---:|---:|---:|\n"
       << LengthTable(t.forward, "") << LengthTable(t.backward, "grad.") << "\n";
  for (const char* field : kTexts) {
    const auto it = t.forward.find(field);
    if (it == t.forward.end()) continue;
    const std::string title = fmt::format("Approximate tokens of {}", field);
    RETURN_IF_ERROR(card.Chart(
        fmt::format("tokens_{}.svg", field),
        HistogramSvg(MakeHistogram(it->second.tokens, kHistogramBins),
                     {title, "approximate tokens (light bar: everything past the 99th percentile)"},
                     "records"),
        title));
  }

  return Status::Ok();
}

// Min, percentiles and max of `values`, as a table row's cells and as JSON.
std::string PercentileCells(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return "| | | | | |";
  return fmt::format("| {:.0f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} |", values.front(),
                     Percentile(values, 50), Percentile(values, 90), Percentile(values, 99),
                     values.back());
}
Json PercentileJson(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return Json::object();
  return {{"min", values.front()},         {"p50", Percentile(values, 50)},
          {"p90", Percentile(values, 90)}, {"p99", Percentile(values, 99)},
          {"max", values.back()}};
}

// Only for a run with levels below HLO: their lengths, kernels per record, instruction mix.
Status MachineLevelsSection(Card& card, const Tallies& t) {
  if (t.machine.empty()) return Status::Ok();
  card << "## Below HLO: LLVM IR, assembly and PTX\n\n"
       << "The kernels XLA makes of each program, as LLVM IR before and after LLVM's passes "
          "(`llvm_ir_unoptimized`, `llvm_ir`) and x86-64 assembly (`asm`); under `gpu`, the "
          "GPU's optimized HLO, LLVM IR and PTX. Each kernel is headed by a line with its name; "
          "a program without kernels (a bare matmul becomes a library call) has an empty "
          "text.\n\n";
  if (!t.gpu_targets.empty()) card << CountTable("GPU target", t.gpu_targets, t.records, "records");
  card << "| text | unit | min | p50 | p90 | p99 | max |\n|---|---|---:|---:|---:|---:|---:|\n";
  for (const MachineLevel& level : kMachineLevels) {
    const auto it = t.machine.find(level.name);
    if (it == t.machine.end()) continue;
    card << fmt::format("| `{}` | chars {}\n| `{}` | tokens {}\n", level.name,
                        PercentileCells(it->second.lengths.chars), level.name,
                        PercentileCells(it->second.lengths.tokens));
  }
  card << "\nKernels per record:\n\n"
       << "| text | records | without kernels | min | p50 | p90 | p99 | max |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const MachineLevel& level : kMachineLevels) {
    const auto it = t.machine.find(level.name);
    if (it == t.machine.end() || it->second.kernels.empty()) continue;
    card << fmt::format("| `{}` | {} | {} {}\n", level.name, it->second.lengths.chars.size(),
                        it->second.without_kernels, PercentileCells(it->second.kernels));
  }
  card << "\n";
  for (const MachineLevel& level : kMachineLevels) {
    const auto it = t.machine.find(level.name);
    if (it == t.machine.end() || level.mix == nullptr) continue;
    card << fmt::format("### Instruction mix of `{}`\n\n", level.name);
    RETURN_IF_ERROR(Coverage(card, "instructions", it->second.mix, kTopOpcodes,
                             fmt::format("mix_{}.svg", level.name),
                             fmt::format("Instructions of {}", level.name)));
  }
  return Status::Ok();
}

// stats.json: the card's figures for programs that read them (lengths of every text, and the
// levels below HLO where the run has them).
std::string StatsJson(const Tallies& t) {
  Json j = {{"records", t.records}};
  Json lengths = Json::object();
  for (const auto& [prefix, by_field] : {std::pair{"", &t.forward}, std::pair{"grad.", &t.backward}}) {
    for (const auto& [field, l] : *by_field) {
      lengths[prefix + field] = {{"chars", PercentileJson(l.chars)},
                                 {"tokens", PercentileJson(l.tokens)}};
    }
  }
  j["lengths"] = std::move(lengths);
  if (t.machine.empty()) return j.dump(2) + "\n";
  Json machine = Json::object();
  for (const MachineLevel& level : kMachineLevels) {
    const auto it = t.machine.find(level.name);
    if (it == t.machine.end()) continue;
    const MachineTally& m = it->second;
    Json entry = {{"records", m.lengths.chars.size()},
                  {"chars", PercentileJson(m.lengths.chars)},
                  {"tokens", PercentileJson(m.lengths.tokens)}};
    if (!m.kernels.empty()) {
      entry["without_kernels"] = m.without_kernels;
      entry["kernels"] = PercentileJson(m.kernels);
    }
    if (level.mix != nullptr) {
      Json mix = Json::object();
      for (const auto& [name, c] : ByRecords(m.mix)) {
        mix[name] = {{"records", c.records}, {"uses", c.total}};
      }
      entry["instruction_mix"] = std::move(mix);
    }
    machine[level.name] = std::move(entry);
  }
  j["below_hlo"] = std::move(machine);
  if (!t.gpu_targets.empty()) j["gpu_targets"] = t.gpu_targets;
  return j.dump(2) + "\n";
}

Status FailuresSection(Card& card, const Tallies& t) {
  card << "## Failures\n\n";
  uint64_t failures = 0;
  for (const auto& [stage, n] : t.failures) failures += n;
  const uint64_t attempts = t.records + failures;
  if (failures == 0) {
    card << fmt::format("None: all {} samples became records.\n\n", attempts);
  } else {
    card << fmt::format(
        "{} of {} samples ({}) failed and are kept apart in `failures.jsonl`, never in the "
        "data. By the stage that failed:\n\n",
        failures, attempts, Percent(failures, attempts));
    RETURN_IF_ERROR(
        card.Chart("failures.svg",
                   BarChartSvg(CountBars(t.failures, attempts), {"Failures per stage", "samples"}),
                   "Failures per stage"));
    card << CountTable("stage", t.failures, attempts, "samples");
  }

  return Status::Ok();
}

Status Throughput(Card& card, const Tallies& t, const Json& m) {
  card << "## Throughput\n\n";
  const Json& timings = Object(m, "timings");
  card << fmt::format("{} records in {:.1f} s of wall time: {:.2f} pairs/s with {} workers.\n\n",
                      t.records, Number(timings, "wall_seconds"),
                      Number(timings, "pairs_per_second"), Integer(m, "workers"));
  std::vector<Bar> stages;
  double worker_seconds = 0;
  const Json& stage_seconds = Object(timings, "worker_stage_seconds");
  for (const auto& [stage, s] : stage_seconds.items()) {
    if (s.is_number()) worker_seconds += s.get<double>();
  }
  for (const auto& [stage, s] : stage_seconds.items()) {
    if (!s.is_number()) continue;
    stages.push_back(
        {stage, s.get<double>(),
         fmt::format("{:.1f} s ({:.0f}%)", s.get<double>(),
                     worker_seconds > 0 ? 100 * s.get<double>() / worker_seconds : 0)});
  }
  std::stable_sort(stages.begin(), stages.end(),
                   [](const Bar& a, const Bar& b) { return a.value > b.value; });
  RETURN_IF_ERROR(
      card.Chart("worker_time.svg",
                 BarChartSvg(stages, {"Worker time per stage, summed over workers", "seconds"}),
                 "Worker time per stage"));

  return Status::Ok();
}

// The command and the versions that reproduce the data.
Status HowItWasMade(Card& card, const Json& m) {
  const Json& provenance = Object(m, "provenance");
  const std::string jax_version = String(provenance, "jax_version");
  card << "## How it was made\n\n"
       << "```sh\n";
  // The program's own path (argv[0]) tells where it was built, not how the data were made.
  std::string command = "jitsynth";
  const auto command_line = m.find("command");
  if (command_line != m.end() && command_line->is_array()) {
    for (size_t i = 1; i < command_line->size(); ++i) {
      if ((*command_line)[i].is_string()) command += " " + (*command_line)[i].get<std::string>();
    }
  }
  const std::string xla_flags = String(provenance, "xla_flags", "");
  card << command << "\n```\n\n"
       << fmt::format(
              "JAX {}, jaxlib {}, Python {}, policy hash `{}`, {}. The record for "
              "(seed, index) is a pure function of the seed, the index, the policy and "
              "these versions.\n",
              jax_version, String(provenance, "jaxlib_version"),
              String(provenance, "python_version"), String(provenance, "policy_hash"),
              xla_flags.empty() ? "no XLA_FLAGS" : fmt::format("XLA_FLAGS `{}`", xla_flags));

  return Status::Ok();
}

Status WriteCard(const Run& run, const Tallies& t, const StatsOptions& options,
                 StatsSummary& summary) {
  const fs::path out(options.out);
  const Json m = run.manifest.ToJson();
  Card card(out);
  RETURN_IF_ERROR(Introduction(card, run, t, m, options));
  RETURN_IF_ERROR(CategoriesAndDtypes(card, t));
  RETURN_IF_ERROR(ControlFlowAndGrad(card, t));
  RETURN_IF_ERROR(ApiAndOpcodeCoverage(card, t));
  RETURN_IF_ERROR(LengthsSection(card, t));
  RETURN_IF_ERROR(MachineLevelsSection(card, t));
  RETURN_IF_ERROR(FailuresSection(card, t));
  RETURN_IF_ERROR(Throughput(card, t, m));
  RETURN_IF_ERROR(HowItWasMade(card, m));
  RETURN_IF_ERROR(WriteFileAtomic(out / "stats.json", StatsJson(t)));
  RETURN_IF_ERROR(WriteFileAtomic(out / "README.md", card.text()));
  summary.charts = std::move(card.charts());
  return Status::Ok();
}

}  // namespace

Result<StatsSummary> WriteStats(const StatsOptions& options) {
  if (options.out.empty()) return InvalidArgument("--out must name a directory");
  ASSIGN_OR_RETURN(Run run, OpenRun(options.in));
  RETURN_IF_ERROR(CheckOutsideRun(run, options.out, "--out"));
  Tallies tallies;
  RETURN_IF_ERROR(ForEachRecord(run, [&](const RecordLine& r) {
    const Json& record = r.json;
    tallies.Add(record);
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(const auto failures, ReadFailures(run));
  for (const auto& [index, line] : failures) {
    const Json f = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!f.is_object() || !f.contains("stage") || !f["stage"].is_string()) {
      return InvalidArgument(fmt::format("{}/failures.jsonl: the failure of index {} has no stage",
                                         run.dir.string(), index));
    }
    ++tallies.failures[f["stage"].get<std::string>()];
  }
  // Only now, with the input read and found sound, is anything written.
  RETURN_IF_ERROR(PrepareReportDir(options.out));
  StatsSummary summary;
  summary.records = tallies.records;
  RETURN_IF_ERROR(WriteCard(run, tallies, options, summary));
  return summary;
}

}  // namespace jitsynth::card
