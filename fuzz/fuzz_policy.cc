// libFuzzer target: a policy drawn from the input's bytes (fuzz/policy_fuzz.h)
// either is refused at load or gives samples within the step budget. Build
// as fuzz_canonicalize.cc says; without clang, `policy_fuzz --seconds N`
// runs the same check over consecutive seeds.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "policy_fuzz.h"
#include "properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint64_t seed = 0;
  std::memcpy(&seed, data, size < sizeof(seed) ? size : sizeof(seed));
  const jitsynth::fuzz::PolicyCheck check =
      jitsynth::fuzz::CheckPolicy(jitsynth::fuzz::RandomPolicyToml(seed), seed, 20);
  return jitsynth::fuzz::Enforce(check.refused ? "" : check.failure);
}
