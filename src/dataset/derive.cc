#include "dataset/derive.h"

#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>

namespace jitsynth::dataset {
namespace fs = std::filesystem;
namespace {

Json Manifest(const Run& input, const Part& part, const std::vector<ChunkInfo>& chunks,
              uint64_t records, const std::map<std::string, uint64_t>& failures_by_stage) {
  Json m = input.manifest;
  Json chunk_list = Json::array();
  for (const ChunkInfo& c : chunks) chunk_list.push_back(ChunkJson(c));
  m["chunks"] = std::move(chunk_list);
  m["committed_through"] = input.end_index();
  Json failures = Json::object();
  for (const auto& [stage, n] : failures_by_stage) failures[stage] = n;
  m["counts"] = {{"records", records}, {"failures", std::move(failures)}};
  Json derivation = m.value("derivation", Json::array());
  derivation.push_back(part.derivation);
  m["derivation"] = std::move(derivation);
  return m;
}

}  // namespace

Status PrepareDerivedDir(const Run& input, const fs::path& dir) {
  std::error_code ec;
  const fs::path in = fs::weakly_canonical(input.dir, ec);
  const fs::path out = fs::weakly_canonical(dir, ec);
  const auto [in_end, out_it] = std::mismatch(in.begin(), in.end(), out.begin(), out.end());
  if (!ec && in_end == in.end()) {
    return InvalidArgument(fmt::format(
        "--out {}: lies inside the input {}; tools never write into their input, choose a "
        "directory outside it",
        dir.string(), input.dir.string()));
  }
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
    writers.push_back(std::make_unique<RunWriter>(p.dir, input.chunk_size, input.end_index()));
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
    const Json m =
        Manifest(input, parts[p], writers[p]->chunks(), records[p], failures_by_stage[p]);
    RETURN_IF_ERROR(WriteFileAtomic(parts[p].dir / "manifest.json", m.dump(2) + "\n"));
  }
  return Status::Ok();
}

}  // namespace jitsynth::dataset
