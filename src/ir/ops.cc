#include "ir/ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "ir/op_rules.h"

namespace jitsynth::ir {
namespace {

constexpr std::array<std::string_view, kMaxSpellings> SplitSpellings(std::string_view all) {
  std::array<std::string_view, kMaxSpellings> out{};
  for (size_t i = 0; i < kMaxSpellings && !all.empty(); ++i) {
    const size_t bar = all.find(" | ");
    out[i] = all.substr(0, bar);
    all = bar == std::string_view::npos ? std::string_view() : all.substr(bar + 3);
  }
  return out;
}

constexpr std::array kOps = {
#define JITSYNTH_OP_INFO(e, name, group, spellings, arity, shape, dtype, domain, darg, prec, diff, \
                         weight)                                                                   \
  OpInfo{OpId::e,                                                                                  \
         name,                                                                                     \
         OpGroup::group,                                                                           \
         SplitSpellings(spellings),                                                                \
         arity,                                                                                    \
         ShapeRule::shape,                                                                         \
         DTypeRule::dtype,                                                                         \
         Domain::domain,                                                                           \
         darg,                                                                                     \
         prec,                                                                                     \
         diff,                                                                                     \
         weight},
    JITSYNTH_OPS(JITSYNTH_OP_INFO)
#undef JITSYNTH_OP_INFO
};
static_assert(kOps.size() == kNumOps);

Status TypeError(OpId op, std::span<const TensorType> args, std::string_view why) {
  std::vector<std::string> names;
  names.reserve(args.size());
  for (const TensorType& t : args) names.push_back(t.ToString());
  return InvalidArgument(fmt::format("{}({}): {}", Info(op).name, fmt::join(names, ", "), why));
}

bool IsKey(const TensorType& t) { return t.dtype == DType::kUInt32 && t.shape == Shape{2}; }
bool IsIntScalar(const TensorType& t) { return IsInteger(t.dtype) && t.shape.empty(); }

// Where the arguments that carry values (and so set the dtype) begin and end.
std::pair<size_t, size_t> ValueArgs(OpId op, size_t n) {
  switch (Info(op).dtype_rule) {
    case DTypeRule::kWhere:
      return {1, 3};
    case DTypeRule::kOperand:
    case DTypeRule::kNumericOperand:
      return op == OpId::kPermutation ? std::pair<size_t, size_t>{1, 2}
                                      : std::pair<size_t, size_t>{0, 1};
    case DTypeRule::kSampleFloat:
    case DTypeRule::kSampleInt:
    case DTypeRule::kSampleBool:
    case DTypeRule::kKey:
      return {0, 1};
    case DTypeRule::kFloat:
    case DTypeRule::kNumeric:
    case DTypeRule::kInteger:
    case DTypeRule::kBitwise:
    case DTypeRule::kLogical:
    case DTypeRule::kAny:
    case DTypeRule::kCompare:
    case DTypeRule::kCast:
    case DTypeRule::kBitcast:
    case DTypeRule::kIndex:
    case DTypeRule::kSum:
    case DTypeRule::kMean:
    case DTypeRule::kCumulative:
    case DTypeRule::kPredicate:
    case DTypeRule::kFloatTest:
    case DTypeRule::kFromIndex:
    case DTypeRule::kMake:
    case DTypeRule::kAccumulate:
      break;
  }
  if (op == OpId::kCategorical) return {1, 2};
  return {0, n};
}

Result<DType> InferDType(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  const auto [begin, end] = ValueArgs(op, args.size());
  if (begin >= end) {
    if (info.dtype_rule != DTypeRule::kMake) return TypeError(op, args, "needs an argument");
  } else {
    bool any_array = false;
    for (size_t i = begin; i < end; ++i) {
      if (args[i].dtype != args[begin].dtype)
        return TypeError(op, args, "arguments must share one dtype");
      any_array |= !args[i].weak;
    }
    if (!any_array)
      return TypeError(op, args, "needs an array, not only Python scalars, to set its dtype");
  }
  const DType d = begin < end ? args[begin].dtype : attrs.to;
  auto need = [&](bool ok, std::string_view why) -> Result<DType> {
    if (!ok) return TypeError(op, args, why);
    return d;
  };
  switch (info.dtype_rule) {
    case DTypeRule::kFloat:
      return need(IsFloat(d), "needs floating-point arguments");
    case DTypeRule::kNumeric:
      return need(d != DType::kBool, "needs numeric arguments");
    case DTypeRule::kInteger:
      return need(IsInteger(d), "needs integer arguments");
    case DTypeRule::kBitwise:
      return need(IsInteger(d) || d == DType::kBool, "needs integer or bool arguments");
    case DTypeRule::kLogical:
      return need(d == DType::kBool, "needs bool arguments");
    case DTypeRule::kAny:
      return d;
    case DTypeRule::kCompare:
      if (d == DType::kBool) return TypeError(op, args, "needs numeric arguments");
      return DType::kBool;
    case DTypeRule::kWhere:
      if (args[0].dtype != DType::kBool || args[0].weak) {
        return TypeError(op, args, "the condition must be a bool array");
      }
      return d;
    case DTypeRule::kCast:
      return attrs.to;
    case DTypeRule::kBitcast:
      if (!IsInteger(attrs.to) || d == DType::kBool || ByteSize(attrs.to) != ByteSize(d) ||
          attrs.to == d) {
        return TypeError(op, args, "bitcasts to another integer type of the same width");
      }
      return attrs.to;
    case DTypeRule::kIndex:
      return DType::kInt32;
    case DTypeRule::kSum:
      if (IsFloat(d)) return d;
      return ClassOf(d) == DTypeClass::kUnsigned ? DType::kUInt32 : DType::kInt32;
    case DTypeRule::kMean:
      return IsFloat(d) ? d : DType::kFloat32;
    case DTypeRule::kCumulative:
      return d == DType::kBool ? DType::kInt32 : d;
    case DTypeRule::kPredicate:
      return DType::kBool;
    case DTypeRule::kFloatTest:
      if (!IsFloat(d)) return TypeError(op, args, "needs a floating-point argument");
      return DType::kBool;
    case DTypeRule::kOperand:
      return d;
    case DTypeRule::kNumericOperand:
      return need(d != DType::kBool, "needs a numeric operand");
    case DTypeRule::kFromIndex:
      if (!IsInteger(d) || !IsFloat(attrs.to))
        return TypeError(op, args, "maps integers to floats");
      return attrs.to;
    case DTypeRule::kMake:
      return attrs.to;
    case DTypeRule::kAccumulate:
      if (d != DType::kFloat32 && d != DType::kFloat16 && d != DType::kBFloat16)
        return TypeError(op, args, "accumulates bfloat16, float16 or float32 arguments in float32");
      return DType::kFloat32;
    case DTypeRule::kSampleFloat:
      if (!IsKey(args[0]) || !IsFloat(attrs.to))
        return TypeError(op, args, "samples floats from a key");
      return attrs.to;
    case DTypeRule::kSampleInt:
      if (!IsKey(args[0]) || !IsInteger(attrs.to))
        return TypeError(op, args, "samples integers from a key");
      return attrs.to;
    case DTypeRule::kSampleBool:
      if (!IsKey(args[0])) return TypeError(op, args, "samples from a key");
      return DType::kBool;
    case DTypeRule::kKey:
      if (!IsKey(args[0])) return TypeError(op, args, "needs a key");
      if (args.size() > 1 && !IsIntScalar(args[1]))
        return TypeError(op, args, "folds in an integer scalar");
      return DType::kUInt32;
  }
  return Internal("unhandled dtype rule");
}

// The axis `a` of a rank-`rank` array, or an error.
Result<int> Axis(OpId op, std::span<const TensorType> args, int a, int rank) {
  const int axis = a < 0 ? a + rank : a;
  if (axis < 0 || axis >= rank) return TypeError(op, args, fmt::format("axis {} out of range", a));
  return axis;
}

Result<Shape> ReduceShape(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const Shape& in = args[0].shape;
  const int rank = static_cast<int>(in.size());
  std::vector<bool> reduced(rank, attrs.axes.empty());
  for (int a : attrs.axes) {
    ASSIGN_OR_RETURN(int axis, Axis(op, args, a, rank));
    if (reduced[axis]) return TypeError(op, args, "repeated axis");
    reduced[axis] = true;
  }
  Shape out;
  for (int i = 0; i < rank; ++i) {
    if (!reduced[i])
      out.push_back(in[i]);
    else if (attrs.keepdims)
      out.push_back(1);
  }
  return out;
}

// The shape after a sliding window (conv or pooling) along one axis.
Result<int64_t> WindowOutput(OpId op, std::span<const TensorType> args, int64_t in, int64_t window,
                             int64_t stride, bool same) {
  if (window < 1 || stride < 1) return TypeError(op, args, "windows and strides are positive");
  if (same) return (in + stride - 1) / stride;
  if (in < window) return TypeError(op, args, "a VALID window must fit");
  return (in - window) / stride + 1;
}

}  // namespace

