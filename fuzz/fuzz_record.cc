// libFuzzer target: the import parser and the task table on any line (record_properties.h).
// Build and run as fuzz_canonicalize.cc says, with fuzz_record and fuzz/corpus/record.
#include <cstddef>
#include <cstdint>

#include "properties.h"
#include "record_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jitsynth::fuzz::Enforce(
      jitsynth::fuzz::CheckRecordLine({reinterpret_cast<const char*>(data), size}));
}
