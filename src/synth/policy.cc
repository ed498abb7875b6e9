#include "synth/policy.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <xxhash.h>

#include "ir/ops.h"

namespace jitsynth::synth {

Policy Policy::Default() {
  Policy p;
  auto add = [&p](std::string key, double value, std::string comment) {
    p.entries_.push_back({std::move(key), value, std::move(comment)});
  };
  // Kernel families: the category of each sample.
  add("family.elementwise", 1.0, "binary and unary elementwise expressions over arrays of one shape");
  add("family.scalar_array", 1.0, "saxpy-like: scalars scaling arrays");
  add("family.unary", 0.7, "chains of unary functions");
  add("family.branch", 1.0, "jnp.where and lax.cond");
  add("family.loop", 1.2, "lax.fori_loop with static bounds and lax.scan");
  add("family.reduction", 1.0, "sums, means and extrema over axes; dot products; matmul");
  add("family.vector", 0.7, "3-vector algebra: dot, cross, norm, normalize");
  add("family.multi_statement", 1.0, "several temporaries of different shapes");
  add("family.nested_branch", 0.8, "lax.cond inside lax.cond, jnp.where inside branches");
  add("family.compound", 1.0, "loops, branches and reductions together");
  // Element types of floating-point programs.
  add("dtype.float32", 6.0, "the common case");
  add("dtype.float16", 1.0, "half precision: tighter value budget");
  add("dtype.bfloat16", 1.0, "bfloat16: what accelerators train in");
  // Shapes.
  add("shape.max_rank", 3, "highest rank of a drawn array argument");
  add("shape.max_elements", 4096, "largest number of elements of one drawn array");
  add("shape.max_dim", 32, "largest extent of one axis");
  // Expressions.
  add("expr.max_depth", 3, "deepest elementwise expression tree before a leaf");
  add("expr.leaf_probability", 0.25, "chance that a subexpression stops early at a variable");
  add("expr.literal_probability", 0.2, "chance that a binary operand is a Python scalar literal");
  add("expr.where_probability", 0.08, "chance that an interior node is a jnp.where");
  add("expr.unary_probability", 0.35, "chance that an interior node is a unary function");
  // Control flow.
  add("loop.max_trip_count", 12, "largest static trip count of lax.fori_loop and lax.scan");
  // Style: how the Python reads.
  add("style.temporaries", 0.5, "chance that a program names subexpressions as temporaries");
  add("style.docstring", 0.25, "chance that the entry function carries a docstring");
  // Unary and binary ops of elementwise expressions, by name in the op table.
  for (const ir::OpInfo& op : ir::AllOps()) {
    double w = 0;
    switch (op.id) {
      case ir::OpId::kAdd:
      case ir::OpId::kMul: w = 3; break;
      case ir::OpId::kSub: w = 2; break;
      case ir::OpId::kDiv:
      case ir::OpId::kMaximum:
      case ir::OpId::kMinimum: w = 0.8; break;
      case ir::OpId::kSin:
      case ir::OpId::kCos:
      case ir::OpId::kTanh:
      case ir::OpId::kExp:
      case ir::OpId::kAbs:
      case ir::OpId::kSquare:
      case ir::OpId::kNeg: w = 1; break;
      case ir::OpId::kLog:
      case ir::OpId::kLog1p:
      case ir::OpId::kSqrt:
      case ir::OpId::kSigmoid:
      case ir::OpId::kRelu:
      case ir::OpId::kSoftplus: w = 0.7; break;
      case ir::OpId::kClip: w = 0.3; break;
      default: continue;  // ops that families place themselves
    }
    add(fmt::format("op.{}", op.name), w, fmt::format("weight of {}", op.spelling));
  }
  return p;
}

double Policy::Get(std::string_view key) const {
  for (const PolicyEntry& e : entries_) {
    if (e.key == key) return e.value;
  }
  fmt::print(stderr, "jitsynth: internal error: policy key {} is not declared\n", key);
  std::abort();
}

double Policy::Weight(std::string_view prefix, std::string_view name) const {
  return Get(fmt::format("{}{}", prefix, name));
}

Status Policy::Set(std::string_view key, double value) {
  for (PolicyEntry& e : entries_) {
    if (e.key == key) {
      e.value = value;
      return Status::Ok();
    }
  }
  return InvalidArgument(fmt::format("unknown policy key '{}'", key));
}

std::string Policy::ToToml() const {
  std::string out = "# jitsynth generation policy. Weights are relative within a table.\n";
  std::string table;
  for (const PolicyEntry& e : entries_) {
    const std::string prefix = e.key.substr(0, e.key.find('.'));
    if (prefix != table) {
      table = prefix;
      out += fmt::format("\n[{}]\n", table);
    }
    out += fmt::format("# {}\n{} = {}\n", e.comment, e.key.substr(prefix.size() + 1), e.value);
  }
  return out;
}

uint64_t Policy::Hash() const {
  const std::string text = ToToml();
  return XXH64(text.data(), text.size(), 0);
}

}  // namespace jitsynth::synth
