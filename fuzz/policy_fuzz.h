// The policy fuzzer: random valid policies (extreme and zero weights, a single
// family, a single dtype, the smallest shapes, one op, depth 1) times seeds.
// Every policy that loading accepts must give samples within the generator's
// step budget (synth::detail::Builder::StepBudget), or loading must refuse
// it. Shared by the bounded test (tests/cpp/policy_fuzz_test.cc), the
// long-running program (policy_fuzz --seconds N) and the libFuzzer target
// (fuzz/fuzz_policy.cc).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"
#include "ir/ops.h"
#include "synth/families.h"
#include "synth/generator.h"
#include "synth/policy.h"

namespace jitsynth::fuzz {

// The small one-dimensional policy of issue 10, the size older pipelines made.
inline std::string SmallOneDimensionalToml() {
  return "[shape]\nmax_rank = 1\nmax_elements = 8\nmax_dim = 8\nmax_args = 3\n"
         "[expr]\nmax_ops = 4\nmax_depth = 2\n[control]\nmax_depth = 1\n"
         "[dtype]\nfloat16 = 0\nbfloat16 = 0\nfloat64 = 0\nint8 = 0\nuint8 = 0\n";
}

namespace detail {

inline void SetOrDie(synth::Policy& p, const std::string& key, double value) {
  if (Status s = p.Set(key, value); !s.ok()) {
    fmt::print(stderr, "policy fuzzer bug: {}\n", s.message());
    std::abort();
  }
}

// Every key of a prefix to zero but one, drawn.
inline void KeepOne(Rng& rng, synth::Policy& p, const std::vector<std::string>& keys) {
  const std::string& kept = keys[rng.Below(keys.size())];
  for (const std::string& k : keys) SetOrDie(p, k, k == kept ? std::max(p.Get(k), 1.0) : 0.0);
}

inline std::vector<std::string> KeysWith(const synth::Policy& p, std::string_view prefix) {
  std::vector<std::string> keys;
  for (const synth::PolicyEntry& e : p.entries()) {
    if (e.key.starts_with(prefix)) keys.push_back(e.key);
  }
  return keys;
}

}  // namespace detail

// A random policy as its TOML text: each key kept, at an end of its range or
// anywhere in it, then perhaps narrowed to one family, one dtype of each
// kind, the smallest shapes, one op, depth 1 or the small policy.
inline std::string RandomPolicyToml(uint64_t seed) {
  Rng rng(seed, 0);
  synth::Policy p = synth::Policy::Default();
  const std::vector<synth::PolicyEntry> entries = p.entries();
  const double mutate = rng.UniformDouble();  // from a few keys to nearly all
  for (const synth::PolicyEntry& e : entries) {
    if (!rng.Bernoulli(mutate)) continue;
    double v = e.value;
    switch (rng.Below(3)) {
      case 0:
        v = e.min;
        break;
      case 1:
        v = e.max;
        break;
      default:
        v = rng.UniformReal(e.min, std::min(e.max, 2 * e.value + 1));
        if (e.integer) v = std::floor(v);
        break;
    }
    detail::SetOrDie(p, e.key, v);
  }
  if (rng.Bernoulli(0.3)) detail::KeepOne(rng, p, detail::KeysWith(p, "family."));
  if (rng.Bernoulli(0.3)) {
    detail::KeepOne(rng, p, {"dtype.float32", "dtype.float16", "dtype.bfloat16", "dtype.float64"});
    detail::KeepOne(rng, p, {"dtype.int32", "dtype.int8", "dtype.uint8"});
  }
  if (rng.Bernoulli(0.3)) {
    detail::SetOrDie(p, "shape.max_rank", static_cast<double>(rng.Below(2)));
    detail::SetOrDie(p, "shape.max_elements", static_cast<double>(rng.UniformInt(1, 8)));
    detail::SetOrDie(p, "shape.max_dim", static_cast<double>(rng.UniformInt(1, 8)));
    detail::SetOrDie(p, "shape.max_args", static_cast<double>(rng.UniformInt(1, 3)));
  }
  if (rng.Bernoulli(0.2)) detail::KeepOne(rng, p, detail::KeysWith(p, "op."));
  if (rng.Bernoulli(0.3)) {
    detail::SetOrDie(p, "expr.max_depth", 1);
    detail::SetOrDie(p, "control.max_depth", 1);
  }
  std::string toml = p.ToToml();
  if (rng.Bernoulli(0.1)) toml = SmallOneDimensionalToml();
  return toml;
}

// The keys of a policy's TOML that differ from the default, one "key = value" a line.
inline std::string ChangedKeys(const std::string& toml) {
  Result<synth::Policy> policy = synth::Policy::FromToml(toml, "fuzz.toml");
  if (!policy.ok()) return policy.status().message() + "\n";
  const synth::Policy defaults = synth::Policy::Default();
  std::string out;
  for (const synth::PolicyEntry& e : policy->entries()) {
    if (e.value != defaults.Get(e.key)) out += fmt::format("{} = {}\n", e.key, e.value);
  }
  return out;
}

// Where a sample's arguments break the policy's shape limits (a jax.random
// key's uint32[2] aside), or "". Written apart from the generator's own check.
inline std::string ArgumentsOverLimits(const synth::Sample& sample, const synth::Policy& policy) {
  const auto limit = [&](std::string_view key) { return static_cast<int64_t>(policy.Get(key)); };
  if (static_cast<int64_t>(sample.args.size()) > limit("shape.max_args")) return "too many arguments";
  for (const ir::Var& v : sample.args) {
    if (v.type.dtype == ir::DType::kUInt32 && v.type.shape == ir::Shape{2}) continue;
    int64_t elements = 1;
    for (int64_t d : v.type.shape) {
      if (d > limit("shape.max_dim")) return v.name + ": an axis over shape.max_dim";
      elements *= d;
    }
    if (static_cast<int64_t>(v.type.shape.size()) > limit("shape.max_rank")) return v.name + ": rank over shape.max_rank";
    if (elements > limit("shape.max_elements")) return v.name + ": over shape.max_elements";
  }
  return "";
}

struct PolicyCheck {
  bool refused = false;  // loading refused the policy (its message in `failure`)
  std::string failure;   // a sample that failed or overran, else ""
  int64_t max_steps = 0;
  double max_seconds = 0;  // the slowest sample (reported, never asserted: timing is noisy)
};

// Loads the policy as the CLI does and generates `count` samples of run
// `seed` with it. The policy must be refused, or every sample must succeed.
inline PolicyCheck CheckPolicy(const std::string& toml, uint64_t seed, uint64_t count) {
  PolicyCheck out;
  Result<synth::Policy> policy = synth::Policy::FromToml(toml, "fuzz.toml");
  if (!policy.ok()) {
    out.refused = true;
    out.failure = policy.status().message();
    return out;
  }
  const synth::Generator generator(*policy, seed);
  for (uint64_t i = 0; i < count; ++i) {
    const auto begin = std::chrono::steady_clock::now();
    Result<synth::Sample> sample = generator.Generate(i);
    out.max_seconds = std::max(
        out.max_seconds,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
    if (!sample.ok()) {
      out.failure = fmt::format("seed {} index {}: {}", seed, i, sample.status().message());
      return out;
    }
    out.max_steps = std::max(out.max_steps, sample->steps);
    if (std::string over = ArgumentsOverLimits(*sample, *policy); !over.empty()) {
      out.failure = fmt::format("seed {} index {} ({}): {}", seed, i, sample->program.category, over);
      return out;
    }
  }
  return out;
}

}  // namespace jitsynth::fuzz
