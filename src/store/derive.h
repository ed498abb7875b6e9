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

}  // namespace jitsynth::store
