// The measurements behind `stats`, its charts, and the argument specs of `extract`.
#include <gtest/gtest.h>

#include <numeric>

#include <fmt/format.h>

#include "engine/extract.h"
#include "card/stats.h"
#include "post/text.h"
#include "card/svg_chart.h"

namespace jitsynth {
namespace {

using card::Bar;
using card::BarChartSvg;
using card::Histogram;
using card::HistogramSvg;
using card::MakeHistogram;
using engine::ParseArgSpec;
using Strings = std::vector<std::string>;

TEST(JaxApiCalls, FindsModuleCallsAndSkipsCommentsStringsAndMethods) {
  const char* python = R"py(import jax
import jax.numpy as jnp
from jax import lax


def f(x):
    """Mentions jnp.docstring(x), which is not a call."""
    # jnp.comment(x)
    y = jax.numpy.sum(x) + jnp.linalg.norm (x) + x.astype(jnp.float32).sum()
    s = 'jnp.string(x)' + "lax.other(x)"
    return lax.cond(y > 0, jax.nn.relu, jnp.abs, jax.lax.scan(g, x, None))
)py";
  EXPECT_EQ(post::JaxApiCalls(python), (Strings{"jnp.sum", "jnp.linalg.norm", "lax.cond", "lax.scan"}));
}

TEST(HloOpcodes, ReadsInstructionsWithTupleTypesAndSkipsHeaders) {
  const char* hlo = R"hlo(HloModule jit_f, entry_computation_layout={(f32[4]{0})->f32[4]{0}}

region_0.1 {
  Arg_0.2 = f32[] parameter(0)
  ROOT add.3 = f32[] add(Arg_0.2, Arg_0.2)
}

ENTRY main.4 {
  x.1 = f32[4]{0} parameter(0)
  t.2 = (f32[4]{0}, /*index=1*/s32[]) tuple(x.1, c.3)
  gte.4 = f32[4]{0} get-tuple-element(t.2), index=0
  ROOT r.5 = (f32[4]{0}, (s32[], pred[])) while(t.2), condition=c, body=b
}
)hlo";
  EXPECT_EQ(post::HloOpcodes(hlo), (Strings{"parameter", "add", "parameter", "tuple",
                                      "get-tuple-element", "while"}));
}

TEST(ApproxTokens, WordsAndPunctuationCountOneEach) {
  // % 0 = stablehlo . add % arg0 , % arg1 : tensor < 4xf32 >
  EXPECT_EQ(post::ApproxTokens("%0 = stablehlo.add %arg0, %arg1 : tensor<4xf32>"), 16u);
  EXPECT_EQ(post::ApproxTokens(" \n\t"), 0u);
}

TEST(MakeHistogram, RoundBinsToThe99thPercentileThenAnOpenTail) {
  std::vector<double> values(100);
  std::iota(values.begin(), values.end(), 1.0);  // 1..100
  const Histogram h = MakeHistogram(values, 20);
  ASSERT_EQ(h.edges.size(), h.counts.size() + 1);
  EXPECT_EQ(h.edges.front(), 0);
  EXPECT_EQ(h.edges[1] - h.edges[0], 5);  // 98 / 20 rounded up to a round step
  EXPECT_TRUE(h.open_last);
  EXPECT_EQ(h.counts.back(), 1u);  // 100, past the 99th percentile
  EXPECT_EQ(std::accumulate(h.counts.begin(), h.counts.end(), uint64_t{0}), 100u);
  EXPECT_TRUE(MakeHistogram({}, 20).counts.empty());
}

TEST(Svg, ChartsEscapeTheirTextAndSayWhenEmpty) {
  const std::vector<Bar> bars = {{"<a&b>", 3, ""}};
  const std::string svg = BarChartSvg(bars, {"T\"itle", "records"});
  EXPECT_NE(svg.find("&lt;a&amp;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("T&quot;itle"), std::string::npos);
  EXPECT_EQ(svg.find("<a&b>"), std::string::npos);
  EXPECT_NE(BarChartSvg({}, {"Empty", "x"}).find("(no data)"), std::string::npos);
  EXPECT_NE(HistogramSvg(MakeHistogram({}, 5), {"Empty", "x"}, "n").find("(no data)"),
            std::string::npos);
}

TEST(ParseArgSpec, AcceptsHloAndNumpyNames) {
  EXPECT_EQ(*ParseArgSpec("f32[16,8]"), (ir::TensorType{ir::DType::kFloat32, {16, 8}}));
  EXPECT_EQ(*ParseArgSpec("s32[]"), (ir::TensorType{ir::DType::kInt32, {}}));
  EXPECT_EQ(*ParseArgSpec("pred[4]"), (ir::TensorType{ir::DType::kBool, {4}}));
  EXPECT_EQ(*ParseArgSpec("bf16[2,3]"), (ir::TensorType{ir::DType::kBFloat16, {2, 3}}));
  EXPECT_EQ(*ParseArgSpec("float32[8]"), (ir::TensorType{ir::DType::kFloat32, {8}}));
  EXPECT_EQ(*ParseArgSpec("float16[2, 0]"), (ir::TensorType{ir::DType::kFloat16, {2, 0}}));
}

TEST(ParseArgSpec, RefusesMalformedSpecsNamingThem) {
  for (const char* spec : {"f32", "f32[", "f32]", "q8[4]", "f32[4,]", "f32[,4]", "f32[-1]",
                           "f32[a]", "[4]", ""}) {
    SCOPED_TRACE(spec);
    const auto parsed = ParseArgSpec(spec);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(fmt::format("'{}'", spec)), std::string::npos);
  }
}

}  // namespace
}  // namespace jitsynth
