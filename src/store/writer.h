// Crash-safe output: data chunks are written under a temporary name, fsync'ed
// and renamed when complete; the manifest is replaced atomically.
//
// Chunk k holds the records of indices [k * chunk_size, (k + 1) * chunk_size),
// so chunk boundaries never depend on which samples failed. With Compression::kZstd each chunk
// is one zstd frame, compressed as the lines arrive (memory bounded by zstd's window).
#pragma once

#include <xxhash.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/manifest.h"

namespace jitsynth::store {

class RunWriter {
 public:
  // Continues after `committed` (empty for a new run): the next index is the
  // end of the last committed chunk, or `start_index` (a chunk boundary: a partial run's first
  // index) when nothing is committed.
  RunWriter(std::filesystem::path dir, uint64_t chunk_size, uint64_t end_index,
            std::vector<ChunkInfo> committed = {}, uint64_t start_index = 0,
            Compression compression = Compression::kNone);
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
  // Appends to the open chunk (through the compressor when there is one); `end` closes the
  // zstd frame.
  Status WriteData(std::string_view bytes, bool end);

  std::filesystem::path dir_;
  uint64_t chunk_size_;
  uint64_t end_index_;
  uint64_t next_index_ = 0;
  std::FILE* data_ = nullptr;
  std::FILE* failures_ = nullptr;
  ChunkInfo current_;
  XXH64_state_t* hash_ = nullptr;
  Compression compression_;
  ZSTD_CCtx* zstd_ = nullptr;  // kZstd only
  std::vector<char> compressed_;
  std::vector<ChunkInfo> chunks_;
};

}  // namespace jitsynth::store
