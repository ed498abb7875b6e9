// Canonical IR: golden files from real records (tests/golden/canonical, made
// by make_inputs.py there), and the properties dedup relies on: a renamed
// copy of a program canonicalizes to the same text, a different program does
// not, and canonicalizing twice changes nothing. Regenerate the golden files
// after an intended change with JITSYNTH_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <fmt/format.h>

#include "post/canonical.h"
#include "test_files.h"

namespace jitsynth::post {
namespace {

struct Level {
  const char* name;
  IrFormat format;
};
constexpr Level kLevels[] = {{"jaxpr", IrFormat::kJaxpr},
                             {"stablehlo", IrFormat::kStableHlo},
                             {"hlo", IrFormat::kHlo},
                             {"optimized_hlo", IrFormat::kHlo}};
constexpr const char* kPrograms[] = {"loop", "branch", "reduction"};

std::string Input(const std::string& program, const Level& level) {
  return test::ReadGolden(fmt::format("canonical/{}.{}", program, level.name));
}

class CanonicalLevel : public ::testing::TestWithParam<std::tuple<const char*, Level>> {
 protected:
  std::string program() const { return std::get<0>(GetParam()); }
  const Level& level() const { return std::get<1>(GetParam()); }
};

TEST_P(CanonicalLevel, MatchesGoldenFile) {
  const std::string text =
      Canonicalize(Input(program(), level()), level().format, CanonicalOptions::Canonical());
  test::ExpectGolden(fmt::format("canonical/{}.{}.canonical", program(), level().name), text);
}

TEST_P(CanonicalLevel, RenamedAndReformattedProgramHasTheSameCanonicalText) {
  const std::string original = Input(program(), level());
  const std::string renamed = Input(program() + "_renamed", level());
  // jaxpr names no Python identifier; every other level does.
  if (level().format != IrFormat::kJaxpr) {
    ASSERT_NE(original, renamed);
  }
  for (const CanonicalOptions& o :
       {CanonicalOptions::Canonical(), CanonicalOptions::Fingerprint()}) {
    EXPECT_EQ(Canonicalize(original, level().format, o), Canonicalize(renamed, level().format, o));
  }
  EXPECT_EQ(IrFingerprint(original, level().format), IrFingerprint(renamed, level().format));
  EXPECT_EQ(IrShingleTokens(original, level().format), IrShingleTokens(renamed, level().format));
}

TEST_P(CanonicalLevel, IsIdempotent) {
  const std::string input = Input(program(), level());
  for (const CanonicalOptions& o :
       {CanonicalOptions::Canonical(), CanonicalOptions::Fingerprint()}) {
    const std::string once = Canonicalize(input, level().format, o);
    EXPECT_EQ(Canonicalize(once, level().format, o), once);
  }
}

TEST_P(CanonicalLevel, LeavesNoMetadataAndNoAuthorNames) {
  const std::string text =
      Canonicalize(Input(program(), level()), level().format, CanonicalOptions::Canonical());
  for (const char* gone : {"metadata=", "op_name", "jit_", "loc(", "%arg", "Arg_", "region_"}) {
    EXPECT_EQ(text.find(gone), std::string::npos) << gone;
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, CanonicalLevel,
                         ::testing::Combine(::testing::ValuesIn(kPrograms),
                                            ::testing::ValuesIn(kLevels)),
                         [](const auto& info) {
                           return fmt::format("{}_{}", std::get<0>(info.param),
                                              std::get<1>(info.param).name);
                         });

TEST(Canonical, DebugLocationsAreStripped) {
  for (const char* program : kPrograms) {
    const std::string with_locations =
        test::ReadGolden(fmt::format("canonical/{}.debug.stablehlo", program));
    ASSERT_NE(with_locations.find("#loc"), std::string::npos);
    const Level stablehlo = kLevels[1];
    for (const CanonicalOptions& o :
         {CanonicalOptions::Canonical(), CanonicalOptions::Fingerprint()}) {
      EXPECT_EQ(Canonicalize(with_locations, IrFormat::kStableHlo, o),
                Canonicalize(Input(program, stablehlo), IrFormat::kStableHlo, o))
          << program;
    }
  }
}

TEST(Canonical, DifferentProgramsKeepDifferentFingerprints) {
  for (const Level& level : kLevels) {
    std::set<uint64_t> fingerprints;
    for (const char* program : kPrograms) {
      fingerprints.insert(IrFingerprint(Input(program, level), level.format));
    }
    EXPECT_EQ(fingerprints.size(), 3u) << level.name;
  }
}

// Pairs written by hand: each `same` differs from `base` only in names and
// layout, each `other` in one operand or operation.
struct Pair {
  const char* what;
  IrFormat format;
  const char* base;
  const char* same;
  const char* other;
};

const Pair kPairs[] = {
    {"hlo with sigils", IrFormat::kHlo,
     "HloModule jit_f, entry_computation_layout={(f32[4]{0})->f32[4]{0}}\n\n"
     "%add.1 (x.1: f32[], y.1: f32[]) -> f32[] {\n"
     "  %x.1 = f32[] parameter(0), metadata={op_name=\"x\"}\n"
     "  %y.1 = f32[] parameter(1)\n"
     "  ROOT %add.2 = f32[] add(%x.1, %y.1), metadata={op_name=\"jit(f)/add\"}\n}\n\n"
     "ENTRY %main.3 (a.1: f32[4]) -> f32[4] {\n"
     "  %a.1 = f32[4]{0} parameter(0)\n"
     "  ROOT %r = f32[4]{0} map(%a.1, %a.1), dimensions={0}, to_apply=%add.1\n}\n",
     "HloModule jit_kernel, entry_computation_layout={(f32[4]{0})->f32[4]{0}}\n\n"
     "%sum_it (p: f32[], q: f32[]) -> f32[] {\n"
     "  %p = f32[] parameter(0)\n"
     "  %q = f32[] parameter(1), metadata={op_name=\"q\" source_line=3}\n"
     "  ROOT %out = f32[] add(%p, %q)\n}\n\n"
     "ENTRY %entry (inp: f32[4]) -> f32[4] {\n"
     "  %inp = f32[4]{0} parameter(0)\n"
     "  ROOT %res.7 = f32[4]{0} map(%inp, %inp), dimensions={0}, to_apply=%sum_it\n}\n",
     "HloModule jit_f, entry_computation_layout={(f32[4]{0})->f32[4]{0}}\n\n"
     "%add.1 (x.1: f32[], y.1: f32[]) -> f32[] {\n"
     "  %x.1 = f32[] parameter(0)\n"
     "  %y.1 = f32[] parameter(1)\n"
     "  ROOT %add.2 = f32[] add(%y.1, %y.1)\n}\n\n"
     "ENTRY %main.3 (a.1: f32[4]) -> f32[4] {\n"
     "  %a.1 = f32[4]{0} parameter(0)\n"
     "  ROOT %r = f32[4]{0} map(%a.1, %a.1), dimensions={0}, to_apply=%add.1\n}\n"},
    {"hlo without sigils", IrFormat::kHlo,
     "HloModule jit_f\n\nENTRY main.3 {\n  a.1 = f32[4]{0} parameter(0)\n"
     "  b.1 = f32[4]{0} parameter(1)\n  ROOT sub.1 = f32[4]{0} subtract(a.1, b.1)\n}\n",
     "HloModule jit_g\n\nENTRY main.9 {\n  lhs.2 = f32[4]{0} parameter(0)\n"
     "  rhs.2 = f32[4]{0} parameter(1)\n  ROOT subtract = f32[4]{0} subtract(lhs.2, rhs.2)\n}\n",
     "HloModule jit_f\n\nENTRY main.3 {\n  a.1 = f32[4]{0} parameter(0)\n"
     "  b.1 = f32[4]{0} parameter(1)\n  ROOT sub.1 = f32[4]{0} subtract(b.1, a.1)\n}\n"},
    {"stablehlo", IrFormat::kStableHlo,
     "module @jit_f {\n  func.func public @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n"
     "    %0 = call @helper(%arg0) : (tensor<4xf32>) -> tensor<4xf32>\n"
     "    return %0 : tensor<4xf32>\n  }\n"
     "  func.func private @helper(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n"
     "    %0 = stablehlo.sine %arg0 : tensor<4xf32>\n    return %0 : tensor<4xf32>\n  }\n}\n",
     "module @jit_kernel {\n  func.func public @main(%x: tensor<4xf32> loc(\"x\")) -> "
     "tensor<4xf32> {\n"
     "    %r = call @sin_it(%x) : (tensor<4xf32>) -> tensor<4xf32> loc(#loc2)\n"
     "    return %r : tensor<4xf32>\n  }\n"
     "  func.func private @sin_it(%y: tensor<4xf32>) -> tensor<4xf32> {\n"
     "    %t = stablehlo.sine %y : tensor<4xf32>\n    return %t : tensor<4xf32>\n  }\n}\n"
     "#loc2 = loc(\"jit(kernel)/sin_it\")\n",
     "module @jit_f {\n  func.func public @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n"
     "    %0 = call @helper(%arg0) : (tensor<4xf32>) -> tensor<4xf32>\n"
     "    return %0 : tensor<4xf32>\n  }\n"
     "  func.func private @helper(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n"
     "    %0 = stablehlo.cosine %arg0 : tensor<4xf32>\n    return %0 : tensor<4xf32>\n  }\n}\n"},
    {"jaxpr", IrFormat::kJaxpr,
     "{ lambda ; a:f32[3] b:f32[3]. let\n    c:f32[3] = pjit[\n      name=helper\n"
     "      jaxpr={ lambda ; d:f32[3] e:f32[3]. let f:f32[3] = sub d e in (f,) }\n"
     "    ] a b\n  in (c,) }\n",
     "{ lambda ; x:f32[3] y:f32[3]. let\n    z:f32[3] = pjit[\n      name=my_diff\n"
     "      jaxpr={ lambda ; p:f32[3] q:f32[3]. let r:f32[3] = sub p q in (r,) }\n"
     "    ] x y\n  in (z,) }\n",
     "{ lambda ; a:f32[3] b:f32[3]. let\n    c:f32[3] = pjit[\n      name=helper\n"
     "      jaxpr={ lambda ; d:f32[3] e:f32[3]. let f:f32[3] = sub e d in (f,) }\n"
     "    ] a b\n  in (c,) }\n"},
};

TEST(Canonical, HandWrittenPairs) {
  for (const Pair& p : kPairs) {
    EXPECT_EQ(IrFingerprint(p.base, p.format), IrFingerprint(p.same, p.format)) << p.what;
    EXPECT_NE(IrFingerprint(p.base, p.format), IrFingerprint(p.other, p.format)) << p.what;
  }
}

TEST(Canonical, NamesFollowFirstAppearance) {
  EXPECT_EQ(Canonicalize(kPairs[1].same, IrFormat::kHlo, CanonicalOptions::Canonical()),
            "HloModule m\n\nENTRY c0 {\n  v0 = f32[4]{0} parameter(0)\n"
            "  v1 = f32[4]{0} parameter(1)\n  ROOT v2 = f32[4]{0} subtract(v0, v1)\n}\n");
}

TEST(CanonicalOptions, PresetsDifferInBackendConfigAndLayout) {
  const std::string hlo =
      "HloModule jit_f\n\nENTRY %main {\n  %a = s32[] parameter(0), metadata={op_name=\"a\"}\n"
      "  ROOT %w = s32[] copy(%a), backend_config={\"known_trip_count\":{\"n\":\"3\"}}\n}\n";
  EXPECT_EQ(
      Canonicalize(hlo, IrFormat::kHlo, CanonicalOptions::Canonical()),
      "HloModule m\n\nENTRY %c0 {\n  %v0 = s32[] parameter(0)\n"
      "  ROOT %v1 = s32[] copy(%v0), backend_config={\"known_trip_count\":{\"n\":\"3\"}}\n}\n");
  EXPECT_EQ(Canonicalize(hlo, IrFormat::kHlo, CanonicalOptions::Fingerprint()),
            "HloModule m\nENTRY %c0 {\n%v0 = s32[] parameter(0)\nROOT %v1 = s32[] copy(%v0)\n}\n");
  CanonicalOptions keep_names = CanonicalOptions::Canonical();
  keep_names.canonical_names = false;
  EXPECT_EQ(Canonicalize(hlo, IrFormat::kHlo, keep_names),
            "HloModule jit_f\n\nENTRY %main {\n  %a = s32[] parameter(0)\n"
            "  ROOT %w = s32[] copy(%a), backend_config={\"known_trip_count\":{\"n\":\"3\"}}\n}\n");
}

TEST(IrShingleTokens, OneTokenPerLineWithNamesAsPlaceholders) {
  EXPECT_EQ(IrShingleTokens(kPairs[1].base, IrFormat::kHlo),
            (std::vector<std::string>{"HloModule $m", "ENTRY $c {", "$v = f32[4]{0} parameter(0)",
                                      "$v = f32[4]{0} parameter(1)",
                                      "ROOT $v = f32[4]{0} subtract($v, $v)", "}"}));
  EXPECT_EQ(IrShingleTokens(kPairs[1].base, IrFormat::kHlo),
            IrShingleTokens(kPairs[1].same, IrFormat::kHlo));
}

}  // namespace
}  // namespace jitsynth::post
