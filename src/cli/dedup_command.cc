#include <fmt/format.h>

#include "cli/commands.h"
#include "curate/dedup.h"

namespace jitsynth::cli {
namespace {

std::string Plural(uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

void PrintSummary(const curate::DedupOptions& o, const curate::DedupSummary& s) {
  const curate::NearOptions& near = o.clusters.near;
  std::string contaminated;
  if (!o.against.empty()) {
    std::string reasons;
    for (const auto& [reason, n] : s.contaminated) {
      reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : ", ", reason, n);
    }
    contaminated = fmt::format(", {} removed as copies of the {} evaluation record{}{}",
                               s.contaminated_total(), s.eval_records,
                               s.eval_records == 1 ? "" : "s",
                               reasons.empty() ? std::string() : fmt::format(" ({})", reasons));
  }
  fmt::print(
      "{}{}: {} kept, {} and {} removed{} (key {}, {}) -> {}\n", Plural(s.records, "record"),
      o.inputs.size() > 1 ? fmt::format(" in {} runs", o.inputs.size()) : "", s.kept, Plural(s.exact_duplicates, "exact duplicate"),
      Plural(s.near_duplicates, "near-duplicate"), contaminated,
      curate::DedupKeyName(o.clusters.key),
      near.enabled ? fmt::format("threshold {}", near.threshold)
                   : std::string("no near-duplicate search"),
      o.out.string());
}

}  // namespace

void AddDedup(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    DeriveFlags derive;
    std::string key = "both";
    std::vector<std::string> against;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "dedup",
      "Copy the runs IN... to OUT without their duplicates, keeping the first record of each\n"
      "cluster (the lowest index, and the earliest run on the command line).\n"
      "Exact duplicates share their Python after normalization (identifiers renamed by first\n"
      "appearance; comments, docstrings and layout ignored) and argument shapes, or their\n"
      "optimized HLO after canonicalization (names numbered, metadata stripped).\n"
      "Near-duplicates are found by MinHash over shingles of five Python tokens or five HLO\n"
      "instructions, with LSH banding. Several runs are merged: run k's indices follow those of\n"
      "the runs before it, ids are kept (two kept records with one id are refused), and the\n"
      "manifest's derivation lists each run's output index range. With --against EVAL...,\n"
      "records that are copies of an evaluation record (by the same keys, or through a cluster\n"
      "that reaches one) are removed too, listed in OUT/contaminated.jsonl with their reason.\n"
      "The inputs are never modified.");
  AddDeriveFlags(*cmd, flags->derive,
                 "new or empty directory; receives the usual layout: data-NNNNN.jsonl, "
                 "failures.jsonl (copied), manifest.json (with a \"derivation\" entry)",
                 /*several_inputs=*/true);
  cmd->add_option("--key", flags->key,
                  "what makes two records one program: both (python or optimized_hlo matching; "
                  "default), or a comma-separated list of python, optimized_hlo, "
                  "llvm_ir_unoptimized, llvm_ir, asm, ptx (any one matching; the levels below "
                  "HLO are canonicalized too: value names, labels, addresses, register numbers)");
  cmd->add_option("--against", flags->against,
                  "evaluation runs or JSON lines files of records (extract's output): remove "
                  "every input record that copies one of them");
  cmd->footer(
      "Examples:\n"
      "  jitsynth dedup data/run1 --out data/run1-dedup\n"
      "      exact and near-duplicates over Python and optimized HLO\n"
      "  jitsynth dedup data/run1 data/run2 data/mine --out data/all\n"
      "      three runs as one, each program kept once\n"
      "  jitsynth dedup data/all --against data/split/test --out data/train-clean\n"
      "      training data without copies of the test set (renamed, reformatted or near)\n"
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
      for (const std::string& in : flags->derive.inputs) o.inputs.emplace_back(in);
      for (const std::string& eval : flags->against) o.against.emplace_back(eval);
      ASSIGN_OR_RETURN(o.compression, ParseDeriveCompression(flags->derive));
      o.out = flags->derive.out;
      o.command_line = argv;
      ASSIGN_OR_RETURN(const curate::DedupSummary s, curate::Dedup(o));
      PrintSummary(o, s);
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
