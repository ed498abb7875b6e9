// `generate --resume`: what a run continues from, read through the run reader and checked
// against the arguments it is resumed with and against its chunks' checksums.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/manifest.h"

namespace jitsynth::engine {

// The arguments that make a run's data: a resume must give the same.
struct RunIdentity {
  uint64_t seed = 0;
  uint64_t count = 0;
  uint64_t chunk_size = 0;
  std::string policy_hash;
  std::optional<store::ChunkRange> chunks;  // --chunks A:B; none: the whole run
  std::vector<std::string> levels;  // store::LevelSet::names
  std::string gpu_target;
  store::Compression compression = store::Compression::kNone;  // --compress
};

// The manifest of the run in `dir` (its failure counts recounted from failures.jsonl), when it can
// be continued with `identity`: its chunks are whole (sizes and xxh64 checked), failures.jsonl
// holds exactly the failures of the committed chunks (a torn last line or the lines of an
// uncommitted chunk are dropped, and the file rewritten), and leftover temporary files are removed.
// kInvalidArgument naming the problem and the fix otherwise, with nothing changed.
Result<store::Manifest> LoadForResume(const std::filesystem::path& dir,
                                      const RunIdentity& identity);

// Whether `dir` holds nothing but perhaps a worker log: a run killed while its workers started
// has written no manifest yet, and resuming it is starting it.
bool NothingToResume(const std::filesystem::path& dir);

}  // namespace jitsynth::engine
