// Writing runs derived from a run (dedup, split): each output directory has
// the usual layout, so every tool reads it like a generated run. Chunk k
// still covers the input's indices [k * chunk_size, (k + 1) * chunk_size);
// the manifest keeps the input's seed, policy, provenance and timings,
// replaces its chunks and counts, and appends one entry to "derivation".
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "store/record.h"
#include "store/run_reader.h"

namespace jitsynth::store {

// One output directory of a derivation.
struct Part {
  std::filesystem::path dir;  // made ready by PrepareDerivedDir
  bool failures = false;      // carry the input's failures over
  Json derivation;            // what made this directory: tool, command line, counts
  // How its chunks are stored; none: as the input's.
  std::optional<Compression> compression;
};

inline constexpr size_t kNoPart = std::numeric_limits<size_t>::max();

// PrepareNewOutputDir, after refusing a directory inside the input: tools
// never modify their input.
Status PrepareDerivedDir(const Run& input, const std::filesystem::path& dir);

// Streams the input's records once: the k-th record (in index order) goes to
// parts[part_of_record[k]], or nowhere when that is kNoPart. Writes each
// part's manifest last, so a directory without one was never finished.
Status WriteParts(const Run& input, std::span<const Part> parts,
                  std::span<const size_t> part_of_record);

// Several runs (dedup RUN... --out OUT) as one: run k's index i becomes offset_k + i, offset_k
// being the sum of the end indices of the runs before it, so that each output index names its
// source run (the ranges go in `derivation`, see MergedRanges). A record line is copied as it
// is when its index does not change and rewritten with its new "index" otherwise; ids are
// kept (the caller makes sure they stay unique). Failures are carried over likewise. The chunk
// size and the manifest are the first run's, with the seed 0 when the runs' seeds differ and
// the policy empty when their policies differ. `keep[k]` holds, for each record of run k in
// index order, whether it goes to `dir` (made ready by PrepareDerivedDir). Chunks are stored
// as `compression` says, else as the first run's. A single input keeps its partial range.
Status WriteMerged(std::span<const Run> inputs, std::span<const std::vector<bool>> keep,
                   const std::filesystem::path& dir, const Json& derivation,
                   std::optional<Compression> compression = std::nullopt);

// The first output index of each input of WriteMerged.
std::vector<uint64_t> MergedOffsets(std::span<const Run> inputs);

}  // namespace jitsynth::store
