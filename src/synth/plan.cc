// The inverse of each shape rule: given the type an op must produce, draw
// argument shapes and attributes for which the op's forward rule (ir::InferType)
// gives exactly that type. One planner per shape rule, not per op.
#include <algorithm>
#include <numeric>

#include "synth/builder.h"

namespace jitsynth::synth::detail {

using ir::DType;
using ir::DTypeRule;
using ir::OpAttrs;
using ir::OpId;
using ir::Shape;
using ir::ShapeRule;
using ir::TensorType;

bool CanProduce(OpId op, DType d) {
  const bool is_float = ir::IsFloat(d);
  const bool is_int = ir::IsInteger(d) && d != DType::kUInt32;
  switch (ir::Info(op).dtype_rule) {
    case DTypeRule::kFloat:
    case DTypeRule::kMean:
    case DTypeRule::kFromIndex:
    case DTypeRule::kSampleFloat:
      return is_float;
    case DTypeRule::kNumeric:
    case DTypeRule::kNumericOperand:
    case DTypeRule::kCumulative:
      return is_float || is_int;
    case DTypeRule::kInteger:
    case DTypeRule::kBitcast:
    case DTypeRule::kSampleInt:
      return is_int;
    case DTypeRule::kBitwise:
      return is_int || d == DType::kBool;
    case DTypeRule::kLogical:
    case DTypeRule::kCompare:
    case DTypeRule::kPredicate:
    case DTypeRule::kFloatTest:
    case DTypeRule::kSampleBool:
      return d == DType::kBool;
    case DTypeRule::kIndex:
      return d == DType::kInt32;
    case DTypeRule::kSum:
      return is_float || d == DType::kInt32;
    case DTypeRule::kKey:
      return d == DType::kUInt32;
    case DTypeRule::kAccumulate:
      return d == DType::kFloat32;
    case DTypeRule::kAny:
    case DTypeRule::kOperand:
    case DTypeRule::kWhere:
    case DTypeRule::kCast:
    case DTypeRule::kMake:
      return d != DType::kUInt32;
  }
  return false;
}

TensorType ArgType(const ArgPlan& arg, DType value) {
  switch (arg.role) {
    case ArgRole::kValue:
      return TensorType{value, arg.shape};
    case ArgRole::kCond:
      return TensorType{DType::kBool, arg.shape};
    case ArgRole::kIndex:
    case ArgRole::kStart:
    case ArgRole::kStaticIndex:
      return TensorType{DType::kInt32, arg.shape};
    case ArgRole::kKey:
      return TensorType{DType::kUInt32, arg.shape};
  }
  return TensorType{value, arg.shape};
}

namespace {

ArgPlan Value(Shape s, bool literal_ok = false) {
  return {std::move(s), ArgRole::kValue, literal_ok, 0};
}
ArgPlan IndexArg(Shape s, int64_t bound, bool literal_ok = false) {
  return {std::move(s), ArgRole::kIndex, literal_ok, bound};
}

Shape Without(const Shape& s, size_t axis) {
  Shape out = s;
  out.erase(out.begin() + static_cast<ptrdiff_t>(axis));
  return out;
}

Shape Inserted(const Shape& s, size_t axis, int64_t d) {
  Shape out = s;
  out.insert(out.begin() + static_cast<ptrdiff_t>(axis), d);
  return out;
}

Shape Concat(const Shape& a, const Shape& b) {
  Shape out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<int64_t> Divisors(int64_t n) {
  std::vector<int64_t> d;
  for (int64_t i = 1; i <= n; ++i) {
    if (n % i == 0) d.push_back(i);
  }
  return d;
}

}  // namespace

// One planning: the result type t that `op` must produce and the plan under
// construction. One method per inverse shape rule (or per rules that differ
// in a detail); every draw comes from the builder's Rng.
struct Planner {
  Planner(Builder& builder, OpId op, const TensorType& t)
      : b(builder),
        rng_(builder.rng_),
        knobs_(builder.knobs_),
        op(op),
        t(t),
        info(ir::Info(op)),
        s(t.shape),
        r(static_cast<int>(t.shape.size())),
        // An op spelt only in lax takes no literals, no broadcasting and no negative axes.
        strict(info.spellings[0].starts_with("lax.")) {}
  Planner(const Planner&) = delete;
  Planner& operator=(const Planner&) = delete;

  Builder& b;
  Rng& rng_;
  const Knobs& knobs_;
  const OpId op;
  const TensorType& t;
  const ir::OpInfo& info;
  const Shape& s;
  const int r;
  const bool strict;
  Plan p;
  OpAttrs& a = p.attrs;