std::optional<EinsumSpec> ParseEinsum(std::string_view s) {
  const size_t arrow = s.find("->");
  if (arrow == std::string_view::npos) return std::nullopt;
  EinsumSpec spec;
  spec.output = std::string(s.substr(arrow + 2));
  std::string_view in = s.substr(0, arrow);
  while (true) {
    const size_t comma = in.find(',');
    spec.inputs.emplace_back(in.substr(0, comma));
    if (comma == std::string_view::npos) break;
    in = in.substr(comma + 1);
  }
  return spec;
}

namespace {

Result<Shape> EinsumShape(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const auto spec = ParseEinsum(attrs.subscripts);
  if (!spec || spec->inputs.size() != args.size()) return TypeError(op, args, "bad subscripts");
  std::array<int64_t, 26> size{};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& letters = spec->inputs[i];
    if (letters.size() != args[i].shape.size())
      return TypeError(op, args, "subscripts and rank differ");
    for (size_t j = 0; j < letters.size(); ++j) {
      if (letters[j] < 'a' || letters[j] > 'z') return TypeError(op, args, "subscripts are a-z");
      if (letters.find(letters[j]) != j)
        return TypeError(op, args, "no repeated subscript in one operand");
      int64_t& d = size[letters[j] - 'a'];
      if (d != 0 && d != args[i].shape[j]) return TypeError(op, args, "subscript sizes differ");
      d = args[i].shape[j];
    }
  }
  Shape out;
  for (size_t j = 0; j < spec->output.size(); ++j) {
    const char c = spec->output[j];
    if (c < 'a' || c > 'z' || size[c - 'a'] == 0 || spec->output.find(c) != j) {
      return TypeError(op, args, "bad output subscripts");
    }
    out.push_back(size[c - 'a']);
  }
  return out;
}

