// What fuzz_record checks, shared with the test that replays its corpus (tests/cpp/tasks_test.cc):
// the import parser (store::CheckRecord) and the task table (tasks::MakeExample) on any line.
// Returns "" when every property holds, else what failed.
#pragma once

#include <string>
#include <string_view>

#include "store/record_check.h"
#include "tasks/tasks.h"

namespace jitsynth::fuzz {

// Any bytes: neither CheckRecord nor any task's MakeExample throws, whatever JSON they get (a
// task makes an example with a non-empty completion, skips the record with a reason, or
// refuses it as a run without the task's level); a record CheckRecord accepts is accepted again
// after a round trip through its JSON text.
inline std::string CheckRecordLine(std::string_view line) {
  const store::Json record = store::Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded()) return "";
  try {
    const nlohmann::json plain = nlohmann::json::parse(record.dump());
    for (const tasks::Task& task : tasks::AllTasks()) {
      const Result<tasks::Outcome> outcome = tasks::MakeExample(task, plain);
      if (outcome.ok() && outcome->skip == tasks::Skip::kNone &&
          outcome->example.completion.empty()) {
        return "an example with an empty completion";
      }
    }
    if (!store::CheckRecord(record).ok()) return "";
    if (!store::CheckRecord(store::Json::parse(record.dump())).ok()) {
      return "an accepted record is refused after a round trip";
    }
  } catch (const std::exception& e) {
    return std::string("threw: ") + e.what();
  }
  return "";
}

}  // namespace jitsynth::fuzz
