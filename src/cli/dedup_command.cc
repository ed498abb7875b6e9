#include <fmt/format.h>

#include "cli/commands.h"
#include "curate/dedup.h"

namespace jitsynth::cli {

void AddDedup(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    DeriveFlags derive;
    std::string key = "both";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "dedup",
      "Copy the run IN to OUT without its duplicates, keeping the lowest index of each cluster.\n"
      "Exact duplicates share their Python after normalization (identifiers renamed by first\n"
      "appearance; comments, docstrings and layout ignored) and argument shapes, or their\n"
      "optimized HLO after canonicalization (names numbered, metadata stripped).\n"
      "Near-duplicates are found by MinHash over shingles of five Python tokens or five HLO\n"
      "instructions, with LSH banding. IN is never modified.");
  AddDeriveFlags(*cmd, flags->derive,
                 "new or empty directory; receives the usual layout: data-NNNNN.jsonl, "
                 "failures.jsonl (copied), manifest.json (with a \"derivation\" entry)");
  cmd->add_option("--key", flags->key,
                  "what makes two records one program: both (python or optimized_hlo matching; "
                  "default), or a comma-separated list of python, optimized_hlo, "
                  "llvm_ir_unoptimized, llvm_ir, asm, ptx (any one matching; the levels below "
                  "HLO are canonicalized too: value names, labels, addresses, register numbers)");
  cmd->footer(
      "Examples:\n"
      "  jitsynth dedup data/run1 --out data/run1-dedup\n"
      "      exact and near-duplicates over Python and optimized HLO\n"
      "  jitsynth dedup data/run1 --out data/run1-exact --key python --no-near\n"
      "      only renamed or reformatted copies of the same program\n"
      "  jitsynth dedup data/run1 --out data/run1-loose --threshold 0.8\n"
      "      also programs that share 80% of their shingles\n"
      "  jitsynth dedup data/run1 --out data/run1-asm --key python,asm\n"
      "      also programs that compile to the same x86-64 assembly\n"
      "Prints: 50 records: 46 kept, 3 exact duplicates and 1 near-duplicate removed ...");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      curate::DedupOptions o;
      ASSIGN_OR_RETURN(o.clusters.near, ParseDeriveFlags(flags->derive));
      ASSIGN_OR_RETURN(o.clusters.key, curate::ParseDedupKey(flags->key));
      ASSIGN_OR_RETURN(o.compression, ParseDeriveCompression(flags->derive));
      o.in = flags->derive.in;
      o.out = flags->derive.out;
      o.command_line = argv;
      ASSIGN_OR_RETURN(const curate::DedupSummary s, curate::Dedup(o));
      const curate::NearOptions& near = o.clusters.near;
      fmt::print(
          "{} records: {} kept, {} exact duplicate{} and {} near-duplicate{} removed "
          "(key {}, {}) -> {}\n",
          s.records, s.kept, s.exact_duplicates, s.exact_duplicates == 1 ? "" : "s",
          s.near_duplicates, s.near_duplicates == 1 ? "" : "s",
          curate::DedupKeyName(o.clusters.key),
          near.enabled ? fmt::format("threshold {}", near.threshold)
                       : std::string("no near-duplicate search"),
          o.out.string());
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
