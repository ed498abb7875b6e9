// Value ranges and domains: for each op, the interval its results lie in
// given the intervals of its arguments (OpRange), and whether an argument
// satisfies the op's domain (DomainHolds, DomainInterval).
//
// The interval rules form one table with an entry per op, declared in groups
// below; a static_assert per op of JITSYNTH_OPS names any op without one.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "ir/op_rules.h"
#include "ir/ops.h"

namespace jitsynth::ir {
namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Softplus(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }
double Elu(double x) { return x > 0 ? x : std::expm1(x); }

// Image of [lo, hi] under a monotonically increasing function.
template <typename F>
Interval Increasing(const Interval& x, F f) {
  return {f(x.lo), f(x.hi)};
}

Interval AbsRange(const Interval& x) {
  if (x.lo >= 0) return x;
  if (x.hi <= 0) return {-x.hi, -x.lo};
  return {0, x.MaxAbs()};
}

Interval MulRange(const Interval& a, const Interval& b) {
  const std::array p = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {*std::min_element(p.begin(), p.end()), *std::max_element(p.begin(), p.end())};
}

// Sums of one to n terms in `term`: the range of a reduction or a contraction.
Interval SumRange(const Interval& term, double n) {
  return {std::min(term.lo * n, term.lo), std::max(term.hi * n, term.hi)};
}
// Sums of zero to n terms: windows that may overlap padding.
Interval PaddedSumRange(const Interval& term, double n) {
  return Interval::Hull(SumRange(term, n), {0, 0});
}

// Products of one to n factors in `f`.
Interval ProductRange(const Interval& f, double n) {
  const double m = f.MaxAbs();
  const double big = std::max(m, std::pow(m, n));
  if (f.lo >= 0) return {0, big};
  return {-big, big};
}

int64_t ReducedCount(const TensorType& t, const OpAttrs& attrs) {
  if (attrs.axes.empty()) return NumElements(t.shape);
  int64_t n = 1;
  for (int a : attrs.axes) n *= t.shape[a < 0 ? a + t.rank() : a];
  return n;
}

int64_t AxisSize(const TensorType& t, const OpAttrs& attrs) {
  if (t.shape.empty()) return 1;
  if (attrs.axes.empty()) return t.shape.back();
  const int a = attrs.axes[0];
  return t.shape[a < 0 ? a + t.rank() : a];
}

// The contracted size of einsum: how many products each output sums.
double EinsumContractedSize(std::span<const TensorType> t, const OpAttrs& attrs) {
  double all = 1;
  const auto spec = ParseEinsum(attrs.subscripts);
  std::string seen;
  for (size_t i = 0; i < t.size(); ++i) {
    for (size_t j = 0; j < spec->inputs[i].size(); ++j) {
      const char c = spec->inputs[i][j];
      if (seen.find(c) != std::string::npos || spec->output.find(c) != std::string::npos) continue;
      seen.push_back(c);
      all *= static_cast<double>(t[i].shape[j]);
    }
  }
  return all;
}

Interval BitwiseRange(OpId op, const Interval& a, const Interval& b, DType dtype) {
  if (dtype == DType::kBool) return {0, 1};
  if (a.lo < 0 || b.lo < 0) return ValueBudget(dtype);
  if (op == OpId::kBitwiseAnd) return {0, std::min(a.hi, b.hi)};
  const double top = std::exp2(std::ceil(std::log2(std::max(a.hi, b.hi) + 1))) - 1;
  return {0, top};
}

// One application, as an interval rule sees it: x is the range of argument 0.
struct RangeArgs {
  OpId op;
  std::span<const Interval> r;
  std::span<const TensorType> t;
  const OpAttrs& attrs;
  const TensorType& result;
  Interval x;
};

using RangeRule = Interval (*)(const RangeArgs&);

struct RangeEntry {
  OpId op;
  RangeRule rule;
};

// Ops that move or select values without changing them.
Interval Unchanged(const RangeArgs& a) { return a.x; }
Interval UnitInterval(const RangeArgs&) { return {0, 1}; }
Interval LoHi(const RangeArgs& a) { return {a.attrs.reals[0], a.attrs.reals[1]}; }

using A = const RangeArgs&;

// Elementwise functions of one argument.
constexpr RangeEntry kUnaryRanges[] = {
    {OpId::kNeg, [](A a) { return Interval(-a.x.hi, -a.x.lo); }},
    {OpId::kAbs, [](A a) { return AbsRange(a.x); }},
    {OpId::kSign,
     [](A a) -> Interval {
       const Interval& x = a.x;
       return {x.lo > 0 ? 1.0 : x.lo < 0 ? -1.0 : 0.0, x.hi > 0 ? 1.0 : x.hi < 0 ? -1.0 : 0.0};
     }},
    {OpId::kSquare,
     [](A a) -> Interval {
       const Interval m = AbsRange(a.x);
       return {m.lo * m.lo, m.hi * m.hi};
     }},
    {OpId::kIntegerPow,
     [](A a) -> Interval {
       const auto n = static_cast<double>(a.attrs.count);
       if (a.attrs.count % 2 == 1) return {std::pow(a.x.lo, n), std::pow(a.x.hi, n)};
       const Interval m = AbsRange(a.x);
       return {std::pow(m.lo, n), std::pow(m.hi, n)};
     }},
    {OpId::kSin, [](A) { return Interval(-1, 1); }},
    {OpId::kCos, [](A) { return Interval(-1, 1); }},
    {OpId::kTan, [](A a) { return Increasing(a.x, [](double v) { return std::tan(v); }); }},
    {OpId::kTanh, [](A a) { return Increasing(a.x, [](double v) { return std::tanh(v); }); }},
    {OpId::kExp, [](A a) { return Increasing(a.x, [](double v) { return std::exp(v); }); }},
    {OpId::kExp2, [](A a) { return Increasing(a.x, [](double v) { return std::exp2(v); }); }},
    {OpId::kExpm1, [](A a) { return Increasing(a.x, [](double v) { return std::expm1(v); }); }},
    {OpId::kLog, [](A a) { return Increasing(a.x, [](double v) { return std::log(v); }); }},
    {OpId::kLog1p, [](A a) { return Increasing(a.x, [](double v) { return std::log1p(v); }); }},
    {OpId::kLog2, [](A a) { return Increasing(a.x, [](double v) { return std::log2(v); }); }},
    {OpId::kLog10, [](A a) { return Increasing(a.x, [](double v) { return std::log10(v); }); }},
    {OpId::kSqrt, [](A a) { return Increasing(a.x, [](double v) { return std::sqrt(v); }); }},
    {OpId::kRsqrt, [](A a) { return Interval(1 / std::sqrt(a.x.hi), 1 / std::sqrt(a.x.lo)); }},
    {OpId::kCbrt, [](A a) { return Increasing(a.x, [](double v) { return std::cbrt(v); }); }},
    // x excludes zero (the domain says so)
    {OpId::kReciprocal, [](A a) { return Interval(1 / a.x.hi, 1 / a.x.lo); }},
    {OpId::kSinh, [](A a) { return Increasing(a.x, [](double v) { return std::sinh(v); }); }},
    {OpId::kCosh, [](A a) { return Interval(1, std::cosh(a.x.MaxAbs())); }},
    {OpId::kArcsin, [](A a) { return Increasing(a.x, [](double v) { return std::asin(v); }); }},
    {OpId::kArccos, [](A a) { return Interval(std::acos(a.x.hi), std::acos(a.x.lo)); }},
    {OpId::kArctan, [](A a) { return Increasing(a.x, [](double v) { return std::atan(v); }); }},
    {OpId::kArcsinh, [](A a) { return Increasing(a.x, [](double v) { return std::asinh(v); }); }},
    {OpId::kArctanh, [](A a) { return Increasing(a.x, [](double v) { return std::atanh(v); }); }},
    {OpId::kErf, [](A a) { return Increasing(a.x, [](double v) { return std::erf(v); }); }},
    {OpId::kErfInv, [](A) { return Interval(-1.2, 1.2); }},  // erf_inv(0.9) = 1.163
    {OpId::kFloor, [](A a) { return Increasing(a.x, [](double v) { return std::floor(v); }); }},
    {OpId::kCeil, [](A a) { return Increasing(a.x, [](double v) { return std::ceil(v); }); }},
    {OpId::kRound, [](A a) { return Increasing(a.x, [](double v) { return std::round(v); }); }},
    {OpId::kRoundAwayFromZero,
     [](A a) { return Increasing(a.x, [](double v) { return std::round(v); }); }},
    {OpId::kTrunc, [](A a) { return Increasing(a.x, [](double v) { return std::trunc(v); }); }},
    {OpId::kReducePrecision,
     [](A a) -> Interval {
       return {a.x.lo - 1e-3 * std::fabs(a.x.lo), a.x.hi + 1e-3 * std::fabs(a.x.hi)};
     }},
    {OpId::kStopGradient, Unchanged},
};

// Activations and clipping.
constexpr RangeEntry kActivationRanges[] = {
    {OpId::kSigmoid, [](A a) { return Increasing(a.x, Sigmoid); }},
    {OpId::kRelu, [](A a) { return Interval(std::max(a.x.lo, 0.0), std::max(a.x.hi, 0.0)); }},
    {OpId::kRelu6,
     [](A a) -> Interval {
       return {std::clamp(a.x.lo, 0.0, 6.0), std::clamp(a.x.hi, 0.0, 6.0)};
     }},
    {OpId::kGelu, [](A a) { return Interval(-0.1701, std::max(a.x.hi, 0.0)); }},
    {OpId::kSilu, [](A a) { return Interval(-0.2785, std::max(a.x.hi, 0.0)); }},
    {OpId::kMish, [](A a) { return Interval(-0.3089, std::max(a.x.hi, 0.0)); }},
    {OpId::kSoftplus, [](A a) { return Increasing(a.x, Softplus); }},
    {OpId::kElu, [](A a) { return Increasing(a.x, Elu); }},
    {OpId::kCelu, [](A a) { return Increasing(a.x, Elu); }},
    {OpId::kSelu,
     [](A a) {
       return Increasing(a.x,
                         [](double v) { return 1.0507 * (v > 0 ? v : 1.6733 * std::expm1(v)); });
     }},
    {OpId::kLeakyRelu,
     [](A a) { return Increasing(a.x, [](double v) { return v > 0 ? v : 0.01 * v; }); }},
    {OpId::kLogSigmoid,
     [](A a) { return Increasing(a.x, [](double v) { return -Softplus(-v); }); }},
    {OpId::kHardTanh,
     [](A a) -> Interval {
       return {std::clamp(a.x.lo, -1.0, 1.0), std::clamp(a.x.hi, -1.0, 1.0)};
     }},
    {OpId::kSoftSign,
     [](A a) { return Increasing(a.x, [](double v) { return v / (1 + std::fabs(v)); }); }},
    {OpId::kClip,
     [](A a) -> Interval {
       const std::vector<double>& b = a.attrs.reals;
       return {std::clamp(a.x.lo, b[0], b[1]), std::clamp(a.x.hi, b[0], b[1])};
     }},
};

// x / y for a divisor that excludes zero (the domain says so), so 1/y is monotone.
Interval DivRange(A a) {
  const Interval& y = a.r[1];
  const Interval inv = {std::min(1 / y.lo, 1 / y.hi), std::max(1 / y.lo, 1 / y.hi)};
  const Interval q = MulRange(a.x, inv);
  if (a.op == OpId::kDiv) return q;
  return {std::floor(q.lo), std::floor(q.hi)};
}

// Elementwise functions of two or three arguments.
constexpr RangeEntry kBinaryRanges[] = {
    {OpId::kAdd, [](A a) { return Interval(a.x.lo + a.r[1].lo, a.x.hi + a.r[1].hi); }},
    {OpId::kSub, [](A a) { return Interval(a.x.lo - a.r[1].hi, a.x.hi - a.r[1].lo); }},
    {OpId::kMul, [](A a) { return MulRange(a.x, a.r[1]); }},
    {OpId::kDiv, DivRange},
    {OpId::kFloorDivide, DivRange},
    {OpId::kRemainder,
     [](A a) -> Interval {
       const double m = a.r[1].MaxAbs();
       if (a.r[1].lo > 0) return {0, m};
       if (a.r[1].hi < 0) return {-m, 0};
       return {-m, m};
     }},
    {OpId::kFmod,
     [](A a) -> Interval {
       const double m = std::min(a.x.MaxAbs(), a.r[1].MaxAbs());
       return {a.x.lo >= 0 ? 0 : -m, a.x.hi <= 0 ? 0 : m};
     }},
    {OpId::kPow,
     [](A a) -> Interval {
       const Interval& x = a.x;
       const Interval& y = a.r[1];
       const std::array p = {std::pow(x.lo, y.lo), std::pow(x.lo, y.hi), std::pow(x.hi, y.lo),
                             std::pow(x.hi, y.hi)};
       return {*std::min_element(p.begin(), p.end()), *std::max_element(p.begin(), p.end())};
     }},
    {OpId::kMaximum,
     [](A a) -> Interval {
       return {std::max(a.x.lo, a.r[1].lo), std::max(a.x.hi, a.r[1].hi)};
     }},
    {OpId::kMinimum,
     [](A a) -> Interval {
       return {std::min(a.x.lo, a.r[1].lo), std::min(a.x.hi, a.r[1].hi)};
     }},
    {OpId::kArctan2, [](A) { return Interval(-std::numbers::pi, std::numbers::pi); }},
    {OpId::kHypot, [](A a) { return Interval(0, std::hypot(a.x.MaxAbs(), a.r[1].MaxAbs())); }},
    {OpId::kLogAddExp,
     [](A a) -> Interval {
       return {std::max(a.x.lo, a.r[1].lo), std::max(a.x.hi, a.r[1].hi) + std::numbers::ln2};
     }},
    {OpId::kCopySign, [](A a) { return Interval(-a.x.MaxAbs(), a.x.MaxAbs()); }},
    {OpId::kWhere, [](A a) { return Interval::Hull(a.r[1], a.r[2]); }},
};

Interval Bitwise(A a) { return BitwiseRange(a.op, a.x, a.r[1], a.result.dtype); }
Interval BitCount(A a) { return {0, 8.0 * ByteSize(a.result.dtype)}; }

// Comparisons and logic (bool results, which OpRange bounds before asking),
// bitwise ops and casts.
constexpr RangeEntry kBitsRanges[] = {
    {OpId::kGt, Unchanged},
    {OpId::kLt, Unchanged},
    {OpId::kGe, Unchanged},
    {OpId::kLe, Unchanged},
    {OpId::kEq, Unchanged},
    {OpId::kNe, Unchanged},
    {OpId::kLogicalAnd, Unchanged},
    {OpId::kLogicalOr, Unchanged},
    {OpId::kLogicalXor, Unchanged},
    {OpId::kLogicalNot, Unchanged},
    {OpId::kIsFinite, Unchanged},
    {OpId::kBitwiseAnd, Bitwise},
    {OpId::kBitwiseOr, Bitwise},
    {OpId::kBitwiseXor, Bitwise},
    {OpId::kBitwiseNot,
     [](A a) -> Interval {
       if (a.result.dtype == DType::kBool) return {0, 1};
       if (ClassOf(a.result.dtype) == DTypeClass::kUnsigned) {
         const double top = ValueBudget(a.result.dtype).hi;
         return {top - a.x.hi, top - a.x.lo};
       }
       return {-a.x.hi - 1, -a.x.lo - 1};
     }},
    {OpId::kLeftShift,
     [](A a) {
       return MulRange(a.x, {std::exp2(a.r[1].lo), std::exp2(a.r[1].hi)});
     }},
    {OpId::kRightShift, [](A a) { return Interval(std::min(a.x.lo, 0.0), std::max(a.x.hi, 0.0)); }},
    {OpId::kShiftRightLogical,
     [](A a) {
       return a.x.lo < 0 ? ValueBudget(a.result.dtype) : Interval{0, a.x.hi};
     }},
    {OpId::kPopulationCount, BitCount},
    {OpId::kClz, BitCount},
    {OpId::kAsType,
     [](A a) -> Interval {
       if (IsFloat(a.t[0].dtype) && IsInteger(a.result.dtype))
         return {std::trunc(a.x.lo), std::trunc(a.x.hi)};
       return a.x;
     }},
    {OpId::kBitcast, [](A a) { return ValueBudget(a.result.dtype); }},
};

double Reduced(A a) { return static_cast<double>(ReducedCount(a.t[0], a.attrs)); }
double AlongAxis(A a) { return static_cast<double>(AxisSize(a.t[0], a.attrs)); }

// Reductions, cumulative ops and sorting.
constexpr RangeEntry kReductionRanges[] = {
    {OpId::kSum, [](A a) { return SumRange(a.x, Reduced(a)); }},
    {OpId::kMean, Unchanged},
    {OpId::kMax, Unchanged},
    {OpId::kMin, Unchanged},
    {OpId::kProd, [](A a) { return ProductRange(a.x, Reduced(a)); }},
    {OpId::kVar, [](A a) { return Interval(0, (a.x.hi - a.x.lo) * (a.x.hi - a.x.lo) / 4); }},
    {OpId::kStd, [](A a) { return Interval(0, (a.x.hi - a.x.lo) / 2); }},
    {OpId::kPtp, [](A a) { return Interval(0, a.x.hi - a.x.lo); }},
    {OpId::kLogSumExp, [](A a) { return Interval(a.x.lo, a.x.hi + std::log(Reduced(a))); }},
    {OpId::kNorm,
     [](A a) -> Interval {
       const double n = std::sqrt(Reduced(a));
       const Interval m = AbsRange(a.x);
       return {m.lo, m.hi * n};
     }},
    {OpId::kAny, Unchanged},
    {OpId::kAll, Unchanged},
    {OpId::kCountNonzero, [](A a) { return Interval(0, Reduced(a)); }},
    {OpId::kArgmax, [](A a) { return Interval(0, Reduced(a) - 1); }},
    {OpId::kArgmin, [](A a) { return Interval(0, Reduced(a) - 1); }},
    {OpId::kCumsum, [](A a) { return SumRange(a.x, AlongAxis(a)); }},
    {OpId::kCumprod, [](A a) { return ProductRange(a.x, AlongAxis(a)); }},
    {OpId::kCummax, Unchanged},
    {OpId::kCummin, Unchanged},
    {OpId::kCumlogsumexp, [](A a) { return Interval(a.x.lo, a.x.hi + std::log(AlongAxis(a))); }},
    {OpId::kSort, Unchanged},
    {OpId::kArgsort, [](A a) { return Interval(0, AlongAxis(a) - 1); }},
    {OpId::kTopK, Unchanged},
    {OpId::kTopKIndices,
     [](A a) { return Interval(0, static_cast<double>(a.t[0].shape.back() - 1)); }},
    {OpId::kDiff, [](A a) { return Interval(a.x.lo - a.x.hi, a.x.hi - a.x.lo); }},
    {OpId::kAssociativeScan, [](A a) { return SumRange(a.x, AlongAxis(a)); }},
    {OpId::kAssociativeScanMax, Unchanged},
    // y[t] = a[t] y[t-1] + x[t]: at most sum_k m^k |x| over the n steps, m = max |a|.
    {OpId::kLinearRecurrence,
     [](A a) -> Interval {
       const double m = a.x.MaxAbs();
       const double n = AlongAxis(a);
       const double gain = m == 1 ? n : (std::pow(m, n) - 1) / (m - 1);
       const double bound = a.r[1].MaxAbs() * gain;
       if (a.x.lo >= 0 && a.r[1].lo >= 0) return {a.r[1].lo, bound};
       return {-bound, bound};
     }},
};

Interval HullOfAll(A a) {
  Interval h = a.x;
  for (const Interval& i : a.r) h = Interval::Hull(h, i);
  return h;
}
Interval WithZero(A a) { return Interval::Hull(a.x, {0, 0}); }

// Shapes and indexing: values move, and padding, masks or updates join them.
constexpr RangeEntry kLayoutRanges[] = {
    {OpId::kReshape, Unchanged},
    {OpId::kRavel, Unchanged},
    {OpId::kTranspose, Unchanged},
    {OpId::kT, Unchanged},
    {OpId::kSwapAxes, Unchanged},
    {OpId::kMoveAxis, Unchanged},
    {OpId::kExpandDims, Unchanged},
    {OpId::kSqueeze, Unchanged},
    {OpId::kBroadcastTo, Unchanged},
    {OpId::kConcatenate, HullOfAll},
    {OpId::kStack, HullOfAll},
    {OpId::kSplit, Unchanged},
    {OpId::kTile, Unchanged},
    {OpId::kRepeat, Unchanged},
    {OpId::kPad,
     [](A a) {
       const double v = a.attrs.reals.empty() ? 0.0 : a.attrs.reals[0];
       return Interval::Hull(a.x, {v, v});
     }},
    {OpId::kPadEdge, Unchanged},
    {OpId::kRoll, Unchanged},
    {OpId::kFlip, Unchanged},
    {OpId::kSlice, Unchanged},
    {OpId::kTril, WithZero},
    {OpId::kTriu, WithZero},
    {OpId::kDynamicSlice, Unchanged},
    {OpId::kDynamicUpdateSlice, [](A a) { return Interval::Hull(a.x, a.r[1]); }},
    {OpId::kGather, Unchanged},
    {OpId::kTake, Unchanged},
    {OpId::kTakeAlongAxis, Unchanged},
    {OpId::kScatterSet, [](A a) { return Interval::Hull(a.x, a.r[2]); }},
    {OpId::kScatterAdd,
     [](A a) -> Interval {
       // Repeated indices add several updates to one element.
       const auto k = static_cast<double>(std::max<int64_t>(1, NumElements(a.t[1].shape)));
       return {a.x.lo + std::min(0.0, k * a.r[2].lo), a.x.hi + std::max(0.0, k * a.r[2].hi)};
     }},
    {OpId::kScatterMul, [](A a) { return Interval::Hull(a.x, MulRange(a.x, a.r[2])); }},
    {OpId::kScatterMin, [](A a) { return Interval(std::min(a.x.lo, a.r[2].lo), a.x.hi); }},
    {OpId::kScatterMax, [](A a) { return Interval(a.x.lo, std::max(a.x.hi, a.r[2].hi)); }},
    {OpId::kSliceSet, [](A a) { return Interval::Hull(a.x, a.r[1]); }},
    // Each segment sums the rows whose id it is: none (0) to all of them.
    {OpId::kSegmentSum,
     [](A a) { return PaddedSumRange(a.x, static_cast<double>(a.t[0].shape.at(0))); }},
};

// Sums of products over the contracted size: each output adds that many products.
Interval LastAxisContraction(A a) {
  return SumRange(MulRange(a.x, a.r[1]), static_cast<double>(a.t[0].shape.back()));
}

Interval EinsumRange(A a) {
  Interval p = a.x;
  for (size_t i = 1; i < a.r.size(); ++i) p = MulRange(p, a.r[i]);
  return SumRange(p, EinsumContractedSize(a.t, a.attrs));
}

// Contractions, windows and jax.nn.
constexpr RangeEntry kContractionRanges[] = {
    {OpId::kDot, LastAxisContraction},
    {OpId::kMatmul, LastAxisContraction},
    {OpId::kMatmulF32, LastAxisContraction},
    {OpId::kDotF32, LastAxisContraction},
    {OpId::kInner, LastAxisContraction},
    {OpId::kTensordot,
     [](A a) {
       double k = 1;
       for (int64_t i = 0; i < a.attrs.count; ++i) k *= static_cast<double>(a.t[1].shape[i]);
       return SumRange(MulRange(a.x, a.r[1]), k);
     }},
    {OpId::kEinsum, EinsumRange},
    {OpId::kEinsumF32, EinsumRange},
    {OpId::kOuter, [](A a) { return MulRange(a.x, a.r[1]); }},
    {OpId::kCross,
     [](A a) -> Interval {
       const double m = 2 * a.x.MaxAbs() * a.r[1].MaxAbs();
       return {-m, m};
     }},
    {OpId::kConv,
     [](A a) {
       const auto k = static_cast<double>(NumElements(a.t[1].shape) / a.t[1].shape[0]);
       return PaddedSumRange(MulRange(a.x, a.r[1]), k);
     }},
    {OpId::kConvNhwc,
     [](A a) {
       const auto k = static_cast<double>(NumElements(a.t[1].shape) / a.t[1].shape[3]);
       return PaddedSumRange(MulRange(a.x, a.r[1]), k);
     }},
    {OpId::kMaxPool, Unchanged},
    {OpId::kMinPool, Unchanged},
    {OpId::kSumPool,
     [](A a) { return PaddedSumRange(a.x, static_cast<double>(NumElements(a.attrs.window))); }},
    {OpId::kSoftmax, UnitInterval},
    {OpId::kLogSoftmax, [](A a) { return Interval(a.x.lo - a.x.hi - std::log(AlongAxis(a)), 0); }},
    {OpId::kStandardize,
     [](A a) -> Interval {
       const double n = std::sqrt(AlongAxis(a));
       return {-n, n};
     }},
    {OpId::kOneHot, UnitInterval},
};

// Arrays made from attributes or drawn from a key.
constexpr RangeEntry kSourceRanges[] = {
    {OpId::kArange, [](A a) { return Interval(0, static_cast<double>(a.attrs.count - 1)); }},
    {OpId::kLinspace, LoHi},
    {OpId::kEye, UnitInterval},
    {OpId::kZeros, [](A) { return Interval(0, 0); }},
    {OpId::kOnes, [](A) { return Interval(1, 1); }},
    {OpId::kFull, [](A a) { return Interval(a.attrs.reals[0], a.attrs.reals[0]); }},
    {OpId::kZerosLike, [](A) { return Interval(0, 0); }},
    {OpId::kOnesLike, [](A) { return Interval(1, 1); }},
    {OpId::kFullLike, [](A a) { return Interval(a.attrs.reals[0], a.attrs.reals[0]); }},
    // Samples from floating-point uniforms stay within a few units: the
    // extremes come from the smallest and largest representable uniforms.
    {OpId::kNormal, [](A) { return Interval(-9, 9); }},
    {OpId::kUniform, LoHi},
    {OpId::kTruncatedNormal, LoHi},
    {OpId::kGumbel, [](A) { return Interval(-5, 40); }},
    {OpId::kExponential, [](A) { return Interval(0, 40); }},
    {OpId::kRademacher, [](A) { return Interval(-1, 1); }},
    {OpId::kBernoulli, UnitInterval},
    {OpId::kRandint, [](A a) { return Interval(a.attrs.reals[0], a.attrs.reals[1] - 1); }},
    {OpId::kPermutation, [](A a) { return a.r[1]; }},
    {OpId::kCategorical,
     [](A a) { return Interval(0, static_cast<double>(AxisSize(a.t[1], a.attrs) - 1)); }},
    {OpId::kSplitKey, [](A) { return ValueBudget(DType::kUInt32); }},
    {OpId::kFoldIn, [](A) { return ValueBudget(DType::kUInt32); }},
};

// The rules indexed by op; listing an op twice fails to compile.
constexpr std::array<RangeRule, kNumOps> kRangeRules = [] {
  std::array<RangeRule, kNumOps> rules{};
  for (std::span<const RangeEntry> group :
       {std::span<const RangeEntry>(kUnaryRanges), std::span<const RangeEntry>(kActivationRanges),
        std::span<const RangeEntry>(kBinaryRanges), std::span<const RangeEntry>(kBitsRanges),
        std::span<const RangeEntry>(kReductionRanges), std::span<const RangeEntry>(kLayoutRanges),
        std::span<const RangeEntry>(kContractionRanges),
        std::span<const RangeEntry>(kSourceRanges)}) {
    for (const RangeEntry& e : group) {
      RangeRule& slot = rules[static_cast<size_t>(e.op)];
      if (slot != nullptr) throw "an op has two range rules";
      slot = e.rule;
    }
  }
  return rules;
}();

#define JITSYNTH_RANGE_RULE_CHECK(e, ...)                             \
  static_assert(kRangeRules[static_cast<size_t>(OpId::e)] != nullptr, \
                "no range rule for OpId::" #e);
JITSYNTH_OPS(JITSYNTH_RANGE_RULE_CHECK)
#undef JITSYNTH_RANGE_RULE_CHECK

// The smallest magnitude a positive or non-zero float argument may have:
// representable (if subnormal) in float16. How large the result may grow is
// the value budget's concern, not the domain's.
constexpr double kTiny = 1e-6;

}  // namespace

Interval OpRange(OpId op, std::span<const Interval> ranges, std::span<const TensorType> types,
                 const OpAttrs& attrs, const TensorType& result) {
  if (result.dtype == DType::kBool) return {0, 1};
  const RangeArgs args{op, ranges, types, attrs, result, ranges.empty() ? Interval{} : ranges[0]};
  Interval r = kRangeRules[static_cast<size_t>(op)](args);
  if (IsFloat(result.dtype)) return r;
  const Interval all = ValueBudget(result.dtype);
  if (!r.Within(all)) return all;  // integers wrap
  return r;
}

bool DomainHolds(OpId op, std::span<const TensorType> types, std::span<const Interval> ranges,
                 const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  if (info.domain == Domain::kAny) return true;
  const Interval& x = ranges[info.domain_arg];
  const TensorType& t = types[info.domain_arg];
  switch (info.domain) {
    case Domain::kAny:
      return true;
    case Domain::kPositive:
      return x.lo >= kTiny;
    case Domain::kNonNegative:
      return x.lo >= 0;
    case Domain::kAboveMinusOne:
      return x.lo >= -0.5;
    case Domain::kNonZero: {
      const double gap = IsFloat(t.dtype) ? kTiny : 1.0;
      return x.lo >= gap || x.hi <= -gap;
    }
    case Domain::kUnit:
      if (!IsFloat(t.dtype)) return true;  // integer products wrap
      break;
    case Domain::kStaticIndex:
      if (!t.weak) return false;
      break;
    case Domain::kExpSafe:
    case Domain::kSmall:
    case Domain::kTan:
    case Domain::kOpenUnit:
    case Domain::kShift:
    case Domain::kInBounds:
    case Domain::kCastable:
      break;
  }
  return x.Within(DomainInterval(op, types, attrs));
}

Interval DomainInterval(OpId op, std::span<const TensorType> types, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  const TensorType& t = types[info.domain_arg];
  switch (info.domain) {
    case Domain::kExpSafe:
      return {-1e30, 6};
    case Domain::kSmall:
      return {-6, 6};
    case Domain::kTan:
      return {-1.2, 1.2};
    case Domain::kUnit:
      return {-1, 1};
    case Domain::kOpenUnit:
      return {-0.9, 0.9};
    case Domain::kShift:
      return {0, 8.0 * ByteSize(t.dtype) - 1};
    case Domain::kInBounds:
    case Domain::kStaticIndex: {
      if (info.shape_rule == ShapeRule::kSegment)  // ids name one of `count` segments
        return {0, static_cast<double>(attrs.count - 1)};
      const bool along = info.shape_rule == ShapeRule::kTake || info.shape_rule == ShapeRule::kTakeAlong;
      const int axis = along ? attrs.axes.at(0) : 0;
      const TensorType& operand = types[0];
      const int64_t n = operand.shape.at(axis < 0 ? axis + operand.rank() : axis);
      return {0, static_cast<double>(n - 1)};
    }
    case Domain::kCastable:
      // Integer to integer wraps and anything to bool compares with zero.
      if ((IsInteger(t.dtype) && IsInteger(attrs.to)) || attrs.to == DType::kBool ||
          t.dtype == DType::kBool) {
        return {-1e300, 1e300};
      }
      return ValueBudget(attrs.to);
    case Domain::kAny:
    case Domain::kPositive:
    case Domain::kNonNegative:
    case Domain::kAboveMinusOne:
    case Domain::kNonZero:
      return {-1e300, 1e300};
  }
  return {-1e300, 1e300};
}

}  // namespace jitsynth::ir
