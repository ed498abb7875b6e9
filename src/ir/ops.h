// The op table: every op jitsynth can emit is declared once in JITSYNTH_OPS.
// The enum, names, spellings, arities and rules are generated from that list,
// and one parameterized test runs over every entry.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ir/dtype.h"

namespace jitsynth::ir {

// How an op is written in Python.
enum class OpForm {
  kPrefix,  // -x
  kInfix,   // x + y
  kCall,    // jnp.sin(x), jnp.where(c, x, y), jnp.clip(x, lo, hi)
  kReduce,  // jnp.sum(x, axis=1, keepdims=True)
  kMethod,  // x.astype(jnp.float16)
};

// How the result shape follows from the argument shapes.
enum class ShapeRule {
  kSame,       // unary elementwise
  kBroadcast,  // NumPy broadcasting of all arguments
  kReduce,     // drop (or keep as 1) the reduced axes; all axes when none are named
  kDot,        // jnp.dot over 1-D and 2-D operands
  kMatmul,     // a @ b over 1-D and 2-D operands
  kCross,      // two (..., 3) operands, broadcast
};

// How the result dtype follows from the argument dtypes.
enum class DTypeRule {
  kFloat,    // floating-point arguments of one dtype; the same dtype out
  kNumeric,  // numeric arguments of one dtype; the same dtype out
  kCompare,  // numeric arguments of one dtype; bool out
  kWhere,    // bool condition, then two values of one dtype
  kCast,     // any argument; attrs.to out
};

// What an argument's values must satisfy. Where a guard exists the generator
// rewrites the argument (e.g. log(x) becomes log(abs(x) + 1)); where none
// exists it picks another op.
enum class Domain {
  kAny,
  kPositive,       // guard: abs(x) + 1
  kNonNegative,    // guard: abs(x)
  kAboveMinusOne,  // guard: abs(x)
  kNonZero,        // guard: abs(x) + 1 (divisors)
  kExpSafe,        // no guard: the argument must be small enough for exp
};

// X(enumerator, name, python spelling, form, arity, shape rule, dtype rule,
//   domain, index of the argument the domain applies to, precedence, differentiable)
// Precedence is Python's for prefix and infix forms (higher binds tighter).
#define JITSYNTH_OPS(X)                                                                          \
  X(kNeg, "neg", "-", kPrefix, 1, kSame, kNumeric, kAny, 0, 13, true)                              \
  X(kAbs, "abs", "jnp.abs", kCall, 1, kSame, kNumeric, kAny, 0, 16, true)                          \
  X(kSin, "sin", "jnp.sin", kCall, 1, kSame, kFloat, kAny, 0, 16, true)                            \
  X(kCos, "cos", "jnp.cos", kCall, 1, kSame, kFloat, kAny, 0, 16, true)                            \
  X(kTanh, "tanh", "jnp.tanh", kCall, 1, kSame, kFloat, kAny, 0, 16, true)                         \
  X(kExp, "exp", "jnp.exp", kCall, 1, kSame, kFloat, kExpSafe, 0, 16, true)                        \
  X(kLog, "log", "jnp.log", kCall, 1, kSame, kFloat, kPositive, 0, 16, true)                       \
  X(kLog1p, "log1p", "jnp.log1p", kCall, 1, kSame, kFloat, kAboveMinusOne, 0, 16, true)            \
  X(kSqrt, "sqrt", "jnp.sqrt", kCall, 1, kSame, kFloat, kNonNegative, 0, 16, true)                 \
  X(kSquare, "square", "jnp.square", kCall, 1, kSame, kNumeric, kAny, 0, 16, true)                 \
  X(kSigmoid, "sigmoid", "jax.nn.sigmoid", kCall, 1, kSame, kFloat, kAny, 0, 16, true)             \
  X(kRelu, "relu", "jax.nn.relu", kCall, 1, kSame, kFloat, kAny, 0, 16, true)                      \
  X(kSoftplus, "softplus", "jax.nn.softplus", kCall, 1, kSame, kFloat, kAny, 0, 16, true)          \
  X(kClip, "clip", "jnp.clip", kCall, 1, kSame, kNumeric, kAny, 0, 16, true)                       \
  X(kAdd, "add", "+", kInfix, 2, kBroadcast, kNumeric, kAny, 0, 11, true)                          \
  X(kSub, "sub", "-", kInfix, 2, kBroadcast, kNumeric, kAny, 0, 11, true)                          \
  X(kMul, "mul", "*", kInfix, 2, kBroadcast, kNumeric, kAny, 0, 12, true)                          \
  X(kDiv, "div", "/", kInfix, 2, kBroadcast, kFloat, kNonZero, 1, 12, true)                        \
  X(kMaximum, "maximum", "jnp.maximum", kCall, 2, kBroadcast, kNumeric, kAny, 0, 16, true)         \
  X(kMinimum, "minimum", "jnp.minimum", kCall, 2, kBroadcast, kNumeric, kAny, 0, 16, true)         \
  X(kGt, "gt", ">", kInfix, 2, kBroadcast, kCompare, kAny, 0, 6, false)                            \
  X(kLt, "lt", "<", kInfix, 2, kBroadcast, kCompare, kAny, 0, 6, false)                            \
  X(kGe, "ge", ">=", kInfix, 2, kBroadcast, kCompare, kAny, 0, 6, false)                           \
  X(kLe, "le", "<=", kInfix, 2, kBroadcast, kCompare, kAny, 0, 6, false)                           \
  X(kWhere, "where", "jnp.where", kCall, 3, kBroadcast, kWhere, kAny, 0, 16, true)                 \
  X(kSum, "sum", "jnp.sum", kReduce, 1, kReduce, kNumeric, kAny, 0, 16, true)                      \
  X(kMean, "mean", "jnp.mean", kReduce, 1, kReduce, kFloat, kAny, 0, 16, true)                     \
  X(kMax, "max", "jnp.max", kReduce, 1, kReduce, kNumeric, kAny, 0, 16, true)                      \
  X(kMin, "min", "jnp.min", kReduce, 1, kReduce, kNumeric, kAny, 0, 16, true)                      \
  X(kNorm, "norm", "jnp.linalg.norm", kReduce, 1, kReduce, kFloat, kAny, 0, 16, true)              \
  X(kDot, "dot", "jnp.dot", kCall, 2, kDot, kNumeric, kAny, 0, 16, true)                           \
  X(kMatmul, "matmul", "@", kInfix, 2, kMatmul, kNumeric, kAny, 0, 12, true)                       \
  X(kCross, "cross", "jnp.cross", kCall, 2, kCross, kNumeric, kAny, 0, 16, true)                   \
  X(kAsType, "astype", "astype", kMethod, 1, kSame, kCast, kAny, 0, 16, true)

enum class OpId : uint16_t {
#define JITSYNTH_OP_ENUM(e, ...) e,
  JITSYNTH_OPS(JITSYNTH_OP_ENUM)
#undef JITSYNTH_OP_ENUM
};

struct OpInfo {
  OpId id;
  std::string_view name;
  std::string_view spelling;
  OpForm form;
  int arity;
  ShapeRule shape_rule;
  DTypeRule dtype_rule;
  Domain domain;
  int domain_arg;
  int precedence;
  bool differentiable;
};

const OpInfo& Info(OpId op);
std::span<const OpInfo> AllOps();

// Static attributes of one op application.
struct OpAttrs {
  std::vector<int> axes;   // kReduce: the axes; empty reduces over all
  bool keepdims = false;   // kReduce
  DType to = DType::kFloat32;  // kCast
  std::vector<double> reals;   // kClip: lo, hi

  bool operator==(const OpAttrs&) const = default;
};

// The result type of `op` applied to arguments of these types, or why the
// application is ill-typed.
Result<TensorType> InferType(OpId op, std::span<const TensorType> args, const OpAttrs& attrs);

// NumPy broadcasting of two shapes.
Result<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// Interval rules: the values `op` can produce from arguments in `args`.
// Callers check the domain first.
Interval OpRange(OpId op, std::span<const Interval> args, std::span<const TensorType> arg_types,
                 const OpAttrs& attrs);

// Whether values in `arg` satisfy the op's domain on its domain argument.
bool DomainHolds(Domain domain, const Interval& arg);

}  // namespace jitsynth::ir