// One application of a shape rule: the arguments, the first argument's shape
// and rank, and the checks the rules share. One method per rule (or per rules
// that differ in a detail).
struct ShapeRules {
  OpId op;
  std::span<const TensorType> args;
  const OpAttrs& attrs;
  const OpInfo& info;
  const Shape& a;
  int rank;

  Status Need(bool ok, std::string_view why) const {
    return ok ? Status::Ok() : TypeError(op, args, why);
  }
  Result<int> Axis0(int r) const {
    if (attrs.axes.size() != 1) return TypeError(op, args, "takes one axis");
    return Axis(op, args, attrs.axes[0], r);
  }

  Result<Shape> Same() const;
  Result<Shape> AlongAxis() const;
  Result<Shape> Normalize() const;
  Result<Shape> Broadcast() const;
  Result<Shape> Reduce() const;
  Result<Shape> ArgReduce() const;
  Result<Shape> Dot() const;
  Result<Shape> Matmul() const;
  Result<Shape> Outer() const;
  Result<Shape> Inner() const;
  Result<Shape> Tensordot() const;
  Result<Shape> Einsum() const;
  Result<Shape> Cross() const;
  Result<Shape> Reshape() const;
  Result<Shape> Ravel() const;
  Result<Shape> Transpose() const;
  Result<Shape> SwapOrMoveAxes() const;
  Result<Shape> ExpandDims() const;
  Result<Shape> Squeeze() const;
  Result<Shape> BroadcastTo() const;
  Result<Shape> Concatenate() const;
  Result<Shape> Stack() const;
  Result<Shape> Split() const;
  Result<Shape> Tile() const;
  Result<Shape> Repeat() const;
  Result<Shape> Pad() const;
  Result<Shape> Slice() const;
  Result<Shape> SliceUpdate() const;
  Result<Shape> Diff() const;
  Result<Shape> Matrix() const;
  Result<Shape> DynamicSliceOrUpdate() const;
  Result<Shape> GatherOrTake() const;
  Result<Shape> Scatter() const;
  Result<Shape> Segment() const;
  Result<Shape> TakeAlong() const;
  Result<Shape> Conv() const;
  Result<Shape> ConvNhwc() const;
  Result<Shape> ReduceWindow() const;
  Result<Shape> TopK() const;
  Result<Shape> OneHot() const;
  Result<Shape> Constant() const;
  Result<Shape> Sample() const;
  Result<Shape> Key() const;
  Result<Shape> Permutation() const;
  Result<Shape> Categorical() const;
};

Result<Shape> ShapeRules::Same() const {
  std::vector<bool> seen(rank, false);
  for (int ax : attrs.axes) {
    ASSIGN_OR_RETURN(int axis, Axis(op, args, ax, rank));
    RETURN_IF_ERROR(Need(!seen[axis], "repeated axis"));
    seen[axis] = true;
  }
  return a;
}

Result<Shape> ShapeRules::AlongAxis() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  (void)axis;
  return a;
}

Result<Shape> ShapeRules::Normalize() const {
  RETURN_IF_ERROR(Need(rank >= 1 && attrs.axes.size() <= 1, "normalizes an array along one axis"));
  if (!attrs.axes.empty()) {
    ASSIGN_OR_RETURN(int axis, Axis0(rank));
    (void)axis;
  }
  return a;
}

Result<Shape> ShapeRules::Broadcast() const {
  Shape out = a;
  for (size_t i = 1; i < args.size(); ++i) {
    ASSIGN_OR_RETURN(out, BroadcastShapes(out, args[i].shape));
  }
  return out;
}

Result<Shape> ShapeRules::Reduce() const {
  RETURN_IF_ERROR(Need(op != OpId::kNorm || attrs.axes.size() <= 2, "norm takes at most two axes"));
  return ReduceShape(op, args, attrs);
}

Result<Shape> ShapeRules::ArgReduce() const {
  RETURN_IF_ERROR(Need(attrs.axes.size() <= 1, "takes at most one axis"));
  RETURN_IF_ERROR(Need(rank > 0, "needs an array of rank 1 or more"));
  return ReduceShape(op, args, attrs);
}

Result<Shape> ShapeRules::Dot() const {
  const Shape& b = args[1].shape;
  RETURN_IF_ERROR(Need(rank >= 1 && !b.empty(), "operands need rank 1 or more"));
  const int64_t kb = b.size() == 1 ? b[0] : b[b.size() - 2];
  RETURN_IF_ERROR(Need(a.back() == kb, "contracting dimensions differ"));
  Shape out(a.begin(), a.end() - 1);
  if (b.size() >= 2) {
    out.insert(out.end(), b.begin(), b.end() - 2);
    out.push_back(b.back());
  }
  return out;
}

Result<Shape> ShapeRules::Matmul() const {
  Shape x = a;
  Shape y = args[1].shape;
  RETURN_IF_ERROR(Need(!x.empty() && !y.empty(), "operands need rank 1 or more"));
  const bool x_vec = x.size() == 1;
  const bool y_vec = y.size() == 1;
  if (x_vec) x.insert(x.begin(), 1);
  if (y_vec) y.push_back(1);
  RETURN_IF_ERROR(Need(x.back() == y[y.size() - 2], "contracting dimensions differ"));
  ASSIGN_OR_RETURN(Shape out,
                   BroadcastShapes(Shape(x.begin(), x.end() - 2), Shape(y.begin(), y.end() - 2)));
  if (!x_vec) out.push_back(x[x.size() - 2]);
  if (!y_vec) out.push_back(y.back());
  return out;
}

