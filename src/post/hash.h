// The one hash of post-processing: dedup keys, MinHash shingles and split
// assignment all go through it, so a key means the same everywhere.
//
//   uint64_t h = post::Hash64("text");          // xxh64, seed 0
//   uint64_t g = post::Hash64("text", 7);       // an independent family member
#pragma once

#include <cstdint>
#include <string_view>

namespace jitsynth::post {

// xxh64 of `bytes`: stable across platforms and releases, so hashes written
// to disk (manifests, split assignments) stay comparable.
uint64_t Hash64(std::string_view bytes, uint64_t seed = 0);

}  // namespace jitsynth::post
