// libFuzzer target: the reader of zstd-compressed chunks (store/zstd_lines.h) takes any bytes
// without crashing and answers the same however they arrive (store_properties.h). Build and run
// as fuzz_canonicalize (clang only), with fuzz/corpus/zstd_lines as the seed corpus:
//   build-fuzz/fuzz/fuzz_zstd_lines -max_total_time=300 /tmp/corpus fuzz/corpus/zstd_lines
#include <cstddef>
#include <cstdint>

#include "properties.h"
#include "store_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jitsynth::fuzz::Enforce(
      jitsynth::fuzz::CheckZstdLines({reinterpret_cast<const char*>(data), size}));
}