Result<Shape> ShapeRules::Outer() const {
  RETURN_IF_ERROR(Need(rank == 1 && args[1].shape.size() == 1, "takes two vectors"));
  return Shape{a[0], args[1].shape[0]};
}

Result<Shape> ShapeRules::Inner() const {
  const Shape& b = args[1].shape;
  RETURN_IF_ERROR(Need(rank >= 1 && !b.empty() && a.back() == b.back(), "last axes must match"));
  Shape out(a.begin(), a.end() - 1);
  out.insert(out.end(), b.begin(), b.end() - 1);
  return out;
}

Result<Shape> ShapeRules::Tensordot() const {
  const Shape& b = args[1].shape;
  const auto k = static_cast<size_t>(attrs.count);
  RETURN_IF_ERROR(
      Need(attrs.count >= 0 && k <= a.size() && k <= b.size(), "too many contracted axes"));
  RETURN_IF_ERROR(Need(std::equal(a.end() - static_cast<ptrdiff_t>(k), a.end(), b.begin()),
                       "contracted axes differ"));
  Shape out(a.begin(), a.end() - static_cast<ptrdiff_t>(k));
  out.insert(out.end(), b.begin() + static_cast<ptrdiff_t>(k), b.end());
  return out;
}

Result<Shape> ShapeRules::Einsum() const { return EinsumShape(op, args, attrs); }

Result<Shape> ShapeRules::Cross() const {
  const Shape& b = args[1].shape;
  RETURN_IF_ERROR(Need(rank >= 1 && a.back() == 3 && !b.empty() && b.back() == 3,
                       "cross needs operands whose last axis is 3"));
  return BroadcastShapes(a, b);
}

Result<Shape> ShapeRules::Reshape() const {
  RETURN_IF_ERROR(
      Need(NumElements(attrs.shape) == NumElements(a), "reshape keeps the element count"));
  return attrs.shape;
}

Result<Shape> ShapeRules::Ravel() const { return Shape{NumElements(a)}; }

Result<Shape> ShapeRules::Transpose() const {
  RETURN_IF_ERROR(Need(op != OpId::kT || attrs.axes.empty(), ".T reverses every axis"));
  if (attrs.axes.empty()) return Shape(a.rbegin(), a.rend());
  RETURN_IF_ERROR(Need(static_cast<int>(attrs.axes.size()) == rank, "a permutation of every axis"));
  std::vector<bool> seen(rank, false);
  Shape out;
  for (int p : attrs.axes) {
    RETURN_IF_ERROR(Need(p >= 0 && p < rank && !seen[p], "not a permutation"));
    seen[p] = true;
    out.push_back(a[p]);
  }
  return out;
}

Result<Shape> ShapeRules::SwapOrMoveAxes() const {
  RETURN_IF_ERROR(Need(attrs.axes.size() == 2, "takes two axes"));
  ASSIGN_OR_RETURN(int x, Axis(op, args, attrs.axes[0], rank));
  ASSIGN_OR_RETURN(int y, Axis(op, args, attrs.axes[1], rank));
  Shape out = a;
  if (info.shape_rule == ShapeRule::kSwapAxes) {
    std::swap(out[x], out[y]);
  } else {
    out.erase(out.begin() + x);
    out.insert(out.begin() + y, a[x]);
  }
  return out;
}

Result<Shape> ShapeRules::ExpandDims() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank + 1));
  Shape out = a;
  out.insert(out.begin() + axis, 1);
  return out;
}

Result<Shape> ShapeRules::Squeeze() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  RETURN_IF_ERROR(Need(a[axis] == 1, "squeezes an axis of size 1"));
  Shape out = a;
  out.erase(out.begin() + axis);
  return out;
}

Result<Shape> ShapeRules::BroadcastTo() const {
  auto b = BroadcastShapes(a, attrs.shape);
  RETURN_IF_ERROR(Need(b.ok() && *b == attrs.shape, "does not broadcast to the target"));
  return attrs.shape;
}

Result<Shape> ShapeRules::Concatenate() const {
  RETURN_IF_ERROR(Need(rank >= 1, "joins arrays of rank 1 or more"));
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  Shape out = a;
  out[axis] = 0;
  for (const TensorType& t : args) {
    RETURN_IF_ERROR(Need(static_cast<int>(t.shape.size()) == rank, "arrays of one rank"));
    for (int i = 0; i < rank; ++i) {
      RETURN_IF_ERROR(Need(i == axis || t.shape[i] == a[i], "shapes differ off the axis"));
    }
    out[axis] += t.shape[axis];
  }
  return out;
}

Result<Shape> ShapeRules::Stack() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank + 1));
  for (const TensorType& t : args)
    RETURN_IF_ERROR(Need(t.shape == a, "stacks arrays of one shape"));
  Shape out = a;
  out.insert(out.begin() + axis, static_cast<int64_t>(args.size()));
  return out;
}

Result<Shape> ShapeRules::Split() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  RETURN_IF_ERROR(Need(attrs.count >= 1 && a[axis] % attrs.count == 0, "equal pieces"));
  RETURN_IF_ERROR(Need(attrs.index >= 0 && attrs.index < attrs.count, "piece out of range"));
  Shape out = a;
  out[axis] /= attrs.count;
  return out;
}

