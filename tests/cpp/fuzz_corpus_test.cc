// Replays the fuzzers' regression corpus (fuzz/corpus/TARGET/*) through the
// checks the fuzzers run (fuzz/properties.h), so that this build, with any
// compiler, keeps every crash fixed that fuzzing once found.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "properties.h"
#include "test_files.h"

namespace jitsynth::fuzz {
namespace {

void Replay(const std::string& target, const std::function<std::string(std::string_view)>& check) {
  size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(JITSYNTH_FUZZ_CORPUS_DIR) / target)) {
    ++inputs;
    EXPECT_EQ(check(test::ReadFile(entry.path().string())), "") << entry.path();
  }
  EXPECT_GT(inputs, 0u) << "no corpus for " << target;
}

TEST(FuzzCorpus, Canonicalize) { Replay("canonicalize", CheckCanonicalize); }

TEST(FuzzCorpus, MachineCode) { Replay("machine_code", CheckMachineCode); }

TEST(FuzzCorpus, Python) { Replay("python", CheckPython); }

}  // namespace
}  // namespace jitsynth::fuzz
