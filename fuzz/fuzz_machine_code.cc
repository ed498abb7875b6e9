// libFuzzer target: the canonicalizers of LLVM IR, assembly and PTX never crash and keep their
// properties (properties.h, CheckMachineCode). Build and run (clang only):
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DJITSYNTH_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target fuzz_machine_code
//   build-fuzz/fuzz/fuzz_machine_code -max_total_time=300 /tmp/corpus fuzz/corpus/machine_code
// A crash input goes into fuzz/corpus/machine_code, which ctest replays.
#include <cstddef>
#include <cstdint>

#include "properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jitsynth::fuzz::Enforce(
      jitsynth::fuzz::CheckMachineCode({reinterpret_cast<const char*>(data), size}));
}
