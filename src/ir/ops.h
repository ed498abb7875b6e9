// The op table: every op jitsynth can emit is declared once in JITSYNTH_OPS.
// The enum, names, spellings, arities, rules, policy weights and the
// parameterized tests are all generated from that list.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "ir/dtype.h"

namespace jitsynth::ir {

// What an op is for; families weight whole groups up or down.
enum class OpGroup {
  kMath,      // elementwise arithmetic, transcendental functions, activations
  kCompare,   // comparisons, logical ops, predicates
  kBitwise,   // bitwise ops and shifts on integers
  kCast,      // dtype conversions
  kReduce,    // reductions over axes
  kSequence,  // cumulative ops, sorting, top-k, differences
  kShape,     // reshaping, transposing, joining, slicing, padding
  kIndex,     // gather, scatter, dynamic slices
  kLinalg,    // contractions
  kWindow,    // convolutions and pooling
  kNN,        // jax.nn ops that are not elementwise
  kConstant,  // arrays made from nothing (arange, eye, full) or from a shape (zeros_like)
  kRandom,    // jax.random with a key argument
};

// How the result shape follows from the argument shapes and attributes.
enum class ShapeRule {
  kSame,          // the argument's shape; `axes`, if any, must be valid
  kNormalize,     // the argument's shape, rank >= 1, along axes[0] or by default the last axis
  kAlongAxis,     // the argument's shape; exactly one valid axis (cumulative ops, roll; a second
                  // argument of that shape for linear_recurrence)
  kBroadcast,     // NumPy broadcasting of all arguments
  kReduce,        // drop (or keep as 1) `axes`; all axes when none are named
  kArgReduce,     // kReduce over at most one axis
  kDot,           // jnp.dot: contract a's last axis with b's second-to-last
  kMatmul,        // a @ b: batched matrix product with broadcast batch axes
  kOuter,         // two vectors to a matrix
  kInner,         // contract both last axes
  kTensordot,     // contract a's last `count` axes with b's first `count`
  kEinsum,        // `subscripts`
  kCross,         // two (..., 3) operands, broadcast
  kReshape,       // `shape`, same number of elements
  kRavel,         // one axis of every element
  kTranspose,     // permute by `axes` (reverse when empty)
  kSwapAxes,      // swap axes[0] and axes[1]
  kMoveAxis,      // move axis axes[0] to position axes[1]
  kExpandDims,    // insert a 1 at axes[0]
  kSqueeze,       // drop axes[0], which is 1
  kBroadcastTo,   // `shape`, which the argument broadcasts to
  kConcatenate,   // join along axes[0]
  kStack,         // join along a new axis axes[0]
  kSplit,         // piece `index` of `count` equal pieces along axes[0]
  kTile,          // repeat the whole array `shape[i]` times along axis i
  kRepeat,        // repeat each element `count` times along axes[0]
  kPad,           // `padding` (before, after) per axis
  kSlice,         // `slices`, one per leading axis
  kSliceUpdate,   // x.at[`slices`].set(v): x's shape; v has the slice's shape
  kDiff,          // one shorter along axes[0]
  kMatrix,        // the argument's shape, rank >= 2
  kDynamicSlice,  // operand, one int32 start per axis; `shape` sizes
  kDynamicUpdateSlice,  // operand, update, one int32 start per axis
  kGather,              // x[idx]: idx's shape, then x's trailing axes
  kTake,                // jnp.take along axes[0]
  kTakeAlong,           // jnp.take_along_axis along axes[0]: the indices' shape, which matches the
                        // operand's off that axis
  kScatter,             // x.at[idx].op(v): x's shape
  kSegment,             // data, ids (data's first axis long): `count` segments, then data's trailing axes
  kConv,                // lhs (N, C, spatial...), rhs (O, C, window...)
  kConvNhwc,            // lhs (N, H, W, C), rhs (H, W, C, O): flax's layout
  kReduceWindow,        // `window`, `strides`, `same_padding`
  kTopK,                // the last axis cut to `count`
  kOneHot,              // the index shape and `count` classes
  kConstant,            // `shape`, from no arguments
  kSample,              // `shape`, from a key
  kKey,                 // a key (2,), from a key (and data)
  kPermutation,         // key, x: x's shape
  kCategorical,         // key, logits: logits without axes[0]
};

// How the result dtype follows from the argument dtypes.
enum class DTypeRule {
  kFloat,           // floating-point arguments of one dtype; the same dtype out
  kNumeric,         // non-bool arguments of one dtype; the same dtype out
  kInteger,         // integer arguments of one dtype; the same dtype out
  kBitwise,         // integer or bool arguments of one dtype; the same dtype out
  kLogical,         // bool arguments; bool out
  kAny,             // arguments of one dtype; the same dtype out
  kCompare,         // non-bool arguments of one dtype; bool out
  kWhere,           // a bool condition, then two values of one dtype
  kCast,            // any argument; `to` out
  kBitcast,         // `to`, an integer type of the argument's width
  kIndex,           // any argument; int32 positions out
  kSum,             // JAX's accumulation: floats keep their dtype, bool and signed
                    // integers give int32, unsigned integers uint32
  kMean,            // floats keep their dtype, others give float32
  kCumulative,      // bool gives int32, others keep their dtype
  kPredicate,       // any argument; bool out
  kFloatTest,       // a floating-point argument; bool out
  kOperand,         // the dtype of the indexed operand (arguments 0 of gather,
                    // scatter, dynamic slices; argument 1 after a key)
  kNumericOperand,  // kOperand for arithmetic updates: not bool
  kFromIndex,       // integer argument; `to` (floating point) out
  kMake,            // no argument; `to` out
  kSampleFloat,     // a key; `to` (floating point) out
  kSampleInt,       // a key; `to` (integer) out
  kSampleBool,      // a key; bool out
  kKey,             // a key (and integer data); a key out
  kAccumulate,      // floating-point arguments of one dtype no wider than float32 (bfloat16,
                    // float16, float32); float32 out: preferred_element_type=jnp.float32
};

// What the domain argument's values must satisfy. The generator guards an
// argument that does not (log(x) becomes log(abs(x) + 1)); the verifier
// rejects a program where one still does not.
enum class Domain {
  kAny,
  kPositive,       // >= 1e-6; guard: abs(x) + 1
  kNonNegative,    // >= 0; guard: abs(x)
  kAboveMinusOne,  // >= -0.5; guard: abs(x)
  kNonZero,        // |x| >= 1e-6 for floats, >= 1 for integers; guard: abs(x) + 1, maximum(x, 1)
  kExpSafe,        // <= 6, so that exp stays within every budget; guard: clip
  kSmall,          // |x| <= 6 (sinh, cosh); guard: clip
  kTan,            // |x| <= 1.2, away from the poles; guard: clip
  kUnit,           // |x| <= 1 for floats (arcsin, products); guard: clip
  kOpenUnit,       // |x| <= 0.9 (arctanh, erf_inv); guard: clip
  kShift,          // a shift amount in [0, bits); guard: x & (bits - 1)
  kInBounds,       // an index into the operand's indexed axis; guard: clip
  kStaticIndex,    // a literal index in bounds (JAX differentiates scatter-mul
                   // only with unique indices, which a static index has)
  kCastable,       // within the target dtype's budget (unless integer to
                   // integer, which wraps); guard: clip
};

// clang-format off
// X(enumerator, name, group, spellings, arity, shape rule, dtype rule, domain,
//   index of the argument the domain applies to, precedence, differentiable,
//   default policy weight)
//
// Spellings: the first is the NumPy-style one, alternatives follow after " | "
// (lax spellings apply only where lax's stricter typing allows, see
// SpellingApplies). A spelling without braces is a Python operator: prefix
// when the op takes one argument, infix when two. Otherwise it is a template:
// {0} is argument 0, {0!} argument 0 as an atom (parenthesized unless it
// binds tightest), and named placeholders print attributes (see the
// emitter). Precedence is Python's (higher binds tighter; 16 for calls,
// subscripts and attributes). Arity -1 means one or more arguments.
// Differentiable: a gradient flows through the op (false for comparisons,
// rounding, integer results, constants); reverse mode works through every op.
#define JITSYNTH_OPS(X)                                                                            \
  /* ---- elementwise math ---- */                                                                 \
  X(kNeg, "neg", kMath, "- | lax.neg({0})", 1, kSame, kNumeric, kAny, 0, 13, true, 1.0)            \
  X(kAbs, "abs", kMath, "jnp.abs({0}) | lax.abs({0})", 1, kSame, kNumeric, kAny, 0, 16, true, 1.0)  \
  X(kSign, "sign", kMath, "jnp.sign({0}) | lax.sign({0})", 1, kSame, kNumeric, kAny, 0, 16, false, 0.3) \
  X(kSquare, "square", kMath, "jnp.square({0}) | lax.square({0})", 1, kSame, kNumeric, kAny, 0, 16, true, 0.8) \
  X(kIntegerPow, "integer_pow", kMath, "{0!} ** {count} | lax.integer_pow({0}, {count})", 1, kSame, kNumeric, kAny, 0, 15, true, 0.5) \
  X(kSin, "sin", kMath, "jnp.sin({0}) | lax.sin({0})", 1, kSame, kFloat, kAny, 0, 16, true, 1.0)    \
  X(kCos, "cos", kMath, "jnp.cos({0}) | lax.cos({0})", 1, kSame, kFloat, kAny, 0, 16, true, 1.0)    \
  X(kTan, "tan", kMath, "jnp.tan({0}) | lax.tan({0})", 1, kSame, kFloat, kTan, 0, 16, true, 0.3)    \
  X(kTanh, "tanh", kMath, "jnp.tanh({0}) | lax.tanh({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.35) \
  X(kExp, "exp", kMath, "jnp.exp({0}) | lax.exp({0})", 1, kSame, kFloat, kExpSafe, 0, 16, true, 1.0) \
  X(kExp2, "exp2", kMath, "jnp.exp2({0}) | lax.exp2({0})", 1, kSame, kFloat, kExpSafe, 0, 16, true, 0.3) \
  X(kExpm1, "expm1", kMath, "jnp.expm1({0}) | lax.expm1({0})", 1, kSame, kFloat, kExpSafe, 0, 16, true, 0.3) \
  X(kLog, "log", kMath, "jnp.log({0}) | lax.log({0})", 1, kSame, kFloat, kPositive, 0, 16, true, 0.8) \
  X(kLog1p, "log1p", kMath, "jnp.log1p({0}) | lax.log1p({0})", 1, kSame, kFloat, kAboveMinusOne, 0, 16, true, 0.6) \
  X(kLog2, "log2", kMath, "jnp.log2({0})", 1, kSame, kFloat, kPositive, 0, 16, true, 0.2)            \
  X(kLog10, "log10", kMath, "jnp.log10({0})", 1, kSame, kFloat, kPositive, 0, 16, true, 0.2)         \
  X(kSqrt, "sqrt", kMath, "jnp.sqrt({0}) | lax.sqrt({0})", 1, kSame, kFloat, kNonNegative, 0, 16, true, 0.7) \
  X(kRsqrt, "rsqrt", kMath, "lax.rsqrt({0})", 1, kSame, kFloat, kPositive, 0, 16, true, 0.3)        \
  X(kCbrt, "cbrt", kMath, "jnp.cbrt({0}) | lax.cbrt({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.2) \
  X(kReciprocal, "reciprocal", kMath, "jnp.reciprocal({0})", 1, kSame, kFloat, kNonZero, 0, 16, true, 0.3) \
  X(kSinh, "sinh", kMath, "jnp.sinh({0}) | lax.sinh({0})", 1, kSame, kFloat, kSmall, 0, 16, true, 0.2) \
  X(kCosh, "cosh", kMath, "jnp.cosh({0}) | lax.cosh({0})", 1, kSame, kFloat, kSmall, 0, 16, true, 0.2) \
  X(kArcsin, "arcsin", kMath, "jnp.arcsin({0}) | lax.asin({0})", 1, kSame, kFloat, kUnit, 0, 16, true, 0.2) \
  X(kArccos, "arccos", kMath, "jnp.arccos({0}) | lax.acos({0})", 1, kSame, kFloat, kUnit, 0, 16, true, 0.2) \
  X(kArctan, "arctan", kMath, "jnp.arctan({0}) | lax.atan({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.3) \
  X(kArcsinh, "arcsinh", kMath, "jnp.arcsinh({0}) | lax.asinh({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.2) \
  X(kArctanh, "arctanh", kMath, "jnp.arctanh({0}) | lax.atanh({0})", 1, kSame, kFloat, kOpenUnit, 0, 16, true, 0.2) \
  X(kErf, "erf", kMath, "lax.erf({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.3)                   \
  X(kErfInv, "erf_inv", kMath, "lax.erf_inv({0})", 1, kSame, kFloat, kOpenUnit, 0, 16, true, 0.1)   \
  X(kFloor, "floor", kMath, "jnp.floor({0}) | lax.floor({0})", 1, kSame, kFloat, kAny, 0, 16, false, 0.3) \
  X(kCeil, "ceil", kMath, "jnp.ceil({0}) | lax.ceil({0})", 1, kSame, kFloat, kAny, 0, 16, false, 0.2) \
  X(kRound, "round", kMath, "jnp.round({0})", 1, kSame, kFloat, kAny, 0, 16, false, 0.2)            \
  X(kRoundAwayFromZero, "round_afz", kMath, "lax.round({0})", 1, kSame, kFloat, kAny, 0, 16, false, 0.1) \
  X(kTrunc, "trunc", kMath, "jnp.trunc({0})", 1, kSame, kFloat, kAny, 0, 16, false, 0.1)            \
  X(kReducePrecision, "reduce_precision", kMath, "lax.reduce_precision({0}, exponent_bits=5, mantissa_bits=10)", 1, kSame, kFloat, kAny, 0, 16, true, 0.05) \
  X(kStopGradient, "stop_gradient", kMath, "lax.stop_gradient({0})", 1, kSame, kFloat, kAny, 0, 16, false, 0.1) \
  X(kSigmoid, "sigmoid", kMath, "jax.nn.sigmoid({0}) | lax.logistic({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.7) \
  X(kRelu, "relu", kMath, "jax.nn.relu({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.7)             \
  X(kRelu6, "relu6", kMath, "jax.nn.relu6({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.2)          \
  X(kGelu, "gelu", kMath, "jax.nn.gelu({0}) | jax.nn.gelu({0}, approximate=False)", 1, kSame, kFloat, kAny, 0, 16, true, 0.5) \
  X(kSilu, "silu", kMath, "jax.nn.silu({0}) | jax.nn.swish({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.4) \
  X(kSoftplus, "softplus", kMath, "jax.nn.softplus({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.5) \
  X(kElu, "elu", kMath, "jax.nn.elu({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.2)                \
  X(kCelu, "celu", kMath, "jax.nn.celu({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.1)             \
  X(kSelu, "selu", kMath, "jax.nn.selu({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.1)             \
  X(kLeakyRelu, "leaky_relu", kMath, "jax.nn.leaky_relu({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.2) \
  X(kLogSigmoid, "log_sigmoid", kMath, "jax.nn.log_sigmoid({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.2) \
  X(kHardTanh, "hard_tanh", kMath, "jax.nn.hard_tanh({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.1) \
  X(kSoftSign, "soft_sign", kMath, "jax.nn.soft_sign({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.1) \
  X(kMish, "mish", kMath, "jax.nn.mish({0})", 1, kSame, kFloat, kAny, 0, 16, true, 0.1)             \
  X(kClip, "clip", kMath, "jnp.clip({0}, {lo}, {hi})", 1, kSame, kNumeric, kAny, 0, 16, true, 0.15)  \
  X(kAdd, "add", kMath, "+ | jnp.add({0}, {1}) | lax.add({0}, {1})", 2, kBroadcast, kNumeric, kAny, 0, 11, true, 3.0) \
  X(kSub, "sub", kMath, "- | jnp.subtract({0}, {1}) | lax.sub({0}, {1})", 2, kBroadcast, kNumeric, kAny, 0, 11, true, 2.0) \
  X(kMul, "mul", kMath, "* | jnp.multiply({0}, {1}) | lax.mul({0}, {1})", 2, kBroadcast, kNumeric, kAny, 0, 12, true, 3.0) \
  X(kDiv, "div", kMath, "/ | jnp.divide({0}, {1}) | lax.div({0}, {1})", 2, kBroadcast, kFloat, kNonZero, 1, 12, true, 0.8) \
  X(kFloorDivide, "floor_divide", kMath, "// | jnp.floor_divide({0}, {1})", 2, kBroadcast, kNumeric, kNonZero, 1, 12, false, 0.2) \
  X(kRemainder, "remainder", kMath, "% | jnp.remainder({0}, {1})", 2, kBroadcast, kNumeric, kNonZero, 1, 12, true, 0.2) \
  X(kFmod, "fmod", kMath, "jnp.fmod({0}, {1}) | lax.rem({0}, {1})", 2, kBroadcast, kNumeric, kNonZero, 1, 16, true, 0.1) \
  X(kPow, "pow", kMath, "jnp.power({0}, {1}) | lax.pow({0}, {1})", 2, kBroadcast, kFloat, kPositive, 0, 16, true, 0.2) \
  X(kMaximum, "maximum", kMath, "jnp.maximum({0}, {1}) | lax.max({0}, {1})", 2, kBroadcast, kNumeric, kAny, 0, 16, true, 0.8) \
  X(kMinimum, "minimum", kMath, "jnp.minimum({0}, {1}) | lax.min({0}, {1})", 2, kBroadcast, kNumeric, kAny, 0, 16, true, 0.8) \
  X(kArctan2, "arctan2", kMath, "jnp.arctan2({0}, {1}) | lax.atan2({0}, {1})", 2, kBroadcast, kFloat, kAny, 0, 16, true, 0.2) \
  X(kHypot, "hypot", kMath, "jnp.hypot({0}, {1})", 2, kBroadcast, kFloat, kAny, 0, 16, true, 0.1)   \
  X(kLogAddExp, "logaddexp", kMath, "jnp.logaddexp({0}, {1})", 2, kBroadcast, kFloat, kAny, 0, 16, true, 0.2) \
  X(kCopySign, "copysign", kMath, "jnp.copysign({0}, {1})", 2, kBroadcast, kFloat, kAny, 0, 16, true, 0.1) \
  X(kWhere, "where", kMath, "jnp.where({0}, {1}, {2}) | lax.select({0}, {1}, {2})", 3, kBroadcast, kWhere, kAny, 0, 16, true, 0.6) \
  /* ---- comparisons, logic, predicates ---- */                                                   \
  X(kGt, "gt", kCompare, "> | jnp.greater({0}, {1}) | lax.gt({0}, {1})", 2, kBroadcast, kCompare, kAny, 0, 6, false, 1.0) \
  X(kLt, "lt", kCompare, "< | jnp.less({0}, {1}) | lax.lt({0}, {1})", 2, kBroadcast, kCompare, kAny, 0, 6, false, 1.0) \
  X(kGe, "ge", kCompare, ">= | jnp.greater_equal({0}, {1}) | lax.ge({0}, {1})", 2, kBroadcast, kCompare, kAny, 0, 6, false, 0.7) \
  X(kLe, "le", kCompare, "<= | jnp.less_equal({0}, {1}) | lax.le({0}, {1})", 2, kBroadcast, kCompare, kAny, 0, 6, false, 0.7) \
  X(kEq, "eq", kCompare, "== | jnp.equal({0}, {1}) | lax.eq({0}, {1})", 2, kBroadcast, kCompare, kAny, 0, 6, false, 0.3) \
  X(kNe, "ne", kCompare, "!= | jnp.not_equal({0}, {1}) | lax.ne({0}, {1})", 2, kBroadcast, kCompare, kAny, 0, 6, false, 0.3) \
  X(kLogicalAnd, "logical_and", kCompare, "jnp.logical_and({0}, {1})", 2, kBroadcast, kLogical, kAny, 0, 16, false, 0.4) \
  X(kLogicalOr, "logical_or", kCompare, "jnp.logical_or({0}, {1})", 2, kBroadcast, kLogical, kAny, 0, 16, false, 0.4) \
  X(kLogicalXor, "logical_xor", kCompare, "jnp.logical_xor({0}, {1})", 2, kBroadcast, kLogical, kAny, 0, 16, false, 0.2) \
  X(kLogicalNot, "logical_not", kCompare, "jnp.logical_not({0})", 1, kSame, kLogical, kAny, 0, 16, false, 0.3) \
  X(kIsFinite, "isfinite", kCompare, "jnp.isfinite({0}) | lax.is_finite({0})", 1, kSame, kFloatTest, kAny, 0, 16, false, 0.1) \
  /* ---- bitwise ---- */                                                                          \
  X(kBitwiseAnd, "bitwise_and", kBitwise, "& | jnp.bitwise_and({0}, {1}) | lax.bitwise_and({0}, {1})", 2, kBroadcast, kBitwise, kAny, 0, 9, false, 0.6) \
  X(kBitwiseOr, "bitwise_or", kBitwise, "| | jnp.bitwise_or({0}, {1}) | lax.bitwise_or({0}, {1})", 2, kBroadcast, kBitwise, kAny, 0, 7, false, 0.6) \
  X(kBitwiseXor, "bitwise_xor", kBitwise, "^ | jnp.bitwise_xor({0}, {1}) | lax.bitwise_xor({0}, {1})", 2, kBroadcast, kBitwise, kAny, 0, 8, false, 0.5) \
  X(kBitwiseNot, "bitwise_not", kBitwise, "~ | jnp.invert({0}) | lax.bitwise_not({0})", 1, kSame, kBitwise, kAny, 0, 13, false, 0.4) \
  X(kLeftShift, "left_shift", kBitwise, "<< | jnp.left_shift({0}, {1}) | lax.shift_left({0}, {1})", 2, kBroadcast, kInteger, kShift, 1, 10, false, 0.5) \
  X(kRightShift, "right_shift", kBitwise, ">> | jnp.right_shift({0}, {1})", 2, kBroadcast, kInteger, kShift, 1, 10, false, 0.5) \
  X(kShiftRightLogical, "shift_right_logical", kBitwise, "lax.shift_right_logical({0}, {1})", 2, kBroadcast, kInteger, kShift, 1, 16, false, 0.2) \
  X(kPopulationCount, "population_count", kBitwise, "lax.population_count({0})", 1, kSame, kInteger, kAny, 0, 16, false, 0.2) \
  X(kClz, "clz", kBitwise, "lax.clz({0})", 1, kSame, kInteger, kAny, 0, 16, false, 0.1)            \
  /* ---- casts ---- */                                                                            \
  X(kAsType, "astype", kCast, "{0!}.astype({dtype}) | lax.convert_element_type({0}, {dtype})", 1, kSame, kCast, kCastable, 0, 16, true, 1.0) \
  X(kBitcast, "bitcast_convert_type", kCast, "lax.bitcast_convert_type({0}, {dtype})", 1, kSame, kBitcast, kAny, 0, 16, false, 0.1) \
  /* ---- reductions ---- */                                                                       \
  X(kSum, "sum", kReduce, "jnp.sum({0}{, axis}{, keepdims}) | {0!}.sum({, axis}{, keepdims})", 1, kReduce, kSum, kAny, 0, 16, true, 1.0) \
  X(kMean, "mean", kReduce, "jnp.mean({0}{, axis}{, keepdims}) | {0!}.mean({, axis}{, keepdims})", 1, kReduce, kMean, kAny, 0, 16, true, 1.0) \
  X(kMax, "max", kReduce, "jnp.max({0}{, axis}{, keepdims}) | {0!}.max({, axis}{, keepdims})", 1, kReduce, kNumeric, kAny, 0, 16, true, 0.8) \
  X(kMin, "min", kReduce, "jnp.min({0}{, axis}{, keepdims}) | {0!}.min({, axis}{, keepdims})", 1, kReduce, kNumeric, kAny, 0, 16, true, 0.6) \
  X(kProd, "prod", kReduce, "jnp.prod({0}{, axis}{, keepdims}) | {0!}.prod({, axis}{, keepdims})", 1, kReduce, kSum, kUnit, 0, 16, true, 0.3) \
  X(kVar, "var", kReduce, "jnp.var({0}{, axis}{, keepdims}) | {0!}.var({, axis}{, keepdims})", 1, kReduce, kMean, kAny, 0, 16, true, 0.4) \
  X(kStd, "std", kReduce, "jnp.std({0}{, axis}{, keepdims}) | {0!}.std({, axis}{, keepdims})", 1, kReduce, kMean, kAny, 0, 16, true, 0.4) \
  X(kPtp, "ptp", kReduce, "jnp.ptp({0}{, axis}{, keepdims})", 1, kReduce, kNumeric, kAny, 0, 16, true, 0.1) \
  X(kLogSumExp, "logsumexp", kReduce, "jax.nn.logsumexp({0}{, axis}{, keepdims})", 1, kReduce, kFloat, kAny, 0, 16, true, 0.4) \
  X(kNorm, "norm", kReduce, "jnp.linalg.norm({0}{, axis}{, keepdims})", 1, kReduce, kFloat, kAny, 0, 16, true, 0.4) \
  X(kAny, "any", kReduce, "jnp.any({0}{, axis}{, keepdims}) | {0!}.any({, axis}{, keepdims})", 1, kReduce, kPredicate, kAny, 0, 16, false, 0.4) \
  X(kAll, "all", kReduce, "jnp.all({0}{, axis}{, keepdims}) | {0!}.all({, axis}{, keepdims})", 1, kReduce, kPredicate, kAny, 0, 16, false, 0.4) \
  X(kCountNonzero, "count_nonzero", kReduce, "jnp.count_nonzero({0}{, axis}{, keepdims})", 1, kReduce, kIndex, kAny, 0, 16, false, 0.2) \
  X(kArgmax, "argmax", kReduce, "jnp.argmax({0}{, axis}{, keepdims}) | {0!}.argmax({, axis}{, keepdims})", 1, kArgReduce, kIndex, kAny, 0, 16, false, 0.5) \
  X(kArgmin, "argmin", kReduce, "jnp.argmin({0}{, axis}{, keepdims}) | {0!}.argmin({, axis}{, keepdims})", 1, kArgReduce, kIndex, kAny, 0, 16, false, 0.3) \
  /* ---- cumulative ops, sorting ---- */                                                          \
  X(kCumsum, "cumsum", kSequence, "jnp.cumsum({0}{, axis}) | lax.cumsum({0}{, axis})", 1, kAlongAxis, kCumulative, kAny, 0, 16, true, 0.6) \
  X(kCumprod, "cumprod", kSequence, "jnp.cumprod({0}{, axis}) | lax.cumprod({0}{, axis})", 1, kAlongAxis, kCumulative, kUnit, 0, 16, true, 0.3) \
  X(kCummax, "cummax", kSequence, "lax.cummax({0}{, axis})", 1, kAlongAxis, kNumeric, kAny, 0, 16, true, 0.4) \
  X(kCummin, "cummin", kSequence, "lax.cummin({0}{, axis})", 1, kAlongAxis, kNumeric, kAny, 0, 16, true, 0.2) \
  X(kCumlogsumexp, "cumlogsumexp", kSequence, "lax.cumlogsumexp({0}{, axis})", 1, kAlongAxis, kFloat, kAny, 0, 16, true, 0.2) \
  X(kSort, "sort", kSequence, "jnp.sort({0}{, axis}) | lax.sort({0}{, dimension})", 1, kAlongAxis, kNumeric, kAny, 0, 16, true, 0.5) \
  X(kArgsort, "argsort", kSequence, "jnp.argsort({0}{, axis})", 1, kAlongAxis, kIndex, kAny, 0, 16, false, 0.4) \
  X(kTopK, "top_k", kSequence, "lax.top_k({0}, {count})[0]", 1, kTopK, kNumeric, kAny, 0, 16, true, 0.4) \
  X(kTopKIndices, "top_k_indices", kSequence, "lax.top_k({0}, {count})[1]", 1, kTopK, kIndex, kAny, 0, 16, false, 0.2) \
  X(kDiff, "diff", kSequence, "jnp.diff({0}{, axis})", 1, kDiff, kNumeric, kAny, 0, 16, true, 0.3) \
  /* lax.associative_scan: prefix combinations by a parallel scan (linear recurrences, running sums) */ \
  X(kAssociativeScan, "associative_scan", kSequence, "lax.associative_scan(jnp.add, {0}{, axis})", 1, kAlongAxis, kNumeric, kAny, 0, 16, true, 0.15) \
  X(kAssociativeScanMax, "associative_scan_max", kSequence, "lax.associative_scan(jnp.maximum, {0}{, axis})", 1, kAlongAxis, kNumeric, kAny, 0, 16, true, 0.1) \
  X(kLinearRecurrence, "linear_recurrence", kSequence, "lax.associative_scan(lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1]), ({0}, {1}){, axis})[1]", 2, kAlongAxis, kNumeric, kAny, 0, 16, true, 0.1) \
  /* ---- shapes ---- */                                                                           \
  X(kReshape, "reshape", kShape, "jnp.reshape({0}, {shape}) | {0!}.reshape({shape}) | lax.reshape({0}, {shape})", 1, kReshape, kAny, kAny, 0, 16, true, 1.0) \
  X(kRavel, "ravel", kShape, "jnp.ravel({0}) | {0!}.ravel() | {0!}.flatten()", 1, kRavel, kAny, kAny, 0, 16, true, 0.3) \
  X(kTranspose, "transpose", kShape, "jnp.transpose({0}, {perm}) | {0!}.transpose({perm}) | lax.transpose({0}, {perm})", 1, kTranspose, kAny, kAny, 0, 16, true, 0.8) \
  X(kT, "T", kShape, "{0!}.T", 1, kTranspose, kAny, kAny, 0, 16, true, 0.4)                        \
  X(kSwapAxes, "swapaxes", kShape, "jnp.swapaxes({0}, {ax}, {ax2}) | {0!}.swapaxes({ax}, {ax2})", 1, kSwapAxes, kAny, kAny, 0, 16, true, 0.4) \
  X(kMoveAxis, "moveaxis", kShape, "jnp.moveaxis({0}, {ax}, {ax2})", 1, kMoveAxis, kAny, kAny, 0, 16, true, 0.2) \
  X(kExpandDims, "expand_dims", kShape, "jnp.expand_dims({0}, {ax}) | lax.expand_dims({0}, {axes})", 1, kExpandDims, kAny, kAny, 0, 16, true, 0.6) \
  X(kSqueeze, "squeeze", kShape, "jnp.squeeze({0}{, axis}) | lax.squeeze({0}, {axes})", 1, kSqueeze, kAny, kAny, 0, 16, true, 0.4) \
  X(kBroadcastTo, "broadcast_to", kShape, "jnp.broadcast_to({0}, {shape})", 1, kBroadcastTo, kAny, kAny, 0, 16, true, 0.6) \
  X(kConcatenate, "concatenate", kShape, "jnp.concatenate([{args}]{, axis}) | lax.concatenate([{args}], {ax})", -1, kConcatenate, kAny, kAny, 0, 16, true, 0.7) \
  X(kStack, "stack", kShape, "jnp.stack([{args}]{, axis})", -1, kStack, kAny, kAny, 0, 16, true, 0.6) \
  X(kSplit, "split", kShape, "jnp.split({0}, {count}{, axis})[{index}]", 1, kSplit, kAny, kAny, 0, 16, true, 0.4) \
  X(kTile, "tile", kShape, "jnp.tile({0}, {shape})", 1, kTile, kAny, kAny, 0, 16, true, 0.4)       \
  X(kRepeat, "repeat", kShape, "jnp.repeat({0}, {count}{, axis})", 1, kRepeat, kAny, kAny, 0, 16, true, 0.4) \
  X(kPad, "pad", kShape, "jnp.pad({0}, {pads}{, constant_values})", 1, kPad, kAny, kAny, 0, 16, true, 0.5) \
  X(kPadEdge, "pad_edge", kShape, "jnp.pad({0}, {pads}, mode='edge')", 1, kPad, kAny, kAny, 0, 16, true, 0.2) \
  X(kRoll, "roll", kShape, "jnp.roll({0}, {count}{, axis})", 1, kAlongAxis, kAny, kAny, 0, 16, true, 0.4) \
  X(kFlip, "flip", kShape, "jnp.flip({0}{, axis}) | lax.rev({0}, {axes})", 1, kSame, kAny, kAny, 0, 16, true, 0.4) \
  X(kSlice, "slice", kShape, "{0!}[{slices}] | lax.slice({0}, {slice_starts}, {slice_limits}, {slice_strides})", 1, kSlice, kAny, kAny, 0, 16, true, 1.0) \
  X(kTril, "tril", kShape, "jnp.tril({0})", 1, kMatrix, kAny, kAny, 0, 16, true, 0.2)              \
  X(kTriu, "triu", kShape, "jnp.triu({0})", 1, kMatrix, kAny, kAny, 0, 16, true, 0.2)              \
  /* ---- indexing ---- */                                                                         \
  X(kDynamicSlice, "dynamic_slice", kIndex, "lax.dynamic_slice({0}, {idx1}, {shape})", -1, kDynamicSlice, kOperand, kAny, 0, 16, true, 0.5) \
  X(kDynamicUpdateSlice, "dynamic_update_slice", kIndex, "lax.dynamic_update_slice({0}, {1}, {idx2})", -1, kDynamicUpdateSlice, kOperand, kAny, 0, 16, true, 0.5) \
  X(kGather, "gather", kIndex, "{0!}[{1}]", 2, kGather, kOperand, kInBounds, 1, 16, true, 0.6)     \
  X(kTake, "take", kIndex, "jnp.take({0}, {1}{, axis})", 2, kTake, kOperand, kInBounds, 1, 16, true, 0.4) \
  X(kTakeAlongAxis, "take_along_axis", kIndex, "jnp.take_along_axis({0}, {1}, axis={ax})", 2, kTakeAlong, kOperand, kInBounds, 1, 16, true, 0.3) \
  X(kScatterSet, "scatter_set", kIndex, "{0!}.at[{1}].set({2})", 3, kScatter, kOperand, kInBounds, 1, 16, true, 0.5) \
  X(kScatterAdd, "scatter_add", kIndex, "{0!}.at[{1}].add({2})", 3, kScatter, kNumericOperand, kInBounds, 1, 16, true, 0.5) \
  X(kScatterMul, "scatter_mul", kIndex, "{0!}.at[{1}].mul({2})", 3, kScatter, kNumericOperand, kStaticIndex, 1, 16, true, 0.3) \
  X(kScatterMin, "scatter_min", kIndex, "{0!}.at[{1}].min({2})", 3, kScatter, kNumericOperand, kInBounds, 1, 16, true, 0.3) \
  X(kScatterMax, "scatter_max", kIndex, "{0!}.at[{1}].max({2})", 3, kScatter, kNumericOperand, kInBounds, 1, 16, true, 0.3) \
  X(kSegmentSum, "segment_sum", kIndex, "jax.ops.segment_sum({0}, {1}, num_segments={count})", 2, kSegment, kNumericOperand, kInBounds, 1, 16, true, 0.3) \
  X(kSliceSet, "slice_set", kIndex, "{0!}.at[{slices}].set({1})", 2, kSliceUpdate, kAny, kAny, 0, 16, true, 0.2) \
  /* ---- linear algebra ---- */                                                                   \
  X(kDot, "dot", kLinalg, "jnp.dot({0}, {1})", 2, kDot, kNumeric, kAny, 0, 16, true, 0.8)         \
  X(kMatmul, "matmul", kLinalg, "@ | jnp.matmul({0}, {1})", 2, kMatmul, kNumeric, kAny, 0, 12, true, 1.0) \
  X(kOuter, "outer", kLinalg, "jnp.outer({0}, {1})", 2, kOuter, kNumeric, kAny, 0, 16, true, 0.3)  \
  X(kInner, "inner", kLinalg, "jnp.inner({0}, {1})", 2, kInner, kNumeric, kAny, 0, 16, true, 0.2)  \
  X(kTensordot, "tensordot", kLinalg, "jnp.tensordot({0}, {1}, axes={count})", 2, kTensordot, kNumeric, kAny, 0, 16, true, 0.3) \
  X(kEinsum, "einsum", kLinalg, "jnp.einsum({subscripts}, {args})", -1, kEinsum, kNumeric, kAny, 0, 16, true, 0.6) \
  X(kCross, "cross", kLinalg, "jnp.cross({0}, {1})", 2, kCross, kNumeric, kAny, 0, 16, true, 0.2)  \
  /* mixed precision: half-precision operands, float32 accumulation and result */                 \
  X(kMatmulF32, "matmul_f32", kLinalg, "jnp.matmul({0}, {1}, preferred_element_type=jnp.float32)", 2, kMatmul, kAccumulate, kAny, 0, 16, true, 0.3) \
  X(kDotF32, "dot_f32", kLinalg, "jnp.dot({0}, {1}, preferred_element_type=jnp.float32)", 2, kDot, kAccumulate, kAny, 0, 16, true, 0.2) \
  X(kEinsumF32, "einsum_f32", kLinalg, "jnp.einsum({subscripts}, {args}, preferred_element_type=jnp.float32)", -1, kEinsum, kAccumulate, kAny, 0, 16, true, 0.2) \
  /* ---- convolutions and pooling ---- */                                                         \
  X(kConv, "conv", kWindow, "lax.conv_general_dilated({0}, {1}, {strides}, {padding}) | lax.conv({0}, {1}, {strides}, {padding})", 2, kConv, kFloat, kAny, 0, 16, true, 0.6) \
  X(kConvNhwc, "conv_nhwc", kWindow, "lax.conv_general_dilated({0}, {1}, {strides}, {padding}, dimension_numbers=('NHWC', 'HWIO', 'NHWC'))", 2, kConvNhwc, kFloat, kAny, 0, 16, true, 0.3) \
  X(kMaxPool, "max_pool", kWindow, "lax.reduce_window({0}, -jnp.inf, lax.max, {window}, {strides}, {padding})", 1, kReduceWindow, kFloat, kAny, 0, 16, true, 0.4) \
  X(kMinPool, "min_pool", kWindow, "lax.reduce_window({0}, jnp.inf, lax.min, {window}, {strides}, {padding})", 1, kReduceWindow, kFloat, kAny, 0, 16, true, 0.1) \
  X(kSumPool, "sum_pool", kWindow, "lax.reduce_window({0}, 0.0, lax.add, {window}, {strides}, {padding})", 1, kReduceWindow, kFloat, kAny, 0, 16, true, 0.3) \
  /* ---- jax.nn ---- */                                                                           \
  X(kSoftmax, "softmax", kNN, "jax.nn.softmax({0}{, axis})", 1, kNormalize, kFloat, kAny, 0, 16, true, 0.6) \
  X(kLogSoftmax, "log_softmax", kNN, "jax.nn.log_softmax({0}{, axis})", 1, kNormalize, kFloat, kAny, 0, 16, true, 0.4) \
  X(kStandardize, "standardize", kNN, "jax.nn.standardize({0}{, axis}) | jax.nn.standardize({0}{, axis}, epsilon=1e-05)", 1, kNormalize, kFloat, kAny, 0, 16, true, 0.2) \
  X(kOneHot, "one_hot", kNN, "jax.nn.one_hot({0}, {count}, dtype={dtype})", 1, kOneHot, kFromIndex, kAny, 0, 16, false, 0.4) \
  /* ---- constants ---- */                                                                        \
  X(kArange, "arange", kConstant, "jnp.arange({count}, dtype={dtype}) | lax.iota({dtype}, {count})", 0, kConstant, kMake, kAny, 0, 16, false, 0.4) \
  X(kLinspace, "linspace", kConstant, "jnp.linspace({lo}, {hi}, {count}, dtype={dtype})", 0, kConstant, kMake, kAny, 0, 16, false, 0.2) \
  X(kEye, "eye", kConstant, "jnp.eye({dims}, dtype={dtype})", 0, kConstant, kMake, kAny, 0, 16, false, 0.2) \
  X(kZeros, "zeros", kConstant, "jnp.zeros({shape}, dtype={dtype})", 0, kConstant, kMake, kAny, 0, 16, false, 0.2) \
  X(kOnes, "ones", kConstant, "jnp.ones({shape}, dtype={dtype})", 0, kConstant, kMake, kAny, 0, 16, false, 0.2) \
  X(kFull, "full", kConstant, "jnp.full({shape}, {value}, dtype={dtype})", 0, kConstant, kMake, kAny, 0, 16, false, 0.2) \
  X(kZerosLike, "zeros_like", kConstant, "jnp.zeros_like({0})", 1, kSame, kAny, kAny, 0, 16, false, 0.2) \
  X(kOnesLike, "ones_like", kConstant, "jnp.ones_like({0})", 1, kSame, kAny, kAny, 0, 16, false, 0.2) \
  X(kFullLike, "full_like", kConstant, "jnp.full_like({0}, {value})", 1, kSame, kAny, kAny, 0, 16, false, 0.2) \
  /* ---- jax.random ---- */                                                                       \
  X(kNormal, "normal", kRandom, "jax.random.normal({0}, {shape}, dtype={dtype})", 1, kSample, kSampleFloat, kAny, 0, 16, false, 1.0) \
  X(kUniform, "uniform", kRandom, "jax.random.uniform({0}, {shape}, dtype={dtype}, minval={lo}, maxval={hi})", 1, kSample, kSampleFloat, kAny, 0, 16, false, 1.0) \
  X(kTruncatedNormal, "truncated_normal", kRandom, "jax.random.truncated_normal({0}, {lo}, {hi}, {shape}, dtype={dtype})", 1, kSample, kSampleFloat, kAny, 0, 16, false, 0.3) \
  X(kGumbel, "gumbel", kRandom, "jax.random.gumbel({0}, {shape}, dtype={dtype})", 1, kSample, kSampleFloat, kAny, 0, 16, false, 0.2) \
  X(kExponential, "exponential", kRandom, "jax.random.exponential({0}, {shape}, dtype={dtype})", 1, kSample, kSampleFloat, kAny, 0, 16, false, 0.2) \
  X(kRademacher, "rademacher", kRandom, "jax.random.rademacher({0}, {shape}, dtype={dtype})", 1, kSample, kSampleFloat, kAny, 0, 16, false, 0.2) \
  X(kBernoulli, "bernoulli", kRandom, "jax.random.bernoulli({0}, {p}, {shape})", 1, kSample, kSampleBool, kAny, 0, 16, false, 0.5) \
  X(kRandint, "randint", kRandom, "jax.random.randint({0}, {shape}, {lo}, {hi}, dtype={dtype})", 1, kSample, kSampleInt, kAny, 0, 16, false, 0.4) \
  X(kPermutation, "permutation", kRandom, "jax.random.permutation({0}, {1}{, axis})", 2, kPermutation, kOperand, kAny, 0, 16, true, 0.3) \
  X(kCategorical, "categorical", kRandom, "jax.random.categorical({0}, {1}{, axis})", 2, kCategorical, kIndex, kAny, 0, 16, false, 0.3) \
  X(kSplitKey, "split_key", kRandom, "jax.random.split({0}, {count})[{index}]", 1, kKey, kKey, kAny, 0, 16, false, 0.6) \
  X(kFoldIn, "fold_in", kRandom, "jax.random.fold_in({0}, {1})", 2, kKey, kKey, kAny, 0, 16, false, 0.4)
// clang-format on

enum class OpId : uint16_t {
#define JITSYNTH_OP_ENUM(e, ...) e,
  JITSYNTH_OPS(JITSYNTH_OP_ENUM)
#undef JITSYNTH_OP_ENUM
};

constexpr size_t kNumOps = 0
#define JITSYNTH_OP_COUNT(...) +1
    JITSYNTH_OPS(JITSYNTH_OP_COUNT)
#undef JITSYNTH_OP_COUNT
    ;

constexpr size_t kMaxSpellings = 3;

struct OpInfo {
  OpId id;
  std::string_view name;
  OpGroup group;
  // The spellings of the table entry, split at " | "; unused slots are empty.
  std::array<std::string_view, kMaxSpellings> spellings;
  int arity;  // -1: one or more
  ShapeRule shape_rule;
  DTypeRule dtype_rule;
  Domain domain;
  int domain_arg;
  int precedence;
  bool differentiable;
  double weight;  // default policy weight

  int spelling_count() const;
  bool is_operator() const;  // spellings[0] is a Python operator
};

const OpInfo& Info(OpId op);
std::span<const OpInfo> AllOps();
std::string_view GroupName(OpGroup group);

// One axis of a static slice x[start:stop:step]; step 0 means the integer
// index x[start], which drops the axis.
struct SliceSpec {
  int64_t start = 0;
  int64_t stop = 0;
  int64_t step = 1;
  bool operator==(const SliceSpec&) const = default;
};

// Static attributes of one op application; each shape rule says which it uses.
struct OpAttrs {
  std::vector<int> axes;  // axes, a permutation, or an axis pair
  bool keepdims = false;
  DType to = DType::kFloat32;  // casts, constants, samples, one_hot
  std::vector<double> reals;   // clip bounds, fill values, sample bounds
  Shape shape;                 // target shapes, tile repetitions, slice sizes
  int64_t count = 0;           // pieces, repetitions, shift, k, classes, exponent
  int64_t index = 0;           // which piece of a split
  std::vector<std::pair<int64_t, int64_t>> padding;  // pad widths (before, after)
  std::vector<SliceSpec> slices;
  std::vector<int64_t> window;   // pooling window; conv takes it from the kernel
  std::vector<int64_t> strides;  // conv and pooling
  bool same_padding = false;     // conv and pooling: 'SAME' rather than 'VALID'
  std::string subscripts;        // einsum

  bool operator==(const OpAttrs&) const = default;
};

// The result type of `op` applied to arguments of these types, or why the
// application is ill-typed. Weak (literal) arguments take the dtype of the
// array they meet; every op needs an array to set its dtype.
Result<TensorType> InferType(OpId op, std::span<const TensorType> args, const OpAttrs& attrs);

// NumPy broadcasting of two shapes.
Result<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// Interval rule: the values `op` can produce from arguments in `ranges`, for
// result type `result`. An integer result that may overflow wraps, so its
// range is then its dtype's whole range. Callers check the domain first.
Interval OpRange(OpId op, std::span<const Interval> ranges, std::span<const TensorType> types,
                 const OpAttrs& attrs, const TensorType& result);

// Whether the domain argument of this application satisfies the op's domain.
bool DomainHolds(OpId op, std::span<const TensorType> types, std::span<const Interval> ranges,
                 const OpAttrs& attrs);
// For the domains guarded by clipping: the interval the argument must lie in.
Interval DomainInterval(OpId op, std::span<const TensorType> types, const OpAttrs& attrs);

// Whether spelling `variant` of the op prints a program with the same
// meaning: lax spellings neither broadcast nor promote, so they take arrays
// (no literals) of one shape, produce the arguments' dtype and take
// non-negative axes. An op whose first spelling is lax's has these
// constraints whatever it is printed as.
bool SpellingApplies(OpId op, int variant, std::span<const TensorType> args, const OpAttrs& attrs,
                     const TensorType& result);

// Whether the result dtype would change with jax_enable_x64: positions,
// counts and integer accumulations become 64-bit, and so do Python int
// starts of dynamic slices. The type rules model JAX without x64, so an x64
// program must not use such an application.
bool DependsOnX64(OpId op, std::span<const TensorType> args);

}  // namespace jitsynth::ir
