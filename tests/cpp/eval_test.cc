#include <gtest/gtest.h>

#include <string>

#include "eval/ladder.h"

namespace jitsynth::eval {
namespace {

TEST(Tasks, EveryTaskIsFoundByName) {
  for (const TaskFields& t : Tasks()) {
    ASSERT_EQ(FindTask(t.name), &t);
    EXPECT_EQ(t.source.front(), '/');
    EXPECT_EQ(t.target.front(), '/');
  }
  EXPECT_EQ(FindTask("python-to-nothing"), nullptr);
  EXPECT_EQ(Tasks().size(), 9u);
}

TEST(Exact, RenamedPythonIsExact) {
  EXPECT_TRUE(ExactAfterCanonicalization(TargetKind::kPython,
                                         "def f(a):\n    return jnp.sin(a)  # c\n",
                                         "def g(x):\n  return jnp.sin(x)\n"));
  EXPECT_FALSE(ExactAfterCanonicalization(TargetKind::kPython, "def f(a):\n    return jnp.sin(a)\n",
                                          "def f(a):\n    return jnp.cos(a)\n"));
}

TEST(Exact, RenamedHloIsExact) {
  const std::string a =
      "HloModule m\n\nENTRY %main (p: f32[2]) -> f32[2] {\n  %p = f32[2]{0} parameter(0)\n"
      "  ROOT %n = f32[2]{0} negate(%p), metadata={op_name=\"x\"}\n}\n";
  std::string b = a;
  b.replace(b.find("%n ="), 4, "%neg.7 =");
  EXPECT_TRUE(ExactAfterCanonicalization(TargetKind::kHlo, a, b));
  std::string c = a;
  c.replace(c.find("negate"), 6, "sine");
  EXPECT_FALSE(ExactAfterCanonicalization(TargetKind::kHlo, a, c));
}

TEST(ChrF, EqualIsOneDisjointIsZeroAndCloserScoresHigher) {
  EXPECT_DOUBLE_EQ(ChrF("abc def", "abcdef"), 1.0);
  EXPECT_DOUBLE_EQ(ChrF("xyz", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(ChrF("", "abc"), 0.0);
  const std::string ref = "%0 = stablehlo.add %arg0, %arg1 : tensor<4xf32>";
  const double near = ChrF("%0 = stablehlo.subtract %arg0, %arg1 : tensor<4xf32>", ref);
  const double far = ChrF("return", ref);
  EXPECT_GT(near, far);
  EXPECT_LT(near, 1.0);
}

TEST(Cost, ParsedAndComparedWithinOnePercent) {
  const auto want = ParseCost(R"({"flops": 1000, "bytes_accessed": 200.5, "transcendentals": 0})");
  ASSERT_TRUE(want);
  EXPECT_TRUE(CostEquivalent(*ParseCost(R"({"flops":1009,"bytes_accessed":201,"transcendentals":1})"),
                             *want));
  EXPECT_FALSE(CostEquivalent(
      *ParseCost(R"({"flops":1020,"bytes_accessed":200.5,"transcendentals":0})"), *want));
  EXPECT_FALSE(ParseCost("not json"));
  EXPECT_FALSE(ParseCost(R"({"flops": "many", "bytes_accessed": 1, "transcendentals": 0})"));
  EXPECT_FALSE(ParseCost(R"({"flops": 1, "bytes_accessed": 1})"));
}

}  // namespace
}  // namespace jitsynth::eval
