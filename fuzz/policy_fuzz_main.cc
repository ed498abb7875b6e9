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

namespace {

// The steps of `samples` samples of one policy file ("default" for the default policy).
int MeasureOne(const std::string& path, uint64_t seed, uint64_t samples) {
  jitsynth::Result<jitsynth::synth::Policy> policy =
      path == "default" ? jitsynth::synth::Policy::Default() : jitsynth::synth::Policy::Load(path);
  if (!policy.ok()) {
    fmt::print(stderr, "{}\n", policy.status().message());
    return 2;
  }
  const jitsynth::fuzz::PolicyCheck check =
      jitsynth::fuzz::CheckPolicy(policy->ToToml(), seed, samples);
  fmt::print("{} samples of seed {}: most steps {}, slowest {:.1f} ms{}{}\n", samples, seed,
             check.max_steps, check.max_seconds * 1000, check.failure.empty() ? "" : "; ",
             check.failure);
  return check.failure.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 60;
  uint64_t start = 1000000;  // past the seeds the bounded test covers
  uint64_t samples = 50;
  bool trace = false;
  bool keep_going = false;  // count failures instead of stopping at the first
  std::string policy_file;  // measure one policy instead: the most steps of `samples` samples  // each policy seed on stderr before it runs: a crash names its seed
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (flag == "--trace") {
      trace = true;
    } else if (flag == "--keep-going") {
      keep_going = true;
    } else if (flag == "--seconds" && value) {
      seconds = std::atof(argv[++i]);
    } else if (flag == "--start" && value) {
      start = std::strtoull(argv[++i], nullptr, 10);
    } else if (flag == "--policy" && value) {
      policy_file = argv[++i];
    } else if (flag == "--print" && value) {  // the TOML of one policy seed, to replay a crash
      fmt::print("{}", jitsynth::fuzz::RandomPolicyToml(std::strtoull(argv[++i], nullptr, 10)));
      return 0;
    } else if (flag == "--samples" && value) {
      samples = std::strtoull(argv[++i], nullptr, 10);
    } else {
      fmt::print(stderr, "usage: policy_fuzz [--seconds S] [--start N] [--samples K] [--trace] [--keep-going] [--policy FILE] [--print SEED]\n");
      return 2;
    }
  }
  if (!policy_file.empty()) return MeasureOne(policy_file, start, samples);
  const auto begin = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  };
  uint64_t policies = 0, refused = 0, total_samples = 0, overruns = 0, invalid = 0;
  int64_t max_steps = 0;
  double max_seconds = 0;
  for (uint64_t seed = start; elapsed() < seconds; ++seed) {
    if (trace) fmt::print(stderr, "policy seed {}\n", seed);
    const std::string toml = jitsynth::fuzz::RandomPolicyToml(seed);
    const jitsynth::fuzz::PolicyCheck check = jitsynth::fuzz::CheckPolicy(toml, seed, samples);
    ++policies;
    if (check.refused) {
      ++refused;
      continue;
    }
    total_samples += samples;
    max_steps = std::max(max_steps, check.max_steps);
    max_seconds = std::max(max_seconds, check.max_seconds);
    if (!check.failure.empty()) {
      // A sample past the step budget is unbounded work; any other failure is
      // a program the verifier refused (a validity bug, not a blow-up).
      const bool overrun = check.failure.find("step budget") != std::string::npos;
      ++(overrun ? overruns : invalid);
      fmt::print("policy seed {}: {}\n{}", seed, check.failure,
                 keep_going ? "" : jitsynth::fuzz::ChangedKeys(toml));
      if (!keep_going) return 1;
    }
  }
  fmt::print("{:.0f} s: {} policies ({} refused at load), {} samples; {} over the step budget, "
             "{} refused by the verifier; most steps in one sample {}, slowest sample {:.1f} ms\n",
             elapsed(), policies, refused, total_samples, overruns, invalid, max_steps,
             max_seconds * 1000);
  return overruns + invalid == 0 ? 0 : 1;
}
