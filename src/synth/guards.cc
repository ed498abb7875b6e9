// How a program keeps values in range: the guards of Bound, KeepWithin and
// an op's domain, in the habit each program draws from the policy
// (guard_bound.*, guard_positive.*, guard_nonneg.*, guard_eps.*).
#include <array>
#include <cmath>

#include "synth/builder.h"

namespace jitsynth::synth::detail {

using ir::DType;
using ir::Expr;
using ir::ExprPtr;
using ir::Interval;
using ir::OpAttrs;
using ir::OpId;

namespace {

// A weighted pick among the policy's weights for `choices`; the first when all are zero.
template <size_t N>
size_t PickHabit(Rng& rng, const Knobs& knobs, const std::array<Choice, N>& choices) {
  std::array<double, N> w{};
  double total = 0;
  for (size_t i = 0; i < N; ++i) total += w[i] = knobs.choice[static_cast<size_t>(choices[i])];
  return total > 0 ? rng.PickWeighted(w) : 0;
}

// Contraction factors a program may write, largest first.
constexpr std::array kFactors = {0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.001, 1e-4};

}  // namespace

bool InBudgetAbove(const ExprPtr& e, const ExprPtr& operand) {
  if (e == operand || e->kind != ir::Expr::Kind::kOp) return true;
  if (ir::IsFloat(e->type.dtype) &&
      !(std::isfinite(e->range.lo) && std::isfinite(e->range.hi) &&
        e->range.MaxAbs() <= ir::MagnitudeBudget(e->type.dtype))) {
    return false;
  }
  for (const ExprPtr& a : e->args) {
    if (!InBudgetAbove(a, operand)) return false;
  }
  return true;
}

void Builder::DrawGuardHabits() {
  bound_style_ = static_cast<BoundStyle>(PickHabit(
      rng_, knobs_,
      std::array{Choice::kBoundClip, Choice::kBoundTanh, Choice::kBoundSoftSign,
                 Choice::kBoundHardTanh, Choice::kBoundWhereMask, Choice::kBoundRescale,
                 Choice::kBoundContract, Choice::kBoundSigmoid, Choice::kBoundErf}));
  positive_style_ = static_cast<PositiveStyle>(PickHabit(
      rng_, knobs_,
      std::array{Choice::kPositiveShift, Choice::kPositiveSquare, Choice::kPositiveSoftplus,
                 Choice::kPositiveSmoothAbs, Choice::kPositiveMaximum, Choice::kPositiveExp}));
  nonneg_style_ = static_cast<NonNegStyle>(PickHabit(
      rng_, knobs_,
      std::array{Choice::kNonNegAbs, Choice::kNonNegSquare, Choice::kNonNegRelu,
                 Choice::kNonNegSoftplus}));
  constexpr std::array kEps = {1.0, 0.5, 0.1, 1e-3, 1e-6};
  guard_eps_ = kEps[PickHabit(rng_, knobs_,
                              std::array{Choice::kEpsOne, Choice::kEpsHalf, Choice::kEpsTenth,
                                         Choice::kEpsMilli, Choice::kEpsMicro})];
}

ExprPtr Builder::Squash(ExprPtr x, double limit) {
  if (ExprPtr e = SquashIn(x, limit, bound_style_);
      e && e->range.Within({-limit, limit}) && InBudgetAbove(e, x)) {
    return e;
  }
  return Clip(std::move(x), -limit, limit);
}

ExprPtr Builder::SquashIn(const ExprPtr& x, double limit, BoundStyle style) {
  const DType t = x->type.dtype;
  // A squash into (-1, 1), then scaled to the limit.
  auto scaled = [&](ExprPtr unit) {
    return limit == 1.0 ? unit : Op(OpId::kMul, {std::move(unit), Lit(limit, t)});
  };
  auto reused = [&]() { return x->kind == Expr::Kind::kVar ? x : Assign(x); };  // read twice
  switch (style) {
    case BoundStyle::kClip:
      return nullptr;
    case BoundStyle::kTanh:
      if (limit == 1.0) return Op(OpId::kTanh, {x});
      return Op(OpId::kMul, {Lit(limit, t), Op(OpId::kTanh, {Op(OpId::kDiv, {x, Lit(limit, t)})})});
    case BoundStyle::kSoftSign:
      return scaled(Op(OpId::kSoftSign, {x}));
    case BoundStyle::kHardTanh:
      return limit == 1.0 ? Op(OpId::kHardTanh, {x}) : nullptr;
    case BoundStyle::kSigmoid:
      return scaled(Op(OpId::kSub, {Op(OpId::kMul, {Lit(2.0, t), Op(OpId::kSigmoid, {x})}), Lit(1.0, t)}));
    case BoundStyle::kErf:
      return scaled(Op(OpId::kErf, {x}));
    case BoundStyle::kContract: {
      const double m = x->range.MaxAbs();
      if (!std::isfinite(m)) return nullptr;
      for (const double c : kFactors) {
        if (c * m <= limit) return Op(OpId::kMul, {x, Lit(c, t)});
      }
      return nullptr;
    }
    case BoundStyle::kWhereMask: {
      if (!x->range.Contains(0)) return nullptr;
      ExprPtr v = reused();
      ExprPtr inside = Op(OpId::kLe, {Op(OpId::kAbs, {v}), Lit(limit, t)});
      ExprPtr masked = Op(OpId::kWhere, {inside, v, Lit(0.0, t)});
      // Where the mask holds |x| <= limit: a relation interval arithmetic cannot see.
      return Refine(masked, {std::max(-limit, v->range.lo), std::min(limit, v->range.hi)});
    }
    case BoundStyle::kRescale: {
      if (x->type.rank() == 0) return nullptr;
      ExprPtr v = reused();
      OpAttrs over;
      if (x->type.rank() > 1 && Chance(Choice::kGuardRescaleRow)) {
        over.axes = {-1};
        over.keepdims = true;
      }
      ExprPtr norm = Op(OpId::kMax, {Op(OpId::kAbs, {v})}, over);
      if (norm->range.hi + guard_eps_ > Budget(t)) return nullptr;
      ExprPtr unit = Op(OpId::kDiv, {v, Op(OpId::kAdd, {norm, Lit(guard_eps_, t)})});
      // |x| / (max |x| + eps) < 1, which interval arithmetic cannot see.
      return scaled(Refine(unit, {v->range.lo >= 0 ? 0.0 : -1.0, v->range.hi <= 0 ? 0.0 : 1.0}));
    }
  }
  return nullptr;
}

ExprPtr Builder::Positive(const ExprPtr& a, ir::Domain domain, bool habit) {
  const DType t = a->type.dtype;
  const double eps = habit ? guard_eps_ : 1.0;
  const PositiveStyle style = habit ? positive_style_ : PositiveStyle::kShift;
  switch (style) {
    case PositiveStyle::kShift:
      break;
    case PositiveStyle::kSquare:
      return Op(OpId::kAdd, {Op(OpId::kSquare, {a}), Lit(eps, t)});
    case PositiveStyle::kSoftplus:
      return Op(OpId::kAdd, {Op(OpId::kSoftplus, {a}), Lit(eps, t)});
    case PositiveStyle::kSmoothAbs:
      if (a->range.MaxAbs() * a->range.MaxAbs() + eps > Budget(t)) break;
      return Op(OpId::kSqrt, {Op(OpId::kAdd, {Op(OpId::kMul, {a, a}), Lit(eps, t)})});
    case PositiveStyle::kMaximum:
      return Op(OpId::kMaximum, {a, Lit(eps, t)});
    case PositiveStyle::kExp: {
      auto e = ir::MakeOp(OpId::kExp, {a}, {});
      if (e.ok() && ir::DomainHolds(**e)) return std::move(e).value();
      break;
    }
  }
  if (a->range.lo >= 0) return Op(OpId::kAdd, {a, Lit(eps, t)});
  if (domain == ir::Domain::kNonZero && a->range.hi <= 0) return Op(OpId::kSub, {a, Lit(eps, t)});
  return Op(OpId::kAdd, {Op(OpId::kAbs, {a}), Lit(eps, t)});
}

ExprPtr Builder::NonNegative(const ExprPtr& a, bool habit) {
  switch (habit ? nonneg_style_ : NonNegStyle::kAbs) {
    case NonNegStyle::kAbs:
      return Op(OpId::kAbs, {a});
    case NonNegStyle::kSquare:
      return Op(OpId::kSquare, {a});
    case NonNegStyle::kRelu:
      return Op(OpId::kRelu, {a});
    case NonNegStyle::kSoftplus:
      return Op(OpId::kSoftplus, {a});
  }
  return Op(OpId::kAbs, {a});
}

}  // namespace jitsynth::synth::detail
