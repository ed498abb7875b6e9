#include <fmt/format.h>

#include "cli/commands.h"
#include "curate/split.h"

namespace jitsynth::cli {

void AddSplit(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    DeriveFlags derive;
    std::string ratios = "0.8,0.1,0.1", seed = "0", key = "both";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "split",
      "Split the run IN into OUT/train, OUT/validation and OUT/test, each a run of the usual\n"
      "layout. Records that share their normalized Python or canonical optimized HLO, or that\n"
      "are near-duplicates, always land in the same part: no program leaks across parts.\n"
      "A cluster's part is a seeded hash of its lowest-index record's program (normalized\n"
      "Python and argument shapes), so the split is deterministic and the part sizes follow\n"
      "the ratios only approximately.");
  AddDeriveFlags(*cmd, flags->derive,
                 "new or empty directory; receives train/, validation/ and test/");
  cmd->add_option("--ratios", flags->ratios,
                  "shares of train,validation,test: three non-negative numbers summing to 1 "
                  "(default 0.8,0.1,0.1)");
  cmd->add_option("--seed", flags->seed, "another seed gives another split (default 0)");
  cmd->add_option("--key", flags->key,
                  "what makes two records one program, as in dedup: both (default) or a "
                  "comma-separated list of python, optimized_hlo, llvm_ir_unoptimized, llvm_ir, "
                  "asm, ptx");
  cmd->footer(
      "Examples:\n"
      "  jitsynth split data/run1 --out data/run1-split\n"
      "  jitsynth split data/run1 --out data/run1-split --ratios 0.9,0.05,0.05 --seed 3\n"
      "  jitsynth dedup data/run1 --out data/run1-dedup &&\n"
      "    jitsynth split data/run1-dedup --out data/run1-split\n"
      "Failures stay with IN: the parts hold records only.\n"
      "Prints: 200 records in 188 clusters: train 161, validation 20, test 19 -> OUT");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      curate::SplitOptions o;
      ASSIGN_OR_RETURN(o.near, ParseDeriveFlags(flags->derive));
      ASSIGN_OR_RETURN(o.ratios, curate::ParseRatios(flags->ratios));
      ASSIGN_OR_RETURN(o.seed, ParsePositive("--seed", flags->seed, /*allow_zero=*/true));
      ASSIGN_OR_RETURN(o.key, curate::ParseDedupKey(flags->key));
      ASSIGN_OR_RETURN(o.compression, ParseDeriveCompression(flags->derive));
      o.in = flags->derive.in;
      o.out = flags->derive.out;
      o.command_line = argv;
      ASSIGN_OR_RETURN(const curate::SplitSummary s, curate::Split(o));
      fmt::print("{} records in {} clusters: {} {}, {} {}, {} {} -> {}\n", s.records, s.clusters,
                 curate::kSplitParts[0], s.records_per_part[0], curate::kSplitParts[1],
                 s.records_per_part[1], curate::kSplitParts[2], s.records_per_part[2],
                 o.out.string());
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
