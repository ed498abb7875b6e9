// MinHash signatures and LSH banding: near-duplicate detection that scales
// to large runs without comparing every pair.
//
//   post::MinHashSignature a = post::MinHash(tokens_a);  // over 5-token shingles
//   post::MinHashSignature b = post::MinHash(tokens_b);
//   double j = post::EstimatedJaccard(a, b);   // ~ |A & B| / |A | B| of the shingle sets
//   auto pairs = post::NearDuplicatePairs(signatures, /*threshold=*/0.9);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace jitsynth::post {

// 128 minima: the estimate's standard error is at most 1/sqrt(4 * 128) ~ 0.044.
inline constexpr size_t kMinHashSize = 128;
// Shingles of five tokens: short enough that one changed token leaves most of
// a short program's shingles intact, long enough to carry local structure.
inline constexpr size_t kShingleLength = 5;

using MinHashSignature = std::array<uint32_t, kMinHashSize>;

// The signature of the set of kShingleLength-token shingles (a sequence
// shorter than that is one shingle). Deterministic across runs and machines.
MinHashSignature MinHash(std::span<const std::string> tokens);

// The fraction of equal minima: an unbiased estimate of the Jaccard index.
double EstimatedJaccard(const MinHashSignature& a, const MinHashSignature& b);

// Pairs (i, j), i < j, sorted, whose signatures share an LSH bucket and whose
// estimated Jaccard index is at least `threshold` (in (0, 1]). Identical
// signatures are linked to the first of them instead of pairwise: the
// connected components, which is what clustering uses, are the same.
std::vector<std::pair<size_t, size_t>> NearDuplicatePairs(
    std::span<const MinHashSignature> signatures, double threshold);

namespace detail {

struct LshBands {
  size_t bands = 0;
  size_t rows = 0;  // bands * rows <= kMinHashSize
};

// The banding NearDuplicatePairs uses: the one that minimizes the probability
// mass of missed pairs above `threshold` plus false candidates below it (the
// criterion of datasketch's MinHashLSH), misses weighted far more, so that
// the candidate step rarely loses a true pair.
LshBands ChooseBands(double threshold);

}  // namespace detail
}  // namespace jitsynth::post
