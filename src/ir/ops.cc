#include "ir/ops.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace jitsynth::ir {
namespace {

constexpr std::array kOps = {
#define JITSYNTH_OP_INFO(e, name, spelling, form, arity, shape, dtype, domain, darg, prec, diff) \
  OpInfo{OpId::e,          name,         spelling, OpForm::form, arity, ShapeRule::shape,          \
         DTypeRule::dtype, Domain::domain, darg,   prec,         diff},
    JITSYNTH_OPS(JITSYNTH_OP_INFO)
#undef JITSYNTH_OP_INFO
};

Status TypeError(OpId op, std::span<const TensorType> args, std::string_view why) {
  std::vector<std::string> names;
  for (const TensorType& t : args) names.push_back(t.ToString());
  return InvalidArgument(
      fmt::format("{}({}): {}", Info(op).name, fmt::join(names, ", "), why));
}

Result<DType> InferDType(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  auto all_same = [&](size_t from) {
    for (size_t i = from + 1; i < args.size(); ++i) {
      if (args[i].dtype != args[from].dtype) return false;
    }
    return true;
  };
  switch (info.dtype_rule) {
    case DTypeRule::kFloat:
      if (!all_same(0)) return TypeError(op, args, "arguments must share one dtype");
      if (!IsFloat(args[0].dtype)) return TypeError(op, args, "needs floating-point arguments");
      return args[0].dtype;
    case DTypeRule::kNumeric:
      if (!all_same(0)) return TypeError(op, args, "arguments must share one dtype");
      if (args[0].dtype == DType::kBool) return TypeError(op, args, "needs numeric arguments");
      return args[0].dtype;
    case DTypeRule::kCompare:
      if (!all_same(0)) return TypeError(op, args, "arguments must share one dtype");
      if (args[0].dtype == DType::kBool) return TypeError(op, args, "needs numeric arguments");
      return DType::kBool;
    case DTypeRule::kWhere:
      if (args[0].dtype != DType::kBool) return TypeError(op, args, "condition must be bool");
      if (!all_same(1)) return TypeError(op, args, "branches must share one dtype");
      return args[1].dtype;
    case DTypeRule::kCast:
      return attrs.to;
  }
  return Internal("unhandled dtype rule");
}

Result<Shape> InferShape(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  switch (info.shape_rule) {
    case ShapeRule::kSame:
      return args[0].shape;
    case ShapeRule::kBroadcast: {
      Shape out = args[0].shape;
      for (size_t i = 1; i < args.size(); ++i) {
        ASSIGN_OR_RETURN(out, BroadcastShapes(out, args[i].shape));
      }
      return out;
    }
    case ShapeRule::kReduce: {
      const Shape& in = args[0].shape;
      const int rank = static_cast<int>(in.size());
      std::set<int> axes;
      for (int a : attrs.axes) {
        const int axis = a < 0 ? a + rank : a;
        if (axis < 0 || axis >= rank) return TypeError(op, args, fmt::format("axis {} out of range", a));
        if (!axes.insert(axis).second) return TypeError(op, args, "repeated axis");
      }
      if (op == OpId::kNorm && attrs.axes.size() != 1 && rank > 1) {
        return TypeError(op, args, "norm takes one axis (or none on a vector)");
      }
      Shape out;
      for (int i = 0; i < rank; ++i) {
        const bool reduced = attrs.axes.empty() || axes.count(i) > 0;
        if (!reduced) out.push_back(in[i]);
        else if (attrs.keepdims) out.push_back(1);
      }
      return out;
    }
    case ShapeRule::kDot:
    case ShapeRule::kMatmul: {
      const Shape& a = args[0].shape;
      const Shape& b = args[1].shape;
      if (a.empty() || b.empty() || a.size() > 2 || b.size() > 2) {
        return TypeError(op, args, "operands must be 1-D or 2-D");
      }
      const int64_t ka = a.back();
      const int64_t kb = b.size() == 1 ? b[0] : b[0];
      if (ka != kb) return TypeError(op, args, "contracting dimensions differ");
      Shape out;
      if (a.size() == 2) out.push_back(a[0]);
      if (b.size() == 2) out.push_back(b[1]);
      return out;
    }
    case ShapeRule::kCross: {
      if (args[0].shape.empty() || args[0].shape.back() != 3 || args[1].shape.empty() ||
          args[1].shape.back() != 3) {
        return TypeError(op, args, "cross needs operands whose last axis is 3");
      }
      return BroadcastShapes(args[0].shape, args[1].shape);
    }
  }
  return Internal("unhandled shape rule");
}

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Softplus(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }

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

int64_t ReducedCount(const TensorType& t, const OpAttrs& attrs) {
  if (attrs.axes.empty()) return NumElements(t.shape);
  int64_t n = 1;
  for (int a : attrs.axes) n *= t.shape[a < 0 ? a + t.rank() : a];
  return n;
}

}  // namespace

const OpInfo& Info(OpId op) { return kOps[static_cast<size_t>(op)]; }
std::span<const OpInfo> AllOps() { return kOps; }

