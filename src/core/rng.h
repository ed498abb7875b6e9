// The only source of randomness in jitsynth.
//
// Rng is counter-based: output n of the stream keyed by (seed, stream) is
// Mix(key + n * kGamma), a SplitMix64 finaliser over a Weyl sequence. Sample i of
// a run draws only from Rng(seed, i), so a record never depends on which worker
// made it, in which order, or whether the run was resumed.
//
//   Rng rng(/*seed=*/7, /*stream=*/42);
//   int64_t n = rng.UniformInt(1, 6);     // a die roll
//   Rng child = rng.Split("shapes");       // an independent sub-stream
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace jitsynth {

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream);

  uint64_t NextU64();
  // Uniform in [0, bound); bound > 0. Unbiased (Lemire's method).
  uint64_t Below(uint64_t bound);
  // Uniform in [lo, hi], inclusive.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double UniformDouble();
  double UniformReal(double lo, double hi);
  bool Bernoulli(double p);
  // Index drawn with probability proportional to weights[i]; needs a positive sum.
  size_t PickWeighted(std::span<const double> weights);
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

  // An independent stream derived from this one's key and `tag`; it does not
  // advance this stream.
  Rng Split(std::string_view tag) const;
  Rng Split(uint64_t tag) const;

  uint64_t key() const { return key_; }
  uint64_t counter() const { return counter_; }

 private:
  explicit Rng(uint64_t key) : key_(key) {}
  uint64_t key_;
  uint64_t counter_ = 0;
};

// The SplitMix64 finaliser: a bijective 64-bit mixer.
uint64_t Mix64(uint64_t x);

}  // namespace jitsynth
