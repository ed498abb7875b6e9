#include "engine/resume.h"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "store/files.h"
#include "store/levels.h"
#include "store/run_reader.h"

namespace jitsynth::engine {
namespace fs = std::filesystem;
namespace {

Status Corrupt(const fs::path& dir, std::string_view what) {
  return InvalidArgument(fmt::format(
      "--resume: {} in {}; it cannot be resumed safely (start a new run in another directory)",
      what, dir.string()));
}

// "A:B", or "all" for a whole run.
std::string RangeText(const std::optional<store::ChunkRange>& r) {
  return r ? fmt::format("{}:{}", r->first, r->end) : "all";
}

Status CheckSameArguments(const fs::path& dir, const store::Manifest& m, const RunIdentity& id) {
  std::vector<std::string> differences;
  auto compare = [&](std::string_view what, const auto& stored, const auto& given) {
    if (stored != given) {
      differences.push_back(fmt::format("{} {} (now {})", what, nlohmann::json(stored).dump(),
                                        nlohmann::json(given).dump()));
    }
  };
  compare("--seed", m.seed, id.seed);
  compare("--count", m.count, id.count);
  compare("--chunk-size", m.chunk_size, id.chunk_size);
  compare("policy hash", m.provenance.policy_hash, id.policy_hash);
  compare("--chunks", RangeText(m.partial), RangeText(id.chunks));
  // A run made before levels could be chosen captured the always-captured ones.
  std::vector<std::string> stored_levels = m.levels;
  if (stored_levels.empty()) {
    stored_levels.assign(store::kAlwaysLevels.begin(), store::kAlwaysLevels.end());
  }
  compare("--levels", fmt::format("{}", fmt::join(stored_levels, ",")),
          fmt::format("{}", fmt::join(id.levels, ",")));
  compare("--gpu-target", m.gpu_target, id.gpu_target);
  compare("--compress", std::string(store::CompressionName(m.compression)),
          std::string(store::CompressionName(id.compression)));
  if (differences.empty()) return Status::Ok();
  return InvalidArgument(fmt::format(
      "--resume: {} was made with other arguments: {}; rerun with the original arguments",
      dir.string(), fmt::join(differences, ", ")));
}

Status CheckChunks(const fs::path& dir, const store::Manifest& m) {
  for (const store::ChunkInfo& c : m.chunks) {
    if (c.file != store::ChunkName(c.first_index / m.chunk_size, m.compression)) {
      return Corrupt(dir, "manifest.json lists chunks out of order");
    }
    auto hashed = store::HashFile(dir / c.file);
    if (!hashed.ok()) return Corrupt(dir, fmt::format("chunk {} is missing", c.file));
    if (hashed->first != c.xxh64 || hashed->second != c.bytes) {
      return Corrupt(dir, fmt::format("chunk {} is truncated or altered ({} bytes, expected {})",
                                      c.file, hashed->second, c.bytes));
    }
  }
  return Status::Ok();
}

}  // namespace

bool NothingToResume(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "manifest.json", ec)) return false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename() != "worker.log") return false;
  }
  return true;
}

Result<store::Manifest> LoadForResume(const fs::path& dir, const RunIdentity& identity) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || !fs::exists(dir / "manifest.json", ec)) {
    return InvalidArgument(fmt::format(
        "--resume: {} holds no jitsynth run (no manifest.json); drop --resume to start one",
        dir.string()));
  }
  auto run = store::OpenRun(dir);
  if (!run.ok()) return Corrupt(dir, run.status().message());
  const store::Manifest& m = run->manifest;
  RETURN_IF_ERROR(CheckSameArguments(dir, m, identity));
  RETURN_IF_ERROR(CheckChunks(dir, m));
  auto failures = store::ReadFailures(*run);
  if (!failures.ok()) return Corrupt(dir, failures.status().message());
  if (failures->size() != m.committed_failures()) {
    return Corrupt(dir, fmt::format("failures.jsonl holds {} failures of committed chunks, the "
                                    "manifest {}",
                                    failures->size(), m.committed_failures()));
  }
  // Keep the failures of committed indices only: the lines of the chunk being written when the
  // run stopped are written again.
  store::Manifest resumed = run->manifest;
  resumed.failures.clear();
  std::string kept;
  for (const auto& [index, line] : *failures) {
    const nlohmann::json f = nlohmann::json::parse(line, nullptr, false);
    ++resumed.failures[f.value("stage", "unknown")];
    kept += line + "\n";
  }
  RETURN_IF_ERROR(store::WriteFileAtomic(dir / "failures.jsonl", kept));
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
  }
  return resumed;
}

}  // namespace jitsynth::engine
