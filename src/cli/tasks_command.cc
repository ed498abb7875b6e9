#include <fmt/format.h>

#include "cli/commands.h"
#include "publish/task_file.h"
#include "tasks/tasks.h"

namespace jitsynth::cli {
namespace {

// One line per task: "  NAME (vN)  SOURCE -> TARGET: SUMMARY".
std::string TaskTable() {
  std::string out;
  for (const tasks::Task& t : tasks::AllTasks()) {
    out += fmt::format("  {:<28} v{}  {} -> {}\n      {}\n", t.name, t.version, t.source.substr(1),
                       t.target.substr(1), t.summary);
  }
  return out;
}

void PrintTemplates() {
  for (const tasks::Task& t : tasks::AllTasks()) {
    fmt::print("== {} (template v{}; source {}, target {})\n{}\n", t.name, t.version,
               t.source.substr(1), t.target.substr(1), t.prompt_template);
  }
}

}  // namespace

void AddTasks(CLI::App& app, Action& action, const std::vector<std::string>& argv) {
  struct Flags {
    std::string in, task, out, format = "prompt-completion", max_tokens, python;
    bool list = false, templates = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "tasks",
      "Write the training examples of one task from every record of a run: JSON lines\n"
      "{id, task, prompt, completion} (prompt-completion, the default) or {id, task, messages}\n"
      "(chat: a user and an assistant turn, as TRL's SFT trainer reads them), or Parquet with\n"
      "the prompt-completion columns. The prompt is the task's versioned template filled with\n"
      "the record's source level (and its entry name and argument shapes); the completion is the\n"
      "record's target level. Skipped and counted: examples over --max-tokens, records without a\n"
      "backward pass (grad task), records whose level is empty (a program without kernels).\n"
      "FILE.summary.json says what was written and skipped; the run is only read.");
  cmd->add_option("IN", flags->in, "a jitsynth output directory (of generate, dedup, split or import)");
  cmd->add_option("--task", flags->task, "the task (see the list below, or --list)");
  cmd->add_option("--out", flags->out,
                  "the file to write (an existing file is replaced, atomically), and "
                  "FILE.summary.json beside it");
  cmd->add_option("--format", flags->format, "prompt-completion (default), chat or parquet");
  cmd->add_option("--max-tokens", flags->max_tokens,
                  fmt::format("skip examples whose prompt and completion together exceed N "
                              "approximate tokens (names and numbers count one each, other "
                              "characters one each; default {}; 0: no limit)",
                              publish::kDefaultMaxTokens));
  cmd->add_flag("--list", flags->list, "print the tasks and exit");
  cmd->add_flag("--templates", flags->templates, "print every task's prompt template and exit");
  AddPythonOption(*cmd, flags->python, "pyarrow and jitsynth_tools (for Parquet)");
  cmd->footer(
      "Tasks (NAME, template version, source field -> target field):\n" + TaskTable() +
      "Examples:\n"
      "  jitsynth tasks data/train --task python-to-stablehlo --out train.jsonl\n"
      "  jitsynth tasks data/train --task optimized-hlo-to-python --format chat --out chat.jsonl\n"
      "  jitsynth tasks data/train --task hlo-to-optimized-hlo --format parquet --out t.parquet\n"
      "Prints: 200 records: 187 examples written, 13 skipped (13 over_budget) "
      "[python-to-stablehlo/v1] -> train.jsonl");
  cmd->callback([&action, flags, argv] {
    action = [flags, argv]() -> Status {
      if (flags->list) {
        fmt::print("{}", TaskTable());
        return Status::Ok();
      }
      if (flags->templates) {
        PrintTemplates();
        return Status::Ok();
      }
      if (flags->in.empty() || flags->task.empty() || flags->out.empty()) {
        return InvalidArgument("tasks needs IN, --task and --out (or --list); see 'jitsynth tasks --help'");
      }
      publish::TaskFileOptions o;
      o.in = flags->in;
      o.out = flags->out;
      ASSIGN_OR_RETURN(o.task, tasks::ParseTask(flags->task));
      ASSIGN_OR_RETURN(o.format, publish::ParseTaskFormat(flags->format));
      if (!flags->max_tokens.empty()) {
        ASSIGN_OR_RETURN(o.max_tokens, ParsePositive("--max-tokens", flags->max_tokens, true));
      }
      if (o.format == publish::TaskFormat::kParquet) {
        RETURN_IF_ERROR(CheckPython(flags->python, "pyarrow and jitsynth_tools"));
      }
      o.python = flags->python;
      o.command_line = argv;
      ASSIGN_OR_RETURN(const publish::TaskFileSummary s, publish::WriteTaskFile(o));
      uint64_t skipped = s.over_budget;
      std::string reasons = fmt::format("{} over_budget", s.over_budget);
      for (const auto& [reason, n] : s.skipped) {
        skipped += n;
        reasons += fmt::format(", {} {}", n, reason);
      }
      fmt::print("{} records: {} examples written, {} skipped ({}) [{}] -> {}\n", s.records,
                 s.written, skipped, reasons, tasks::TemplateId(*o.task), o.out);
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
