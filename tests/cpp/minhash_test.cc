// MinHash estimates and LSH candidate search: similar pairs are found,
// dissimilar ones are not, and the result depends only on the input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/rng.h"
#include "post/minhash.h"

namespace jitsynth::post {
namespace {

// A random "program" of `n` tokens drawn from a vocabulary of 50.
std::vector<std::string> RandomTokens(Rng& rng, size_t n) {
  std::vector<std::string> tokens;
  for (size_t i = 0; i < n; ++i) tokens.push_back(fmt::format("t{}", rng.Below(50)));
  return tokens;
}

double ExactJaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto shingles = [](const std::vector<std::string>& t) {
    std::set<std::vector<std::string>> s;
    for (size_t i = 0; i + kShingleLength <= t.size(); ++i) {
      s.emplace(t.begin() + i, t.begin() + i + kShingleLength);
    }
    return s;
  };
  const auto sa = shingles(a);
  const auto sb = shingles(b);
  size_t common = 0;
  for (const auto& s : sa) common += sb.contains(s);
  return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

TEST(MinHash, EstimatesTheJaccardIndexOfShingles) {
  Rng rng(1, 0);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<std::string> a = RandomTokens(rng, 200);
    std::vector<std::string> b = a;
    const size_t changes = rng.Below(30);
    for (size_t c = 0; c < changes; ++c) b[rng.Below(b.size())] = "changed";
    // Four standard errors of a 128-minimum estimate.
    EXPECT_NEAR(EstimatedJaccard(MinHash(a), MinHash(b)), ExactJaccard(a, b), 0.18);
  }
}

TEST(MinHash, IdenticalSequencesHaveIdenticalSignatures) {
  Rng rng(2, 0);
  const std::vector<std::string> a = RandomTokens(rng, 40);
  EXPECT_EQ(MinHash(a), MinHash(a));
  EXPECT_EQ(EstimatedJaccard(MinHash(a), MinHash(a)), 1.0);
  // Shorter than a shingle: one shingle of everything.
  EXPECT_EQ(MinHash(std::vector<std::string>{"a", "b"}),
            MinHash(std::vector<std::string>{"a", "b"}));
  EXPECT_NE(MinHash(std::vector<std::string>{"a", "b"}),
            MinHash(std::vector<std::string>{"b", "a"}));
}

// The probability that a pair of Jaccard index s shares a bucket.
double CandidateProbability(double s, const detail::LshBands& b) {
  return 1.0 -
         std::pow(1.0 - std::pow(s, static_cast<double>(b.rows)), static_cast<double>(b.bands));
}

TEST(ChooseBands, FindsPairsJustAboveTheThresholdAndFewFarBelow) {
  for (double t : {0.5, 0.7, 0.8, 0.9, 0.95}) {
    const detail::LshBands b = detail::ChooseBands(t);
    EXPECT_LE(b.bands * b.rows, kMinHashSize);
    EXPECT_GE(CandidateProbability(std::min(1.0, t + 0.05), b), 0.95) << t;
    EXPECT_LE(CandidateProbability(t / 2, b), 0.5) << t;
  }
  EXPECT_LT(detail::ChooseBands(0.5).rows, detail::ChooseBands(0.9).rows);
}

// 500 unrelated programs, with a near copy planted for every tenth one.
TEST(NearDuplicatePairs, FindsPlantedPairsAndNothingElse) {
  Rng rng(3, 0);
  std::vector<std::vector<std::string>> programs;
  for (int i = 0; i < 500; ++i) programs.push_back(RandomTokens(rng, 300));
  std::set<std::pair<size_t, size_t>> planted;
  for (size_t i = 0; i < 500; i += 10) {
    std::vector<std::string> copy = programs[i];
    copy[rng.Below(copy.size())] = "changed";  // Jaccard ~ 0.97
    planted.emplace(i, programs.size());
    programs.push_back(std::move(copy));
  }
  std::vector<MinHashSignature> signatures;
  for (const auto& p : programs) signatures.push_back(MinHash(p));
  const auto pairs = NearDuplicatePairs(signatures, 0.9);
  const std::set<std::pair<size_t, size_t>> found(pairs.begin(), pairs.end());
  EXPECT_EQ(found, planted);
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  EXPECT_EQ(NearDuplicatePairs(signatures, 0.9), pairs);
}

TEST(NearDuplicatePairs, IdenticalSignaturesLinkToTheFirst) {
  Rng rng(4, 0);
  const MinHashSignature a = MinHash(RandomTokens(rng, 100));
  const MinHashSignature b = MinHash(RandomTokens(rng, 100));
  const std::vector<MinHashSignature> signatures = {a, b, a, a, b};
  EXPECT_EQ(NearDuplicatePairs(signatures, 0.9),
            (std::vector<std::pair<size_t, size_t>>{{0, 2}, {0, 3}, {1, 4}}));
}

TEST(NearDuplicatePairs, ThresholdDecides) {
  Rng rng(5, 0);
  const std::vector<std::string> a = RandomTokens(rng, 100);
  std::vector<std::string> b = a;
  for (size_t i = 0; i < 100; i += 12) b[i] = "changed";  // 9 changes: Jaccard ~ 0.4
  const std::vector<MinHashSignature> signatures = {MinHash(a), MinHash(b)};
  EXPECT_TRUE(NearDuplicatePairs(signatures, 0.9).empty());
  EXPECT_EQ(NearDuplicatePairs(signatures, 0.2).size(), 1u);
}

}  // namespace
}  // namespace jitsynth::post