Result<Shape> ShapeRules::Tile() const {
  RETURN_IF_ERROR(Need(static_cast<int>(attrs.shape.size()) == rank, "one repetition per axis"));
  Shape out = a;
  for (int i = 0; i < rank; ++i) {
    RETURN_IF_ERROR(Need(attrs.shape[i] >= 1, "positive repetitions"));
    out[i] *= attrs.shape[i];
  }
  return out;
}

Result<Shape> ShapeRules::Repeat() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  RETURN_IF_ERROR(Need(attrs.count >= 1, "positive repetitions"));
  Shape out = a;
  out[axis] *= attrs.count;
  return out;
}

Result<Shape> ShapeRules::Pad() const {
  RETURN_IF_ERROR(
      Need(static_cast<int>(attrs.padding.size()) == rank, "one (before, after) per axis"));
  Shape out = a;
  for (int i = 0; i < rank; ++i) {
    const auto [lo, hi] = attrs.padding[i];
    RETURN_IF_ERROR(Need(lo >= 0 && hi >= 0, "non-negative padding"));
    // Edge padding needs something to repeat.
    RETURN_IF_ERROR(Need(op != OpId::kPadEdge || a[i] > 0, "edge padding of an empty axis"));
    out[i] += lo + hi;
  }
  return out;
}

Result<Shape> ShapeRules::Slice() const {
  RETURN_IF_ERROR(Need(!attrs.slices.empty() && static_cast<int>(attrs.slices.size()) <= rank,
                       "one to rank slices"));
  Shape out;
  for (int i = 0; i < rank; ++i) {
    if (i >= static_cast<int>(attrs.slices.size())) {
      out.push_back(a[i]);
      continue;
    }
    const SliceSpec& s = attrs.slices[i];
    if (s.step == 0) {
      RETURN_IF_ERROR(Need(s.start >= 0 && s.start < a[i], "index out of range"));
      continue;
    }
    RETURN_IF_ERROR(Need(s.step > 0 && 0 <= s.start && s.start < s.stop && s.stop <= a[i],
                         "slices are non-empty, in range and forward"));
    out.push_back((s.stop - s.start + s.step - 1) / s.step);
  }
  return out;
}

// x.at[slices].set(v): v is the slice's shape (or a scalar, which broadcasts).
Result<Shape> ShapeRules::SliceUpdate() const {
  ASSIGN_OR_RETURN(Shape part, Slice());
  RETURN_IF_ERROR(Need(args[1].shape.empty() || args[1].shape == part, "the update has the slice's shape"));
  return a;
}

Result<Shape> ShapeRules::Diff() const {
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  RETURN_IF_ERROR(Need(a[axis] >= 2, "differences need two elements"));
  Shape out = a;
  out[axis] -= 1;
  return out;
}

Result<Shape> ShapeRules::Matrix() const {
  RETURN_IF_ERROR(Need(rank >= 2, "needs rank 2 or more"));
  return a;
}

Result<Shape> ShapeRules::DynamicSliceOrUpdate() const {
  const size_t first = info.shape_rule == ShapeRule::kDynamicSlice ? 1 : 2;
  RETURN_IF_ERROR(Need(args.size() == first + static_cast<size_t>(rank) && rank >= 1,
                       "one start index per axis"));
  for (size_t i = first; i < args.size(); ++i) {
    RETURN_IF_ERROR(
        Need(args[i].dtype == DType::kInt32 && args[i].shape.empty(), "int32 scalar starts"));
  }
  const Shape& window = first == 1 ? attrs.shape : args[1].shape;
  RETURN_IF_ERROR(Need(static_cast<int>(window.size()) == rank, "one size per axis"));
  if (first == 2)
    RETURN_IF_ERROR(Need(args[1].dtype == args[0].dtype, "the update has the operand's dtype"));
  for (int i = 0; i < rank; ++i)
    RETURN_IF_ERROR(Need(window[i] >= 1 && window[i] <= a[i], "fits the operand"));
  return first == 1 ? attrs.shape : a;
}

Result<Shape> ShapeRules::GatherOrTake() const {
  RETURN_IF_ERROR(Need(rank >= 1 && IsInteger(args[1].dtype), "integer indices into an array"));
  int axis = 0;
  if (info.shape_rule == ShapeRule::kTake) {
    ASSIGN_OR_RETURN(axis, Axis0(rank));
  }
  Shape out(a.begin(), a.begin() + axis);
  out.insert(out.end(), args[1].shape.begin(), args[1].shape.end());
  out.insert(out.end(), a.begin() + axis + 1, a.end());
  return out;
}

Result<Shape> ShapeRules::Scatter() const {
  const TensorType& idx = args[1];
  RETURN_IF_ERROR(Need(rank >= 1 && IsInteger(idx.dtype) && idx.shape.size() <= 1,
                       "an integer scalar or vector index into an array"));
  RETURN_IF_ERROR(Need(args[2].dtype == args[0].dtype, "the update has the operand's dtype"));
  Shape target = idx.shape;
  target.insert(target.end(), a.begin() + 1, a.end());
  auto b = BroadcastShapes(args[2].shape, target);
  RETURN_IF_ERROR(Need(b.ok() && *b == target, "the update broadcasts to the indexed part"));
  return a;
}

