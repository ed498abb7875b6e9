// Golden files of emitted Python for fixed seeds. Regenerate after an
// intended change with JITSYNTH_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "synth/generator.h"

namespace jitsynth {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, EmittedPythonMatchesGoldenFile) {
  const std::string family = GetParam();
  const synth::Generator g(synth::Policy::Default(), 7);
  std::string text;
  for (uint64_t i = 0; i < 3; ++i) {
    auto s = g.Generate(i, family);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    text += fmt::format("# ---- seed 7, index {}, family {}\n{}", i, family, s->python);
  }
  const std::string path = fmt::format("{}/{}.py", JITSYNTH_GOLDEN_DIR, family);
  if (std::getenv("JITSYNTH_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << text;
    GTEST_SKIP() << "rewrote " << path;
  }
  const std::string golden = ReadFile(path);
  ASSERT_FALSE(golden.empty()) << "missing golden file " << path
                               << "; create it with JITSYNTH_UPDATE_GOLDEN=1";
  EXPECT_EQ(text, golden);
}

INSTANTIATE_TEST_SUITE_P(Families, GoldenTest, ::testing::ValuesIn(synth::FamilyNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace jitsynth
