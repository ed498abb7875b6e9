#include "ir/ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

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
    default:
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

struct EinsumSpec {
  std::vector<std::string> inputs;
  std::string output;
};

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

Result<Shape> InferShape(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  const Shape empty;
  const Shape& a = args.empty() ? empty : args[0].shape;
  const int rank = static_cast<int>(a.size());
  auto need = [&](bool ok, std::string_view why) -> Status {
    return ok ? Status::Ok() : TypeError(op, args, why);
  };
  auto axis0 = [&](int r) -> Result<int> {
    if (attrs.axes.size() != 1) return TypeError(op, args, "takes one axis");
    return Axis(op, args, attrs.axes[0], r);
  };
  switch (info.shape_rule) {
    case ShapeRule::kSame: {
      std::vector<bool> seen(rank, false);
      for (int ax : attrs.axes) {
        ASSIGN_OR_RETURN(int axis, Axis(op, args, ax, rank));
        RETURN_IF_ERROR(need(!seen[axis], "repeated axis"));
        seen[axis] = true;
      }
      return a;
    }
    case ShapeRule::kAlongAxis: {
      ASSIGN_OR_RETURN(int axis, axis0(rank));
      (void)axis;
      return a;
    }
    case ShapeRule::kNormalize: {
      RETURN_IF_ERROR(
          need(rank >= 1 && attrs.axes.size() <= 1, "normalizes an array along one axis"));
      if (!attrs.axes.empty()) {
        ASSIGN_OR_RETURN(int axis, axis0(rank));
        (void)axis;
      }
      return a;
    }
    case ShapeRule::kBroadcast: {
      Shape out = a;
      for (size_t i = 1; i < args.size(); ++i) {
        ASSIGN_OR_RETURN(out, BroadcastShapes(out, args[i].shape));
      }
      return out;
    }
    case ShapeRule::kReduce:
      RETURN_IF_ERROR(
          need(op != OpId::kNorm || attrs.axes.size() <= 2, "norm takes at most two axes"));
      return ReduceShape(op, args, attrs);
    case ShapeRule::kArgReduce:
      RETURN_IF_ERROR(need(attrs.axes.size() <= 1, "takes at most one axis"));
      RETURN_IF_ERROR(need(rank > 0, "needs an array of rank 1 or more"));
      return ReduceShape(op, args, attrs);
    case ShapeRule::kDot: {
      const Shape& b = args[1].shape;
      RETURN_IF_ERROR(need(rank >= 1 && !b.empty(), "operands need rank 1 or more"));
      const int64_t kb = b.size() == 1 ? b[0] : b[b.size() - 2];
      RETURN_IF_ERROR(need(a.back() == kb, "contracting dimensions differ"));
      Shape out(a.begin(), a.end() - 1);
      if (b.size() >= 2) {
        out.insert(out.end(), b.begin(), b.end() - 2);
        out.push_back(b.back());
      }
      return out;
    }
    case ShapeRule::kMatmul: {
      Shape x = a;
      Shape y = args[1].shape;
      RETURN_IF_ERROR(need(!x.empty() && !y.empty(), "operands need rank 1 or more"));
      const bool x_vec = x.size() == 1;
      const bool y_vec = y.size() == 1;
      if (x_vec) x.insert(x.begin(), 1);
      if (y_vec) y.push_back(1);
      RETURN_IF_ERROR(need(x.back() == y[y.size() - 2], "contracting dimensions differ"));
      ASSIGN_OR_RETURN(
          Shape out, BroadcastShapes(Shape(x.begin(), x.end() - 2), Shape(y.begin(), y.end() - 2)));
      if (!x_vec) out.push_back(x[x.size() - 2]);
      if (!y_vec) out.push_back(y.back());
      return out;
    }
    case ShapeRule::kOuter:
      RETURN_IF_ERROR(need(rank == 1 && args[1].shape.size() == 1, "takes two vectors"));
      return Shape{a[0], args[1].shape[0]};
    case ShapeRule::kInner: {
      const Shape& b = args[1].shape;
      RETURN_IF_ERROR(
          need(rank >= 1 && !b.empty() && a.back() == b.back(), "last axes must match"));
      Shape out(a.begin(), a.end() - 1);
      out.insert(out.end(), b.begin(), b.end() - 1);
      return out;
    }
    case ShapeRule::kTensordot: {
      const Shape& b = args[1].shape;
      const auto k = static_cast<size_t>(attrs.count);
      RETURN_IF_ERROR(
          need(attrs.count >= 0 && k <= a.size() && k <= b.size(), "too many contracted axes"));
      RETURN_IF_ERROR(need(std::equal(a.end() - static_cast<ptrdiff_t>(k), a.end(), b.begin()),
                           "contracted axes differ"));
      Shape out(a.begin(), a.end() - static_cast<ptrdiff_t>(k));
      out.insert(out.end(), b.begin() + static_cast<ptrdiff_t>(k), b.end());
      return out;
    }
    case ShapeRule::kEinsum:
      return EinsumShape(op, args, attrs);
    case ShapeRule::kCross: {
      const Shape& b = args[1].shape;
      RETURN_IF_ERROR(need(rank >= 1 && a.back() == 3 && !b.empty() && b.back() == 3,
                           "cross needs operands whose last axis is 3"));
      return BroadcastShapes(a, b);
    }
    case ShapeRule::kReshape:
      RETURN_IF_ERROR(
          need(NumElements(attrs.shape) == NumElements(a), "reshape keeps the element count"));
      return attrs.shape;
    case ShapeRule::kRavel:
      return Shape{NumElements(a)};
    case ShapeRule::kTranspose: {
      RETURN_IF_ERROR(need(op != OpId::kT || attrs.axes.empty(), ".T reverses every axis"));
      if (attrs.axes.empty()) return Shape(a.rbegin(), a.rend());
      RETURN_IF_ERROR(
          need(static_cast<int>(attrs.axes.size()) == rank, "a permutation of every axis"));
      std::vector<bool> seen(rank, false);
      Shape out;
      for (int p : attrs.axes) {
        RETURN_IF_ERROR(need(p >= 0 && p < rank && !seen[p], "not a permutation"));
        seen[p] = true;
        out.push_back(a[p]);
      }
      return out;
    }
    case ShapeRule::kSwapAxes:
    case ShapeRule::kMoveAxis: {
      RETURN_IF_ERROR(need(attrs.axes.size() == 2, "takes two axes"));
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
    case ShapeRule::kExpandDims: {
      ASSIGN_OR_RETURN(int axis, axis0(rank + 1));
      Shape out = a;
      out.insert(out.begin() + axis, 1);
      return out;
    }
    case ShapeRule::kSqueeze: {
      ASSIGN_OR_RETURN(int axis, axis0(rank));
      RETURN_IF_ERROR(need(a[axis] == 1, "squeezes an axis of size 1"));
      Shape out = a;
      out.erase(out.begin() + axis);
      return out;
    }
    case ShapeRule::kBroadcastTo: {
      auto b = BroadcastShapes(a, attrs.shape);
      RETURN_IF_ERROR(need(b.ok() && *b == attrs.shape, "does not broadcast to the target"));
      return attrs.shape;
    }
    case ShapeRule::kConcatenate: {
      RETURN_IF_ERROR(need(rank >= 1, "joins arrays of rank 1 or more"));
      ASSIGN_OR_RETURN(int axis, axis0(rank));
      Shape out = a;
      out[axis] = 0;
      for (const TensorType& t : args) {
        RETURN_IF_ERROR(need(static_cast<int>(t.shape.size()) == rank, "arrays of one rank"));
        for (int i = 0; i < rank; ++i) {
          RETURN_IF_ERROR(need(i == axis || t.shape[i] == a[i], "shapes differ off the axis"));
        }
        out[axis] += t.shape[axis];
      }
      return out;
    }
    case ShapeRule::kStack: {
      ASSIGN_OR_RETURN(int axis, axis0(rank + 1));
      for (const TensorType& t : args)
        RETURN_IF_ERROR(need(t.shape == a, "stacks arrays of one shape"));
      Shape out = a;
      out.insert(out.begin() + axis, static_cast<int64_t>(args.size()));
      return out;
    }
    case ShapeRule::kSplit: {
      ASSIGN_OR_RETURN(int axis, axis0(rank));
      RETURN_IF_ERROR(need(attrs.count >= 1 && a[axis] % attrs.count == 0, "equal pieces"));
      RETURN_IF_ERROR(need(attrs.index >= 0 && attrs.index < attrs.count, "piece out of range"));
      Shape out = a;
      out[axis] /= attrs.count;
      return out;
    }
    case ShapeRule::kTile: {
      RETURN_IF_ERROR(
          need(static_cast<int>(attrs.shape.size()) == rank, "one repetition per axis"));
      Shape out = a;
      for (int i = 0; i < rank; ++i) {
        RETURN_IF_ERROR(need(attrs.shape[i] >= 1, "positive repetitions"));
        out[i] *= attrs.shape[i];
      }
      return out;
    }
    case ShapeRule::kRepeat: {
      ASSIGN_OR_RETURN(int axis, axis0(rank));
      RETURN_IF_ERROR(need(attrs.count >= 1, "positive repetitions"));
      Shape out = a;
      out[axis] *= attrs.count;
      return out;
    }
    case ShapeRule::kPad: {
      RETURN_IF_ERROR(
          need(static_cast<int>(attrs.padding.size()) == rank, "one (before, after) per axis"));
      Shape out = a;
      for (int i = 0; i < rank; ++i) {
        const auto [lo, hi] = attrs.padding[i];
        RETURN_IF_ERROR(need(lo >= 0 && hi >= 0, "non-negative padding"));
        // Edge padding needs something to repeat.
        RETURN_IF_ERROR(need(op != OpId::kPadEdge || a[i] > 0, "edge padding of an empty axis"));
        out[i] += lo + hi;
      }
      return out;
    }
    case ShapeRule::kSlice: {
      RETURN_IF_ERROR(need(!attrs.slices.empty() && static_cast<int>(attrs.slices.size()) <= rank,
                           "one to rank slices"));
      Shape out;
      for (int i = 0; i < rank; ++i) {
        if (i >= static_cast<int>(attrs.slices.size())) {
          out.push_back(a[i]);
          continue;
        }
        const SliceSpec& s = attrs.slices[i];
        if (s.step == 0) {
          RETURN_IF_ERROR(need(s.start >= 0 && s.start < a[i], "index out of range"));
          continue;
        }
        RETURN_IF_ERROR(need(s.step > 0 && 0 <= s.start && s.start < s.stop && s.stop <= a[i],
                             "slices are non-empty, in range and forward"));
        out.push_back((s.stop - s.start + s.step - 1) / s.step);
      }
      return out;
    }
    case ShapeRule::kDiff: {
      ASSIGN_OR_RETURN(int axis, axis0(rank));
      RETURN_IF_ERROR(need(a[axis] >= 2, "differences need two elements"));
      Shape out = a;
      out[axis] -= 1;
      return out;
    }
    case ShapeRule::kMatrix:
      RETURN_IF_ERROR(need(rank >= 2, "needs rank 2 or more"));
      return a;
    case ShapeRule::kDynamicSlice:
    case ShapeRule::kDynamicUpdateSlice: {
      const size_t first = info.shape_rule == ShapeRule::kDynamicSlice ? 1 : 2;
      RETURN_IF_ERROR(need(args.size() == first + static_cast<size_t>(rank) && rank >= 1,
                           "one start index per axis"));
      for (size_t i = first; i < args.size(); ++i) {
        RETURN_IF_ERROR(
            need(args[i].dtype == DType::kInt32 && args[i].shape.empty(), "int32 scalar starts"));
      }
      const Shape& window = first == 1 ? attrs.shape : args[1].shape;
      RETURN_IF_ERROR(need(static_cast<int>(window.size()) == rank, "one size per axis"));
      if (first == 2)
        RETURN_IF_ERROR(need(args[1].dtype == args[0].dtype, "the update has the operand's dtype"));
      for (int i = 0; i < rank; ++i)
        RETURN_IF_ERROR(need(window[i] >= 1 && window[i] <= a[i], "fits the operand"));
      return first == 1 ? attrs.shape : a;
    }
    case ShapeRule::kGather:
    case ShapeRule::kTake: {
      RETURN_IF_ERROR(need(rank >= 1 && IsInteger(args[1].dtype), "integer indices into an array"));
      int axis = 0;
      if (info.shape_rule == ShapeRule::kTake) {
        ASSIGN_OR_RETURN(axis, axis0(rank));
      }
      Shape out(a.begin(), a.begin() + axis);
      out.insert(out.end(), args[1].shape.begin(), args[1].shape.end());
      out.insert(out.end(), a.begin() + axis + 1, a.end());
      return out;
    }
    case ShapeRule::kScatter: {
      const TensorType& idx = args[1];
      RETURN_IF_ERROR(need(rank >= 1 && IsInteger(idx.dtype) && idx.shape.size() <= 1,
                           "an integer scalar or vector index into an array"));
      RETURN_IF_ERROR(need(args[2].dtype == args[0].dtype, "the update has the operand's dtype"));
      Shape target = idx.shape;
      target.insert(target.end(), a.begin() + 1, a.end());
      auto b = BroadcastShapes(args[2].shape, target);
      RETURN_IF_ERROR(need(b.ok() && *b == target, "the update broadcasts to the indexed part"));
      return a;
    }
    case ShapeRule::kConv: {
      const Shape& k = args[1].shape;
      RETURN_IF_ERROR(
          need((rank == 3 || rank == 4) && k.size() == a.size(), "NC(H)W input, OI(H)W kernel"));
      RETURN_IF_ERROR(need(a[1] == k[1], "input and kernel channels differ"));
      RETURN_IF_ERROR(
          need(static_cast<int>(attrs.strides.size()) == rank - 2, "one stride per spatial axis"));
      Shape out = {a[0], k[0]};
      for (int i = 2; i < rank; ++i) {
        ASSIGN_OR_RETURN(int64_t n, WindowOutput(op, args, a[i], k[i], attrs.strides[i - 2],
                                                 attrs.same_padding));
        out.push_back(n);
      }
      return out;
    }
    case ShapeRule::kReduceWindow: {
      RETURN_IF_ERROR(need(rank >= 1 && static_cast<int>(attrs.window.size()) == rank &&
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
    case ShapeRule::kTopK: {
      RETURN_IF_ERROR(
          need(rank >= 1 && attrs.count >= 1 && attrs.count <= a.back(), "k in [1, last axis]"));
      Shape out = a;
      out.back() = attrs.count;
      return out;
    }
    case ShapeRule::kOneHot: {
      RETURN_IF_ERROR(need(attrs.count >= 1, "one or more classes"));
      Shape out = a;
      out.push_back(attrs.count);
      return out;
    }
    case ShapeRule::kConstant: {
      RETURN_IF_ERROR(need(args.empty(), "takes no argument"));
      if (op == OpId::kArange || op == OpId::kLinspace) {
        RETURN_IF_ERROR(
            need(attrs.shape == Shape{attrs.count} && attrs.count >= 1, "a vector of count"));
      }
      if (op == OpId::kEye) RETURN_IF_ERROR(need(attrs.shape.size() == 2, "a matrix"));
      return attrs.shape;
    }
    case ShapeRule::kSample:
      return attrs.shape;
    case ShapeRule::kKey:
      return Shape{2};
    case ShapeRule::kPermutation: {
      RETURN_IF_ERROR(need(IsKey(args[0]), "needs a key"));
      const TensorType& x = args[1];
      RETURN_IF_ERROR(need(!x.shape.empty(), "permutes an array"));
      ASSIGN_OR_RETURN(int axis, axis0(static_cast<int>(x.shape.size())));
      (void)axis;
      return x.shape;
    }
    case ShapeRule::kCategorical: {
      RETURN_IF_ERROR(need(IsKey(args[0]) && IsFloat(args[1].dtype), "a key and float logits"));
      const Shape& logits = args[1].shape;
      ASSIGN_OR_RETURN(int axis, axis0(static_cast<int>(logits.size())));
      Shape out = logits;
      out.erase(out.begin() + axis);
      return out;
    }
  }
  return Internal("unhandled shape rule");
}

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

// The contracted size of a contraction: how many products each output sums.
double ContractedSize(OpId op, std::span<const TensorType> t, const OpAttrs& attrs) {
  switch (op) {
    case OpId::kDot:
    case OpId::kMatmul:
    case OpId::kInner:
      return static_cast<double>(t[0].shape.back());
    case OpId::kTensordot: {
      double k = 1;
      for (int64_t i = 0; i < attrs.count; ++i) k *= static_cast<double>(t[1].shape[i]);
      return k;
    }
    case OpId::kEinsum: {
      double all = 1;
      const auto spec = ParseEinsum(attrs.subscripts);
      std::string seen;
      for (size_t i = 0; i < t.size(); ++i) {
        for (size_t j = 0; j < spec->inputs[i].size(); ++j) {
          const char c = spec->inputs[i][j];
          if (seen.find(c) != std::string::npos || spec->output.find(c) != std::string::npos)
            continue;
          seen.push_back(c);
          all *= static_cast<double>(t[i].shape[j]);
        }
      }
      return all;
    }
    default:
      return 1;
  }
}

Interval BitwiseRange(OpId op, const Interval& a, const Interval& b, DType dtype) {
  if (dtype == DType::kBool) return {0, 1};
  if (a.lo < 0 || b.lo < 0) return ValueBudget(dtype);
  if (op == OpId::kBitwiseAnd) return {0, std::min(a.hi, b.hi)};
  const double top = std::exp2(std::ceil(std::log2(std::max(a.hi, b.hi) + 1))) - 1;
  return {0, top};
}

Interval RangeOf(OpId op, std::span<const Interval> r, std::span<const TensorType> t,
                 const OpAttrs& attrs, const TensorType& result) {
  const Interval x = r.empty() ? Interval{} : r[0];
  switch (op) {
    case OpId::kNeg:
      return {-x.hi, -x.lo};
    case OpId::kAbs:
      return AbsRange(x);
    case OpId::kSign:
      return {x.lo > 0 ? 1.0 : x.lo < 0 ? -1.0 : 0.0, x.hi > 0 ? 1.0 : x.hi < 0 ? -1.0 : 0.0};
    case OpId::kSquare: {
      const Interval m = AbsRange(x);
      return {m.lo * m.lo, m.hi * m.hi};
    }
    case OpId::kIntegerPow: {
      const auto n = static_cast<double>(attrs.count);
      if (attrs.count % 2 == 1) return {std::pow(x.lo, n), std::pow(x.hi, n)};
      const Interval m = AbsRange(x);
      return {std::pow(m.lo, n), std::pow(m.hi, n)};
    }
    case OpId::kSin:
    case OpId::kCos:
      return {-1, 1};
    case OpId::kTan:
      return Increasing(x, [](double v) { return std::tan(v); });
    case OpId::kTanh:
      return Increasing(x, [](double v) { return std::tanh(v); });
    case OpId::kExp:
      return Increasing(x, [](double v) { return std::exp(v); });
    case OpId::kExp2:
      return Increasing(x, [](double v) { return std::exp2(v); });
    case OpId::kExpm1:
      return Increasing(x, [](double v) { return std::expm1(v); });
    case OpId::kLog:
      return Increasing(x, [](double v) { return std::log(v); });
    case OpId::kLog1p:
      return Increasing(x, [](double v) { return std::log1p(v); });
    case OpId::kLog2:
      return Increasing(x, [](double v) { return std::log2(v); });
    case OpId::kLog10:
      return Increasing(x, [](double v) { return std::log10(v); });
    case OpId::kSqrt:
      return Increasing(x, [](double v) { return std::sqrt(v); });
    case OpId::kRsqrt:
      return {1 / std::sqrt(x.hi), 1 / std::sqrt(x.lo)};
    case OpId::kCbrt:
      return Increasing(x, [](double v) { return std::cbrt(v); });
    case OpId::kReciprocal:
      return {1 / x.hi, 1 / x.lo};  // x excludes zero
    case OpId::kSinh:
      return Increasing(x, [](double v) { return std::sinh(v); });
    case OpId::kCosh:
      return {1, std::cosh(x.MaxAbs())};
    case OpId::kArcsin:
      return Increasing(x, [](double v) { return std::asin(v); });
    case OpId::kArccos:
      return {std::acos(x.hi), std::acos(x.lo)};
    case OpId::kArctan:
      return Increasing(x, [](double v) { return std::atan(v); });
    case OpId::kArcsinh:
      return Increasing(x, [](double v) { return std::asinh(v); });
    case OpId::kArctanh:
      return Increasing(x, [](double v) { return std::atanh(v); });
    case OpId::kErf:
      return Increasing(x, [](double v) { return std::erf(v); });
    case OpId::kErfInv:
      return {-1.2, 1.2};  // erf_inv(0.9) = 1.163
    case OpId::kFloor:
      return Increasing(x, [](double v) { return std::floor(v); });
    case OpId::kCeil:
      return Increasing(x, [](double v) { return std::ceil(v); });
    case OpId::kRound:
    case OpId::kRoundAwayFromZero:
      return Increasing(x, [](double v) { return std::round(v); });
    case OpId::kTrunc:
      return Increasing(x, [](double v) { return std::trunc(v); });
    case OpId::kReducePrecision:
      return {x.lo - 1e-3 * std::fabs(x.lo), x.hi + 1e-3 * std::fabs(x.hi)};
    case OpId::kStopGradient:
      return x;
    case OpId::kSigmoid:
      return Increasing(x, Sigmoid);
    case OpId::kRelu:
      return {std::max(x.lo, 0.0), std::max(x.hi, 0.0)};
    case OpId::kRelu6:
      return {std::clamp(x.lo, 0.0, 6.0), std::clamp(x.hi, 0.0, 6.0)};
    case OpId::kGelu:
      return {-0.1701, std::max(x.hi, 0.0)};
    case OpId::kSilu:
      return {-0.2785, std::max(x.hi, 0.0)};
    case OpId::kMish:
      return {-0.3089, std::max(x.hi, 0.0)};
    case OpId::kSoftplus:
      return Increasing(x, Softplus);
    case OpId::kElu:
    case OpId::kCelu:
      return Increasing(x, Elu);
    case OpId::kSelu:
      return Increasing(x, [](double v) { return 1.0507 * (v > 0 ? v : 1.6733 * std::expm1(v)); });
    case OpId::kLeakyRelu:
      return Increasing(x, [](double v) { return v > 0 ? v : 0.01 * v; });
    case OpId::kLogSigmoid:
      return Increasing(x, [](double v) { return -Softplus(-v); });
    case OpId::kHardTanh:
      return {std::clamp(x.lo, -1.0, 1.0), std::clamp(x.hi, -1.0, 1.0)};
    case OpId::kSoftSign:
      return Increasing(x, [](double v) { return v / (1 + std::fabs(v)); });
    case OpId::kClip:
      return {std::clamp(x.lo, attrs.reals[0], attrs.reals[1]),
              std::clamp(x.hi, attrs.reals[0], attrs.reals[1])};
    case OpId::kAdd:
      return {x.lo + r[1].lo, x.hi + r[1].hi};
    case OpId::kSub:
      return {x.lo - r[1].hi, x.hi - r[1].lo};
    case OpId::kMul:
      return MulRange(x, r[1]);
    case OpId::kDiv:
    case OpId::kFloorDivide: {
      // The divisor excludes zero (the domain says so), so 1/d is monotone.
      const Interval inv = {std::min(1 / r[1].lo, 1 / r[1].hi), std::max(1 / r[1].lo, 1 / r[1].hi)};
      const Interval q = MulRange(x, inv);
      if (op == OpId::kDiv) return q;
      return {std::floor(q.lo), std::floor(q.hi)};
    }
    case OpId::kRemainder: {
      const double m = r[1].MaxAbs();
      if (r[1].lo > 0) return {0, m};
      if (r[1].hi < 0) return {-m, 0};
      return {-m, m};
    }
    case OpId::kFmod: {
      const double m = std::min(x.MaxAbs(), r[1].MaxAbs());
      return {x.lo >= 0 ? 0 : -m, x.hi <= 0 ? 0 : m};
    }
    case OpId::kPow: {
      const std::array p = {std::pow(x.lo, r[1].lo), std::pow(x.lo, r[1].hi),
                            std::pow(x.hi, r[1].lo), std::pow(x.hi, r[1].hi)};
      return {*std::min_element(p.begin(), p.end()), *std::max_element(p.begin(), p.end())};
    }
    case OpId::kMaximum:
      return {std::max(x.lo, r[1].lo), std::max(x.hi, r[1].hi)};
    case OpId::kMinimum:
      return {std::min(x.lo, r[1].lo), std::min(x.hi, r[1].hi)};
    case OpId::kArctan2:
      return {-std::numbers::pi, std::numbers::pi};
    case OpId::kHypot:
      return {0, std::hypot(x.MaxAbs(), r[1].MaxAbs())};
    case OpId::kLogAddExp:
      return {std::max(x.lo, r[1].lo), std::max(x.hi, r[1].hi) + std::numbers::ln2};
    case OpId::kCopySign:
      return {-x.MaxAbs(), x.MaxAbs()};
    case OpId::kWhere:
      return Interval::Hull(r[1], r[2]);
    case OpId::kBitwiseAnd:
    case OpId::kBitwiseOr:
    case OpId::kBitwiseXor:
      return BitwiseRange(op, x, r[1], result.dtype);
    case OpId::kBitwiseNot: {
      if (result.dtype == DType::kBool) return {0, 1};
      if (ClassOf(result.dtype) == DTypeClass::kUnsigned) {
        const double top = ValueBudget(result.dtype).hi;
        return {top - x.hi, top - x.lo};
      }
      return {-x.hi - 1, -x.lo - 1};
    }
    case OpId::kLeftShift:
      return MulRange(x, {std::exp2(r[1].lo), std::exp2(r[1].hi)});
    case OpId::kRightShift:
      return {std::min(x.lo, 0.0), std::max(x.hi, 0.0)};
    case OpId::kShiftRightLogical:
      return x.lo < 0 ? ValueBudget(result.dtype) : Interval{0, x.hi};
    case OpId::kPopulationCount:
    case OpId::kClz:
      return {0, 8.0 * ByteSize(result.dtype)};
    case OpId::kAsType:
      if (IsFloat(t[0].dtype) && IsInteger(result.dtype))
        return {std::trunc(x.lo), std::trunc(x.hi)};
      return x;
    case OpId::kBitcast:
      return ValueBudget(result.dtype);
    case OpId::kSum:
      return SumRange(x, static_cast<double>(ReducedCount(t[0], attrs)));
    case OpId::kMean:
    case OpId::kMax:
    case OpId::kMin:
    case OpId::kCummax:
    case OpId::kCummin:
    case OpId::kSort:
    case OpId::kTopK:
      return x;
    case OpId::kProd:
      return ProductRange(x, static_cast<double>(ReducedCount(t[0], attrs)));
    case OpId::kVar:
      return {0, (x.hi - x.lo) * (x.hi - x.lo) / 4};
    case OpId::kStd:
      return {0, (x.hi - x.lo) / 2};
    case OpId::kPtp:
      return {0, x.hi - x.lo};
    case OpId::kLogSumExp:
      return {x.lo, x.hi + std::log(static_cast<double>(ReducedCount(t[0], attrs)))};
    case OpId::kNorm: {
      const double n = std::sqrt(static_cast<double>(ReducedCount(t[0], attrs)));
      const Interval m = AbsRange(x);
      return {m.lo, m.hi * n};
    }
    case OpId::kCountNonzero:
      return {0, static_cast<double>(ReducedCount(t[0], attrs))};
    case OpId::kArgmax:
    case OpId::kArgmin:
      return {0, static_cast<double>(ReducedCount(t[0], attrs) - 1)};
    case OpId::kCumsum:
      return SumRange(x, static_cast<double>(AxisSize(t[0], attrs)));
    case OpId::kCumprod:
      return ProductRange(x, static_cast<double>(AxisSize(t[0], attrs)));
    case OpId::kCumlogsumexp:
      return {x.lo, x.hi + std::log(static_cast<double>(AxisSize(t[0], attrs)))};
    case OpId::kArgsort:
      return {0, static_cast<double>(AxisSize(t[0], attrs) - 1)};
    case OpId::kTopKIndices:
      return {0, static_cast<double>(t[0].shape.back() - 1)};
    case OpId::kDiff:
      return {x.lo - x.hi, x.hi - x.lo};
    case OpId::kPad: {
      const double v = attrs.reals.empty() ? 0.0 : attrs.reals[0];
      return Interval::Hull(x, {v, v});
    }
    case OpId::kTril:
    case OpId::kTriu:
      return Interval::Hull(x, {0, 0});
    case OpId::kConcatenate:
    case OpId::kStack: {
      Interval h = x;
      for (const Interval& i : r) h = Interval::Hull(h, i);
      return h;
    }
    case OpId::kDynamicUpdateSlice:
      return Interval::Hull(x, r[1]);
    case OpId::kScatterSet:
      return Interval::Hull(x, r[2]);
    case OpId::kScatterAdd: {
      // Repeated indices add several updates to one element.
      const auto k = static_cast<double>(std::max<int64_t>(1, NumElements(t[1].shape)));
      return {x.lo + std::min(0.0, k * r[2].lo), x.hi + std::max(0.0, k * r[2].hi)};
    }
    case OpId::kScatterMul:
      return Interval::Hull(x, MulRange(x, r[2]));
    case OpId::kScatterMin:
      return {std::min(x.lo, r[2].lo), x.hi};
    case OpId::kScatterMax:
      return {x.lo, std::max(x.hi, r[2].hi)};
    case OpId::kDot:
    case OpId::kMatmul:
    case OpId::kInner:
    case OpId::kTensordot:
      return SumRange(MulRange(x, r[1]), ContractedSize(op, t, attrs));
    case OpId::kEinsum: {
      Interval p = x;
      for (size_t i = 1; i < r.size(); ++i) p = MulRange(p, r[i]);
      return SumRange(p, ContractedSize(op, t, attrs));
    }
    case OpId::kOuter:
      return MulRange(x, r[1]);
    case OpId::kCross: {
      const double m = 2 * x.MaxAbs() * r[1].MaxAbs();
      return {-m, m};
    }
    case OpId::kConv: {
      const auto k = static_cast<double>(NumElements(t[1].shape) / t[1].shape[0]);
      return PaddedSumRange(MulRange(x, r[1]), k);
    }
    case OpId::kSumPool:
      return PaddedSumRange(x, static_cast<double>(NumElements(attrs.window)));
    case OpId::kSoftmax:
      return {0, 1};
    case OpId::kLogSoftmax:
      return {x.lo - x.hi - std::log(static_cast<double>(AxisSize(t[0], attrs))), 0};
    case OpId::kStandardize: {
      const double n = std::sqrt(static_cast<double>(AxisSize(t[0], attrs)));
      return {-n, n};
    }
    case OpId::kOneHot:
    case OpId::kEye:
    case OpId::kBernoulli:
      return {0, 1};
    case OpId::kArange:
      return {0, static_cast<double>(attrs.count - 1)};
    case OpId::kLinspace:
    case OpId::kUniform:
    case OpId::kTruncatedNormal:
      return {attrs.reals[0], attrs.reals[1]};
    case OpId::kZeros:
    case OpId::kZerosLike:
      return {0, 0};
    case OpId::kOnes:
    case OpId::kOnesLike:
      return {1, 1};
    case OpId::kFull:
    case OpId::kFullLike:
      return {attrs.reals[0], attrs.reals[0]};
    // Samples from floating-point uniforms stay within a few units: the
    // extremes come from the smallest and largest representable uniforms.
    case OpId::kNormal:
      return {-9, 9};
    case OpId::kGumbel:
      return {-5, 40};
    case OpId::kExponential:
      return {0, 40};
    case OpId::kRademacher:
      return {-1, 1};
    case OpId::kRandint:
      return {attrs.reals[0], attrs.reals[1] - 1};
    case OpId::kCategorical:
      return {0, static_cast<double>(AxisSize(t[1], attrs) - 1)};
    case OpId::kSplitKey:
    case OpId::kFoldIn:
      return ValueBudget(DType::kUInt32);
    default:
      break;  // ops that move values without changing them
  }
  if (op == OpId::kPermutation) return r[1];
  return x;
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
  if (op == OpId::kSplitKey && (attrs.count < 2 || attrs.index < 0 || attrs.index >= attrs.count)) {
    return TypeError(op, args, "takes key `index` of `count`");
  }
  return TensorType{dtype, std::move(shape)};
}

Interval OpRange(OpId op, std::span<const Interval> ranges, std::span<const TensorType> types,
                 const OpAttrs& attrs, const TensorType& result) {
  if (result.dtype == DType::kBool) return {0, 1};
  Interval r = RangeOf(op, ranges, types, attrs, result);
  if (IsFloat(result.dtype)) return r;
  const Interval all = ValueBudget(result.dtype);
  if (!r.Within(all)) return all;  // integers wrap
  return r;
}

// The smallest magnitude a positive or non-zero float argument may have:
// representable (if subnormal) in float16. How large the result may grow is
// the value budget's concern, not the domain's.
constexpr double kTiny = 1e-6;

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
    default:
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
      const int axis = info.shape_rule == ShapeRule::kTake ? attrs.axes.at(0) : 0;
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
    default:
      return {-1e300, 1e300};
  }
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
      return std::none_of(attrs.slices.begin(), attrs.slices.end(),
                          [](const SliceSpec& s) { return s.step == 0; });
    case ShapeRule::kAlongAxis:
      return !args.empty() && args[0].dtype == result.dtype;
    default:
      return true;
  }
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
    default:
      return false;
  }
}

}  // namespace jitsynth::ir
