// Files the tests read: golden files under JITSYNTH_GOLDEN_DIR, compared
// with ExpectGolden, which rewrites them instead under JITSYNTH_UPDATE_GOLDEN=1.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>

namespace jitsynth::test {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string ReadGolden(const std::string& name) {
  return ReadFile(fmt::format("{}/{}", JITSYNTH_GOLDEN_DIR, name));
}

inline void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = fmt::format("{}/{}", JITSYNTH_GOLDEN_DIR, name);
  if (std::getenv("JITSYNTH_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  const std::string golden = ReadFile(path);
  ASSERT_FALSE(golden.empty()) << "missing golden file " << path
                               << "; create it with JITSYNTH_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, golden);
}

}  // namespace jitsynth::test
