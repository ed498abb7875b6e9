// The families of synth/model_idioms.cc: forced, each writes its idiom (the text model code
// writes), verifies and emits; under a policy too small for an idiom each falls back to a
// family that fits, within the limits.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "ir/verifier.h"
#include "synth/generator.h"

namespace jitsynth::synth {
namespace {

struct Idiom {
  std::string family;
  std::string pattern;  // what most of the family's programs contain
};

const std::vector<Idiom> kIdioms = {
    {"conv_net", R"(dimension_numbers=\('NHWC', 'HWIO', 'NHWC'\))"},
    {"linear_scan", R"(lax\.associative_scan\(|jnp\.pad\(|jnp\.cumsum\(|lax\.cummax\()"},
    {"schedule", R"(step\.astype\(jnp\.float32\))"},
    {"sampling", R"(lax\.top_k\(|jnp\.sort\(|jax\.random\.categorical\(|jnp\.argmax\()"},
    {"feed_forward", R"( @ w|jnp\.einsum\('b?td,df->b?tf', \w+, w)"},
    {"divergence", R"(log_softmax|rsqrt|log_sigmoid|jnp\.square|jnp\.where|jnp\.abs)"},
    {"cell", R"(def \w+\(xs, (w_input, w_hidden|w)\b)"},
    {"token_input", R"(jnp\.take\(embedding, ids, axis=0\)|embedding\[ids\]|jax\.nn\.one_hot\(ids, \d+, dtype=[\w.]+\) @ embedding)"},
    {"train_step", R"(jax\.grad\(loss_fn)"},
    {"rotary", R"(jnp\.power\(\d+\.0, jnp\.arange\(\d+, dtype=jnp\.float32\) \* 2\.0)"},
    {"graph", R"(def \w+\(nodes, senders, receivers)"},
};

TEST(ModelIdioms, EachFamilyWritesItsIdiom) {
  const Generator g(Policy::Default(), 21);
  for (const Idiom& idiom : kIdioms) {
    const std::regex pattern(idiom.pattern);
    int with = 0;
    for (uint64_t i = 0; i < 100; ++i) {
      auto s = g.Generate(i, idiom.family);
      ASSERT_TRUE(s.ok()) << idiom.family << " " << i << ": " << s.status().ToString();
      ASSERT_EQ(s->program.category, idiom.family);
      EXPECT_TRUE(ir::Verify(s->program).ok());
      with += std::regex_search(s->python, pattern);
    }
    EXPECT_GE(with, 90) << idiom.family;
  }
}

TEST(ModelIdioms, TrainStepsDifferentiateALossHelper) {
  const Generator g(Policy::Default(), 4);
  for (uint64_t i = 0; i < 50; ++i) {
    const Sample s = *g.Generate(i, "train_step");
    ASSERT_NE(s.python.find("def loss_fn("), std::string::npos) << s.python;
    EXPECT_TRUE(s.program.differentiable);
    // The gradient of the first parameter by default, of the second (a bias or a second layer,
    // where the step has one) with argnums=1.
    EXPECT_NE(s.python.find("jax.grad(loss_fn)("), std::string::npos) << s.python;
    const bool two = std::regex_search(s.python, std::regex(R"(def loss_fn\((w, b|w1, w2),)"));
    EXPECT_EQ(s.python.find("jax.grad(loss_fn, argnums=1)(") != std::string::npos, two) << s.python;
  }
}

// With smaller arrays allowed, each family shrinks its idiom to fit: every argument of a
// program that writes the idiom keeps within shape.max_dim and shape.max_elements.
TEST(ModelIdioms, IdiomsKeepWithinTheShapeLimits) {
  Policy small = Policy::Default();
  ASSERT_TRUE(small.Set("shape.max_elements", 128).ok());
  ASSERT_TRUE(small.Set("shape.max_dim", 8).ok());
  const Generator g(small, 9);
  for (const Idiom& idiom : kIdioms) {
    const std::regex pattern(idiom.pattern);
    int with = 0;
    for (uint64_t i = 0; i < 100; ++i) {
      auto s = g.Generate(i, idiom.family);
      ASSERT_TRUE(s.ok()) << idiom.family << " " << i << ": " << s.status().ToString();
      if (!std::regex_search(s->python, pattern)) continue;  // fell back to another family
      ++with;
      for (const ir::Var& p : s->program.entry_function().params) {
        EXPECT_LE(ir::NumElements(p.type.shape), 128) << idiom.family << "\n" << s->python;
        for (int64_t d : p.type.shape) EXPECT_LE(d, 8) << idiom.family << "\n" << s->python;
      }
    }
    EXPECT_GE(with, 20) << idiom.family;
  }
}

}  // namespace
}  // namespace jitsynth::synth
