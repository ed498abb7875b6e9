#include "core/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>
#include <vector>

namespace jitsynth {
namespace {

TEST(Rng, SameSeedAndStreamReproduce) {
  Rng a(7, 42);
  Rng b(7, 42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.NextU64(), b.NextU64());
}

TEST(Rng, StreamsDoNotDependOnDrawOrder) {
  // Sample i's stream is the same whether or not other streams were used
  // first: the property that makes records independent of scheduling.
  Rng first(7, 3);
  const uint64_t expected = first.NextU64();
  Rng other(7, 2);
  for (int i = 0; i < 100; ++i) other.NextU64();
  Rng again(7, 3);
  EXPECT_EQ(again.NextU64(), expected);
}

TEST(Rng, NeighbouringStreamsAndSeedsDiffer) {
  std::set<uint64_t> firsts;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    for (uint64_t stream = 0; stream < 200; ++stream) firsts.insert(Rng(seed, stream).NextU64());
  }
  EXPECT_EQ(firsts.size(), 50u * 200u);
}

TEST(Rng, StreamsAreUncorrelated) {
  // Adjacent streams: the bits of their outputs agree half the time.
  int64_t agree = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    Rng a(1, static_cast<uint64_t>(i));
    Rng b(1, static_cast<uint64_t>(i) + 1);
    agree += __builtin_popcountll(~(a.NextU64() ^ b.NextU64()));
  }
  const double mean = static_cast<double>(agree) / (64.0 * n);
  EXPECT_NEAR(mean, 0.5, 0.005);
}

TEST(Rng, BelowIsUniform) {
  Rng rng(11, 0);
  std::array<int, 6> counts{};
  const int n = 60000;
  for (int i = 0; i < n; ++i) ++counts[rng.Below(6)];
  double chi2 = 0;
  for (int c : counts) chi2 += std::pow(c - n / 6.0, 2) / (n / 6.0);
  EXPECT_LT(chi2, 20.5);  // p < 0.001 for 5 degrees of freedom
}

TEST(Rng, UniformIntStaysInRange) {
  Rng rng(5, 5);
  for (int i = 0; i < 10000; ++i) {
    const int64_t v = rng.UniformInt(-3, 4);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 4);
  }
}

TEST(Rng, PickWeightedFollowsWeightsAndSkipsZeros) {
  Rng rng(9, 1);
  const std::vector<double> w = {1.0, 0.0, 3.0};
  std::array<int, 3> counts{};
  for (int i = 0; i < 40000; ++i) ++counts[rng.PickWeighted(w)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(static_cast<double>(counts[2]) / counts[0], 3.0, 0.2);
}

TEST(Rng, SplitIsIndependentAndDoesNotAdvance) {
  Rng rng(3, 3);
  Rng copy = rng;
  Rng child = rng.Split("shapes");
  EXPECT_EQ(rng.NextU64(), copy.NextU64());
  EXPECT_NE(child.NextU64(), Rng(3, 3).Split("dtypes").NextU64());
  EXPECT_EQ(Rng(3, 3).Split("shapes").NextU64(), Rng(3, 3).Split("shapes").NextU64());
}

}  // namespace
}  // namespace jitsynth
