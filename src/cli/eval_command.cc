#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/signals.h"
#include "eval/eval.h"

namespace jitsynth::cli {

void AddEval(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    eval::EvalOptions options;
    std::string workers = "2", inputs = "3", timeout = "60";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Score predictions for a task on the run RUN by a ladder of verdicts: well-formed (Python\n"
      "parses; StableHLO parses as MLIR; HLO through XLA's parser), compiles (XLA CPU),\n"
      "equivalent (the prediction and the record's own target run on K seeded inputs drawn from\n"
      "the record's argument ranges; shapes and dtypes equal, floats within 1e-4 for float32 and\n"
      "float64, 1e-2 for float16 and bfloat16, integers and booleans exactly), exact (equal after\n"
      "canonicalization) and similarity (chrF of the canonical texts).\n"
      "Every candidate runs in a sandbox process (python/jitsynth_eval): no network, limits on\n"
      "CPU, memory, file size and processes, a private directory, no access to RUN. A candidate\n"
      "the sandbox refuses or kills scores 0, with its reason. RUN is never modified.");
  cmd->add_option("run", flags->options.run, "the run whose records are scored (e.g. a test split)")
      ->required();
  cmd->add_option("--task", flags->options.task, "python-to-stablehlo, python-to-hlo, ... (see below)")
      ->required();
  cmd->add_option("--predictions", flags->options.predictions,
                  "a JSONL file of {\"id\", \"prediction\"} lines, one per record; or a baseline: "
                  "oracle (the record's own target), shuffled (another record's), retrieval (the "
                  "target of the nearest --train record by MinHash of the source). Repeatable: the "
                  "record's target then runs once per record for all sets, cheaper than one command "
                  "per set")
      ->required();
  cmd->add_option("--out", flags->options.out,
                  "new or empty directory: verdicts.jsonl, summary.json, summary.md (several "
                  "--predictions: one directory each, and one summary.md)")
      ->required();
  cmd->add_option("--train", flags->options.train, "the train split that retrieval searches");
  cmd->add_option("--workers", flags->workers, "sandbox servers in parallel (default 2)");
  cmd->add_option("--inputs", flags->inputs, "seeded input sets per candidate (default 3)");
  cmd->add_option("--timeout", flags->timeout,
                  "wall-clock seconds per candidate; its process group is killed then (default 60)");
  AddPythonOption(*cmd, flags->options.python, "jitsynth_eval and JAX");
  cmd->footer(
      "Tasks: python-to-stablehlo, python-to-hlo, hlo-to-optimized-hlo (equivalence runs the\n"
      "HLO), optimized-hlo-to-python, stablehlo-to-grad-stablehlo (runs the backward module;\n"
      "cotangents drawn from [-1, 1]), optimized-hlo-to-cost (equivalent: each figure within 1%),\n"
      "optimized-hlo-to-llvm-ir, python-to-asm, optimized-hlo-to-ptx (exact and similarity only).\n"
      "Examples:\n"
      "  jitsynth eval data/split/test --task python-to-stablehlo --predictions preds.jsonl --out report\n"
      "  jitsynth eval data/split/test --task python-to-hlo --predictions oracle --predictions shuffled \\\n"
      "      --predictions retrieval --train data/split/train --out baselines\n"
      "Bad input (not JSONL, a missing, duplicate or unknown id, a task the run cannot serve):\n"
      "one line on stderr, exit 2, nothing written.\n"
      "Prints: python-to-stablehlo oracle: 100 records: well-formed 100.0%, compiles 100.0%, ...");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      eval::EvalOptions o = flags->options;
      o.command_line = argv;
      ASSIGN_OR_RETURN(const uint64_t workers, ParsePositive("--workers", flags->workers));
      ASSIGN_OR_RETURN(const uint64_t inputs, ParsePositive("--inputs", flags->inputs));
      ASSIGN_OR_RETURN(const uint64_t timeout, ParsePositive("--timeout", flags->timeout));
      o.workers = static_cast<int>(std::min<uint64_t>(workers, 64));
      o.inputs = static_cast<int>(std::min<uint64_t>(inputs, 100));
      o.limits.wall_s = static_cast<double>(timeout);
      o.limits.cpu_s = std::max(1.0, o.limits.wall_s / 3);
      RETURN_IF_ERROR(CheckPython(o.python, "jitsynth_eval"));
      InstallStopHandlers();
      ASSIGN_OR_RETURN(const eval::EvalSummary s, eval::Eval(o, StopFlag()));
      for (const eval::SetSummary& set : s.sets) {
        auto pct = [&](uint64_t n) {
          return set.executes ? fmt::format("{:.1f}%", set.records ? 100.0 * n / set.records : 0.0)
                              : std::string("n/a");
        };
        fmt::print(
            "{} {}: {} records: well-formed {}, compiles {}, equivalent {}, exact {:.1f}%, "
            "similarity {:.3f}, refused {}\n",
            s.task, set.label, set.records, pct(set.well_formed), pct(set.compiles),
            pct(set.equivalent), set.records ? 100.0 * set.exact / set.records : 0.0,
            set.similarity, set.refused);
      }
      fmt::print("{} candidates in {:.1f} s ({:.2f}/s); {} records skipped -> {}\n", s.candidates,
                 s.seconds, s.seconds > 0 ? s.candidates / s.seconds : 0.0, s.skipped,
                 o.out.string());
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
