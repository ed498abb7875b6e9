#include "synth/generator.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
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

// Every pick of an op reads the op's policy weight: the elementwise family's
// combinations, reductions and comparisons never use an op weighted 0.
TEST(Generator, ZeroWeightedOpsAreNeverPicked) {
  Policy p = Policy::Default();
  for (const std::string& family : FamilyNames())
    ASSERT_TRUE(p.Set("family." + family, family == "elementwise" ? 1 : 0).ok());
  // (Guards keep their own habits, guard_* keys: maximum, sub, le and max stay allowed.)
  const std::set<std::string> banned = {"minimum", "gt", "ge", "var", "std", "logsumexp"};
  for (const std::string& op : banned) ASSERT_TRUE(p.Set("op." + op, 0).ok());
  ASSERT_TRUE(p.Set("focus.reduce", 1).ok());
  const Generator g(p, 3);
  for (uint64_t i = 0; i < 300; ++i) {
    auto s = g.Generate(i);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    for (ir::OpId op : ir::OpsUsed(s->program))
      EXPECT_FALSE(banned.contains(std::string(ir::Info(op).name))) << i << ":\n" << s->python;
  }
}

// An argument named like the entry (`def kernel(images, kernel)`) would
// shadow it and break the backward pass, which calls the entry by name.
TEST(Generator, NoArgumentShadowsTheEntry) {
  for (const std::string& family : FamilyNames()) {
    const Generator g(Policy::Default(), 17);
    for (uint64_t i = 0; i < 100; ++i) {
      auto s = g.Generate(i, family);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      for (const ir::Var& v : s->args) EXPECT_NE(v.name, s->entry) << family << " " << i;
    }
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
// the verifier: types, domains, budgets, flags) and every family appears.
TEST(Generator, ThousandsOfSeedsVerify) {
  std::map<std::string, int> families;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    const Generator g(Policy::Default(), seed);
    for (uint64_t i = 0; i < 1500; ++i) {
      auto s = g.Generate(i);
      ASSERT_TRUE(s.ok()) << "seed " << seed << " index " << i << ": " << s.status().ToString();
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

TEST(Generator, AskForABackwardPassOnlyWhereReverseModeWorks) {
  const Generator g(Policy::Default(), 5);
  for (uint64_t i = 0; i < 100; ++i) {
    const Sample loop = *g.Generate(i, "loop");
    EXPECT_NE(loop.python.find("lax."), std::string::npos);
    EXPECT_TRUE(loop.program.differentiable);
    const Sample w = *g.Generate(i, "while_loop");
    EXPECT_FALSE(w.program.differentiable);
    const bool untraceable = w.python.find("lax.while_loop(") != std::string::npos ||
                             std::regex_search(w.python, std::regex(R"(fori_loop\(0, [a-z])"));
    EXPECT_TRUE(untraceable) << w.python;
  }
}

TEST(Generator, FamiliesUseTheirDefiningOps) {
  const Generator g(Policy::Default(), 13);
  const std::vector<std::pair<std::string, std::vector<ir::OpGroup>>> families = {
      {"reduction", {ir::OpGroup::kReduce}},
      {"shape", {ir::OpGroup::kShape}},
      {"indexing", {ir::OpGroup::kIndex}},
      {"linalg", {ir::OpGroup::kLinalg}},
      {"sorting", {ir::OpGroup::kSequence}},
      {"random", {ir::OpGroup::kRandom}},
      {"conv", {ir::OpGroup::kWindow}},
      {"integer", {ir::OpGroup::kBitwise, ir::OpGroup::kCompare}}};
  for (const auto& [family, groups] : families) {
    int with = 0;
    for (uint64_t i = 0; i < 200; ++i) {
      const std::vector<ir::OpId> ops = ir::OpsUsed(g.Generate(i, family)->program);
      with += std::any_of(ops.begin(), ops.end(), [&](ir::OpId op) {
        return std::find(groups.begin(), groups.end(), ir::Info(op).group) != groups.end();
      });
    }
    EXPECT_GE(with, 180) << family;
  }
}

TEST(Generator, ProgramsAreDistinct) {
  const Generator g(Policy::Default(), 7);
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 1000; ++i) seen.insert(g.Generate(i)->python);
  EXPECT_GE(seen.size(), 995u);
}

// How deep lax control flow nests below function `fn`.
int Nesting(const ir::Program& p, int fn) {
  int deepest = 0;
  for (const ir::Stmt& s : p.functions[fn].body) {
    for (int local : s.functions) deepest = std::max(deepest, 1 + Nesting(p, local));
  }
  return deepest;
}

// The default distribution's breadth, measured on the Python alone; the
// figures after compiling are bench/measure_coverage.py's.
TEST(Generator, DefaultPolicyCoversTheLanguage) {
  const Generator g(Policy::Default(), 0);
  const std::regex call(R"(\b((?:jnp|lax|jax)(?:\.[A-Za-z_][A-Za-z_0-9]*)+)\s*\()");
  const std::regex control(R"(lax\.(cond|switch|fori_loop|scan|while_loop)\()");
  std::set<std::string> calls;
  std::set<std::string> arg_dtypes;
  int with_control = 0;
  int with_backward = 0;
  int x64 = 0;
  int deepest = 0;
  std::set<int> ranks;
  constexpr int kSamples = 2000;
  for (uint64_t i = 0; i < kSamples; ++i) {
    const Sample s = *g.Generate(i);
    for (std::sregex_iterator it(s.python.begin(), s.python.end(), call), end; it != end; ++it) {
      calls.insert((*it)[1]);
    }
    with_control += std::regex_search(s.python, control);
    with_backward += HasBackwardPass(s);
    x64 += s.program.needs_x64;
    for (const ir::Var& v : s.args) {
      arg_dtypes.insert(std::string(ir::NumpyName(v.type.dtype)));
      ranks.insert(v.type.rank());
    }
    deepest = std::max(deepest, Nesting(s.program, s.program.entry));
  }
  EXPECT_EQ(deepest, 3);
  EXPECT_EQ(ranks, (std::set<int>{0, 1, 2, 3, 4}));
  EXPECT_GE(calls.size(), 120u);
  EXPECT_GE(with_control, kSamples * 3 / 10);
  EXPECT_GE(with_backward, kSamples * 6 / 10);
  EXPECT_GT(x64, 0);
  for (const char* d :
       {"float32", "float16", "bfloat16", "float64", "int32", "int8", "uint8", "bool"}) {
    EXPECT_EQ(arg_dtypes.count(d), 1u) << d;
  }
}

TEST(Generator, EveryOpIsReachable) {
  auto cover = CoverOps(Policy::Default(), 0);
  ASSERT_TRUE(cover.ok()) << cover.status().message();
  std::set<ir::OpId> covered;
  for (const Covering& c : *cover) {
    EXPECT_TRUE(ir::Verify(c.sample.program).ok());
    for (ir::OpId op : c.covers) {
      EXPECT_TRUE(covered.insert(op).second);
      if (ir::Info(op).differentiable) {
        EXPECT_TRUE(HasBackwardPass(c.sample)) << ir::Info(op).name;
      }
    }
  }
  EXPECT_EQ(covered.size(), ir::kNumOps);
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
  EXPECT_FALSE(q.Set("shape.max_rank", 2.5).ok());
  EXPECT_FALSE(q.Set("style.docstring", 2).ok());
}

TEST(Policy, DumpThenLoadGivesIdenticalData) {
  const Policy p = Policy::Default();
  auto loaded = Policy::FromToml(p.ToToml(), "default.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(*loaded == p);
  EXPECT_EQ(loaded->ToToml(), p.ToToml());
  EXPECT_EQ(loaded->Hash(), p.Hash());
  const Generator a(p, 9);
  const Generator b(*loaded, 9);
  for (uint64_t i = 0; i < 50; ++i) EXPECT_EQ(a.Generate(i)->python, b.Generate(i)->python);
}

TEST(Policy, FileSetsASubsetOfKeys) {
  auto p = Policy::FromToml("[family]\nloop = 3.5\n\n[op]\ntop_k = 0\n", "mine.toml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->Get("family.loop"), 3.5);
  EXPECT_EQ(p->Get("op.top_k"), 0);
  EXPECT_EQ(p->Get("op.sin"), Policy::Default().Get("op.sin"));
}

TEST(Policy, RefusesBadFilesNamingLineAndKey) {
  auto refused = [](std::string_view text) {
    auto p = Policy::FromToml(text, "p.toml");
    EXPECT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kParseError);
    return p.status().message();
  };
  EXPECT_EQ(refused("[family]\nloop = 1\n\n[op]\nsinn = 2\n"),
            "p.toml:5: unknown policy key 'op.sinn'");
  EXPECT_NE(refused("[family]\nloop = \n").find("p.toml:2: malformed TOML"), std::string::npos);
  EXPECT_NE(refused("[shape]\nmax_rank = 9\n").find("p.toml:2: policy key 'shape.max_rank'"),
            std::string::npos);
  EXPECT_NE(refused("[style]\ndocstring = \"often\"\n")
                .find("p.toml:2: policy key 'style.docstring' takes a number"),
            std::string::npos);
  EXPECT_NE(refused("loop = 1\n").find("p.toml:1: unknown policy key 'loop'"), std::string::npos);
}

}  // namespace
}  // namespace jitsynth::synth