Result<Shape> ShapeRules::Segment() const {
  const TensorType& ids = args[1];
  RETURN_IF_ERROR(Need(rank >= 1 && IsInteger(ids.dtype) && ids.shape == Shape{a[0]},
                       "integer segment ids, one per row of the data"));
  RETURN_IF_ERROR(Need(attrs.count >= 1, "one or more segments"));
  Shape out = a;
  out[0] = attrs.count;
  return out;
}

Result<Shape> ShapeRules::TakeAlong() const {
  const TensorType& idx = args[1];
  RETURN_IF_ERROR(Need(rank >= 1 && IsInteger(idx.dtype) && idx.rank() == rank,
                       "integer indices of the operand's rank"));
  ASSIGN_OR_RETURN(int axis, Axis0(rank));
  for (int i = 0; i < rank; ++i) {
    if (i != axis) RETURN_IF_ERROR(Need(idx.shape[i] == a[i], "indices match the operand off the axis"));
  }
  return idx.shape;
}

Result<Shape> ShapeRules::Conv() const {
  const Shape& k = args[1].shape;
  RETURN_IF_ERROR(
      Need((rank == 3 || rank == 4) && k.size() == a.size(), "NC(H)W input, OI(H)W kernel"));
  RETURN_IF_ERROR(Need(a[1] == k[1], "input and kernel channels differ"));
  RETURN_IF_ERROR(
      Need(static_cast<int>(attrs.strides.size()) == rank - 2, "one stride per spatial axis"));
  Shape out = {a[0], k[0]};
  for (int i = 2; i < rank; ++i) {
    ASSIGN_OR_RETURN(int64_t n,
                     WindowOutput(op, args, a[i], k[i], attrs.strides[i - 2], attrs.same_padding));
    out.push_back(n);
  }
  return out;
}

Result<Shape> ShapeRules::ConvNhwc() const {
  const Shape& k = args[1].shape;
  RETURN_IF_ERROR(Need(rank == 4 && k.size() == 4, "NHWC input, HWIO kernel"));
  RETURN_IF_ERROR(Need(a[3] == k[2], "input and kernel channels differ"));
  RETURN_IF_ERROR(Need(attrs.strides.size() == 2, "one stride per spatial axis"));
  Shape out = {a[0]};
  for (int i = 1; i < 3; ++i) {
    ASSIGN_OR_RETURN(int64_t n,
                     WindowOutput(op, args, a[i], k[i - 1], attrs.strides[i - 1], attrs.same_padding));
    out.push_back(n);
  }
  out.push_back(k[3]);
  return out;
}

Result<Shape> ShapeRules::ReduceWindow() const {
  RETURN_IF_ERROR(Need(rank >= 1 && static_cast<int>(attrs.window.size()) == rank &&
                           static_cast<int>(attrs.strides.size()) == rank,
                       "one window size and stride per axis"));
  Shape out;
  for (int i = 0; i < rank; ++i) {
    ASSIGN_OR_RETURN(int64_t n, WindowOutput(op, args, a[i], attrs.window[i], attrs.strides[i],
                                             attrs.same_padding));
    out.push_back(n);
  }
  return out;
}

Result<Shape> ShapeRules::TopK() const {
  RETURN_IF_ERROR(
      Need(rank >= 1 && attrs.count >= 1 && attrs.count <= a.back(), "k in [1, last axis]"));
  Shape out = a;
  out.back() = attrs.count;
  return out;
}

Result<Shape> ShapeRules::OneHot() const {
  RETURN_IF_ERROR(Need(attrs.count >= 1, "one or more classes"));
  Shape out = a;
  out.push_back(attrs.count);
  return out;
}

Result<Shape> ShapeRules::Constant() const {
  RETURN_IF_ERROR(Need(args.empty(), "takes no argument"));
  if (op == OpId::kArange || op == OpId::kLinspace) {
    RETURN_IF_ERROR(
        Need(attrs.shape == Shape{attrs.count} && attrs.count >= 1, "a vector of count"));
  }
  if (op == OpId::kEye) RETURN_IF_ERROR(Need(attrs.shape.size() == 2, "a matrix"));
  return attrs.shape;
}

Result<Shape> ShapeRules::Sample() const { return attrs.shape; }

Result<Shape> ShapeRules::Key() const { return Shape{2}; }

Result<Shape> ShapeRules::Permutation() const {
  RETURN_IF_ERROR(Need(IsKey(args[0]), "needs a key"));
  const TensorType& x = args[1];
  RETURN_IF_ERROR(Need(!x.shape.empty(), "permutes an array"));
  ASSIGN_OR_RETURN(int axis, Axis0(static_cast<int>(x.shape.size())));
  (void)axis;
  return x.shape;
}

Result<Shape> ShapeRules::Categorical() const {
  RETURN_IF_ERROR(Need(IsKey(args[0]) && IsFloat(args[1].dtype), "a key and float logits"));
  const Shape& logits = args[1].shape;
  ASSIGN_OR_RETURN(int axis, Axis0(static_cast<int>(logits.size())));
  Shape out = logits;
  out.erase(out.begin() + axis);
  return out;
}

