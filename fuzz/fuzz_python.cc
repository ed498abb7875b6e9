// libFuzzer target: the Python tokenizer and normalizer never crash and keep
// their properties (properties.h). Build and run as fuzz_canonicalize.cc
// says, with fuzz_python and fuzz/corpus/python.
#include <cstddef>
#include <cstdint>

#include "properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jitsynth::fuzz::Enforce(
      jitsynth::fuzz::CheckPython({reinterpret_cast<const char*>(data), size}));
}
