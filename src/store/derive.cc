#include "store/derive.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "store/files.h"
#include "store/writer.h"

namespace jitsynth::store {
namespace fs = std::filesystem;
namespace {

Manifest DerivedManifest(const Run& input, const Part& part, const std::vector<ChunkInfo>& chunks,
                         uint64_t records,
                         const std::map<std::string, uint64_t>& failures_by_stage) {
  Manifest m = input.manifest;
  m.chunks = chunks;
  m.compression = part.compression.value_or(input.manifest.compression);
  m.records = records;
  m.failures = failures_by_stage;
  m.derivation.push_back(part.derivation);
  return m;
}

}  // namespace

Status PrepareDerivedDir(const Run& input, const fs::path& dir) {
  RETURN_IF_ERROR(CheckOutsideRun(input, dir, "--out"));
  return PrepareNewOutputDir(dir);
}

Status WriteParts(const Run& input, std::span<const Part> parts,
                  std::span<const size_t> part_of_record) {
  std::map<uint64_t, std::string> failures;
  for (const Part& p : parts) {
    if (p.failures) {
      ASSIGN_OR_RETURN(failures, ReadFailures(input));
      break;
    }
  }
  std::vector<std::unique_ptr<RunWriter>> writers;
  std::vector<uint64_t> records(parts.size(), 0);
  std::vector<std::map<std::string, uint64_t>> failures_by_stage(parts.size());
  for (const Part& p : parts) {
    // The usual layout has a failures file, even when nothing failed.
    RETURN_IF_ERROR(WriteFileAtomic(p.dir / "failures.jsonl", ""));
    writers.push_back(std::make_unique<RunWriter>(
        p.dir, input.chunk_size(), input.end_index(), std::vector<ChunkInfo>{},
        p.compression.value_or(input.manifest.compression)));
  }
  uint64_t next_index = 0;
  // Indices without a record: failures where they are carried over, else nothing.
  auto fill_until = [&](uint64_t end) -> Status {
    for (; next_index < end; ++next_index) {
      const auto failure = failures.find(next_index);
      for (size_t p = 0; p < parts.size(); ++p) {
        if (!parts[p].failures || failure == failures.end()) {
          RETURN_IF_ERROR(writers[p]->Skip(next_index));
          continue;
        }
        const nlohmann::json f = nlohmann::json::parse(failure->second, nullptr, false);
        ++failures_by_stage[p][f.is_object() ? f.value("stage", "unknown") : "unknown"];
        RETURN_IF_ERROR(writers[p]->AddFailure(next_index, failure->second));
      }
    }
    return Status::Ok();
  };
  size_t ordinal = 0;
  RETURN_IF_ERROR(ForEachRecord(input, [&](const RecordLine& r) -> Status {
    if (ordinal >= part_of_record.size()) {
      return Internal(fmt::format("{} changed while it was read", input.dir.string()));
    }
    RETURN_IF_ERROR(fill_until(r.index));
    const size_t target = part_of_record[ordinal++];
    for (size_t p = 0; p < parts.size(); ++p) {
      if (p != target) {
        RETURN_IF_ERROR(writers[p]->Skip(r.index));
        continue;
      }
      ++records[p];
      RETURN_IF_ERROR(writers[p]->AddRecord(r.index, std::string(r.line)));
    }
    ++next_index;
    return Status::Ok();
  }));
  RETURN_IF_ERROR(fill_until(input.end_index()));
  for (size_t p = 0; p < parts.size(); ++p) {
    const Manifest m =
        DerivedManifest(input, parts[p], writers[p]->chunks(), records[p], failures_by_stage[p]);
    RETURN_IF_ERROR(WriteFileAtomic(parts[p].dir / "manifest.json", m.Dump()));
  }
  return Status::Ok();
}

}  // namespace jitsynth::store
