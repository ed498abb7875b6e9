#include <fmt/format.h>

#include "cli/commands.h"
#include "curate/import.h"

namespace jitsynth::cli {

void AddImport(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    std::string in, out, chunk_size = "1000";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Make a run of the records in a JSON lines file (extract's output, an exported run,\n"
      "records from elsewhere), so that stats, dedup, split, tasks and export read them.\n"
      "All or nothing: every non-blank line must be a record of docs/schema.json and every id\n"
      "unique; the first line that is not refuses the file (exit 2, its line number and field),\n"
      "and nothing is written. Indices are kept when they increase through the file, else the\n"
      "records are numbered 0, 1, ... in file order; ids never change.");
  cmd->add_option("FILE", flags->in, "a JSON lines file of records; only read")->required();
  cmd->add_option("--out", flags->out,
                  "new or empty directory; receives the usual layout: data-NNNNN.jsonl, "
                  "failures.jsonl (empty), manifest.json (with a \"derivation\" entry)")
      ->required();
  cmd->add_option("--chunk-size", flags->chunk_size, "indices per data file (default 1000)");
  cmd->footer(
      "Examples:\n"
      "  jitsynth extract examples/saxpy.py:saxpy --arg 'f32[]' --arg 'f32[8]' --arg 'f32[8]' "
      "--out saxpy.jsonl\n"
      "  jitsynth import saxpy.jsonl --out data/mine\n"
      "  cat a.jsonl b.jsonl > both.jsonl && jitsynth import both.jsonl --out data/both\n"
      "Prints: 2 records imported (indices renumbered in file order) -> data/both");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      curate::ImportOptions o;
      o.in = flags->in;
      o.out = flags->out;
      if (flags->out.empty()) return InvalidArgument("--out must name a directory");
      ASSIGN_OR_RETURN(o.chunk_size, ParsePositive("--chunk-size", flags->chunk_size));
      o.command_line = argv;
      ASSIGN_OR_RETURN(const curate::ImportSummary s, curate::Import(o));
      fmt::print("{} record{} imported (indices {}) -> {}\n", s.records, s.records == 1 ? "" : "s",
                 s.renumbered ? "renumbered in file order" : "kept", o.out.string());
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
