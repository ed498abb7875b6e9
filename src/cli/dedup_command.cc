#include <fmt/format.h>

#include "cli/commands.h"
#include "dataset/dedup.h"

namespace jitsynth::cli {

void AddDedup(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    std::string in, out, key = "both";
    NearFlags near;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "dedup",
      "Copy the run IN to OUT without its duplicates, keeping the lowest index of each cluster.\n"
      "Exact duplicates share their Python after normalization (identifiers renamed by first\n"
      "appearance; comments, docstrings and formatting ignored) or their optimized HLO after\n"
      "canonicalization (names numbered, metadata stripped). Near-duplicates are found by\n"
      "MinHash over 5-token shingles with LSH banding. IN is never modified.");
  cmd->add_option("IN", flags->in, "a jitsynth output directory (of generate, dedup or split)")
      ->required();
  cmd->add_option("--out", flags->out,
                  "new or empty directory; receives the usual layout: data-NNNNN.jsonl, "
                  "failures.jsonl (copied), manifest.json (with a \"derivation\" entry)")
      ->required();
  cmd->add_option("--key", flags->key,
                  "what makes two records one program: python, optimized_hlo, or both (either "
                  "one matching; default)");
  AddNearFlags(*cmd, flags->near);
  cmd->footer(
      "Examples:\n"
      "  jitsynth dedup data/run1 --out data/run1-dedup\n"
      "      exact and near-duplicates over Python and optimized HLO\n"
      "  jitsynth dedup data/run1 --out data/run1-exact --key python --no-near\n"
      "      only renamed or reformatted copies of the same Python\n"
      "  jitsynth dedup data/run1 --out data/run1-loose --threshold 0.8\n"
      "      also programs that share 80% of their shingles\n"
      "Prints: 50 records: 46 kept, 3 exact duplicates and 1 near-duplicate removed ...");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      dataset::DedupOptions o;
      o.in = flags->in;
      o.out = flags->out;
      if (o.out.empty()) return InvalidArgument("--out must name a directory");
      ASSIGN_OR_RETURN(o.clusters.key, dataset::ParseDedupKey(flags->key));
      ASSIGN_OR_RETURN(o.clusters.threshold, ParseThreshold(flags->near.threshold));
      o.clusters.near = !flags->near.off;
      o.command_line = argv;
      ASSIGN_OR_RETURN(const dataset::DedupSummary s, dataset::Dedup(o));
      fmt::print(
          "{} records: {} kept, {} exact duplicate{} and {} near-duplicate{} removed "
          "(key {}, {}) -> {}\n",
          s.records, s.kept, s.exact_duplicates, s.exact_duplicates == 1 ? "" : "s",
          s.near_duplicates, s.near_duplicates == 1 ? "" : "s",
          dataset::DedupKeyName(o.clusters.key),
          o.clusters.near ? fmt::format("threshold {}", o.clusters.threshold)
                          : std::string("no near-duplicate search"),
          flags->out);
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
