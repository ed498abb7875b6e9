// The long-running policy fuzzer: random policies (fuzz/policy_fuzz.h) times
// seeds until the time is up; prints the first policy whose samples fail or
// overrun the step budget, and exits 1. Built in every build (not only with
// clang), since it needs no instrumentation.
//
//   build/tests/cpp/policy_fuzz --seconds 600 [--start N] [--samples 50]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>

#include "policy_fuzz.h"

int main(int argc, char** argv) {
  double seconds = 60;
  uint64_t start = 1000000;  // past the seeds the bounded test covers
  uint64_t samples = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--seconds") {
      seconds = std::atof(value);
    } else if (flag == "--start") {
      start = std::strtoull(value, nullptr, 10);
    } else if (flag == "--samples") {
      samples = std::strtoull(value, nullptr, 10);
    } else {
      fmt::print(stderr, "usage: policy_fuzz [--seconds S] [--start N] [--samples K]\n");
      return 2;
    }
  }
  const auto begin = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  };
  uint64_t policies = 0, refused = 0, total_samples = 0;
  int64_t max_steps = 0;
  for (uint64_t seed = start; elapsed() < seconds; ++seed) {
    const std::string toml = jitsynth::fuzz::RandomPolicyToml(seed);
    const jitsynth::fuzz::PolicyCheck check = jitsynth::fuzz::CheckPolicy(toml, seed, samples);
    ++policies;
    if (check.refused) {
      ++refused;
      continue;
    }
    total_samples += samples;
    max_steps = std::max(max_steps, check.max_steps);
    if (!check.failure.empty()) {
      fmt::print("policy seed {}: {}\n{}", seed, check.failure, toml);
      return 1;
    }
  }
  fmt::print("{:.0f} s: {} policies ({} refused at load), {} samples, nothing found; most steps in "
             "one sample {}\n",
             elapsed(), policies, refused, total_samples, max_steps);
  return 0;
}
