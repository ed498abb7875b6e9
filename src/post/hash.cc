#include "post/hash.h"

#include <xxhash.h>

namespace jitsynth::post {

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  return XXH64(bytes.data(), bytes.size(), seed);
}

}  // namespace jitsynth::post
