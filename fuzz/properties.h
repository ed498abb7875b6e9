// What the fuzzers check, shared with the test that replays the regression
// corpus (tests/cpp/fuzz_corpus_test.cc): every input found once, a crash or
// a seed, is checked again on every build, with or without libFuzzer.
//
// Each check returns "" when every property holds, else what failed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "post/canonical.h"
#include "post/python.h"

namespace jitsynth::fuzz {

// What every canonicalizer keeps: idempotence under both presets, and the Fingerprint and
// shingle tokens of the Canonical text are those of the original.
inline std::string CheckIrProperties(std::string_view text, post::IrFormat format) {
  const post::CanonicalOptions presets[] = {post::CanonicalOptions::Canonical(),
                                            post::CanonicalOptions::Fingerprint()};
  for (const post::CanonicalOptions& o : presets) {
    const std::string once = post::Canonicalize(text, format, o);
    if (post::Canonicalize(once, format, o) != once) {
      return o.compact_whitespace ? "Fingerprint() is not idempotent"
                                  : "Canonical() is not idempotent";
    }
  }
  const std::string canonical = post::Canonicalize(text, format, presets[0]);
  if (post::IrFingerprint(canonical, format) != post::IrFingerprint(text, format)) {
    return "the Fingerprint of the Canonical text differs";
  }
  if (post::IrShingleTokens(canonical, format) != post::IrShingleTokens(text, format)) {
    return "the shingle tokens of the Canonical text differ";
  }
  return "";
}

// fuzz_canonicalize's input: the first byte picks the format, the rest is
// the text. Canonicalizing is idempotent under both presets, and the
// Fingerprint of a Canonical text is the Fingerprint of the original.
inline std::string CheckCanonicalize(std::string_view data) {
  if (data.empty()) return "";
  const auto format = static_cast<post::IrFormat>(static_cast<unsigned char>(data[0]) % 3);
  return CheckIrProperties(data.substr(1), format);
}

// fuzz_machine_code's input: the first byte picks LLVM IR, assembly or PTX, the rest is the
// text. The same properties as CheckCanonicalize (the formats below HLO have their own target
// so that the corpus of fuzz_canonicalize keeps its meaning).
inline std::string CheckMachineCode(std::string_view data) {
  if (data.empty()) return "";
  static constexpr post::IrFormat kFormats[] = {post::IrFormat::kLlvmIr, post::IrFormat::kAsm,
                                                post::IrFormat::kPtx};
  return CheckIrProperties(data.substr(1), kFormats[static_cast<unsigned char>(data[0]) % 3]);
}

// fuzz_python's input: Python source. The tokens are views into it, in
// order, and the normal form is idempotent.
inline std::string CheckPython(std::string_view source) {
  const char* cursor = source.data();
  for (const post::PyToken& t : post::TokenizePython(source)) {
    if (t.text.empty()) continue;
    if (t.text.data() < cursor || t.text.data() + t.text.size() > source.data() + source.size()) {
      return "a token is not a view into the source, in order";
    }
    cursor = t.text.data() + t.text.size();
  }
  const std::string once = post::NormalizePython(source);
  if (post::NormalizePython(once) != once) return "NormalizePython is not idempotent";
  if (post::PythonShingleTokens(once) != post::PythonShingleTokens(source)) {
    return "the shingle tokens of the normal form differ";
  }
  return "";
}

// What a fuzz target does with a check's answer: libFuzzer reports the abort
// as a crash and saves the input.
inline int Enforce(const std::string& failure) {
  if (failure.empty()) return 0;
  std::fprintf(stderr, "property violated: %s\n", failure.c_str());
  std::abort();
}

}  // namespace jitsynth::fuzz