Result<Shape> InferShape(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  static const Shape kNoShape;
  const Shape& a = args.empty() ? kNoShape : args[0].shape;
  const ShapeRules rules{op, args, attrs, Info(op), a, static_cast<int>(a.size())};
  switch (rules.info.shape_rule) {
    case ShapeRule::kSame:
      return rules.Same();
    case ShapeRule::kAlongAxis:
      return rules.AlongAxis();
    case ShapeRule::kNormalize:
      return rules.Normalize();
    case ShapeRule::kBroadcast:
      return rules.Broadcast();
    case ShapeRule::kReduce:
      return rules.Reduce();
    case ShapeRule::kArgReduce:
      return rules.ArgReduce();
    case ShapeRule::kDot:
      return rules.Dot();
    case ShapeRule::kMatmul:
      return rules.Matmul();
    case ShapeRule::kOuter:
      return rules.Outer();
    case ShapeRule::kInner:
      return rules.Inner();
    case ShapeRule::kTensordot:
      return rules.Tensordot();
    case ShapeRule::kEinsum:
      return rules.Einsum();
    case ShapeRule::kCross:
      return rules.Cross();
    case ShapeRule::kReshape:
      return rules.Reshape();
    case ShapeRule::kRavel:
      return rules.Ravel();
    case ShapeRule::kTranspose:
      return rules.Transpose();
    case ShapeRule::kSwapAxes:
    case ShapeRule::kMoveAxis:
      return rules.SwapOrMoveAxes();
    case ShapeRule::kExpandDims:
      return rules.ExpandDims();
    case ShapeRule::kSqueeze:
      return rules.Squeeze();
    case ShapeRule::kBroadcastTo:
      return rules.BroadcastTo();
    case ShapeRule::kConcatenate:
      return rules.Concatenate();
    case ShapeRule::kStack:
      return rules.Stack();
    case ShapeRule::kSplit:
      return rules.Split();
    case ShapeRule::kTile:
      return rules.Tile();
    case ShapeRule::kRepeat:
      return rules.Repeat();
    case ShapeRule::kPad:
      return rules.Pad();
    case ShapeRule::kSlice:
      return rules.Slice();
    case ShapeRule::kSliceUpdate:
      return rules.SliceUpdate();
    case ShapeRule::kDiff:
      return rules.Diff();
    case ShapeRule::kMatrix:
      return rules.Matrix();
    case ShapeRule::kDynamicSlice:
    case ShapeRule::kDynamicUpdateSlice:
      return rules.DynamicSliceOrUpdate();
    case ShapeRule::kGather:
    case ShapeRule::kTake:
      return rules.GatherOrTake();
    case ShapeRule::kScatter:
      return rules.Scatter();
    case ShapeRule::kSegment:
      return rules.Segment();
    case ShapeRule::kTakeAlong:
      return rules.TakeAlong();
    case ShapeRule::kConv:
      return rules.Conv();
    case ShapeRule::kConvNhwc:
      return rules.ConvNhwc();
    case ShapeRule::kReduceWindow:
      return rules.ReduceWindow();
    case ShapeRule::kTopK:
      return rules.TopK();
    case ShapeRule::kOneHot:
      return rules.OneHot();
    case ShapeRule::kConstant:
      return rules.Constant();
    case ShapeRule::kSample:
      return rules.Sample();
    case ShapeRule::kKey:
      return rules.Key();
    case ShapeRule::kPermutation:
      return rules.Permutation();
    case ShapeRule::kCategorical:
      return rules.Categorical();
  }
  return Internal("unhandled shape rule");
}

}  // namespace

int OpInfo::spelling_count() const {
  int n = 0;
  while (n < static_cast<int>(kMaxSpellings) && !spellings[n].empty()) ++n;
  return n;
}

bool OpInfo::is_operator() const { return spellings[0].find('{') == std::string_view::npos; }

const OpInfo& Info(OpId op) { return kOps[static_cast<size_t>(op)]; }
std::span<const OpInfo> AllOps() { return kOps; }

std::string_view GroupName(OpGroup group) {
  switch (group) {
    case OpGroup::kMath:
      return "math";
    case OpGroup::kCompare:
      return "compare";
    case OpGroup::kBitwise:
      return "bitwise";
    case OpGroup::kCast:
      return "cast";
    case OpGroup::kReduce:
      return "reduce";
    case OpGroup::kSequence:
      return "sequence";
    case OpGroup::kShape:
      return "shape";
    case OpGroup::kIndex:
      return "index";
    case OpGroup::kLinalg:
      return "linalg";
    case OpGroup::kWindow:
      return "window";
    case OpGroup::kNN:
      return "nn";
    case OpGroup::kConstant:
      return "constant";
    case OpGroup::kRandom:
      return "random";
  }
  return "?";
}

Result<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      return InvalidArgument(
          fmt::format("shapes {} and {} do not broadcast", ShapeToString(a), ShapeToString(b)));
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Result<TensorType> InferType(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  if (info.arity >= 0 ? static_cast<int>(args.size()) != info.arity : args.empty()) {
    return TypeError(op, args, fmt::format("takes {} arguments", info.arity));
  }
  ASSIGN_OR_RETURN(DType dtype, InferDType(op, args, attrs));
  ASSIGN_OR_RETURN(Shape shape, InferShape(op, args, attrs));
  if (attrs.reals.size() < 2 &&
      (op == OpId::kClip || op == OpId::kLinspace || op == OpId::kUniform ||
       op == OpId::kTruncatedNormal || op == OpId::kRandint)) {
    return TypeError(op, args, "needs lo, hi");
  }
  if (attrs.reals.empty() &&
      (op == OpId::kFull || op == OpId::kFullLike || op == OpId::kBernoulli)) {
    return TypeError(op, args, "needs a value");
  }
  if (op == OpId::kIntegerPow && (attrs.count < 2 || attrs.count > 4)) {
    return TypeError(op, args, "an exponent of 2 to 4");
  }
  if (op == OpId::kLinearRecurrence && args[1].shape != args[0].shape) {
    return TypeError(op, args, "coefficients and inputs of one shape");
  }
  if (op == OpId::kSplitKey && (attrs.count < 2 || attrs.index < 0 || attrs.index >= attrs.count)) {
    return TypeError(op, args, "takes key `index` of `count`");
  }
  return TensorType{dtype, std::move(shape)};
}

