// The bounded policy fuzzer (fuzz/policy_fuzz.h): random valid policies times
// seeds, each sample within the generator's step budget. Counting steps, not
// time, keeps the test deterministic; the long run is `policy_fuzz --seconds N`.
#include <gtest/gtest.h>

#include "policy_fuzz.h"
#include "synth/builder.h"

namespace jitsynth {
namespace {

using synth::detail::Builder;

TEST(PolicyFuzz, RandomPoliciesStayWithinTheStepBudget) {
  int accepted = 0;
  for (uint64_t policy_seed = 0; policy_seed < 300; ++policy_seed) {
    const std::string toml = fuzz::RandomPolicyToml(policy_seed);
    const fuzz::PolicyCheck check = fuzz::CheckPolicy(toml, policy_seed, 20);
    if (check.refused) continue;
    ++accepted;
    ASSERT_EQ(check.failure, "") << "policy seed " << policy_seed << ":\n" << toml;
    const int max_ops = static_cast<int>(synth::Policy::FromToml(toml, "")->Get("expr.max_ops"));
    ASSERT_LE(check.max_steps, Builder::StepBudget(max_ops)) << "policy seed " << policy_seed;
  }
  EXPECT_GE(accepted, 200);  // the fuzzer draws mostly valid policies
}

// Issue 10: single samples took 17 s and 4 GB under this policy.
TEST(PolicyFuzz, SmallOneDimensionalPolicyIsCheap) {
  for (uint64_t seed : {3, 0, 7}) {
    const fuzz::PolicyCheck check = fuzz::CheckPolicy(fuzz::SmallOneDimensionalToml(), seed, 2000);
    ASSERT_FALSE(check.refused) << check.failure;
    ASSERT_EQ(check.failure, "");
    // max_ops = 4 and depth 2: a few hundred steps at most, far below the budget.
    EXPECT_LE(check.max_steps, 1000) << "seed " << seed;
  }
}

// Policies on which a long fuzz run found verifier refusals (float16 power iteration on W^T W
// past the budget, a float16 loss whose L2 penalty pushed it past the budget), replayed.
TEST(PolicyFuzz, FoundRefusalsStayFixed) {
  for (uint64_t seed : {3005295, 3014401, 3015467, 3022608}) {
    const fuzz::PolicyCheck check = fuzz::CheckPolicy(fuzz::RandomPolicyToml(seed), seed, 40);
    ASSERT_FALSE(check.refused) << check.failure;
    EXPECT_EQ(check.failure, "") << "policy seed " << seed;
  }
}

TEST(PolicyFuzz, DefaultPolicyStaysFarBelowTheBudget) {
  const fuzz::PolicyCheck check =
      fuzz::CheckPolicy(synth::Policy::Default().ToToml(), 0, 3000);
  ASSERT_EQ(check.failure, "");
  // Far below where work is cut short, so the limit never changes a default program.
  EXPECT_LE(check.max_steps, Builder::WorkLimit(24) / 8);
}

}  // namespace
}  // namespace jitsynth
