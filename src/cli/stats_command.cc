#include <fmt/format.h>

#include "cli/commands.h"
#include "card/stats.h"

namespace jitsynth::cli {

void AddStats(CLI::App& app, Action& action) {
  auto options = std::make_shared<card::StatsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "stats",
      "Describe a run: write a dataset card (README.md in Hugging Face's format) with SVG\n"
      "charts of its categories, dtypes, JAX API and HLO opcode coverage, lengths, control\n"
      "flow, backward passes, failures and throughput. The run is only read.");
  AddRunInput(*cmd, options->in);
  cmd->add_option("--out", options->out,
                  "report directory: new, empty, or a report stats wrote before (replaced); "
                  "receives README.md, stats.json (the figures as JSON) and charts/*.svg")
      ->required();
  cmd->add_option("--license", options->license,
                  "the card's license, a Hugging Face identifier (default: unknown)");
  cmd->footer(
      "Example:\n"
      "  jitsynth stats data/run1 --out data/run1-card\n"
      "  (publish the card with the run: copy data/run1/data-*.jsonl beside README.md)");
  cmd->callback([&action, options] {
    action = [options]() -> Status {
      ASSIGN_OR_RETURN(card::StatsSummary summary, card::WriteStats(*options));
      fmt::print("{} records described in {}/README.md with {} charts\n", summary.records,
                 options->out, summary.charts.size());
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