Result<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      return InvalidArgument(fmt::format("shapes {} and {} do not broadcast", ShapeToString(a),
                                         ShapeToString(b)));
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Result<TensorType> InferType(OpId op, std::span<const TensorType> args, const OpAttrs& attrs) {
  const OpInfo& info = Info(op);
  if (static_cast<int>(args.size()) != info.arity) {
    return TypeError(op, args, fmt::format("takes {} arguments", info.arity));
  }
  ASSIGN_OR_RETURN(DType dtype, InferDType(op, args, attrs));
  ASSIGN_OR_RETURN(Shape shape, InferShape(op, args, attrs));
  if (op == OpId::kClip && attrs.reals.size() != 2) return TypeError(op, args, "clip needs lo, hi");
  return TensorType{dtype, std::move(shape)};
}

bool DomainHolds(Domain domain, const Interval& arg) {
  switch (domain) {
    case Domain::kAny: return true;
    case Domain::kPositive: return arg.lo >= 0.5;
    case Domain::kNonNegative: return arg.lo >= 0;
    case Domain::kAboveMinusOne: return arg.lo >= -0.5;
    case Domain::kNonZero: return arg.lo >= 0.5 || arg.hi <= -0.5;
    case Domain::kExpSafe: return arg.hi <= 6;
  }
  return false;
}

Interval OpRange(OpId op, std::span<const Interval> a, std::span<const TensorType> types,
                 const OpAttrs& attrs) {
  switch (op) {
    case OpId::kNeg: return {-a[0].hi, -a[0].lo};
    case OpId::kAbs: return AbsRange(a[0]);
    case OpId::kSin:
    case OpId::kCos: return {-1, 1};
    case OpId::kTanh: return Increasing(a[0], [](double x) { return std::tanh(x); });
    case OpId::kExp: return Increasing(a[0], [](double x) { return std::exp(x); });
    case OpId::kLog: return Increasing(a[0], [](double x) { return std::log(x); });
    case OpId::kLog1p: return Increasing(a[0], [](double x) { return std::log1p(x); });
    case OpId::kSqrt: return Increasing(a[0], [](double x) { return std::sqrt(x); });
    case OpId::kSquare: {
      const Interval m = AbsRange(a[0]);
      return {m.lo * m.lo, m.hi * m.hi};
    }
    case OpId::kSigmoid: return Increasing(a[0], Sigmoid);
    case OpId::kRelu: return {std::max(a[0].lo, 0.0), std::max(a[0].hi, 0.0)};
    case OpId::kSoftplus: return Increasing(a[0], Softplus);
    case OpId::kClip:
      return {std::clamp(a[0].lo, attrs.reals[0], attrs.reals[1]),
              std::clamp(a[0].hi, attrs.reals[0], attrs.reals[1])};
    case OpId::kAdd: return {a[0].lo + a[1].lo, a[0].hi + a[1].hi};
    case OpId::kSub: return {a[0].lo - a[1].hi, a[0].hi - a[1].lo};
    case OpId::kMul: return MulRange(a[0], a[1]);
    case OpId::kDiv: {
      // The divisor excludes zero (the domain says so), so 1/d is monotone.
      const Interval inv = {1.0 / a[1].hi, 1.0 / a[1].lo};
      return MulRange(a[0], {std::min(inv.lo, inv.hi), std::max(inv.lo, inv.hi)});
    }
    case OpId::kMaximum: return {std::max(a[0].lo, a[1].lo), std::max(a[0].hi, a[1].hi)};
    case OpId::kMinimum: return {std::min(a[0].lo, a[1].lo), std::min(a[0].hi, a[1].hi)};
    case OpId::kGt:
    case OpId::kLt:
    case OpId::kGe:
    case OpId::kLe: return {0, 1};
    case OpId::kWhere: return Interval::Hull(a[1], a[2]);
    case OpId::kSum: {
      const auto n = static_cast<double>(ReducedCount(types[0], attrs));
      return {std::min(a[0].lo * n, a[0].lo), std::max(a[0].hi * n, a[0].hi)};
    }
    case OpId::kMean:
    case OpId::kMax:
    case OpId::kMin: return a[0];
    case OpId::kNorm: {
      const auto n = static_cast<double>(ReducedCount(types[0], attrs));
      const Interval m = AbsRange(a[0]);
      return {m.lo * std::sqrt(n), m.hi * std::sqrt(n)};
    }
    case OpId::kDot:
    case OpId::kMatmul: {
      const auto k = static_cast<double>(types[0].shape.back());
      const Interval p = MulRange(a[0], a[1]);
      return {std::min(p.lo * k, p.lo), std::max(p.hi * k, p.hi)};
    }
    case OpId::kCross: {
      const double m = 2 * a[0].MaxAbs() * a[1].MaxAbs();
      return {-m, m};
    }
    case OpId::kAsType: return a[0];
  }
  return {0, 0};
}

}  // namespace jitsynth::ir
