#include "synth/generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ir/verifier.h"

namespace jitsynth::synth {
namespace {

TEST(Generator, SameSeedAndIndexGiveTheSameProgram) {
  const Generator a(Policy::Default(), 7);
  const Generator b(Policy::Default(), 7);
  for (uint64_t i = 0; i < 200; ++i) {
    auto x = a.Generate(i);
    auto y = b.Generate(i);
    ASSERT_TRUE(x.ok() && y.ok());
    EXPECT_EQ(x->python, y->python) << "index " << i;
  }
}

TEST(Generator, OrderOfGenerationDoesNotMatter) {
  const Generator g(Policy::Default(), 11);
  std::vector<std::string> forward;
  for (uint64_t i = 0; i < 50; ++i) forward.push_back(g.Generate(i)->python);
  for (uint64_t i = 50; i-- > 0;) EXPECT_EQ(g.Generate(i)->python, forward[i]);
}

TEST(Generator, DifferentSeedsGiveDifferentPrograms) {
  const Generator a(Policy::Default(), 1);
  const Generator b(Policy::Default(), 2);
  int same = 0;
  for (uint64_t i = 0; i < 100; ++i) same += a.Generate(i)->python == b.Generate(i)->python;
  EXPECT_LT(same, 5);
}

// Property over many seeds: every generated program verifies (Generate runs
// the verifier), every family appears, and the verifier's types are ones JAX
// can represent.
TEST(Generator, ThousandsOfSeedsVerify) {
  std::map<std::string, int> families;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    const Generator g(Policy::Default(), seed);
    for (uint64_t i = 0; i < 1500; ++i) {
      auto s = g.Generate(i);
      ASSERT_TRUE(s.ok()) << "seed " << seed << " index " << i << ": " << s.status().ToString();
      ASSERT_FALSE(s->args.empty());
      ASSERT_FALSE(s->outputs.empty());
      ASSERT_NE(s->python.find("def " + s->entry + "("), std::string::npos);
      ++families[s->program.category];
    }
  }
  EXPECT_EQ(families.size(), FamilyNames().size());
}

TEST(Generator, EveryFamilyCanBeForced) {
  const Generator g(Policy::Default(), 3);
  for (const std::string& family : FamilyNames()) {
    for (uint64_t i = 0; i < 200; ++i) {
      auto s = g.Generate(i, family);
      ASSERT_TRUE(s.ok()) << family << " " << i << ": " << s.status().ToString();
      EXPECT_EQ(s->program.category, family);
    }
  }
  EXPECT_FALSE(g.Generate(0, "no_such_family").ok());
}

TEST(Generator, ControlFlowFamiliesUseLax) {
  const Generator g(Policy::Default(), 5);
  int with_lax = 0;
  for (uint64_t i = 0; i < 100; ++i) {
    with_lax += g.Generate(i, "loop")->python.find("lax.") != std::string::npos;
  }
  EXPECT_EQ(with_lax, 100);
}

TEST(Generator, ProgramsAreDistinct) {
  const Generator g(Policy::Default(), 7);
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 1000; ++i) seen.insert(g.Generate(i)->python);
  EXPECT_GE(seen.size(), 990u);
}

TEST(Policy, DefaultDumpsEveryKeyWithAComment) {
  const Policy p = Policy::Default();
  const std::string toml = p.ToToml();
  for (const PolicyEntry& e : p.entries()) {
    EXPECT_FALSE(e.comment.empty()) << e.key;
    EXPECT_NE(toml.find(e.key.substr(e.key.find('.') + 1) + " = "), std::string::npos) << e.key;
  }
  Policy q = p;
  EXPECT_EQ(p.Hash(), q.Hash());
  ASSERT_TRUE(q.Set("family.loop", 5).ok());
  EXPECT_NE(p.Hash(), q.Hash());
  EXPECT_FALSE(q.Set("family.nope", 1).ok());
}

}  // namespace
}  // namespace jitsynth::synth
