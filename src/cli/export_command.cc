#include <fmt/format.h>

#include "cli/commands.h"
#include "publish/export.h"

namespace jitsynth::cli {

void AddExport(CLI::App& app, Action& action) {
  auto options = std::make_shared<publish::ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write the records of a run to one file: Parquet (one column per schema field, through\n"
      "pyarrow) or zstd-compressed JSONL (the data lines exactly as stored). The run is only\n"
      "read; the file appears under its name only when complete.");
  AddRunInput(*cmd, options->in);
  auto format = std::make_shared<std::string>();
  cmd->add_option("--format", *format, "parquet or jsonl.zst")
      ->required()
      ->check(CLI::IsMember({"parquet", "jsonl.zst"}));
  cmd->add_option("--out", options->out, "the file to write (an existing file is replaced)")
      ->required();
  AddPythonOption(*cmd, options->python, "pyarrow and jitsynth_tools (for Parquet)");
  cmd->footer(
      "Examples:\n"
      "  jitsynth export data/run1 --format parquet --out run1.parquet\n"
      "  jitsynth export data/run1 --format jsonl.zst --out run1.jsonl.zst");
  cmd->callback([&action, options, format] {
    action = [options, format]() -> Status {
      options->format =
          *format == "parquet" ? publish::ExportFormat::kParquet : publish::ExportFormat::kJsonlZst;
      if (options->format == publish::ExportFormat::kParquet) {
        RETURN_IF_ERROR(CheckPython(options->python, "pyarrow and jitsynth_tools"));
      }
      ASSIGN_OR_RETURN(publish::ExportSummary summary, publish::Export(*options));
      fmt::print("{} records -> {} ({:.1f} MB)\n", summary.records, options->out,
                 static_cast<double>(summary.bytes) / 1e6);
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
