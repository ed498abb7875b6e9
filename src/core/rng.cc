#include "core/rng.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cmath>

namespace jitsynth {
namespace {
constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;
__extension__ using U128 = unsigned __int128;

uint64_t HashTag(std::string_view tag) {
  // FNV-1a, then mixed: tags are short literals, quality comes from Mix64.
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : tag) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return Mix64(h);
}
}  // namespace

uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

Rng::Rng(uint64_t seed, uint64_t stream)
    : key_(Mix64(Mix64(seed ^ 0x6a09e667f3bcc909ULL) + Mix64(stream + kGamma) * 3)) {}

uint64_t Rng::NextU64() {
  ++counter_;
  return Mix64(key_ + counter_ * kGamma);
}

uint64_t Rng::Below(uint64_t bound) {
  // An empty range is a caller's bug; in a release build it would draw from
  // 2^64 values and send the caller's loops astray, so it stops here loudly.
  if (bound == 0) {
    std::fputs("jitsynth: internal error: Rng::Below(0)\n", stderr);
    std::abort();
  }
  U128 m = static_cast<U128>(NextU64()) * bound;
  auto low = static_cast<uint64_t>(m);
  if (low < bound) {
    const uint64_t threshold = -bound % bound;
    while (low < threshold) {
      m = static_cast<U128>(NextU64()) * bound;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::UniformInt(int64_t lo, int64_t hi) {
  if (lo > hi) {
    std::fprintf(stderr, "jitsynth: internal error: Rng::UniformInt(%lld, %lld): empty range\n",
                 static_cast<long long>(lo), static_cast<long long>(hi));
    std::abort();
  }
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (span == 0) return static_cast<int64_t>(NextU64());  // the full 64-bit range
  return lo + static_cast<int64_t>(Below(span));
}

double Rng::UniformDouble() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

double Rng::UniformReal(double lo, double hi) { return lo + (hi - lo) * UniformDouble(); }

bool Rng::Bernoulli(double p) { return UniformDouble() < p; }

size_t Rng::PickWeighted(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w > 0 ? w : 0;
  assert(total > 0 && "PickWeighted needs a positive total weight");
  double x = UniformDouble() * total;
  size_t last_positive = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last_positive = i;
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return last_positive;  // rounding left x a hair above the last weight
}

Rng Rng::Split(std::string_view tag) const { return Rng(Mix64(key_ ^ HashTag(tag))); }

Rng Rng::Split(uint64_t tag) const { return Rng(Mix64(key_ ^ Mix64(tag + kGamma))); }

}  // namespace jitsynth
