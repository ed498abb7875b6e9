#include "publish/task_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "publish/tool.h"
#include "store/files.h"
#include "store/run_reader.h"

namespace jitsynth::publish {
using store::Json;
using store::RecordLine;
using store::Run;
namespace fs = std::filesystem;
namespace {

Json ExampleLine(const tasks::Example& e, const tasks::Task& task, TaskFormat format) {
  Json line = {{"id", e.id}, {"task", task.name}};
  switch (format) {
    case TaskFormat::kPromptCompletion:
    case TaskFormat::kParquet:
      line["prompt"] = e.prompt;
      line["completion"] = e.completion;
      return line;
    case TaskFormat::kChat:
      line["messages"] = Json::array({Json{{"role", "user"}, {"content", e.prompt}},
                                      Json{{"role", "assistant"}, {"content", e.completion}}});
      return line;
  }
  return line;
}

// Writes the examples of every record of `run` as JSON lines to `tmp`; fills `summary`.
Status WriteLines(const Run& run, const TaskFileOptions& o, store::TemporaryFile& tmp,
                  TaskFileSummary& summary) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(::fdopen(tmp.fd.get(), "wb"),
                                                             std::fclose);
  if (!file) return store::ErrnoError("cannot write", tmp.path);
  tmp.fd.release();  // the FILE owns it now
  RETURN_IF_ERROR(ForEachRecord(run, [&](const RecordLine& r) -> Status {
    ++summary.records;
    ASSIGN_OR_RETURN(const tasks::Outcome outcome, tasks::MakeExample(*o.task, r.json));
    if (outcome.skip != tasks::Skip::kNone) {
      ++summary.skipped[std::string(tasks::SkipName(outcome.skip))];
      return Status::Ok();
    }
    if (o.max_tokens != 0 && tasks::ExampleTokens(outcome.example) > o.max_tokens) {
      ++summary.over_budget;
      return Status::Ok();
    }
    const std::string line = ExampleLine(outcome.example, *o.task, o.format).dump() + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
      return store::ErrnoError("cannot write", tmp.path);
    }
    ++summary.written;
    return Status::Ok();
  }));
  if (std::fflush(file.get()) != 0) return store::ErrnoError("cannot write", tmp.path);
  return Status::Ok();
}

Json SummaryJson(const TaskFileOptions& o, const TaskFileSummary& s) {
  Json skipped = {{"over_budget", s.over_budget}};
  for (const auto& [reason, n] : s.skipped) skipped[reason] = n;
  return {{"task", o.task->name},
          {"template", tasks::TemplateId(*o.task)},
          {"source", o.task->source.substr(1)},
          {"target", o.task->target.substr(1)},
          {"format", TaskFormatName(o.format)},
          {"max_tokens", o.max_tokens},
          {"token_estimate", "post::ApproxTokens of prompt + completion"},
          {"run", o.in},
          {"command", o.command_line},
          {"records", s.records},
          {"written", s.written},
          {"skipped", skipped}};
}

// The examples to `out` (JSON lines, or Parquet through a temporary JSON lines file).
Status WriteExamples(const Run& run, const TaskFileOptions& o, TaskFileSummary& summary) {
  const fs::path out(o.out);
  ASSIGN_OR_RETURN(store::TemporaryFile tmp, store::CreateTemporary(out));
  Status written = WriteLines(run, o, tmp, summary);
  fs::path result = tmp.path;
  std::error_code ec;
  if (written.ok() && o.format == TaskFormat::kParquet) {
    auto parquet = store::CreateTemporary(out);
    written = parquet.status();
    if (parquet.ok()) {
      parquet->fd.reset();
      result = parquet->path;
      written = RunTool({o.python, "-m", "jitsynth_tools.tasks", "--out", result.string(),
                         tmp.path.string()});
      fs::remove(tmp.path, ec);
    }
  }
  if (written.ok()) written = store::CommitFile(result, out);
  if (!written.ok()) {
    fs::remove(tmp.path, ec);
    fs::remove(result, ec);
  }
  return written;
}

}  // namespace

Result<TaskFormat> ParseTaskFormat(std::string_view text) {
  if (text == "prompt-completion") return TaskFormat::kPromptCompletion;
  if (text == "chat") return TaskFormat::kChat;
  if (text == "parquet") return TaskFormat::kParquet;
  return InvalidArgument(
      fmt::format("--format must be prompt-completion, chat or parquet, got '{}'", text));
}

std::string_view TaskFormatName(TaskFormat format) {
  switch (format) {
    case TaskFormat::kPromptCompletion: return "prompt-completion";
    case TaskFormat::kChat: return "chat";
    case TaskFormat::kParquet: return "parquet";
  }
  return "?";
}

std::string SummaryPath(const std::string& out) { return out + ".summary.json"; }

Result<TaskFileSummary> WriteTaskFile(const TaskFileOptions& o) {
  if (o.task == nullptr) return InvalidArgument("--task is required");
  ASSIGN_OR_RETURN(const Run run, store::OpenRun(o.in));
  const fs::path out(o.out);
  RETURN_IF_ERROR(store::CheckOutsideRun(run, out, "--out"));
  RETURN_IF_ERROR(store::CheckOutputFile(out, "--out"));
  RETURN_IF_ERROR(store::CheckOutputFile(SummaryPath(o.out), "--out's summary"));
  TaskFileSummary summary;
  RETURN_IF_ERROR(WriteExamples(run, o, summary));
  RETURN_IF_ERROR(
      store::WriteFileAtomic(SummaryPath(o.out), SummaryJson(o, summary).dump(2) + "\n"));
  std::error_code ec;
  summary.bytes = static_cast<uint64_t>(fs::file_size(out, ec));
  return summary;
}

}  // namespace jitsynth::publish
