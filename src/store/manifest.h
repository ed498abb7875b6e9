// manifest.json: one type, read and written here by every command that makes or reads a run
// (generate, resume, dedup, split, the tools).
//
//   ASSIGN_OR_RETURN(store::Manifest m, store::Manifest::FromJson(json, dir));
//   m.complete = true;
//   RETURN_IF_ERROR(store::WriteFileAtomic(dir / "manifest.json", m.Dump()));
#pragma once

#include <cstdint>
#include <filesystem>
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/record.h"

namespace jitsynth::store {

inline constexpr std::string_view kRunFormat = "jitsynth-run/1";

// How data chunks are stored. kNone: plain JSONL (data-NNNNN.jsonl), the default and the format
// of every run made before compression existed. kZstd: each chunk one zstd frame of the same
// JSONL bytes (data-NNNNN.jsonl.zst), with zstd's content checksum; the manifest says
// "compression": "zstd" (and nothing when kNone).
enum class Compression { kNone, kZstd };

// "none", "zstd"
std::string_view CompressionName(Compression c);
// --compress: "none" or "zstd" (kInvalidArgument naming `flag` otherwise).
Result<Compression> ParseCompression(std::string_view text, std::string_view flag);

// A committed chunk: the file that holds indices [first_index, end_index).
struct ChunkInfo {
  std::string file;
  uint64_t first_index = 0;
  uint64_t end_index = 0;  // one past the last index the chunk covers
  uint64_t records = 0;
  uint64_t failures = 0;
  // `bytes` and `xxh64` are of the file as stored (compressed or not), so that resume checks
  // a chunk without decompressing it and `xxhsum` checks it by hand.
  uint64_t bytes = 0;
  std::string xxh64;  // 16 hex digits: resume checks it
  // Compressed chunks only: the size of the JSONL bytes inside (in the manifest as
  // "jsonl_bytes"); 0 and absent for plain chunks.
  uint64_t jsonl_bytes = 0;

  Json ToJson() const {
    Json j = {{"file", file},       {"first_index", first_index}, {"end_index", end_index},
              {"records", records}, {"failures", failures},       {"bytes", bytes},
              {"xxh64", xxh64}};
    if (jsonl_bytes != 0) j["jsonl_bytes"] = jsonl_bytes;
    return j;
  }
};

// "data-00003.jsonl", or "data-00003.jsonl.zst" for kZstd.
std::string ChunkName(uint64_t chunk, Compression compression = Compression::kNone);

// The worker pool's figures for a generated run.
struct PoolFigures {
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t timeouts = 0;
  uint64_t crashes = 0;
  uint64_t restarts = 0;
  uint64_t recycles = 0;
  int64_t peak_worker_rss_bytes = 0;

  Json ToJson() const {
    return {{"requests", requests},
            {"retries", retries},
            {"timeouts", timeouts},
            {"crashes", crashes},
            {"restarts", restarts},
            {"recycles", recycles},
            {"peak_worker_rss_bytes", peak_worker_rss_bytes}};
  }
};

// The chunks [first, end) of a run, by chunk number: what `generate --chunks A:B` writes.
struct ChunkRange {
  uint64_t first = 0;
  uint64_t end = 0;
  bool operator==(const ChunkRange&) const = default;
};

struct Manifest {
  std::string format{kRunFormat};
  std::vector<std::string> command;
  uint64_t seed = 0;
  uint64_t count = 0;
  uint64_t chunk_size = 0;
  int64_t workers = 0;
  std::string policy;  // TOML
  // The levels captured (store/levels.h, in kLevelNames' order) and the GPU target ("": none).
  // Empty in a run made before levels could be chosen: the always-captured levels.
  std::vector<std::string> levels;
  std::string gpu_target;
  Provenance provenance;
  // Set for a partial run: the directory holds (at most) these chunks of the run of `count`
  // samples, and `complete` means all of them are committed. Absent for a whole run.
  std::optional<ChunkRange> partial;
  Compression compression = Compression::kNone;  // of every chunk
  std::vector<ChunkInfo> chunks;  // committed, contiguous from start_index()
  bool complete = false;
  // Counts of committed chunks only: what a resume starts from.
  uint64_t records = 0;
  std::map<std::string, uint64_t> failures;  // by stage
  double wall_seconds = 0;
  double pairs_per_second = 0;
  std::map<std::string, double> worker_stage_seconds;
  PoolFigures pool;
  Json derivation = Json::array();  // one entry per tool that derived this run (dedup, split)
  Json ray;  // how a Ray run was made (python/jitsynth_cluster: tasks, attempts, retries); or null

  // The first index the run covers: 0, or the first of a partial run's first chunk.
  uint64_t start_index() const { return partial ? partial->first * chunk_size : 0; }
  // One past the last index the run covers: `count`, or the end of a partial run's last chunk.
  uint64_t end_index() const {
    return partial ? std::min(count, partial->end * chunk_size) : count;
  }
  // One past the last index a committed chunk covers (start_index() when there is none).
  uint64_t committed_through() const {
    return chunks.empty() ? start_index() : chunks.back().end_index;
  }
  uint64_t committed_failures() const;

  Json ToJson() const;
  // ToJson, indented, with a final newline: the bytes of manifest.json.
  std::string Dump() const;
  // Checks the format, the chunk list (contiguous from 0, bare file names, counts that fit) and
  // the types of the fields present; `dir` only names the run in messages (kInvalidArgument).
  static Result<Manifest> FromJson(const Json& j, const std::filesystem::path& dir);
  // Reads DIR/manifest.json and FromJson.
  static Result<Manifest> Read(const std::filesystem::path& dir);
};

// kInvalidArgument "DIR: not a jitsynth output directory: PROBLEM".
Status NotARun(const std::filesystem::path& dir, std::string_view problem);

}  // namespace jitsynth::store
