// The Python tokenizer and the normal form that dedup's program key hashes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "post/python.h"
#include "test_files.h"

namespace jitsynth::post {
namespace {

using K = PyTokenKind;

std::vector<std::pair<K, std::string>> Tokens(std::string_view source) {
  std::vector<std::pair<K, std::string>> out;
  for (const PyToken& t : TokenizePython(source)) out.emplace_back(t.kind, std::string(t.text));
  return out;
}

TEST(TokenizePython, KindsOfTokens) {
  const auto tokens = Tokens(
      "def f(x, *a) -> int:  # note\n"
      "    y = rb'\\x00' + \"\"\"a\n"
      "b\"\"\" ; x **= 1.5e-3\n"
      "    return (x +\n"
      "            y) \\\n"
      "        .real\n");
  const std::vector<std::pair<K, std::string>> expected = {{K::kName, "def"},
                                                           {K::kName, "f"},
                                                           {K::kOp, "("},
                                                           {K::kName, "x"},
                                                           {K::kOp, ","},
                                                           {K::kOp, "*"},
                                                           {K::kName, "a"},
                                                           {K::kOp, ")"},
                                                           {K::kOp, "->"},
                                                           {K::kName, "int"},
                                                           {K::kOp, ":"},
                                                           {K::kComment, "# note"},
                                                           {K::kNewline, ""},
                                                           {K::kIndent, ""},
                                                           {K::kName, "y"},
                                                           {K::kOp, "="},
                                                           {K::kString, "rb'\\x00'"},
                                                           {K::kOp, "+"},
                                                           {K::kString, "\"\"\"a\nb\"\"\""},
                                                           {K::kOp, ";"},
                                                           {K::kName, "x"},
                                                           {K::kOp, "**="},
                                                           {K::kNumber, "1.5e-3"},
                                                           {K::kNewline, ""},
                                                           {K::kName, "return"},
                                                           {K::kOp, "("},
                                                           {K::kName, "x"},
                                                           {K::kOp, "+"},
                                                           {K::kName, "y"},
                                                           {K::kOp, ")"},
                                                           {K::kOp, "."},
                                                           {K::kName, "real"},
                                                           {K::kNewline, ""},
                                                           {K::kDedent, ""}};
  EXPECT_EQ(tokens, expected);
}

TEST(TokenizePython, MalformedInputBecomesErrorTokens) {
  const auto tokens = Tokens("x = 'open\ny = $ ? \\ z\n\"\"\"never closed");
  const std::vector<std::pair<K, std::string>> expected = {
      {K::kName, "x"},   {K::kOp, "="},   {K::kError, "'open"}, {K::kNewline, ""},
      {K::kName, "y"},   {K::kOp, "="},   {K::kError, "$"},     {K::kError, "?"},
      {K::kError, "\\"}, {K::kName, "z"}, {K::kNewline, ""},    {K::kError, "\"\"\"never closed"},
      {K::kNewline, ""}};
  EXPECT_EQ(tokens, expected);
}

TEST(TokenizePython, BlankAndCommentLinesKeepTheIndentation) {
  const auto tokens = Tokens("if a:\n\tb\n\n        # c\n        d\ne\n");
  const std::vector<std::pair<K, std::string>> expected = {
      {K::kName, "if"}, {K::kName, "a"},   {K::kOp, ":"},     {K::kNewline, ""},
      {K::kIndent, ""}, {K::kName, "b"},   {K::kNewline, ""}, {K::kComment, "# c"},
      {K::kName, "d"},  {K::kNewline, ""}, {K::kDedent, ""},  {K::kName, "e"},
      {K::kNewline, ""}};
  EXPECT_EQ(tokens, expected);  // a tab reaches column 8, like eight spaces
}

TEST(NormalizePython, TheNormalForm) {
  EXPECT_EQ(NormalizePython("import jax.numpy as jnp\n\n"
                            "def kernel(x, y):\n"
                            "    \"\"\"Docstring.\"\"\"\n"
                            "    t = jnp.sum(x * y, axis=0)  # comment\n"
                            "    return t.astype(jnp.float32),\n"),
            "import jax . numpy as jnp\n"
            "def v0 ( v1 , v2 ) :\n"
            "    v3 = jnp . sum ( v1 * v2 , axis = 0 )\n"
            "    return v3 . astype ( jnp . float32 ) ,\n");
}

TEST(NormalizePython, RenamedAndReformattedCopiesAreOneProgram) {
  for (const char* program : {"loop", "branch", "reduction"}) {
    const std::string original = test::ReadGolden(fmt::format("canonical/{}.py", program));
    const std::string copy = test::ReadGolden(fmt::format("canonical/{}_renamed.py", program));
    ASSERT_FALSE(original.empty());
    ASSERT_NE(original, copy);
    EXPECT_EQ(NormalizePython(original), NormalizePython(copy)) << program;
    EXPECT_EQ(PythonFingerprint(original), PythonFingerprint(copy)) << program;
    EXPECT_EQ(PythonShingleTokens(original), PythonShingleTokens(copy)) << program;
  }
}

// Each pair is one program written two ways.
TEST(NormalizePython, FormattingThatDoesNotMatter) {
  const std::pair<const char*, const char*> same[] = {
      {"def f(a, b):\n    return a+b\n", "def g( p,q ) :\n\treturn p + q  # sum\n"},
      {"x = 1; y = 2\n", "x = 1\n\ny = 2\n"},
      {"f(a, b,)\n", "f(a, b)\n"},
      {"z = [a, b,]\n", "z = [\n    a,\n    b\n]\n"},
      {"t = (a, b,)\n", "t = (a, b)\n"},
      {"def f(a):\n    '''doc'''\n    return a\n", "def f(a):\n    return a\n"},
      {"y = x + \\\n    1\n", "y = x + 1\n"},
      {"y = jnp.where(x > 0, x, 0.0)\n", "out = jnp.where(inp > 0, inp, 0.0)\n"},
      {"y = a + b\nreturn y\n", "y = (\n    a + b\n)\nreturn ((y))\n"},
      {"t = a, b\n", "t = (a, b,)\n"},
      {"y += jnp.sin(x)\n", "y += (jnp.sin(x))\n"},
  };
  for (const auto& [a, b] : same) EXPECT_EQ(NormalizePython(a), NormalizePython(b)) << a;
}

// Each pair is two programs.
TEST(NormalizePython, DifferencesThatMatter) {
  const std::pair<const char*, const char*> different[] = {
      {"y = jnp.sin(x)\n", "y = jnp.cos(x)\n"},  // the API is kept
      {"def f(a, b):\n    return a - b\n", "def f(a, b):\n    return b - a\n"},
      {"s = jnp.sum(x, axis=0)\n", "s = jnp.sum(x, axis=1)\n"},
      {"s = f(x, axis=0)\n", "s = f(x, keepdims=0)\n"},  // keyword arguments are API
      {"t = (a,)\n", "t = (a)\n"},                       // a tuple, and not
      {"y = (a + b) * c\n", "y = a + b * c\n"},          // parentheses inside the value
      {"y = f((a, b))\n", "y = f(a, b)\n"},
      {"y = x[a,]\n", "y = x[a]\n"},
      {"y = abs(x)\n", "y = neg(x)\n"},                // builtins are API, user names not
      {"if a:\n    b\nc\n", "if a:\n    b\n    c\n"},  // indentation is structure
      {"x = 'a'\n", "x = 'b'\n"},
  };
  for (const auto& [a, b] : different) EXPECT_NE(NormalizePython(a), NormalizePython(b)) << a;
}

TEST(NormalizePython, NamesAvoidWhatImportsBind) {
  EXPECT_EQ(NormalizePython("import v0\nx = v0.f(y)\n"), "import v0\nv1 = v0 . f ( v2 )\n");
}

TEST(NormalizePython, IsIdempotent) {
  for (const char* program : {"loop", "branch", "reduction", "loop_renamed"}) {
    const std::string once =
        NormalizePython(test::ReadGolden(fmt::format("canonical/{}.py", program)));
    EXPECT_EQ(NormalizePython(once), once) << program;
  }
}

TEST(PythonShingleTokens, NamesBecomeOnePlaceholderAndImportsVanish) {
  EXPECT_EQ(PythonShingleTokens("import jax\ndef f(x):\n    return jax.nn.relu(x)\n"),
            (std::vector<std::string>{"def", "$id", "(", "$id", ")", ":", "\n", "return", "jax",
                                      ".", "nn", ".", "relu", "(", "$id", ")", "\n"}));
}

}  // namespace
}  // namespace jitsynth::post
