// Crash-safe output: data chunks are written under a temporary name, fsync'ed
// and renamed when complete; the manifest is replaced atomically.
//
// Chunk k holds the records of indices [k * chunk_size, (k + 1) * chunk_size),
// so chunk boundaries never depend on which samples failed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <xxhash.h>

#include "core/status.h"

namespace jitsynth::dataset {

// Writes `content` to `path` through a temporary file, fsync and rename.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

// The temporary file WriteFileAtomic and the tools write before CommitFile: beside `path`, so
// that the rename stays on one file system.
std::filesystem::path TemporaryPath(const std::filesystem::path& path);

// Makes the finished file `tmp` durable and renames it to `path`: fsync, rename, fsync of the
// directory. A reader sees either the old `path` or the complete new one.
Status CommitFile(const std::filesystem::path& tmp, const std::filesystem::path& path);

// Checks that `out` can receive a file (replacing one that is there): not a directory, in a
// writable directory that exists. `flag` names the option in the messages (kInvalidArgument).
Status CheckOutputFile(const std::filesystem::path& out, std::string_view flag);

// "data-00003.jsonl"
std::string ChunkName(uint64_t chunk);

// Checks that `dir` can receive a new run: absent, or an empty directory.
// Creates it. Bad input comes back as kInvalidArgument with the fix named.
Status PrepareNewOutputDir(const std::filesystem::path& dir);

struct ChunkInfo {
  std::string file;
  uint64_t first_index = 0;
  uint64_t end_index = 0;  // one past the last index the chunk covers
  uint64_t records = 0;
  uint64_t failures = 0;
  uint64_t bytes = 0;
  std::string xxh64;  // of the file's bytes, 16 hex digits: resume checks it
};

// A chunk's entry in a manifest's "chunks" list (what resume and the run reader check).
nlohmann::ordered_json ChunkJson(const ChunkInfo& c);

// The xxh64 of a file's bytes as 16 hex digits, and its size.
Result<std::pair<std::string, uint64_t>> HashFile(const std::filesystem::path& path);

class RunWriter {
 public:
  // Continues after `committed` (empty for a new run): the next index is the
  // end of the last committed chunk.
  RunWriter(std::filesystem::path dir, uint64_t chunk_size, uint64_t end_index,
            std::vector<ChunkInfo> committed = {});
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Called once per index, in increasing order: a data line or a failure line.
  Status AddRecord(uint64_t index, const std::string& line);
  Status AddFailure(uint64_t index, const std::string& line);
  // An index that holds neither here: a record that dedup removed or that
  // split put in another part. Chunk boundaries stay those of the input.
  Status Skip(uint64_t index);

  // Chunks committed so far, in order.
  const std::vector<ChunkInfo>& chunks() const { return chunks_; }
  // Called after each committed chunk (to rewrite the manifest).
  std::function<Status()> on_commit;

 private:
  Status Begin(uint64_t index);
  // Moves past the index Begin opened; commits the chunk it completes.
  Status Advance();
  Status Commit();

  std::filesystem::path dir_;
  uint64_t chunk_size_;
  uint64_t end_index_;
  uint64_t next_index_ = 0;
  std::FILE* data_ = nullptr;
  std::FILE* failures_ = nullptr;
  ChunkInfo current_;
  XXH64_state_t* hash_ = nullptr;
  std::vector<ChunkInfo> chunks_;
};

}  // namespace jitsynth::dataset
