// The kernel families: the structure of each category of program. Each
// shapes the arguments and the control flow and scales op groups; the
// expressions themselves come from Gen.
#include <cmath>
#include <string_view>

#include "synth/builder.h"

namespace jitsynth::synth::detail {

using ir::DType;
using ir::ExprPtr;
using ir::Interval;
using ir::OpAttrs;
using ir::OpGroup;
using ir::OpId;
using ir::Shape;
using ir::TensorType;

namespace {

// Whether `method` is `family` in CamelCase followed by "Family".
constexpr bool NamedAfter(std::string_view method, std::string_view family) {
  std::string_view::size_type i = 0;
  bool upper = true;
  for (const char c : family) {
    if (c == '_') {
      upper = true;
      continue;
    }
    const char want = upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    if (i >= method.size() || method[i++] != want) return false;
    upper = false;
  }
  return method.substr(i) == "Family";
}

#define JITSYNTH_FAMILY_NAME_CHECK(e, builder, name, ...) \
  static_assert(NamedAfter(#builder, name), "Builder::" #builder " is not named after " name);
JITSYNTH_FAMILIES(JITSYNTH_FAMILY_NAME_CHECK)
#undef JITSYNTH_FAMILY_NAME_CHECK

}  // namespace

const std::array<Builder::FamilyBuilder, kFamilyTable.size()> Builder::kFamilyBuilders = {
#define JITSYNTH_FAMILY_BUILDER(e, builder, ...) &Builder::builder,
    JITSYNTH_FAMILIES(JITSYNTH_FAMILY_BUILDER)
#undef JITSYNTH_FAMILY_BUILDER
};

void Builder::Focus(Family family) {
  group_scale_ = knobs_.focus[static_cast<size_t>(family)];
  for (Candidates& c : candidates_) c.ready = false;
}

Exprs Builder::ElementwiseFamily() {
  // Within any policy's shape limits: the generator falls back to this family.
  const TensorType t = Float(RandomShape(std::min(1, knobs_.max_rank), 3));
  const int n_args = std::min(static_cast<int>(rng_.UniformInt(2, 3)), knobs_.max_args);
  for (int i = 0; i < n_args; ++i) {
    TensorType at = t;
    if (i > 0 && t.rank() > 1 && Chance(Choice::kElementwiseBiasRow)) at.shape = {t.shape.back()};  // a bias row
    AddArg(at, ArgRange(fdt_));
  }
  Exprs results = {Compute(t, Depth() + 1)};
  if (Chance(Choice::kElementwiseSecond)) results.push_back(Compute(t, Depth()));
  return results;
}

Exprs Builder::ScalarArrayFamily() {
  const TensorType t = Float(RandomShape(1, 2));
  ExprPtr alpha = AddArg(Float({}), ArgRange(fdt_));
  ExprPtr x = AddArg(t, ArgRange(fdt_));
  ExprPtr y = AddArg(t, ArgRange(fdt_));
  for (const ExprPtr& v : {alpha, x, y}) ++use_count_[v->var];
  const bool perturbed = Chance(Choice::kScalarArrayPerturbed);
  if (perturbed) x = Chance(Choice::kScalarArrayPerturbUnary) ? Unary(x) : Combine(x, Gen(t, 1, true));
  Exprs product = Chance(Choice::kScalarArrayAlphaFirst) ? Exprs{alpha, x} : Exprs{x, alpha};
  ExprPtr ax = TryOp(OpId::kMul, product);
  if (!ax) ax = Op(OpId::kMul, {alpha, Bound(x)});
  ExprPtr rhs = y;
  if (Chance(Choice::kScalarArrayScaledY)) rhs = Op(OpId::kMul, {AddArg(Float({}), ArgRange(fdt_)), y});
  ExprPtr out = Op(Chance(Choice::kScalarArrayAdd) ? OpId::kAdd : OpId::kSub, {MaybeAssign(ax), rhs});
  if (!perturbed || Chance(Choice::kScalarArrayOuterUnary)) out = Unary(out);
  if (Chance(Choice::kScalarArrayLiteral)) out = Combine(out, Literal(fdt_));
  return {out};
}

Exprs Builder::UnaryFamily() {
  ExprPtr x = AddArg(Float(RandomShape(0, 3)), ArgRange(fdt_));
  ++use_count_[x->var];
  ExprPtr e = x;
  const int n = static_cast<int>(rng_.UniformInt(3, 5));
  for (int i = 0; i < n; ++i) {
    e = Unary(e);
    if (Chance(Choice::kUnaryLiteral)) e = Combine(e, Literal(fdt_));
    if (i + 1 < n) e = MaybeAssign(e);
  }
  return {e};
}

Exprs Builder::BranchFamily() {
  const TensorType t = Float(RandomShape(1, 3));
  ExprPtr x = AddArg(t, ArgRange(fdt_));
  ExprPtr y = AddArg(t, ArgRange(fdt_));
  const double u = rng_.UniformDouble();
  if (u < P(Choice::kBranchWhere)) {
    ExprPtr cond = Chance(Choice::kBranchWhereCompare) ? CompareWithThreshold(Gen(t, 1)) : Gen(Bool(t.shape), 2);
    ExprPtr off = Chance(Choice::kBranchWhereZero) ? Lit(0.0, fdt_) : Gen(t, Depth(), true);
    ExprPtr e = TryOp(OpId::kWhere, {MaybeAssign(cond), Compute(t, Depth()), off});
    return {e ? e : Compute(t, 2)};
  }
  const Exprs operands = Chance(Choice::kBranchTwoOperands) ? Exprs{x, y} : Exprs{x};
  auto branch = [&](const Exprs& params, int) { return BodyResults(params, {t}); };
  if (u < P(Choice::kBranchWhere) + P(Choice::kBranchCond)) return Cond(ScalarPredicate(1), operands, {t}, branch);
  const int n = static_cast<int>(rng_.UniformInt(2, 4));
  return Switch(SwitchIndex(n), n, operands, {t}, branch);
}

Exprs Builder::LoopFamily() {
  const TensorType t = Float(RandomShape(1, 2));
  if (Chance(Choice::kLoopFori)) {
    Exprs init = {AddArg(t, ArgRange(fdt_))};
    if (Chance(Choice::kLoopSecondCarry)) init.push_back(AddArg(t, ArgRange(fdt_)));
    if (Chance(Choice::kLoopInvariant)) AddArg(t, ArgRange(fdt_));  // a loop-invariant operand
    std::vector<TensorType> types;
    for (const ExprPtr& e : init) types.push_back(e->type);
    Exprs out = ForiLoop(init, [&](const Exprs& p) {
      Exprs carry(p.begin() + 1, p.end());
      Exprs next = BodyResults(carry, types);
      if (Chance(Choice::kLoopIndexFloat)) {
        // Use the loop index as a float.
        OpAttrs cast;
        cast.to = fdt_;
        next[0] = Reading(
            next[0], Assign(Op(OpId::kMul, {Op(OpId::kAsType, {p[0]}, cast), Lit(0.1, fdt_)})));
      }
      return next;
    });
    if (Chance(Choice::kLoopReduce)) return {RandomReduce(out[0])};
    return out;
  }
  const int64_t steps = rng_.UniformInt(2, std::max(2, knobs_.max_trip));
  Shape xs_shape = t.shape;
  xs_shape.insert(xs_shape.begin(), steps);
  ExprPtr h = AddArg(t, ArgRange(fdt_));
  ExprPtr xs = AddArg(Float(xs_shape), ArgRange(fdt_));
  ++use_count_[xs->var];
  Exprs out = Scan({h}, xs, [&](const Exprs& p) {
    ExprPtr carry = Reading(BodyResults({p[0]}, {t})[0], p[1]);
    ExprPtr y;
    if (Chance(Choice::kLoopScanCarryOut)) {
      carry = Assign(KeepWithin(carry, p[0]->range));
      y = carry;
    } else {
      y = Gen(t, 2);
    }
    if (Chance(Choice::kLoopScanSum)) y = Reduce(OpId::kSum, y, {}, false);
    return Exprs{carry, y};
  });
  return Chance(Choice::kLoopScanBoth) ? out : Exprs{out.back()};
}

Exprs Builder::ReductionFamily() {
  const TensorType t = Chance(Choice::kReductionInt) ? Int(RandomShape(0, 2)) : Float(RandomShape(0, 2));
  Exprs results = {Compute(t, Depth() + 1, 3, OpGroup::kReduce)};
  if (Chance(Choice::kReductionSecond)) results.push_back(RandomReduce(Gen(Float(RandomShape(1, 3)), 2)));
  return results;
}

Exprs Builder::VectorFamily() {
  const bool batched = Chance(Choice::kVectorBatched);
  const TensorType t = Float(batched ? Shape{Dim(), 3} : Shape{3});
  constexpr std::array<Interval, 2> kPositive = {Interval{0.5, 2}, Interval{1, 3}};
  ExprPtr a = AddArg(t, Chance(Choice::kVectorPositive) ? kPositive[rng_.Below(2)] : ArgRange(fdt_));
  ExprPtr b = AddArg(t, Chance(Choice::kVectorPositive) ? kPositive[rng_.Below(2)] : ArgRange(fdt_));
  ++use_count_[a->var];
  ++use_count_[b->var];
  const OpAttrs last_axis = Over({-1}, batched);
  auto perturb = [&](ExprPtr x) { return Chance(Choice::kVectorRaw) ? x : Bound(Unary(x), 3); };
  Exprs results;
  const size_t variant = Pick({Choice::kVectorCross, Choice::kVectorDot, Choice::kVectorNormalize, Choice::kVectorCrossNorm});
  if (variant == 0) {
    results.push_back(Op(OpId::kCross, {perturb(a), perturb(b)}));
  } else if (variant == 1) {
    ExprPtr pa = perturb(a);
    ExprPtr pb = perturb(b);
    results.push_back(batched ? Op(OpId::kSum, {Op(OpId::kMul, {pa, pb})}, Over({-1}))
                              : Op(OpId::kDot, {pa, pb}));
  } else if (variant == 2) {
    // normalize(a), guarded when the norm can reach zero
    ExprPtr v = perturb(a);
    ExprPtr norm = MaybeAssign(Op(OpId::kNorm, {v}, last_axis));
    ExprPtr unit = TryOp(OpId::kDiv, {v, norm});
    results.push_back(unit ? unit : Op(OpId::kDiv, {v, Op(OpId::kAdd, {norm, Lit(1.0, fdt_)})}));
  } else {
    ExprPtr c = MaybeAssign(Op(OpId::kCross, {perturb(a), perturb(b)}));
    results.push_back(Op(OpId::kNorm, {c}, last_axis));
    if (!batched && Chance(Choice::kVectorSecondDot)) results.push_back(Op(OpId::kDot, {Bound(a), Bound(b)}));
  }
  if (Chance(Choice::kVectorOuterUnary)) results.back() = Unary(results.back());
  if (variant == 1 && !batched && Chance(Choice::kVectorExtraCross)) results.push_back(Op(OpId::kCross, {a, b}));
  return results;
}

Exprs Builder::MultiStatementFamily() {
  const Shape base = RandomShape(1, 3);
  AddArg(Float(base), ArgRange(fdt_));
  AddArg(Float(base), ArgRange(fdt_));
  if (Chance(Choice::kMultiRowArg)) AddArg(Float({base.back()}), ArgRange(fdt_));
  if (Chance(Choice::kMultiScalarArg)) AddArg(Float({}), ArgRange(fdt_));
  const int n = static_cast<int>(rng_.UniformInt(3, 6));
  Exprs temps;
  for (int i = 0; i < n; ++i) {
    Shape shape = base;
    if (Chance(Choice::kMultiDropAxis))
      shape.erase(shape.begin() + static_cast<ptrdiff_t>(rng_.Below(shape.size())));
    temps.push_back(Statement(Float(shape)));
  }
  Exprs results = {temps.back()};
  if (Chance(Choice::kMultiSecond)) results.push_back(temps[temps.size() - 2]);
  return results;
}

Exprs Builder::NestedBranchFamily() {
  const TensorType t = Float(RandomShape(1, 2));
  ExprPtr x = AddArg(t, ArgRange(fdt_));
  ExprPtr y = AddArg(t, ArgRange(fdt_));
  return Cond(ScalarPredicate(1), {x, y}, {t}, [&](const Exprs& p, int which) {
    if (which == 0 || Chance(Choice::kNestedInnerCond)) {
      return Cond(ScalarPredicate(1), p, {t},
                  [&](const Exprs& q, int) { return BodyResults(q, {t}); });
    }
    ExprPtr cond = CompareWithThreshold(Gen(t, 1));
    ExprPtr e = TryOp(OpId::kWhere, {cond, Gen(t, 2), Gen(t, 2, true)});
    return Exprs{Reading(e ? e : Gen(t, 2), p[0])};
  });
}

Exprs Builder::CompoundFamily() {
  const TensorType t = Float(RandomShape(1, 2));
  AddArg(t, ArgRange(fdt_));
  AddArg(t, ArgRange(fdt_));
  // Bodies hold further control flow down to control.max_depth.
  nested_p_ = P(Choice::kCompoundNested);
  ExprPtr out = ControlFlow(t, RandomConstruct());
  Exprs results = {RandomReduce(out)};
  if (Chance(Choice::kCompoundSecond)) results.push_back(out);
  return results;
}

Exprs Builder::ShapeFamily() {
  const double u = rng_.UniformDouble();
  const Shape s = RandomShape(1, 4);
  const TensorType t = u < P(Choice::kShapeInt)                              ? Int(s)
                        : u < P(Choice::kShapeInt) + P(Choice::kShapeBool) ? Bool(s)
                                                                           : Float(s);
  Exprs results = {Compute(t, Depth() + 1, 3, OpGroup::kShape)};
  if (Chance(Choice::kShapeSecond)) results.push_back(Compute(Float(RandomShape(1, 3)), Depth()));
  return results;
}

Exprs Builder::IndexingFamily() {
  if (!x64_ && Chance(Choice::kIndexingRowLoop)) {
    // Rows written one at a time in a loop (under x64 the loop index would be int64).
    const int64_t rows = Dim();
    const TensorType t = Float({rows, Dim()});
    ExprPtr x = AddArg(t, ArgRange(fdt_));
    return ForiLoop({x}, [&](const Exprs& p) {
      const TensorType row_type = Float({1, t.shape[1]});
      ExprPtr row = Reading(Gen(row_type, 2), p[1]);
      row = KeepWithin(Fit(row, row_type), CarryRange(x));
      return Exprs{Op(OpId::kDynamicUpdateSlice, {p[1], row, p[0], Lit(0, DType::kInt32)})};
    });
  }
  const TensorType t = Chance(Choice::kIndexingInt) ? Int(RandomShape(1, 3)) : Float(RandomShape(1, 3));
  return {Compute(t, Depth() + 1, 3, OpGroup::kIndex)};
}

Exprs Builder::LinalgFamily() {
  return {Compute(Float(RandomShape(0, 3)), Depth() + 1, 3, OpGroup::kLinalg)};
}

Exprs Builder::ConvFamily() {
  const bool two_d = Chance(Choice::kConvTwoD);
  const int64_t batch = rng_.UniformInt(1, 4);
  const int64_t channels = rng_.UniformInt(1, 4);
  const int64_t out_channels = rng_.UniformInt(2, 8);
  const int64_t k = rng_.UniformInt(1, 3);
  Shape image = {batch, channels};
  Shape kernel = {out_channels, channels};
  const int spatial = two_d ? 2 : 1;
  OpAttrs conv;
  conv.same_padding = Chance(Choice::kConvSame);
  for (int i = 0; i < spatial; ++i) {
    image.push_back(rng_.UniformInt(two_d ? 4 : 8, two_d ? 12 : 32));
    kernel.push_back(k);
    conv.strides.push_back(Chance(Choice::kConvStride2) ? 2 : 1);
  }
  ExprPtr x = AddArg(Float(image), ArgRange(fdt_));
  ExprPtr w = AddArg(Float(kernel), {-1, 1});
  ExprPtr h = TryOp(OpId::kConv, {x, w}, conv);
  if (!h) h = Op(OpId::kConv, {Bound(x), w}, conv);
  h = MaybeAssign(h);
  if (Chance(Choice::kConvBias)) {
    Shape bias = {out_channels};
    for (int i = 0; i < spatial; ++i) bias.push_back(1);
    h = Combine(h, AddArg(Float(bias), {-1, 1}));
  }
  h = Unary(h);
  if (Chance(Choice::kConvPool)) {
    static constexpr std::array kPools = {OpId::kMaxPool, OpId::kMaxPool, OpId::kSumPool,
                                          OpId::kMinPool};
    OpAttrs pool;
    pool.same_padding = Chance(Choice::kConvPoolSame);
    for (int i = 0; i < h->type.rank(); ++i) {
      const bool is_spatial = i >= 2;
      pool.window.push_back(is_spatial ? 2 : 1);
      pool.strides.push_back(is_spatial ? 2 : 1);
    }
    if (ExprPtr pooled = TryOp(kPools[rng_.Below(kPools.size())], {h}, pool))
      h = MaybeAssign(pooled);
  }
  const double u = rng_.UniformDouble();
  if (u < P(Choice::kConvMeanHead)) {
    std::vector<int> axes;
    for (int i = 2; i < h->type.rank(); ++i) axes.push_back(i);
    return {Reduce(OpId::kMean, h, axes, false)};
  }
  if (u < P(Choice::kConvMeanHead) + P(Choice::kConvDenseHead)) {
    OpAttrs flat;
    flat.shape = {batch, ir::NumElements(h->type.shape) / batch};
    ExprPtr features = Op(OpId::kReshape, {h}, flat);
    return {Dense(Bound(features, 3), rng_.UniformInt(2, 10))};
  }
  return {h};
}

ExprPtr Builder::Dense(ExprPtr x, int64_t out) {
  const int64_t in = x->type.shape.back();
  ExprPtr w = AddArg(Float({in, out}), {-1, 1});
  ExprPtr y = TryOp(OpId::kMatmul, {x, w});
  if (!y) y = Op(OpId::kMatmul, {Bound(x), w});
  // Many input features (a flattened image) can sum past a half-precision budget.
  if (!InBudget(y)) y = Op(OpId::kMatmul, {Bound(x, 1.0 / static_cast<double>(in)), w});
  if (Chance(Choice::kNnDenseBias) && CanAddArgs())
    y = Combine(MaybeAssign(y), AddArg(Float({out}), {-1, 1}));
  return y;
}

ExprPtr Builder::LayerNorm(ExprPtr x) {
  const auto n = static_cast<double>(x->type.shape.back());
  if (x->kind != ir::Expr::Kind::kVar) x = Assign(x);  // read four times
  if (Chance(Choice::kNormStandardize)) return Affine(Op(OpId::kStandardize, {x}, Over({-1})), x->type.shape.back());
  ExprPtr mean = MaybeAssign(Op(OpId::kMean, {x}, Over({-1}, true)));
  ExprPtr centered = Assign(Op(OpId::kSub, {x, mean}));
  ExprPtr var = Chance(Choice::kNnNormVar)
                    ? Op(OpId::kVar, {x}, Over({-1}, true))
                    : Op(OpId::kMean, {Op(OpId::kSquare, {centered})}, Over({-1}, true));
  ExprPtr shifted = Op(OpId::kAdd, {var, Lit(Chance(Choice::kNnNormEps) ? 1e-5 : 1e-6, fdt_)});
  ExprPtr normed = Chance(Choice::kNnNormSqrt) ? Op(OpId::kDiv, {centered, Op(OpId::kSqrt, {shifted})})
                                       : Op(OpId::kMul, {centered, Op(OpId::kRsqrt, {shifted})});
  // |x - mean| / std <= sqrt(n - 1): a relation between the operands that
  // interval arithmetic cannot see.
  normed = Refine(normed, {-std::sqrt(n), std::sqrt(n)});
  return Affine(normed, x->type.shape.back());
}

// A normalized value scaled by gamma and shifted by beta (or scaled only, flax's use_bias=False).
ExprPtr Builder::Affine(ExprPtr normed, int64_t features) {
  if (!Chance(Choice::kNnNormAffine) || !CanAddArgs()) return normed;
  ExprPtr gamma = AddArg(Float({features}), {0.5, 1.5}, "gamma");
  normed = Op(OpId::kMul, {MaybeAssign(normed), gamma});
  if (Chance(Choice::kNormLayerScaleOnly) || !CanAddArgs()) return normed;
  return Op(OpId::kAdd, {normed, AddArg(Float({features}), {-1, 1}, "beta")});
}

ExprPtr Builder::Attention(ExprPtr q, ExprPtr k, ExprPtr v) {
  const int64_t d = q->type.shape.back();
  ExprPtr scores;
  if (Chance(Choice::kNnAttentionMatmul)) {
    scores = Op(OpId::kMatmul, {q, Op(OpId::kT, {k})});
  } else {
    OpAttrs spec;
    spec.subscripts = "qd,kd->qk";
    scores = Op(OpId::kEinsum, {q, k}, spec);
  }
  const double scale = std::round(std::sqrt(static_cast<double>(d)) * 1000) / 1000;
  scores = MaybeAssign(Op(OpId::kDiv, {scores, Lit(scale, fdt_)}));
  if (Chance(Choice::kNnCausalMask)) {
    // A causal mask.
    OpAttrs ones;
    ones.shape = scores->type.shape;
    ones.to = DType::kBool;
    ExprPtr mask = Op(OpId::kTril, {Op(OpId::kOnes, {}, ones)});
    scores =
        Op(OpId::kWhere, {mask, scores, Lit(fdt_ == DType::kFloat16 ? -100.0 : -1000.0, fdt_)});
  }
  ExprPtr weights = MaybeAssign(Op(OpId::kSoftmax, {scores}, Over({-1})));
  return Op(OpId::kMatmul, {weights, v});
}

ExprPtr Builder::Activation(ExprPtr x) {
  static constexpr std::array kActivations = {
      OpId::kRelu,      OpId::kGelu,     OpId::kSilu, OpId::kTanh,  OpId::kSigmoid, OpId::kElu,
      OpId::kLeakyRelu, OpId::kSoftplus, OpId::kMish, OpId::kRelu6, OpId::kSelu,    OpId::kCelu};
  ExprPtr y = TryOp(kActivations[rng_.Below(kActivations.size())], {Bound(x, 6)});
  return y ? y : Op(OpId::kTanh, {x});
}

ExprPtr Builder::Mlp(ExprPtr x, int64_t out) {
  const int layers = static_cast<int>(rng_.UniformInt(1, 3));
  for (int i = 0; i < layers; ++i) {
    x = MaybeAssign(Activation(Dense(Bound(x, 3), Dim())));
    if (Chance(Choice::kNnMlpNorm)) x = LayerNorm(x);
  }
  return Dense(Bound(x, 3), out);
}

Exprs Builder::NnFamily() {
  const int64_t batch = Dim();
  const int64_t features = Dim();
  ExprPtr x = AddArg(Float({batch, features}), ArgRange(fdt_));
  ExprPtr out;
  switch (Pick({Choice::kNnLayerNormCase, Choice::kNnAttentionCase, Choice::kNnMlpCase, Choice::kNnLossCase})) {
    case 0: {
      ExprPtr in = Chance(Choice::kNnNormDense) ? Bound(Dense(x, features), 6) : x;
      out = Chance(Choice::kNnRmsNorm) ? RmsNorm(in) : LayerNorm(in);
      if (Chance(Choice::kNnNormActivation)) out = Activation(out);
      if (Chance(Choice::kNnResidual)) out = Combine(out, x);  // a residual connection
      break;
    }
    case 1: {
      ExprPtr kv = AddArg(Float({Dim(), features}), ArgRange(fdt_));
      ExprPtr q = Chance(Choice::kNnQueryRaw) ? x : Bound(Dense(x, features), 3);
      ExprPtr k = Chance(Choice::kNnKeyRaw) ? kv : Bound(Dense(kv, features), 3);
      ExprPtr v = Chance(Choice::kNnValueRaw) ? kv : Bound(Dense(kv, Dim()), 3);
      out = Attention(q, k, v);
      if (out->type == x->type && Chance(Choice::kNnAttentionResidual)) out = Combine(out, x);
      break;
    }
    case 2:
      out = Mlp(x, Dim());
      break;
    default: {
      // Softmax cross-entropy with one-hot labels, perhaps smoothed.
      const int64_t classes = std::max<int64_t>(2, Dim());
      ExprPtr logits = Bound(Chance(Choice::kNnLogitsMlp) ? Mlp(x, classes) : Compute(x->type, 2), 6);
      const int64_t c = logits->type.shape.back();
      OpAttrs hot;
      hot.count = c;
      hot.to = fdt_;
      ExprPtr labels =
          Op(OpId::kOneHot, {Index(TensorType{DType::kInt32, {batch}}, c, false)}, hot);
      if (Chance(Choice::kNnLabelSmoothing)) {
        const double eps = std::array{0.05, 0.1, 0.2}[rng_.Below(3)];
        labels = Op(OpId::kAdd, {Op(OpId::kMul, {labels, Lit(1 - eps, fdt_)}),
                                 Lit(eps / static_cast<double>(c), fdt_)});
      }
      ExprPtr logp = MaybeAssign(Op(OpId::kLogSoftmax, {logits}, Over({-1})));
      ExprPtr per_example =
          Op(OpId::kNeg, {Op(OpId::kSum, {Op(OpId::kMul, {labels, logp})}, Over({-1}))});
      per_example = MaybeAssign(per_example);
      out = Chance(Choice::kNnLossSum) ? TryOp(OpId::kSum, {per_example}) : nullptr;
      if (!out) out = Op(OpId::kMean, {per_example});
      break;
    }
  }
  return {out};
}

Exprs Builder::IntegerFamily() {
  const Shape s = RandomShape(1, 3);
  const TensorType t = Chance(Choice::kIntegerBool) ? Bool(s) : Int(s);
  AddArg(Int(s), ArgRange(idt_));
  return {
      Compute(t, Depth() + 1, 3, t.dtype == DType::kBool ? OpGroup::kCompare : OpGroup::kBitwise)};
}

Exprs Builder::SortingFamily() {
  const Shape s = RandomShape(1, 3);
  return {Compute(Chance(Choice::kSortingInt) ? Int(s) : Float(s), Depth() + 1, 3, OpGroup::kSequence)};
}

Exprs Builder::RandomFamily() {
  const TensorType t = Float(RandomShape(1, 3));
  ExprPtr x = AddArg(t, ArgRange(fdt_));
  ++use_count_[x->var];
  const double u = rng_.UniformDouble();
  if (u < P(Choice::kRandomDropout)) {
    // Dropout: keep each element with probability p, scaled by 1/p.
    OpAttrs keep;
    keep.shape = t.shape;
    keep.reals = {std::array{0.5, 0.8, 0.9}[rng_.Below(3)]};
    ExprPtr key = Key();
    // No key in scope and no room for one (shape.max_args): no dropout.
    if (!key) return {Compute(t, Depth() + 1, 3, OpGroup::kRandom)};
    ExprPtr mask = MaybeAssign(Op(OpId::kBernoulli, {key}, keep));
    return {
        Op(OpId::kWhere, {mask, Op(OpId::kDiv, {x, Lit(keep.reals[0], fdt_)}), Lit(0.0, fdt_)})};
  }
  if (u < P(Choice::kRandomDropout) + P(Choice::kRandomCombine)) return {Combine(x, GenIn(t, Depth(), OpGroup::kRandom))};
  return {Compute(t, Depth() + 1, 3, OpGroup::kRandom)};
}

Exprs Builder::WhileLoopFamily() {
  const TensorType t = Float(RandomShape(1, 2));
  Exprs init = {AddArg(t, ArgRange(fdt_))};
  if (Chance(Choice::kWhileSecondCarry)) init.push_back(AddArg(t, ArgRange(fdt_)));
  std::vector<TensorType> types;
  for (const ExprPtr& e : init) types.push_back(e->type);
  Exprs out;
  if (rng_.Bernoulli(knobs_.dynamic_fori_p)) {
    out = ForiLoop(
        init, [&](const Exprs& p) { return BodyResults(Exprs(p.begin() + 1, p.end()), types); },
        TripBound());
  } else {
    ExprPtr bound =
        Chance(Choice::kWhileLiteralBound)
            ? Lit(static_cast<double>(rng_.UniformInt(1, knobs_.max_trip)), DType::kInt32)
            : TripBound();
    out = WhileLoop(
        init, bound, [&](const Exprs& p) { return BodyResults(p, types); }, Chance(Choice::kWhileExtraCondition));
  }
  if (Chance(Choice::kWhileReduce)) return {RandomReduce(out[0])};
  return out;
}

Exprs Builder::HelpersFamily() {
  const TensorType p0 = Float(RandomShape(1, 2));
  std::vector<TensorType> params = {p0};
  if (Chance(Choice::kHelpersSecondParam))
    params.push_back(Chance(Choice::kHelpersScalarParam) ? Float({}) : Float({p0.shape.back()}));
  const TensorType result = Chance(Choice::kHelpersSameResult) ? p0 : Float({});
  const int helper = Helper(params, result);
  auto arg_of = [&](const TensorType& t) {
    return Chance(Choice::kHelpersLeafArg) ? Leaf(t, false) : Gen(t, 2);
  };
  if (Chance(Choice::kHelpersVmap)) {
    // jax.vmap over a batch of the first parameter; others shared or batched.
    const int64_t batch = Dim();
    Exprs args;
    std::vector<int> in_axes;
    for (size_t i = 0; i < params.size(); ++i) {
      const bool mapped = i == 0 || Chance(Choice::kHelpersMapped);
      Shape s = params[i].shape;
      if (mapped) s.insert(s.begin(), batch);
      args.push_back(arg_of(Float(s)));
      in_axes.push_back(mapped ? 0 : -1);
    }
    ExprPtr batched = MaybeAssign(Call(helper, args, in_axes));
    Exprs plain_args;
    for (const TensorType& p : params) plain_args.push_back(arg_of(p));
    return {Combine(batched, Call(helper, plain_args))};
  }
  ExprPtr e;
  const int calls = static_cast<int>(rng_.UniformInt(2, 3));
  for (int c = 0; c < calls; ++c) {
    Exprs args;
    for (const TensorType& p : params) args.push_back(arg_of(p));
    ExprPtr call = MaybeAssign(Call(helper, args));
    e = e ? Combine(e, call) : call;
  }
  return {e};
}

}  // namespace jitsynth::synth::detail
