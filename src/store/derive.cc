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
        input.manifest.start_index(), p.compression.value_or(input.manifest.compression)));
  }
  // A partial run's parts cover the same chunks (the manifest keeps "partial").
  uint64_t next_index = input.manifest.start_index();
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

std::vector<uint64_t> MergedOffsets(std::span<const Run> inputs) {
  std::vector<uint64_t> offsets;
  uint64_t next = 0;
  for (const Run& run : inputs) {
    offsets.push_back(next);
    next += run.end_index();
  }
  offsets.push_back(next);
  return offsets;
}

namespace {

// The record or failure `line` with its index moved by `offset`.
Result<std::string> Shifted(std::string_view line, uint64_t offset, uint64_t index) {
  if (offset == 0) return std::string(line);
  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return ParseError(fmt::format("index {}: a line that is not JSON", index));
  j["index"] = offset + index;
  return j.dump();
}

Manifest MergedManifest(std::span<const Run> inputs, std::vector<ChunkInfo> chunks,
                        uint64_t records, std::map<std::string, uint64_t> failures,
                        uint64_t end_index, const Json& derivation) {
  Manifest m = inputs.front().manifest;
  for (const Run& run : inputs) {
    if (run.manifest.seed != m.seed) m.seed = 0;
    if (run.manifest.policy != m.policy) m.policy.clear();
  }
  if (inputs.size() > 1) m.count = end_index;
  m.chunks = std::move(chunks);
  m.records = records;
  m.failures = std::move(failures);
  m.derivation.push_back(derivation);
  return m;
}

}  // namespace

Status WriteMerged(std::span<const Run> inputs, std::span<const std::vector<bool>> keep,
                   const fs::path& dir, const Json& derivation,
                   std::optional<Compression> compression) {
  const std::vector<uint64_t> offsets = MergedOffsets(inputs);
  const Compression stored = compression.value_or(inputs.front().manifest.compression);
  RETURN_IF_ERROR(WriteFileAtomic(dir / "failures.jsonl", ""));
  // One input keeps its indices, and a partial run (--chunks) its range; several inputs are
  // whole runs (the caller refuses partial ones).
  const uint64_t start = inputs.size() == 1 ? inputs.front().manifest.start_index() : 0;
  RunWriter writer(dir, inputs.front().chunk_size(), offsets.back(), {}, start, stored);
  uint64_t records = 0;
  std::map<std::string, uint64_t> failures_by_stage;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Run& run = inputs[k];
    const uint64_t offset = offsets[k];
    ASSIGN_OR_RETURN(const auto failures, ReadFailures(run));
    uint64_t next = run.manifest.start_index();
    auto fill_until = [&](uint64_t end) -> Status {
      for (; next < end; ++next) {
        const auto failure = failures.find(next);
        if (failure == failures.end()) {
          RETURN_IF_ERROR(writer.Skip(offset + next));
          continue;
        }
        const nlohmann::json f = nlohmann::json::parse(failure->second, nullptr, false);
        ++failures_by_stage[f.is_object() ? f.value("stage", "unknown") : "unknown"];
        ASSIGN_OR_RETURN(const std::string line, Shifted(failure->second, offset, next));
        RETURN_IF_ERROR(writer.AddFailure(offset + next, line));
      }
      return Status::Ok();
    };
    size_t ordinal = 0;
    RETURN_IF_ERROR(ForEachRecord(run, [&](const RecordLine& r) -> Status {
      if (ordinal >= keep[k].size()) {
        return Internal(fmt::format("{} changed while it was read", run.dir.string()));
      }
      RETURN_IF_ERROR(fill_until(r.index));
      ++next;
      if (!keep[k][ordinal++]) return writer.Skip(offset + r.index);
      ++records;
      ASSIGN_OR_RETURN(const std::string line, Shifted(r.line, offset, r.index));
      return writer.AddRecord(offset + r.index, line);
    }));
    RETURN_IF_ERROR(fill_until(run.end_index()));
  }
  Manifest m = MergedManifest(inputs, writer.chunks(), records, failures_by_stage, offsets.back(),
                              derivation);
  m.compression = stored;
  return WriteFileAtomic(dir / "manifest.json", m.Dump());
}

}  // namespace jitsynth::store
