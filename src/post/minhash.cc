#include "post/minhash.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "post/hash.h"

namespace jitsynth::post {
namespace {

// SplitMix64's finaliser: a bijection that scatters bits, so that
// Mix(x ^ seed_i) behaves as an independent hash function per seed.
constexpr uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::array<uint64_t, kMinHashSize> MakeSeeds() {
  std::array<uint64_t, kMinHashSize> seeds{};
  for (size_t i = 0; i < kMinHashSize; ++i) seeds[i] = Mix(0x9e3779b97f4a7c15ULL * (i + 1));
  return seeds;
}
constexpr std::array<uint64_t, kMinHashSize> kSeeds = MakeSeeds();

std::string_view Bytes(const void* data, size_t size) {
  return {static_cast<const char*>(data), size};
}

// Probability that a pair of Jaccard index s shares at least one bucket.
double Candidate(double s, const detail::LshBands& b) {
  return 1.0 -
         std::pow(1.0 - std::pow(s, static_cast<double>(b.rows)), static_cast<double>(b.bands));
}

// Candidates are checked against the threshold afterwards, so a false
// candidate costs one comparison while a missed pair is a duplicate kept:
// weigh misses 19 times as much. At threshold 0.9 this picks 9 bands of 14
// rows, which finds a pair of Jaccard index 0.93 with probability 0.98.
constexpr double kFalsePositiveWeight = 0.05;

// Midpoint rule: plenty for a smooth curve on an interval of length < 1.
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kSteps = 200;
  const double step = (hi - lo) / kSteps;
  double sum = 0;
  for (int i = 0; i < kSteps; ++i) sum += f(lo + (i + 0.5) * step);
  return sum * step;
}

}  // namespace

MinHashSignature MinHash(std::span<const std::string> tokens) {
  std::vector<uint64_t> token_hashes;
  token_hashes.reserve(tokens.size());
  for (const std::string& t : tokens) token_hashes.push_back(Hash64(t));
  std::vector<uint64_t> shingles;
  const size_t width = std::min(kShingleLength, token_hashes.size());
  for (size_t i = 0; width > 0 && i + width <= token_hashes.size(); ++i) {
    shingles.push_back(Hash64(Bytes(&token_hashes[i], width * sizeof(uint64_t))));
  }
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  MinHashSignature signature;
  signature.fill(std::numeric_limits<uint32_t>::max());
  for (uint64_t shingle : shingles) {
    for (size_t i = 0; i < kMinHashSize; ++i) {
      signature[i] = std::min(signature[i], static_cast<uint32_t>(Mix(shingle ^ kSeeds[i]) >> 32));
    }
  }
  return signature;
}

double EstimatedJaccard(const MinHashSignature& a, const MinHashSignature& b) {
  size_t equal = 0;
  for (size_t i = 0; i < kMinHashSize; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / kMinHashSize;
}

namespace detail {

LshBands ChooseBands(double threshold) {
  LshBands best{1, kMinHashSize};
  double best_error = std::numeric_limits<double>::infinity();
  for (size_t bands = 1; bands <= kMinHashSize; ++bands) {
    for (size_t rows = 1; bands * rows <= kMinHashSize; ++rows) {
      const LshBands b{bands, rows};
      const double false_positive =
          Integrate([&](double s) { return Candidate(s, b); }, 0, threshold);
      const double false_negative =
          Integrate([&](double s) { return 1.0 - Candidate(s, b); }, threshold, 1);
      const double error =
          kFalsePositiveWeight * false_positive + (1 - kFalsePositiveWeight) * false_negative;
      if (error < best_error) {
        best_error = error;
        best = b;
      }
    }
  }
  return best;
}

}  // namespace detail

std::vector<std::pair<size_t, size_t>> NearDuplicatePairs(
    std::span<const MinHashSignature> signatures, double threshold) {
  std::vector<std::pair<size_t, size_t>> pairs;
  // Copies of one program share a signature: link them to the first copy
  // and let only that one into the buckets, which then stay small.
  std::unordered_map<uint64_t, std::vector<size_t>> by_signature;
  std::vector<size_t> distinct;
  for (size_t i = 0; i < signatures.size(); ++i) {
    const MinHashSignature& sig = signatures[i];
    std::vector<size_t>& same_hash = by_signature[Hash64(Bytes(sig.data(), sizeof(sig)))];
    const auto first = std::find_if(same_hash.begin(), same_hash.end(),
                                    [&](size_t j) { return signatures[j] == sig; });
    if (first != same_hash.end()) {
      pairs.emplace_back(*first, i);
      continue;
    }
    same_hash.push_back(i);
    distinct.push_back(i);
  }
  const detail::LshBands b = detail::ChooseBands(threshold);
  std::vector<std::pair<size_t, size_t>> candidates;
  for (size_t band = 0; band < b.bands; ++band) {
    std::unordered_map<uint64_t, std::vector<size_t>> buckets;
    for (size_t i : distinct) {
      const uint32_t* rows = signatures[i].data() + band * b.rows;
      buckets[Hash64(Bytes(rows, b.rows * sizeof(uint32_t)), band)].push_back(i);
    }
    for (const auto& [key, members] : buckets) {
      for (size_t x = 0; x < members.size(); ++x) {
        for (size_t y = x + 1; y < members.size(); ++y)
          candidates.emplace_back(members[x], members[y]);
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (const auto& [i, j] : candidates) {
    if (EstimatedJaccard(signatures[i], signatures[j]) >= threshold) pairs.emplace_back(i, j);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace jitsynth::post
