// libFuzzer target: the IR canonicalizers never crash and keep their
// properties (properties.h). Build and run (clang only):
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DJITSYNTH_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target fuzz_canonicalize
//   build-fuzz/fuzz/fuzz_canonicalize -max_total_time=300 /tmp/corpus fuzz/corpus/canonicalize
// A crash input goes into fuzz/corpus/canonicalize, which ctest replays.
#include <cstddef>
#include <cstdint>

#include "properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jitsynth::fuzz::Enforce(
      jitsynth::fuzz::CheckCanonicalize({reinterpret_cast<const char*>(data), size}));
}