  bool Chance(Choice c) { return b.Chance(c); }
  int64_t Dim() { return b.Dim(); }
  Shape RandomShape(int min_rank, int max_rank) { return b.RandomShape(min_rank, max_rank); }
  int AxisOf(int rank, bool may_be_negative = true) {
    const int axis = static_cast<int>(rng_.Below(rank));
    return may_be_negative && !strict && Chance(Choice::kNegativeAxis) ? axis - rank : axis;
  }
  double LiteralValue() { return b.Literal(t.dtype)->literal; }
  std::optional<Plan> Done() {
    const bool all_fit = std::all_of(p.args.begin(), p.args.end(),
                                     [&](const ArgPlan& arg) { return b.Fits(arg.shape); });
    if (!all_fit) return std::nullopt;
    return std::move(p);
  }
  // Input extent of a window of size w and stride k that gives `out` positions.
  int64_t WindowInput(int64_t out, int64_t w, int64_t k, bool same) {
    const int64_t slack = static_cast<int64_t>(rng_.Below(k));
    return same ? out * k - slack : (out - 1) * k + w + slack;
  }

  std::optional<Plan> Normalize();
  std::optional<Plan> Same();
  std::optional<Plan> Matrix();
  std::optional<Plan> AlongAxis();
  std::optional<Plan> Broadcast();
  std::optional<Plan> Reduction();
  std::optional<Plan> Dot();
  std::optional<Plan> Matmul();
  std::optional<Plan> Outer();
  std::optional<Plan> Inner();
  std::optional<Plan> Tensordot();
  std::optional<Plan> Einsum();
  std::optional<Plan> Cross();
  std::optional<Plan> ReshapeOrRavel();
  std::optional<Plan> Transpose();
  std::optional<Plan> SwapOrMoveAxes();
  std::optional<Plan> ExpandDims();
  std::optional<Plan> Squeeze();
  std::optional<Plan> BroadcastTo();
  std::optional<Plan> Concatenate();
  std::optional<Plan> Stack();
  std::optional<Plan> Split();
  std::optional<Plan> Tile();
  std::optional<Plan> Repeat();
  std::optional<Plan> Pad();
  std::optional<Plan> Slice();
  std::optional<Plan> Diff();
  std::optional<Plan> DynamicSliceOrUpdate();
  std::optional<Plan> GatherOrTake();
  std::optional<Plan> Scatter();
  std::optional<Plan> Segment();
  std::optional<Plan> TakeAlong();
  std::optional<Plan> Conv();
  std::optional<Plan> SliceUpdate();
  std::optional<Plan> ReduceWindow();
  std::optional<Plan> TopK();
  std::optional<Plan> OneHot();
  std::optional<Plan> Constant();
  std::optional<Plan> Sample();
  std::optional<Plan> Key();
  std::optional<Plan> Permutation();
  std::optional<Plan> Categorical();
};

std::optional<Plan> Planner::Normalize() {
  if (r < 1) return std::nullopt;
  p.args.push_back(Value(s));
  if (Chance(Choice::kNormalizeAxis)) a.axes = {Chance(Choice::kNormalizeLast) ? -1 : AxisOf(r)};
  return Done();
}

std::optional<Plan> Planner::Same() {
  p.args.push_back(Value(s));
  if (r > 0 && op == OpId::kFlip && Chance(Choice::kFlipAxis)) a.axes = {AxisOf(r, false)};
  if (op == OpId::kAsType || op == OpId::kBitcast) a.to = t.dtype;
  if (op == OpId::kIntegerPow) a.count = rng_.UniformInt(2, 3);
  if (op == OpId::kFullLike) a.reals = {LiteralValue()};
  if (op == OpId::kClip) {
    if (ir::IsFloat(t.dtype)) {
      const double m = std::array{0.5, 1.0, 2.0, 3.0}[rng_.Below(4)];
      a.reals = {Chance(Choice::kClipFromZero) ? 0.0 : -m, m};
    } else {
      const double m = static_cast<double>(rng_.UniformInt(1, 10));
      a.reals = {ir::ClassOf(t.dtype) == ir::DTypeClass::kUnsigned ? 0.0 : -m, m};
    }
  }
  return Done();
}

std::optional<Plan> Planner::Matrix() {
  if (r < 2) return std::nullopt;
  p.args.push_back(Value(s));
  return Done();
}

std::optional<Plan> Planner::AlongAxis() {
  if (r < 1) return std::nullopt;
  p.args.push_back(Value(s));
  if (op == OpId::kLinearRecurrence) p.args.push_back(Value(s));  // coefficients, then inputs
  a.axes = {AxisOf(r)};
  if (op == OpId::kRoll) {
    const int64_t d = s[a.axes[0] < 0 ? a.axes[0] + r : a.axes[0]];
    a.count = Chance(Choice::kRollForward) ? rng_.UniformInt(1, d) : -rng_.UniformInt(1, d);
  }
  return Done();
}

std::optional<Plan> Planner::Broadcast() {
  const size_t first_value = op == OpId::kWhere ? 1 : 0;
  const size_t anchor = first_value + rng_.Below(static_cast<uint64_t>(info.arity) - first_value);
  for (size_t i = 0; i < static_cast<size_t>(info.arity); ++i) {
    Shape shape = s;
    if (i != anchor && r > 0 && !strict) {
      const double u = rng_.UniformDouble();
      if (u < b.P(Choice::kBroadcastScalar))
        shape = {};  // a scalar
      else if (u < b.P(Choice::kBroadcastScalar) + b.P(Choice::kBroadcastRow))
        shape = Shape(s.begin() + rng_.UniformInt(1, r), s.end());  // a trailing row
      else if (u < b.P(Choice::kBroadcastScalar) + b.P(Choice::kBroadcastRow) +
                       b.P(Choice::kBroadcastAxis))
        shape[rng_.Below(r)] = 1;  // a broadcast axis
    }
    ArgPlan arg = Value(shape, i != anchor && shape.empty() && !strict);
    if (op == OpId::kWhere && i == 0) arg.role = ArgRole::kCond;
    p.args.push_back(std::move(arg));
  }
  return Done();
}

std::optional<Plan> Planner::Reduction() {
  const int max_axes = info.shape_rule == ShapeRule::kArgReduce ? 1 : 2;
  std::vector<size_t> ones;
  for (int i = 0; i < r; ++i) {
    if (s[i] == 1) ones.push_back(static_cast<size_t>(i));
  }
  Shape in = s;
  if (!ones.empty() && Chance(Choice::kPlanReduceKeepdims)) {
    a.keepdims = true;
    const size_t axis = ones[rng_.Below(ones.size())];
    in[axis] = Dim();
    a.axes = {static_cast<int>(axis)};
  } else if (r == 0 && Chance(Choice::kPlanReduceAll)) {
    in = RandomShape(1, 3);  // reduce every axis
  } else {
    const int k = std::min<int>(Chance(Choice::kPlanReduceOneAxis) ? 1 : 2, max_axes);
    if (r + k > knobs_.max_rank) return std::nullopt;
    std::vector<int> axes;
    for (int i = 0; i < k; ++i) {
      const auto axis = static_cast<size_t>(rng_.UniformInt(0, static_cast<int64_t>(in.size())));
      in = Inserted(in, axis, Dim());
      for (int& x : axes) x += x >= static_cast<int>(axis) ? 1 : 0;
      axes.push_back(static_cast<int>(axis));
    }
    std::sort(axes.begin(), axes.end());
    const int rank = static_cast<int>(in.size());
    for (int& x : axes) x = Chance(Choice::kPlanReduceNegativeAxis) ? x - rank : x;
    a.axes = axes;
  }
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Dot() {
  const int64_t k = Dim();
  if (r >= 1 && Chance(Choice::kDotMatrix)) {
    Shape lhs(s.begin(), s.end() - 1);
    lhs.push_back(k);
    p.args = {Value(lhs), Value({k, s.back()})};
  } else {
    p.args = {Value(Concat(s, {k})), Value({k})};
  }
  return Done();
}

std::optional<Plan> Planner::Matmul() {
  const int64_t k = Dim();
  if (r == 0) {
    p.args = {Value({k}), Value({k})};
  } else if (r == 1) {
    if (Chance(Choice::kMatmulMatrixVector))
      p.args = {Value({s[0], k}), Value({k})};
    else
      p.args = {Value({k}), Value({k, s[0]})};
  } else {
    const Shape batch(s.begin(), s.end() - 2);
    const Shape lhs = Concat(batch, {s[r - 2], k});
    const double u = rng_.UniformDouble();
    const Shape rhs = u < b.P(Choice::kMatmulBatchedRhs) ? Concat(batch, {k, s[r - 1]}) : Shape{k, s[r - 1]};
    if (Chance(Choice::kMatmulBroadcastLhs) && !batch.empty())
      p.args = {Value(Shape{s[r - 2], k}), Value(Concat(batch, {k, s[r - 1]}))};
    else
      p.args = {Value(lhs), Value(rhs)};
  }
  return Done();
}

std::optional<Plan> Planner::Outer() {
  if (r != 2) return std::nullopt;
  p.args = {Value({s[0]}), Value({s[1]})};
  return Done();
}

std::optional<Plan> Planner::Inner() {
  const int64_t k = Dim();
  const auto split = static_cast<size_t>(rng_.UniformInt(0, r));
  p.args = {Value(Concat(Shape(s.begin(), s.begin() + static_cast<ptrdiff_t>(split)), {k})),
            Value(Concat(Shape(s.begin() + static_cast<ptrdiff_t>(split), s.end()), {k}))};
  return Done();
}

std::optional<Plan> Planner::Tensordot() {
  a.count = Chance(Choice::kTensordotOneAxis) ? 1 : 2;
  Shape contracted;
  for (int64_t i = 0; i < a.count; ++i) contracted.push_back(Dim());
  const auto split = static_cast<ptrdiff_t>(rng_.UniformInt(0, r));
  p.args = {Value(Concat(Shape(s.begin(), s.begin() + split), contracted)),
            Value(Concat(contracted, Shape(s.begin() + split, s.end())))};
  return Done();
}

std::optional<Plan> Planner::Einsum() {
  static constexpr std::array<std::string_view, 3> kPools = {"ijklmnop", "abcdefgh", "bhqkdvxy"};
  const std::string_view pool = kPools[rng_.Below(kPools.size())];
  const int contracted = static_cast<int>(rng_.UniformInt(0, 2));
  const int operands = 1 + static_cast<int>(b.Pick({Choice::kEinsumOne, Choice::kEinsumTwo, Choice::kEinsumThree}));
  if (r + contracted > static_cast<int>(pool.size())) return std::nullopt;
  std::vector<std::string> letters(operands);
  std::vector<Shape> shapes(operands);
  auto give = [&](size_t op_index, char c, int64_t d) {
    letters[op_index].push_back(c);
    shapes[op_index].push_back(d);
  };
  for (int i = 0; i < r; ++i) {
    bool placed = false;
    for (int o = 0; o < operands; ++o) {
      if (Chance(Choice::kEinsumOperandAxis)) {
        give(o, pool[i], s[i]);
        placed = true;
      }
    }
    if (!placed) give(rng_.Below(operands), pool[i], s[i]);
  }
  for (int j = 0; j < contracted; ++j) {
    const char c = pool[r + j];
    const int64_t d = Dim();
    const size_t first = rng_.Below(operands);
    give(first, c, d);
    if (operands > 1) give((first + 1 + rng_.Below(operands - 1)) % operands, c, d);
  }
  std::string out(pool.substr(0, r));
  if (operands == 1) {
    // One operand: a transpose or a reduction, never the identity.
    if (contracted == 0 && r < 2) return std::nullopt;
    if (contracted == 0) {  // out "ji..." of an operand "ij..." of dims (s1, s0, ...)
      std::swap(out[0], out[1]);
      std::swap(shapes[0][0], shapes[0][1]);
    }
  }
  for (int o = 0; o < operands; ++o) {
    if (letters[o].empty()) return std::nullopt;
    p.args.push_back(Value(shapes[o]));
  }
  std::string subscripts;
  for (int o = 0; o < operands; ++o) subscripts += (o > 0 ? "," : "") + letters[o];
  a.subscripts = subscripts + "->" + out;
  return Done();
}

std::optional<Plan> Planner::Cross() {
  if (r < 1 || s.back() != 3) return std::nullopt;
  p.args = {Value(s), Value(Chance(Choice::kCrossVector) ? Shape{3} : s)};
  if (Chance(Choice::kCrossSwap)) std::swap(p.args[0], p.args[1]);
  return Done();
}

std::optional<Plan> Planner::ReshapeOrRavel() {
  if (info.shape_rule == ShapeRule::kRavel && r != 1) return std::nullopt;
  // Factor the element count into a different shape. Ravel's input has rank
  // 2 at least, which shape.max_rank may not allow.
  const int min_rank = info.shape_rule == ShapeRule::kRavel ? 2 : 1;
  if (knobs_.max_rank < min_rank) return std::nullopt;
  int64_t n = ir::NumElements(s);
  Shape in;
  const int rank = static_cast<int>(rng_.UniformInt(min_rank, knobs_.max_rank));
  for (int i = 0; i + 1 < rank; ++i) {
    std::vector<int64_t> d = Divisors(n);
    const int64_t f = d[rng_.Below(d.size())];
    in.push_back(f);
    n /= f;
  }
  in.push_back(n);
  if (in == s) return std::nullopt;
  a.shape = s;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Transpose() {
  if (r < 2) return std::nullopt;
  if (op == OpId::kT) {
    p.args.push_back(Value(Shape(s.rbegin(), s.rend())));
    return Done();
  }
  std::vector<int> perm(r);
  std::iota(perm.begin(), perm.end(), 0);
  for (int i = r - 1; i > 0; --i) std::swap(perm[i], perm[rng_.Below(i + 1)]);
  if (std::is_sorted(perm.begin(), perm.end())) std::swap(perm[0], perm[1]);
  Shape in(r);
  for (int i = 0; i < r; ++i) in[perm[i]] = s[i];
  a.axes = perm;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::SwapOrMoveAxes() {
  if (r < 2) return std::nullopt;
  const int x = static_cast<int>(rng_.Below(r));
  const int y = (x + 1 + static_cast<int>(rng_.Below(r - 1))) % r;
  Shape in = s;
  if (info.shape_rule == ShapeRule::kSwapAxes) {
    std::swap(in[x], in[y]);
  } else {
    // out = moveaxis(in, x, y), so in = moveaxis(out, y, x).
    in.erase(in.begin() + y);
    in.insert(in.begin() + x, s[y]);
  }
  a.axes = {x, Chance(Choice::kNegativeAxis) ? y - r : y};
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::ExpandDims() {
  std::vector<size_t> ones;
  for (int i = 0; i < r; ++i) {
    if (s[i] == 1) ones.push_back(static_cast<size_t>(i));
  }
  if (ones.empty()) return std::nullopt;
  const size_t axis = ones[rng_.Below(ones.size())];
  a.axes = {static_cast<int>(axis)};
  p.args.push_back(Value(Without(s, axis)));
  return Done();
}

std::optional<Plan> Planner::Squeeze() {
  const auto axis = static_cast<size_t>(rng_.UniformInt(0, r));
  a.axes = {static_cast<int>(axis)};
  p.args.push_back(Value(Inserted(s, axis, 1)));
  return Done();
}

std::optional<Plan> Planner::BroadcastTo() {
  if (r < 1) return std::nullopt;
  Shape in(s.begin() + rng_.UniformInt(0, r - 1), s.end());
  if (!in.empty() && Chance(Choice::kBroadcastToUnit)) in[rng_.Below(in.size())] = 1;
  if (in == s) in[0] = 1;
  if (in == s) return std::nullopt;
  a.shape = s;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Concatenate() {
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  const int64_t total = s[axis];
  if (total < 2) return std::nullopt;
  const int64_t pieces = std::min<int64_t>(total, rng_.UniformInt(2, 3));
  int64_t left = total;
  for (int64_t i = 0; i < pieces; ++i) {
    Shape part = s;
    part[axis] = i + 1 == pieces ? left : rng_.UniformInt(1, left - (pieces - 1 - i));
    left -= part[axis];
    p.args.push_back(Value(part));
  }
  a.axes = {Chance(Choice::kNegativeAxis) ? axis - r : axis};
  return Done();
}

std::optional<Plan> Planner::Stack() {
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  if (s[axis] < 2 || s[axis] > 4) return std::nullopt;
  for (int64_t i = 0; i < s[axis]; ++i) p.args.push_back(Value(Without(s, axis)));
  a.axes = {axis};
  return Done();
}

std::optional<Plan> Planner::Split() {
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  a.count = rng_.UniformInt(2, 4);
  a.index = rng_.UniformInt(0, a.count - 1);
  a.axes = {axis};
  Shape in = s;
  in[axis] *= a.count;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Tile() {
  if (r < 1) return std::nullopt;
  Shape in = s;
  for (int i = 0; i < r; ++i) {
    std::vector<int64_t> d = Divisors(s[i]);
    a.shape.push_back(Chance(Choice::kTileAxis) ? d[rng_.Below(d.size())] : 1);
    in[i] /= a.shape[i];
  }
  if (in == s) return std::nullopt;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Repeat() {
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  a.count = rng_.UniformInt(2, 4);
  if (s[axis] % a.count != 0) return std::nullopt;
  a.axes = {axis};
  Shape in = s;
  in[axis] /= a.count;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Pad() {
  if (r < 1) return std::nullopt;
  Shape in = s;
  bool any = false;
  for (int i = 0; i < r; ++i) {
    int64_t lo = 0;
    int64_t hi = 0;
    if (s[i] > 1 && Chance(Choice::kPadAxis)) {
      lo = rng_.UniformInt(0, std::min<int64_t>(2, s[i] - 1));
      hi = rng_.UniformInt(0, std::min<int64_t>(2, s[i] - 1 - lo));
    }
    a.padding.emplace_back(lo, hi);
    in[i] -= lo + hi;
    any |= lo + hi > 0;
  }
  if (!any) return std::nullopt;
  if (op == OpId::kPad && Chance(Choice::kPadValue)) a.reals = {LiteralValue()};
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::Slice() {
  const bool indexed = r < knobs_.max_rank && Chance(Choice::kSliceIndexed);
  const int index_axis = indexed ? static_cast<int>(rng_.UniformInt(0, r)) : -1;
  Shape in;
  int out_axis = 0;
  size_t last_nontrivial = 0;
  for (int i = 0; i < r + (indexed ? 1 : 0); ++i) {
    ir::SliceSpec spec;
    if (i == index_axis) {
      const int64_t d = Dim();
      spec = {static_cast<int64_t>(rng_.Below(d)), 0, 0};
      in.push_back(d);
    } else {
      const int64_t d = s[out_axis++];
      spec.step = Chance(Choice::kSliceStep2) ? 2 : 1;
      spec.start = Chance(Choice::kSliceStart) ? rng_.UniformInt(0, 2) : 0;
      spec.stop = spec.start + (d - 1) * spec.step + 1;
      in.push_back(spec.stop + (Chance(Choice::kSliceTail) ? rng_.UniformInt(0, 2) : 0));
    }
    a.slices.push_back(spec);
    if (spec.step != 1 || spec.start != 0 || spec.stop != in.back())
      last_nontrivial = a.slices.size();
  }
  if (last_nontrivial == 0) return std::nullopt;
  a.slices.resize(last_nontrivial);
  p.args.push_back(Value(in));
  return Done();
}

// x.at[slices].set(v): the slices cut one axis (every other element, or a run); v has their shape.
std::optional<Plan> Planner::SliceUpdate() {
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  if (s[axis] < 2) return std::nullopt;
  Shape part = s;
  for (int i = 0; i <= axis; ++i) {
    ir::SliceSpec spec{0, s[i], 1};
    if (i == axis) {
      spec.start = static_cast<int64_t>(rng_.Below(2));
      spec.step = Chance(Choice::kSliceStep2) ? 2 : 1;
      if (spec.step == 1) spec.stop = rng_.UniformInt(spec.start + 1, s[i]);
      part[axis] = (spec.stop - spec.start + spec.step - 1) / spec.step;
    }
    a.slices.push_back(spec);
  }
  p.args = {Value(s), Value(part)};
  return Done();
}

std::optional<Plan> Planner::Diff() {
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  a.axes = {axis};
  Shape in = s;
  in[axis] += 1;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::DynamicSliceOrUpdate() {
  if (r < 1) return std::nullopt;
  const bool slice = info.shape_rule == ShapeRule::kDynamicSlice;
  Shape big = s;
  Shape small = s;
  for (int i = 0; i < r; ++i) {
    if (Chance(Choice::kDynamicSliceAxis)) {
      if (slice)
        big[i] += rng_.UniformInt(1, 4);
      else
        small[i] = rng_.UniformInt(1, s[i]);
    }
  }
  if (slice) a.shape = s;
  p.args.push_back(Value(big));
  if (!slice) p.args.push_back(Value(small));
  for (int i = 0; i < r; ++i) p.args.push_back({{}, ArgRole::kStart, true, big[i] - small[i] + 1});
  return Done();
}

std::optional<Plan> Planner::GatherOrTake() {
  const int j = static_cast<int>(rng_.UniformInt(0, std::min(r, 2)));
  const int axis =
      info.shape_rule == ShapeRule::kTake ? static_cast<int>(rng_.UniformInt(0, r - j)) : 0;
  const int64_t n = Dim();
  Shape x(s.begin(), s.begin() + axis);
  x.push_back(n);
  x.insert(x.end(), s.begin() + axis + j, s.end());
  if (info.shape_rule == ShapeRule::kTake) a.axes = {axis};
  p.args = {Value(x), IndexArg(Shape(s.begin() + axis, s.begin() + axis + j), n, j == 0)};
  return Done();
}

std::optional<Plan> Planner::Scatter() {
  if (r < 1) return std::nullopt;
  const bool static_index = info.domain == ir::Domain::kStaticIndex;
  const Shape rest(s.begin() + 1, s.end());
  Shape idx;
  if (!static_index && Chance(Choice::kScatterIndexArray)) idx = {rng_.UniformInt(1, std::min<int64_t>(4, s[0]))};
  Shape update = Concat(idx, rest);
  if (Chance(Choice::kScatterBroadcastUpdate) && !update.empty()) update = Shape(update.begin() + 1, update.end());
  ArgPlan index = IndexArg(idx, s[0], idx.empty());
  if (static_index) index.role = ArgRole::kStaticIndex;
  p.args = {Value(s), index, Value(update, update.empty())};
  return Done();
}

std::optional<Plan> Planner::Segment() {
  // Rows of data [n, ...] summed into t's `count` = s[0] segments by their ids.
  if (r < 1) return std::nullopt;
  a.count = s[0];
  const int64_t n = Dim();
  p.args = {Value(Concat({n}, Shape(s.begin() + 1, s.end()))), IndexArg({n}, s[0])};
  return Done();
}

std::optional<Plan> Planner::TakeAlong() {
  // Picks along one axis of x [.., n, ..] by indices of t's shape (labels[:, None] picking logits).
  if (r < 1) return std::nullopt;
  const int axis = static_cast<int>(rng_.Below(r));
  a.axes = {axis};
  Shape x = s;
  x[axis] = Dim();
  p.args = {Value(x), IndexArg(s, x[axis])};
  return Done();
}

std::optional<Plan> Planner::Conv() {
  if (op == OpId::kConvNhwc) {  // flax's layout: NHWC input, HWIO kernel
    if (r != 4 || !ir::IsFloat(t.dtype)) return std::nullopt;
    const int64_t channels = rng_.UniformInt(1, 4);
    a.same_padding = Chance(Choice::kPlanConvSame);
    Shape lhs = {s[0]}, rhs;
    for (int i = 1; i < 3; ++i) {
      const int64_t w = rng_.UniformInt(1, 3);
      const int64_t k = Chance(Choice::kPlanConvStride2) ? 2 : 1;
      a.strides.push_back(k);
      lhs.push_back(WindowInput(s[i], w, k, a.same_padding));
      rhs.push_back(w);
    }
    lhs.push_back(channels);
    rhs.insert(rhs.end(), {channels, s[3]});
    p.args = {Value(lhs), Value(rhs)};
    return Done();
  }
  if ((r != 3 && r != 4) || !ir::IsFloat(t.dtype)) return std::nullopt;
  const int64_t channels = rng_.UniformInt(1, 4);
  a.same_padding = Chance(Choice::kPlanConvSame);
  Shape lhs = {s[0], channels};
  Shape rhs = {s[1], channels};
  for (int i = 2; i < r; ++i) {
    const int64_t w = rng_.UniformInt(1, 3);
    const int64_t k = Chance(Choice::kPlanConvStride2) ? 2 : 1;
    a.strides.push_back(k);
    lhs.push_back(WindowInput(s[i], w, k, a.same_padding));
    rhs.push_back(w);
  }
  p.args = {Value(lhs), Value(rhs)};
  return Done();
}

std::optional<Plan> Planner::ReduceWindow() {
  if (r < 1) return std::nullopt;
  a.same_padding = Chance(Choice::kWindowSame);
  Shape in;
  bool any = false;
  for (int i = 0; i < r; ++i) {
    // Images pool over the trailing (spatial) axes.
    const bool spatial = i >= r - 2;
    const int64_t w = spatial ? rng_.UniformInt(1, 3) : 1;
    const int64_t k = spatial && Chance(Choice::kWindowStride2) ? std::min<int64_t>(w, 2) : 1;
    a.window.push_back(w);
    a.strides.push_back(k);
    in.push_back(WindowInput(s[i], w, k, a.same_padding));
    any |= w > 1;
  }
  if (!any) return std::nullopt;
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::TopK() {
  if (r < 1) return std::nullopt;
  a.count = s.back();
  Shape in = s;
  in.back() += rng_.UniformInt(0, 4);
  p.args.push_back(Value(in));
  return Done();
}

std::optional<Plan> Planner::OneHot() {
  if (r < 1 || s.back() < 2 || !ir::IsFloat(t.dtype)) return std::nullopt;
  a.count = s.back();
  a.to = t.dtype;
  p.args.push_back(IndexArg(Shape(s.begin(), s.end() - 1), a.count));
  return Done();
}

std::optional<Plan> Planner::Constant() {
  a.to = t.dtype;
  a.shape = s;
  if (op == OpId::kArange || op == OpId::kLinspace) {
    if (r != 1 || t.dtype == DType::kBool || (op == OpId::kLinspace && !ir::IsFloat(t.dtype)))
      return std::nullopt;
    if (static_cast<double>(s[0] - 1) > ir::ValueBudget(t.dtype).hi) return std::nullopt;
    a.count = s[0];
    if (op == OpId::kLinspace)
      a.reals = {Chance(Choice::kRangeStartNegative) ? -1.0 : 0.0, Chance(Choice::kRangeStopOne) ? 1.0 : 2.0};
  }
  if (op == OpId::kEye && r != 2) return std::nullopt;
  if (op == OpId::kFull) a.reals = {LiteralValue()};
  return Done();
}

std::optional<Plan> Planner::Sample() {
  a.to = t.dtype;
  a.shape = s;
  p.args.push_back({{2}, ArgRole::kKey, false, 0});
  if (op == OpId::kUniform)
    a.reals = {Chance(Choice::kUniformLowZero) ? 0.0 : -1.0, Chance(Choice::kUniformHighOne) ? 1.0 : 2.0};
  if (op == OpId::kTruncatedNormal) a.reals = {-2.0, 2.0};
  if (op == OpId::kBernoulli) a.reals = {std::array{0.1, 0.3, 0.5, 0.9}[rng_.Below(4)]};
  if (op == OpId::kRandint) {
    const bool unsigned_dtype = ir::ClassOf(t.dtype) == ir::DTypeClass::kUnsigned;
    a.reals = {unsigned_dtype || Chance(Choice::kRandintLowZero) ? 0.0 : -5.0,
               static_cast<double>(rng_.UniformInt(2, 10))};
  }
  return Done();
}

std::optional<Plan> Planner::Key() {
  if (s != Shape{2}) return std::nullopt;
  p.args.push_back({{2}, ArgRole::kKey, false, 0});
  if (op == OpId::kSplitKey) {
    a.count = rng_.UniformInt(2, 4);
    a.index = rng_.UniformInt(0, a.count - 1);
  } else {
    p.args.push_back({{}, ArgRole::kStart, true, 100});
  }
  return Done();
}

std::optional<Plan> Planner::Permutation() {
  if (r < 1) return std::nullopt;
  p.args = {{{2}, ArgRole::kKey, false, 0}, Value(s)};
  a.axes = {AxisOf(r)};
  return Done();
}

std::optional<Plan> Planner::Categorical() {
  if (r + 1 > knobs_.max_rank) return std::nullopt;
  const auto axis = static_cast<size_t>(rng_.UniformInt(0, r));
  p.args = {{{2}, ArgRole::kKey, false, 0}, Value(Inserted(s, axis, Dim()))};
  a.axes = {axis == static_cast<size_t>(r) && Chance(Choice::kCategoricalLast) ? -1 : static_cast<int>(axis)};
  return Done();
}

std::optional<Plan> Builder::PlanShapes(OpId op, const TensorType& t) {
  Planner planner(*this, op, t);
  switch (planner.info.shape_rule) {
    case ShapeRule::kNormalize:
      return planner.Normalize();
    case ShapeRule::kSame:
      return planner.Same();
    case ShapeRule::kMatrix:
      return planner.Matrix();
    case ShapeRule::kAlongAxis:
      return planner.AlongAxis();
    case ShapeRule::kBroadcast:
      return planner.Broadcast();
    case ShapeRule::kReduce:
    case ShapeRule::kArgReduce:
      return planner.Reduction();
    case ShapeRule::kDot:
      return planner.Dot();
    case ShapeRule::kMatmul:
      return planner.Matmul();
    case ShapeRule::kOuter:
      return planner.Outer();
    case ShapeRule::kInner:
      return planner.Inner();
    case ShapeRule::kTensordot:
      return planner.Tensordot();
    case ShapeRule::kEinsum:
      return planner.Einsum();
    case ShapeRule::kCross:
      return planner.Cross();
    case ShapeRule::kReshape:
    case ShapeRule::kRavel:
      return planner.ReshapeOrRavel();
    case ShapeRule::kTranspose:
      return planner.Transpose();
    case ShapeRule::kSwapAxes:
    case ShapeRule::kMoveAxis:
      return planner.SwapOrMoveAxes();
    case ShapeRule::kExpandDims:
      return planner.ExpandDims();
    case ShapeRule::kSqueeze:
      return planner.Squeeze();
    case ShapeRule::kBroadcastTo:
      return planner.BroadcastTo();
    case ShapeRule::kConcatenate:
      return planner.Concatenate();
    case ShapeRule::kStack:
      return planner.Stack();
    case ShapeRule::kSplit:
      return planner.Split();
    case ShapeRule::kTile:
      return planner.Tile();
    case ShapeRule::kRepeat:
      return planner.Repeat();
    case ShapeRule::kPad:
      return planner.Pad();
    case ShapeRule::kSlice:
      return planner.Slice();
    case ShapeRule::kDiff:
      return planner.Diff();
    case ShapeRule::kDynamicSlice:
    case ShapeRule::kDynamicUpdateSlice:
      return planner.DynamicSliceOrUpdate();
    case ShapeRule::kGather:
    case ShapeRule::kTake:
      return planner.GatherOrTake();
    case ShapeRule::kScatter:
      return planner.Scatter();
    case ShapeRule::kSegment:
      return planner.Segment();
    case ShapeRule::kTakeAlong:
      return planner.TakeAlong();
    case ShapeRule::kConv:
    case ShapeRule::kConvNhwc:
      return planner.Conv();
    case ShapeRule::kSliceUpdate:
      return planner.SliceUpdate();
    case ShapeRule::kReduceWindow:
      return planner.ReduceWindow();
    case ShapeRule::kTopK:
      return planner.TopK();
    case ShapeRule::kOneHot:
      return planner.OneHot();
    case ShapeRule::kConstant:
      return planner.Constant();
    case ShapeRule::kSample:
      return planner.Sample();
    case ShapeRule::kKey:
      return planner.Key();
    case ShapeRule::kPermutation:
      return planner.Permutation();
    case ShapeRule::kCategorical:
      return planner.Categorical();
  }
  return std::nullopt;
}

std::optional<DType> Builder::PlanDType(OpId op, const TensorType& t, Plan& plan) {
  // The value dtype is whichever of the program's dtypes makes the forward
  // rule produce t: the rules are declared once, forwards, in the op table.
  std::vector<DType> candidates = {t.dtype, fdt_, idt_, DType::kBool};
  const DTypeRule rule = ir::Info(op).dtype_rule;
  const bool changes_dtype = rule == DTypeRule::kCompare || rule == DTypeRule::kCast ||
                             rule == DTypeRule::kIndex || rule == DTypeRule::kPredicate ||
                             rule == DTypeRule::kFloatTest || rule == DTypeRule::kBitcast ||
                             rule == DTypeRule::kMean || rule == DTypeRule::kSum;
  if (rule == DTypeRule::kAccumulate) {
    // Mixed precision: the policy's half-precision dtypes accumulated in float32.
    candidates = {DType::kFloat32};
    for (size_t i = 0; i < kFloatDTypes.size(); ++i) {
      if (knobs_.float_weight[i] > 0 && ir::ByteSize(kFloatDTypes[i]) == 2)
        candidates.push_back(kFloatDTypes[i]);
    }
  }
  if (changes_dtype || rule == DTypeRule::kAccumulate) {
    for (size_t i = candidates.size() - 1; i > 0; --i)
      std::swap(candidates[i], candidates[rng_.Below(i + 1)]);
  }
  std::vector<TensorType> types(plan.args.size());
  for (DType d : candidates) {
    if (d == t.dtype && rule == DTypeRule::kCast) continue;
    for (size_t i = 0; i < plan.args.size(); ++i) types[i] = ArgType(plan.args[i], d);
    auto inferred = ir::InferType(op, types, plan.attrs);
    if (!inferred.ok() || *inferred != t) continue;
    if (x64_ && ir::DependsOnX64(op, types)) continue;
    return d;
  }
  return std::nullopt;
}

}  // namespace jitsynth::synth::detail