bool SpellingApplies(OpId op, int variant, std::span<const TensorType> args, const OpAttrs& attrs,
                     const TensorType& result) {
  const OpInfo& info = Info(op);
  if (variant >= info.spelling_count()) return false;
  const std::string_view spelling = info.spellings[variant];
  if (!spelling.starts_with("lax.")) return true;
  const auto [begin, end] = ValueArgs(op, args.size());
  for (size_t i = begin; i < end; ++i) {
    if (args[i].weak) return false;  // Python int indices are fine; values must be arrays
    if (info.shape_rule == ShapeRule::kBroadcast && args[i].shape != args[0].shape) return false;
  }
  for (int a : attrs.axes) {
    if (a < 0) return false;
  }
  if (op == OpId::kAbs && ClassOf(args[0].dtype) == DTypeClass::kUnsigned)
    return false;  // lax.abs is signed
  switch (info.shape_rule) {
    case ShapeRule::kSame:
      return !attrs.axes.empty() || op != OpId::kFlip;  // lax.rev(x, ()) flips nothing
    case ShapeRule::kSlice:
    case ShapeRule::kSliceUpdate:
      return std::none_of(attrs.slices.begin(), attrs.slices.end(),
                          [](const SliceSpec& s) { return s.step == 0; });
    case ShapeRule::kAlongAxis:
      return !args.empty() && args[0].dtype == result.dtype;
    case ShapeRule::kNormalize:
    case ShapeRule::kBroadcast:
    case ShapeRule::kReduce:
    case ShapeRule::kArgReduce:
    case ShapeRule::kDot:
    case ShapeRule::kMatmul:
    case ShapeRule::kOuter:
    case ShapeRule::kInner:
    case ShapeRule::kTensordot:
    case ShapeRule::kEinsum:
    case ShapeRule::kCross:
    case ShapeRule::kReshape:
    case ShapeRule::kRavel:
    case ShapeRule::kTranspose:
    case ShapeRule::kSwapAxes:
    case ShapeRule::kMoveAxis:
    case ShapeRule::kExpandDims:
    case ShapeRule::kSqueeze:
    case ShapeRule::kBroadcastTo:
    case ShapeRule::kConcatenate:
    case ShapeRule::kStack:
    case ShapeRule::kSplit:
    case ShapeRule::kTile:
    case ShapeRule::kRepeat:
    case ShapeRule::kPad:
    case ShapeRule::kDiff:
    case ShapeRule::kMatrix:
    case ShapeRule::kDynamicSlice:
    case ShapeRule::kDynamicUpdateSlice:
    case ShapeRule::kGather:
    case ShapeRule::kTake:
    case ShapeRule::kScatter:
    case ShapeRule::kSegment:
    case ShapeRule::kTakeAlong:
    case ShapeRule::kConv:
    case ShapeRule::kConvNhwc:
    case ShapeRule::kReduceWindow:
    case ShapeRule::kTopK:
    case ShapeRule::kOneHot:
    case ShapeRule::kConstant:
    case ShapeRule::kSample:
    case ShapeRule::kKey:
    case ShapeRule::kPermutation:
    case ShapeRule::kCategorical:
      return true;
  }
  return true;
}

bool DependsOnX64(OpId op, std::span<const TensorType> args) {
  const ShapeRule rule = Info(op).shape_rule;
  if (rule == ShapeRule::kDynamicSlice || rule == ShapeRule::kDynamicUpdateSlice) {
    // Python int starts become int64 under x64 and must match the array starts.
    const size_t first = rule == ShapeRule::kDynamicSlice ? 1 : 2;
    const auto weak = std::count_if(args.begin() + static_cast<ptrdiff_t>(first), args.end(),
                                    [](const TensorType& t) { return t.weak; });
    return weak > 0 && weak < static_cast<ptrdiff_t>(args.size() - first);
  }
  switch (Info(op).dtype_rule) {
    case DTypeRule::kIndex:
      return true;
    case DTypeRule::kSum:
    case DTypeRule::kMean:
      return !IsFloat(args[0].dtype);
    case DTypeRule::kCumulative:
      return args[0].dtype == DType::kBool;
    case DTypeRule::kFloat:
    case DTypeRule::kNumeric:
    case DTypeRule::kInteger:
    case DTypeRule::kBitwise:
    case DTypeRule::kLogical:
    case DTypeRule::kAny:
    case DTypeRule::kCompare:
    case DTypeRule::kWhere:
    case DTypeRule::kCast:
    case DTypeRule::kBitcast:
    case DTypeRule::kPredicate:
    case DTypeRule::kFloatTest:
    case DTypeRule::kOperand:
    case DTypeRule::kNumericOperand:
    case DTypeRule::kFromIndex:
    case DTypeRule::kMake:
    case DTypeRule::kSampleFloat:
    case DTypeRule::kSampleInt:
    case DTypeRule::kSampleBool:
    case DTypeRule::kKey:
    case DTypeRule::kAccumulate:
      return false;
  }
  return false;
}

}  // namespace jitsynth::ir
