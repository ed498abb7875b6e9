// The idioms of model code as families: normalization layers, optimizer
// updates, position codes, attention with masks, losses, recurrent cells,
// embeddings, iterative solvers and blocks composed of them. Each is written
// as such code is written; where interval arithmetic cannot see a bound the
// math gives (|x - mean| / std <= sqrt(n), a convex combination), Refine
// states it, and the comment says why it holds.
#include <cmath>
#include <vector>

#include "synth/builder.h"

namespace jitsynth::synth::detail {

using ir::DType;
using ir::ExprPtr;
using ir::Interval;
using ir::OpAttrs;
using ir::OpId;
using ir::Shape;
using ir::TensorType;

namespace {

OpAttrs Over(std::vector<int> axes, bool keepdims = false) {
  OpAttrs a;
  a.axes = std::move(axes);
  a.keepdims = keepdims;
  return a;
}

OpAttrs ShapeAttr(Shape shape) {
  OpAttrs a;
  a.shape = std::move(shape);
  return a;
}

OpAttrs Piece(int64_t count, int64_t index, int axis) {
  OpAttrs a;
  a.count = count;
  a.index = index;
  a.axes = {axis};
  return a;
}

bool Half(DType t) { return t == DType::kFloat16 || t == DType::kBFloat16; }

// sqrt(n), the bound of a value normalized over n elements, with a margin for rounding.
double NormBound(int64_t n) { return std::sqrt(static_cast<double>(n)) + 0.01; }

}  // namespace

size_t Builder::Pick(std::initializer_list<Choice> choices) {
  std::vector<double> w;
  double total = 0;
  for (const Choice c : choices) total += w.emplace_back(P(c));
  return total > 0 ? rng_.PickWeighted(w) : 0;
}

ExprPtr Builder::Cast(ExprPtr x, DType to) {
  if (x->type.dtype == to) return x;
  OpAttrs cast;
  cast.to = to;
  return Op(OpId::kAsType, {std::move(x)}, cast);
}

ExprPtr Builder::RmsNorm(ExprPtr x) {
  const DType t = x->type.dtype;
  const int64_t n = x->type.shape.back();
  const bool upcast = Half(t) && Chance(Choice::kNormFloat32Stats);
  ExprPtr h = upcast ? Assign(Cast(x, DType::kFloat32)) : x;
  if (h->kind != ir::Expr::Kind::kVar) h = Assign(h);
  const DType ht = h->type.dtype;
  ExprPtr square = Op(OpId::kSquare, {h});
  if (Chance(Choice::kNnNormVar)) {  // x * x, which interval arithmetic takes for a product of two
    const double m = h->range.MaxAbs();
    square = Refine(Op(OpId::kMul, {h, h}), {0, m * m});
  }
  ExprPtr ms = MaybeAssign(Op(OpId::kMean, {square}, Over({-1}, true)));
  const double eps = Chance(Choice::kNnNormEps) ? 1e-5 : 1e-6;
  ExprPtr y = Op(OpId::kMul, {h, Op(OpId::kRsqrt, {Op(OpId::kAdd, {ms, Lit(eps, ht)})})});
  // |x| / rms(x) <= sqrt(n).
  y = Refine(y, {h->range.lo >= 0 ? 0 : -NormBound(n), h->range.hi <= 0 ? 0 : NormBound(n)});
  if (upcast) y = Cast(y, t);
  if (Chance(Choice::kNnNormAffine) && CanAddArgs())
    y = Op(OpId::kMul, {MaybeAssign(y), AddArg(TensorType{t, {n}}, {0.5, 1.5}, "scale")});
  return y;
}

Exprs Builder::BatchNorm(ExprPtr x, const std::vector<int>& axes, bool keep) {
  const DType t = x->type.dtype;
  int64_t reduced = 1;
  for (int a : axes) reduced *= x->type.shape[static_cast<size_t>(a)];
  ExprPtr mean = Assign(Op(OpId::kMean, {x}, Over(axes, keep)));
  ExprPtr var = MaybeAssign(Op(OpId::kVar, {x}, Over(axes, keep)));
  ExprPtr shifted = Op(OpId::kAdd, {var, Lit(Chance(Choice::kNnNormEps) ? 1e-5 : 1e-3, t)});
  ExprPtr centered = Op(OpId::kSub, {x, mean});
  ExprPtr y = Chance(Choice::kNnNormSqrt) ? Op(OpId::kDiv, {centered, Op(OpId::kSqrt, {shifted})})
                                          : Op(OpId::kMul, {centered, Op(OpId::kRsqrt, {shifted})});
  // |x - mean| / std <= sqrt(n - 1) over the n reduced elements.
  y = Refine(y, {-NormBound(reduced), NormBound(reduced)});
  if (Chance(Choice::kNnNormAffine) && CanAddArgs()) {
    ExprPtr gamma = AddArg(TensorType{t, mean->type.shape}, {0.5, 1.5}, "gamma");
    ExprPtr beta = AddArg(TensorType{t, mean->type.shape}, {-1, 1}, "beta");
    y = Op(OpId::kAdd, {Op(OpId::kMul, {MaybeAssign(y), gamma}), beta});
  }
  Exprs out = {y};
  if (CanAddArgs()) {
    // The running mean, updated with momentum 0.9 as flax's BatchNorm does.
    ExprPtr running = AddArg(TensorType{t, mean->type.shape}, ArgRange(t), "running_mean");
    out.push_back(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(0.9, t), running}),
                                  Op(OpId::kMul, {Lit(0.1, t), mean})}));
  }
  return out;
}

Exprs Builder::NormFamily() {
  const bool sequence = knobs_.max_rank >= 3 && Chance(Choice::kNormSequence);
  const Shape s = knobs_.max_rank < 2 ? Shape{Dim()}
                  : sequence         ? Shape{Dim(), Dim(), Dim()}
                                     : Shape{Dim(), Dim()};
  ExprPtr x = AddArg(Float(s), ArgRange(fdt_));
  Exprs out;
  switch (Pick({Choice::kNormLayer, Choice::kNormRms, Choice::kNormBatch})) {
    case 0:
      out = {LayerNorm(x)};
      break;
    case 1:
      out = {RmsNorm(x)};
      break;
    default: {
      std::vector<int> axes;
      for (int i = 0; i + 1 < x->type.rank(); ++i) axes.push_back(i);
      if (axes.empty()) axes = {0};
      out = BatchNorm(x, axes, false);
      break;
    }
  }
  if (Chance(Choice::kNnNormActivation)) out[0] = Activation(out[0]);
  if (Chance(Choice::kNnResidual) && out[0]->type == x->type) out[0] = Combine(out[0], x);
  return out;
}

Exprs Builder::OptimizerFamily() {
  const Shape s = knobs_.max_rank >= 2 ? Shape{Dim(), Dim()} : Shape{Dim()};
  const TensorType t = Float(s);
  const DType d = fdt_;
  ExprPtr param = AddArg(t, ArgRange(d), "param");
  ExprPtr grad = AddArg(t, ArgRange(d), "grad");
  auto lin = [&](double a, ExprPtr x, double b, ExprPtr y) {  // a * x + b * y
    return Op(OpId::kAdd, {Op(OpId::kMul, {Lit(a, d), std::move(x)}), Op(OpId::kMul, {Lit(b, d), std::move(y)})});
  };
  auto step = [&](ExprPtr update, double lr) { return Op(OpId::kSub, {param, Op(OpId::kMul, {Lit(lr, d), std::move(update)})}); };
  // A second-moment denominator; v >= 0.2 here (its argument is drawn in [0.25, 1]).
  auto scaled_by = [&](ExprPtr m, ExprPtr v) {
    if (Chance(Choice::kOptRsqrt)) return Op(OpId::kMul, {std::move(m), Op(OpId::kRsqrt, {Op(OpId::kAdd, {std::move(v), Lit(1e-8, d)})})});
    return Op(OpId::kDiv, {std::move(m), Op(OpId::kAdd, {Op(OpId::kSqrt, {std::move(v)}), Lit(1e-8, d)})});
  };
  const size_t rule = Pick({Choice::kOptSgd, Choice::kOptAdam, Choice::kOptRmsprop, Choice::kOptAdafactor,
                            Choice::kOptClipGlobal, Choice::kOptSchedule});
  switch (rule) {
    case 0: {
      ExprPtr velocity = AddArg(t, ArgRange(d), "velocity");
      ExprPtr v = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(0.9, d), velocity}), grad}));
      ExprPtr update = Chance(Choice::kOptWeightDecay) ? Op(OpId::kAdd, {grad, Op(OpId::kMul, {Lit(0.9, d), v})}) : v;
      return {step(update, 0.01), v};
    }
    case 1: {
      ExprPtr m = AddArg(t, ArgRange(d), "m");
      ExprPtr v = AddArg(t, {0.25, 1}, "v");
      ExprPtr count = AddArg(TensorType{DType::kInt32, {}}, {0, Half(d) ? 500.0 : 1000.0}, "step");
      ExprPtr m1 = Assign(lin(0.9, m, 0.1, grad));
      const double b2 = Half(d) ? 0.99 : 0.999;
      ExprPtr v1 = Assign(lin(b2, v, 1 - b2, Op(OpId::kSquare, {grad})));
      ExprPtr tf = Assign(Cast(Op(OpId::kAdd, {count, Lit(1, DType::kInt32)}), d));
      // b^t for t >= 1 lies in [0, b].
      auto power = [&](double b) { return Refine(Op(OpId::kPow, {Lit(b, d), tf}), {0, b}); };
      ExprPtr m_hat = Op(OpId::kDiv, {m1, Op(OpId::kSub, {Lit(1.0, d), power(0.9)})});
      // bfloat16 rounds 0.999 to 1 (and 1 - 1^t = 0): half precision keeps b2 = 0.99.
      ExprPtr v_hat = Op(OpId::kDiv, {v1, Op(OpId::kSub, {Lit(1.0, d), power(b2)})});
      ExprPtr update = MaybeAssign(scaled_by(MaybeAssign(m_hat), MaybeAssign(v_hat)));
      if (Chance(Choice::kOptWeightDecay)) update = Op(OpId::kAdd, {update, Op(OpId::kMul, {Lit(0.01, d), param})});
      return {step(update, 1e-3), m1, v1};
    }
    case 2: {
      ExprPtr nu = AddArg(t, {0.25, 1}, "nu");
      ExprPtr nu1 = Assign(lin(0.9, nu, 0.1, Op(OpId::kSquare, {grad})));
      return {step(scaled_by(grad, nu1), 1e-2), nu1};
    }
    case 3: {
      if (t.rank() < 2) break;
      const int64_t rows = s[0], cols = s[1];
      ExprPtr v_row = AddArg(Float({rows}), {0.25, 1}, "v_row");
      ExprPtr v_col = AddArg(Float({cols}), {0.25, 1}, "v_col");
      ExprPtr g2 = Assign(Op(OpId::kAdd, {Op(OpId::kSquare, {grad}), Lit(d == DType::kFloat16 ? 1e-7 : 1e-30, d)}));
      ExprPtr r1 = Assign(lin(0.8, v_row, 0.2, Op(OpId::kMean, {g2}, Over({1}))));
      ExprPtr c1 = Assign(lin(0.8, v_col, 0.2, Op(OpId::kMean, {g2}, Over({0}))));
      ExprPtr row_factor = Op(OpId::kRsqrt, {Op(OpId::kDiv, {r1, Op(OpId::kMean, {r1})})});
      ExprPtr col_factor = Op(OpId::kRsqrt, {c1});
      OpAttrs col_axis;
      col_axis.axes = {1};
      ExprPtr update = Assign(Op(OpId::kMul, {Op(OpId::kMul, {grad, Op(OpId::kExpandDims, {row_factor}, col_axis)}), col_factor}));
      ExprPtr rms = Op(OpId::kSqrt, {Op(OpId::kMean, {Op(OpId::kSquare, {update})})});
      update = Op(OpId::kDiv, {update, Op(OpId::kMaximum, {Lit(1.0, d), rms})});
      return {step(update, 1e-2), r1, c1};
    }
    case 5: {
      // SGD at a scheduled rate: linear warmup to base_lr, then cosine decay to 0 at `total`.
      const double warmup = static_cast<double>(10 * Dim());
      const double total = warmup * static_cast<double>(2 + Dim());
      ExprPtr count = AddArg(TensorType{DType::kInt32, {}}, {0, total * 1.5}, "step");
      const DType f = DType::kFloat32;
      ExprPtr now = Assign(Cast(count, f));
      ExprPtr warm = Op(OpId::kDiv, {Op(OpId::kMul, {Lit(0.1, f), now}), Lit(warmup, f)});
      ExprPtr progress = Assign(Clip(Op(OpId::kDiv, {Op(OpId::kSub, {now, Lit(warmup, f)}), Lit(total - warmup, f)}), 0, 1));
      ExprPtr cosine = Op(OpId::kMul, {Lit(0.05, f), Op(OpId::kAdd, {Lit(1.0, f), Op(OpId::kCos, {Op(OpId::kMul, {Lit(3.141593, f), progress})})})});
      ExprPtr lr = Assign(Op(OpId::kWhere, {Op(OpId::kLt, {now, Lit(warmup, f)}), warm, cosine}));
      return {Op(OpId::kSub, {param, Op(OpId::kMul, {Cast(lr, d), grad})}), lr};
    }
    default:
      break;
  }
  // Clipping by global norm: optax scales every gradient by max_norm / max(norm, max_norm).
  Exprs grads = {grad};
  if (CanAddArgs()) grads.push_back(AddArg(Float({s.back()}), ArgRange(d), "grad_bias"));
  // Half-precision gradients are summed in float32, as mixed-precision training does.
  const DType acc = Half(d) ? DType::kFloat32 : d;
  ExprPtr total;
  for (const ExprPtr& g : grads) {
    ExprPtr sq = Op(OpId::kSum, {Op(OpId::kSquare, {Cast(g, acc)})});
    total = total ? Op(OpId::kAdd, {total, sq}) : sq;
  }
  ExprPtr norm = Assign(Op(OpId::kSqrt, {total}));
  ExprPtr scale = Assign(Cast(Op(OpId::kDiv, {Lit(1.0, acc), Op(OpId::kMaximum, {norm, Lit(1.0, acc)})}), d));
  Exprs out;
  for (const ExprPtr& g : grads) out.push_back(Op(OpId::kMul, {g, scale}));
  out[0] = step(out[0], 0.1);
  return out;
}

ExprPtr Builder::Positions(int64_t length, int64_t half, DType t) {
  // angle[p, i] = p * exp(-2 i log(10000) / d): the Transformer's frequencies.
  OpAttrs range;
  range.to = t;
  range.count = length;
  range.shape = {length};
  OpAttrs column;
  column.axes = {1};
  ExprPtr pos = Op(OpId::kExpandDims, {Op(OpId::kArange, {}, range)}, column);
  if (Chance(Choice::kPosIntPositions) && CanAddArgs()) {
    ExprPtr given = AddArg(TensorType{DType::kInt32, {length}}, {0, static_cast<double>(length - 1)}, "positions");
    pos = Op(OpId::kExpandDims, {Cast(given, t)}, column);
  }
  range.count = half;
  range.shape = {half};
  ExprPtr freq;
  if (Chance(Choice::kPosPowerFrequencies) && 10000.0 <= Budget(t)) {
    // 1 / 10000 ** (i / half): exponents in [0, 1).
    ExprPtr exponent = Op(OpId::kDiv, {Op(OpId::kArange, {}, range), Lit(static_cast<double>(half), t)});
    freq = MaybeAssign(Op(OpId::kDiv, {Lit(1.0, t), Op(OpId::kPow, {Lit(10000.0, t), exponent})}));
  } else {
    const double rate = -std::log(10000.0) / static_cast<double>(half);
    freq = MaybeAssign(Op(OpId::kExp, {Op(OpId::kMul, {Op(OpId::kArange, {}, range), Lit(std::round(rate * 1e6) / 1e6, t)})}));
  }
  return Assign(Op(OpId::kMul, {pos, freq}));
}

Exprs Builder::PositionFamily() {
  const bool batched = knobs_.max_rank >= 3 && Chance(Choice::kPosBatched);
  const int64_t length = Dim();
  const int64_t half = std::max<int64_t>(1, Dim() / 2);
  Shape s = {length, 2 * half};
  if (batched) s.insert(s.begin(), Dim());
  if (knobs_.max_rank < 2) return {Compute(Float({length}), Depth() + 1)};
  ExprPtr x = AddArg(Float(s), ArgRange(fdt_));
  ExprPtr angles = Positions(length, half, fdt_);
  ExprPtr sin = Op(OpId::kSin, {angles});
  ExprPtr cos = Op(OpId::kCos, {angles});
  const int last = static_cast<int>(s.size()) - 1;
  if (Pick({Choice::kPosSinusoidal, Choice::kPosRotary}) == 0) {
    ExprPtr code;
    if (Chance(Choice::kPosInterleave)) {
      OpAttrs stack;
      stack.axes = {-1};
      code = Op(OpId::kReshape, {Op(OpId::kStack, {sin, cos}, stack)}, ShapeAttr({length, 2 * half}));
    } else {
      OpAttrs join;
      join.axes = {-1};
      code = Op(OpId::kConcatenate, {sin, cos}, join);
    }
    return {Op(OpId::kAdd, {x, MaybeAssign(code)})};
  }
  // Rotary: rotate the pairs (x1, x2) of the two halves by the position's angles.
  sin = Assign(sin);
  cos = Assign(cos);
  ExprPtr x1 = Assign(Op(OpId::kSplit, {x}, Piece(2, 0, last)));
  ExprPtr x2 = Assign(Op(OpId::kSplit, {x}, Piece(2, 1, last)));
  OpAttrs join;
  join.axes = {-1};
  return {Op(OpId::kConcatenate,
             {Op(OpId::kSub, {Op(OpId::kMul, {x1, cos}), Op(OpId::kMul, {x2, sin})}),
              Op(OpId::kAdd, {Op(OpId::kMul, {x2, cos}), Op(OpId::kMul, {x1, sin})})},
             join)};
}

ExprPtr Builder::MultiHead(ExprPtr x, int64_t heads) {
  Shape s = x->type.shape;
  const int64_t d = s.back();
  s.back() = heads;
  s.push_back(d / heads);
  return Op(OpId::kReshape, {std::move(x)}, ShapeAttr(s));
}

Exprs Builder::AttentionFamily() {
  if (knobs_.max_rank < 4) return Instead(Family::kNN);  // heads need [batch, length, heads, head_dim]
  const int64_t batch = std::max<int64_t>(1, Dim() / 4);
  const int64_t length = Dim();
  const int64_t kv_heads = Chance(Choice::kAttnGrouped) ? 1 + static_cast<int64_t>(rng_.Below(2)) : 0;
  const int64_t heads = kv_heads > 0 ? kv_heads * 2 : 1 + static_cast<int64_t>(rng_.Below(4));
  const int64_t head_dim = std::max<int64_t>(2, Dim() / 2);
  const int64_t d = heads * head_dim;
  const DType t = fdt_;
  ExprPtr x = AddArg(Float({batch, length, d}), ArgRange(t));
  auto project = [&](int64_t out) {
    ExprPtr w = AddArg(Float({d, out}), {-1, 1});
    // The weights' scale: 1/sqrt(d) as initializers draw them, written as a factor.
    return Bound(Op(OpId::kMatmul, {x, w}), 2);
  };
  ExprPtr q = Assign(MultiHead(project(d), heads));
  const int64_t kvh = kv_heads > 0 ? kv_heads : heads;
  ExprPtr k = Assign(MultiHead(project(kvh * head_dim), kvh));
  ExprPtr v = Assign(MultiHead(project(kvh * head_dim), kvh));
  if (kv_heads > 0) {
    OpAttrs rep;
    rep.count = heads / kv_heads;
    rep.axes = {2};
    k = Assign(Op(OpId::kRepeat, {k}, rep));
    v = Assign(Op(OpId::kRepeat, {v}, rep));
  }
  OpAttrs qk;
  qk.subscripts = "bqhd,bkhd->bhqk";
  const double scale = std::round(std::sqrt(static_cast<double>(head_dim)) * 1000) / 1000;
  ExprPtr scores = Assign(Op(OpId::kDiv, {Op(OpId::kEinsum, {q, k}, qk), Lit(scale, t)}));
  const double masked = t == DType::kFloat16 ? -100.0 : -1e3;
  OpAttrs iota;
  iota.to = DType::kInt32;
  iota.count = length;
  iota.shape = {length};
  OpAttrs axis0, axis1;
  axis0.axes = {0};
  axis1.axes = {1};
  switch (Pick({Choice::kAttnCausal, Choice::kAttnPadding, Choice::kAttnNoMask, Choice::kAttnTril})) {
    case 0: {
      ExprPtr rows = Op(OpId::kExpandDims, {Op(OpId::kArange, {}, iota)}, axis1);
      ExprPtr cols = Op(OpId::kExpandDims, {Op(OpId::kArange, {}, iota)}, axis0);
      ExprPtr mask = Assign(Op(OpId::kLe, {cols, rows}));
      scores = Op(OpId::kWhere, {mask, scores, Lit(masked, t)});
      break;
    }
    case 1: {
      ExprPtr lengths = AddArg(TensorType{DType::kInt32, {batch}}, {1, static_cast<double>(length)}, "lengths");
      ExprPtr valid = Op(OpId::kLt, {Op(OpId::kExpandDims, {Op(OpId::kArange, {}, iota)}, axis0),
                                     Op(OpId::kExpandDims, {lengths}, axis1)});
      ExprPtr mask = Assign(Op(OpId::kReshape, {valid}, ShapeAttr({batch, 1, 1, length})));
      scores = Op(OpId::kWhere, {mask, scores, Lit(masked, t)});
      break;
    }
    case 3: {
      OpAttrs ones;
      ones.to = DType::kBool;
      ones.shape = {length, length};
      ExprPtr mask = Assign(Op(OpId::kTril, {Op(OpId::kOnes, {}, ones)}));
      scores = Op(OpId::kWhere, {mask, scores, Lit(masked, t)});
      break;
    }
    default:
      break;
  }
  ExprPtr weights = Assign(Op(OpId::kSoftmax, {scores}, Over({-1})));
  OpAttrs wv;
  wv.subscripts = "bhqk,bkhd->bqhd";
  // Softmax weights sum to one: each output is a convex combination of values.
  ExprPtr mixed = Refine(Op(OpId::kEinsum, {weights, v}, wv), v->range);
  ExprPtr out = Op(OpId::kReshape, {mixed}, ShapeAttr({batch, length, d}));
  if (Chance(Choice::kAttnOutProj) && CanAddArgs()) {
    ExprPtr wo = AddArg(Float({d, d}), {-1, 1});
    out = Op(OpId::kMatmul, {Assign(out), wo});
  }
  return {out};
}

ExprPtr Builder::Loss(ExprPtr per_example) {
  if (Chance(Choice::kLossPerExample)) return per_example;
  const bool sum = Chance(Choice::kLossSum);
  ExprPtr x = MaybeAssign(std::move(per_example));
  if (sum) {
    if (ExprPtr total = TryOp(OpId::kSum, {x})) return total;  // a sum that stays in the dtype's budget
  }
  return Op(OpId::kMean, {x});
}

Exprs Builder::LossFamily() {
  const int64_t batch = Dim();
  const int64_t classes = std::max<int64_t>(2, Dim());
  const DType t = fdt_;
  const bool matrix = knobs_.max_rank >= 2;
  const Shape s = matrix ? Shape{batch, classes} : Shape{classes};
  const std::vector<int> last = {-1};
  switch (Pick({Choice::kLossCrossEntropy, Choice::kLossHuber, Choice::kLossHinge, Choice::kLossCosine,
                Choice::kLossSigmoidBce, Choice::kLossSparse, Choice::kLossMaskedTokens})) {
    case 0: {
      if (!matrix) break;
      ExprPtr logits = AddArg(Float(s), {-3, 3}, "logits");
      OpAttrs hot;
      hot.count = classes;
      hot.to = t;
      ExprPtr labels = Op(OpId::kOneHot, {Index(TensorType{DType::kInt32, {batch}}, classes, false)}, hot);
      if (Chance(Choice::kNnLabelSmoothing)) {
        labels = Op(OpId::kAdd, {Op(OpId::kMul, {labels, Lit(0.9, t)}), Lit(0.1 / static_cast<double>(classes), t)});
      }
      ExprPtr logp = MaybeAssign(Op(OpId::kLogSoftmax, {logits}, Over(last)));
      return {Loss(Op(OpId::kNeg, {Op(OpId::kSum, {Op(OpId::kMul, {Assign(labels), logp})}, Over(last))}))};
    }
    case 1: {
      ExprPtr pred = AddArg(Float(s), ArgRange(t), "predictions");
      ExprPtr target = AddArg(Float(s), ArgRange(t), "targets");
      ExprPtr err = Assign(Op(OpId::kAbs, {Op(OpId::kSub, {pred, target})}));
      ExprPtr quad = Assign(Op(OpId::kMinimum, {err, Lit(1.0, t)}));
      ExprPtr per = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kSquare, {quad})}), Op(OpId::kSub, {err, quad})});
      return {Loss(matrix ? Op(OpId::kMean, {per}, Over(last)) : per)};
    }
    case 2: {
      ExprPtr scores = AddArg(Float(s), ArgRange(t), "scores");
      ExprPtr labels;
      if (Chance(Choice::kLossHingeFloatLabels)) {
        labels = AddArg(Float(s), {-1, 1}, "labels");
      } else {
        ExprPtr positive = AddArg(Bool(s), {0, 1}, "is_positive");
        labels = Assign(Op(OpId::kSub, {Op(OpId::kMul, {Cast(positive, t), Lit(2.0, t)}), Lit(1.0, t)}));
      }
      return {Loss(Op(OpId::kRelu, {Op(OpId::kSub, {Lit(1.0, t), Op(OpId::kMul, {labels, scores})})}))};
    }
    case 3: {
      if (!matrix) break;
      ExprPtr a = AddArg(Float(s), ArgRange(t));
      ExprPtr b = AddArg(Float(s), ArgRange(t));
      auto norm = [&](const ExprPtr& v) {
        return Op(OpId::kSqrt, {Op(OpId::kMaximum, {Op(OpId::kSum, {Op(OpId::kMul, {v, v})}, Over(last)), Lit(1e-6, t)})});
      };
      ExprPtr dot = Op(OpId::kSum, {Op(OpId::kMul, {a, b})}, Over(last));
      // a . b / (|a| |b|) is a cosine: within [-1, 1].
      ExprPtr cosine = Refine(Op(OpId::kDiv, {dot, Op(OpId::kMul, {MaybeAssign(norm(a)), MaybeAssign(norm(b))})}), {-1, 1});
      return {Loss(Op(OpId::kSub, {Lit(1.0, t), MaybeAssign(cosine)}))};
    }
    case 5:
      if (matrix) return {Loss(SparseCrossEntropy(AddArg(Float(s), {-3, 3}, "logits")))};
      break;
    case 6:
      if (knobs_.max_rank >= 3) return {MaskedTokenLoss(batch)};
      break;
    default:
      break;
  }
  ExprPtr logits = AddArg(Float(s), {-3, 3}, "logits");
  ExprPtr labels = AddArg(Float(s), {0, 1}, "labels");
  ExprPtr log_p = Assign(Op(OpId::kLogSigmoid, {logits}));
  ExprPtr log_not_p = Assign(Op(OpId::kLogSigmoid, {Op(OpId::kNeg, {logits})}));
  ExprPtr per = Op(OpId::kSub, {Op(OpId::kMul, {Op(OpId::kNeg, {labels}), log_p}),
                                Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), labels}), log_not_p})});
  return {Loss(per)};
}

// Picks logits[i, labels[i]] with jnp.take_along_axis: per-example -log p(label).
ExprPtr Builder::SparseCrossEntropy(ExprPtr logits) {
  const int last = logits->type.rank() - 1;
  const int64_t classes = logits->type.shape.back();
  Shape label_shape = logits->type.shape;
  label_shape.pop_back();
  const TensorType label_type{DType::kInt32, label_shape};
  const Interval in_range = {0, static_cast<double>(classes - 1)};
  ExprPtr labels = CanAddArgs() ? AddArg(label_type, in_range, "labels")
                                : KeepWithin(Index(label_type, classes, false), in_range);
  OpAttrs along = Over({last});
  OpAttrs new_axis = Over({last});
  auto pick = [&](ExprPtr from) {  // from[..., labels[..., None]][..., 0]
    return Op(OpId::kSqueeze, {Op(OpId::kTakeAlongAxis, {std::move(from), Op(OpId::kExpandDims, {labels}, new_axis)}, along)}, along);
  };
  if (Chance(Choice::kLossLogSumExp)) {
    ExprPtr lse = MaybeAssign(Op(OpId::kLogSumExp, {logits}, Over({-1})));
    return Op(OpId::kSub, {lse, MaybeAssign(pick(logits))});
  }
  ExprPtr logp = Assign(Op(OpId::kLogSoftmax, {logits}, Over({-1})));
  return Op(OpId::kNeg, {pick(logp)});
}

// A language model's loss: token log-likelihoods averaged over the positions a mask keeps.
ExprPtr Builder::MaskedTokenLoss(int64_t batch) {
  const int64_t length = Dim();
  const int64_t vocab = std::max<int64_t>(2, Dim());
  ExprPtr logits = AddArg(Float({batch, length, vocab}), {-3, 3}, "logits");
  // Half-precision logits are upcast for the softmax, as training code does.
  ExprPtr nll = Assign(SparseCrossEntropy(Half(fdt_) ? Cast(logits, DType::kFloat32) : logits));
  const DType t = nll->type.dtype;
  ExprPtr mask = Assign(Cast(AddArg(Bool({batch, length}), {0, 1}, "mask"), t));
  ExprPtr total = Op(OpId::kSum, {Op(OpId::kMul, {nll, mask})});
  return Op(OpId::kDiv, {total, Op(OpId::kMaximum, {Op(OpId::kSum, {mask}), Lit(1.0, t)})});
}

Exprs Builder::RecurrentFamily() {
  if (knobs_.max_rank < 3) return Instead(Family::kLoop);  // a sequence of batched inputs needs rank 3
  const int64_t steps = std::max<int64_t>(2, std::min<int64_t>(Dim(), knobs_.max_trip));
  const int64_t batch = std::max<int64_t>(1, Dim() / 2);
  const int64_t features = Dim();
  const int64_t hidden = std::max<int64_t>(1, std::min<int64_t>(Dim(), knobs_.max_dim / 3));  // 3 gates fit shape.max_dim
  const DType t = fdt_;
  const bool gru = Pick({Choice::kRnnGru, Choice::kRnnLstm}) == 0;
  ExprPtr xs = AddArg(Float({steps, batch, features}), ArgRange(t), "xs");
  ExprPtr h0 = AddArg(Float({batch, hidden}), {-1, 1}, "h0");
  ExprPtr w = AddArg(Float({features, 3 * hidden}), {-0.5, 0.5}, "w_in");
  ExprPtr u = AddArg(Float({hidden, 3 * hidden}), {-0.5, 0.5}, "w_hidden");
  ExprPtr bias = Chance(Choice::kRnnBias) && CanAddArgs() ? AddArg(Float({3 * hidden}), {-0.5, 0.5}, "bias") : nullptr;
  Exprs init = {h0};
  if (!gru) init.push_back(Op(OpId::kZerosLike, {h0}));
  Exprs out = Scan(init, xs, [&](const Exprs& p) {
    const ExprPtr& h = p[0];
    const ExprPtr& x = p.back();
    if (gru) {
      ExprPtr gx = Op(OpId::kMatmul, {x, w});
      gx = Assign(bias ? Op(OpId::kAdd, {gx, bias}) : gx);
      ExprPtr gh = Assign(Op(OpId::kMatmul, {h, u}));
      ExprPtr z = Assign(Op(OpId::kSigmoid, {Op(OpId::kAdd, {Op(OpId::kSplit, {gx}, Piece(3, 0, 1)),
                                                               Op(OpId::kSplit, {gh}, Piece(3, 0, 1))})}));
      ExprPtr r = Op(OpId::kSigmoid, {Op(OpId::kAdd, {Op(OpId::kSplit, {gx}, Piece(3, 1, 1)),
                                                      Op(OpId::kSplit, {gh}, Piece(3, 1, 1))})});
      ExprPtr candidate = Assign(Op(OpId::kTanh, {Op(OpId::kAdd, {Op(OpId::kSplit, {gx}, Piece(3, 2, 1)),
                                                                  Op(OpId::kSplit, {Op(OpId::kMatmul, {Op(OpId::kMul, {r, h}), u})}, Piece(3, 2, 1))})}));
      ExprPtr next = Op(OpId::kAdd, {Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), z}), h}), Op(OpId::kMul, {z, candidate})});
      // A convex combination of h and a tanh: within hull(h, [-1, 1]).
      next = Assign(Refine(next, Interval::Hull(h->range, {-1, 1})));
      return Exprs{next, next};
    }
    const ExprPtr& c = p[1];
    ExprPtr gates = Op(OpId::kAdd, {Op(OpId::kMatmul, {x, w}), Op(OpId::kMatmul, {h, u})});
    gates = Assign(bias ? Op(OpId::kAdd, {gates, bias}) : gates);
    ExprPtr f = Assign(Op(OpId::kSigmoid, {Op(OpId::kSplit, {gates}, Piece(3, 0, -1))}));
    ExprPtr g = Op(OpId::kTanh, {Op(OpId::kSplit, {gates}, Piece(3, 1, -1))});
    ExprPtr o = Op(OpId::kSigmoid, {Op(OpId::kSplit, {gates}, Piece(3, 2, -1))});
    ExprPtr c1 = Op(OpId::kAdd, {Op(OpId::kMul, {f, c}), Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), f}), g})});
    // Coupled input and forget gates: a convex combination of c and a tanh.
    c1 = Assign(Refine(c1, Interval::Hull(c->range, {-1, 1})));
    ExprPtr h1 = Assign(Op(OpId::kMul, {o, Op(OpId::kTanh, {c1})}));
    return Exprs{h1, c1, h1};
  });
  ExprPtr hs = out.back();
  if (Chance(Choice::kRnnMeanOut)) hs = Op(OpId::kMean, {hs}, Over({0}));
  return {hs, out[0]};
}

Exprs Builder::EmbeddingFamily() {
  if (knobs_.max_rank < 3) return Instead(Family::kIndexing);
  const int64_t vocab = std::max<int64_t>(4, Dim() * 2);
  const int64_t dim = Dim();
  const int64_t batch = std::max<int64_t>(1, Dim() / 2);
  const int64_t length = Dim();
  ExprPtr table = AddArg(Float({vocab, dim}), {-1, 1}, "table");
  const TensorType id_type{DType::kInt32, {batch, length}};
  ExprPtr ids = CanAddArgs() ? AddArg(id_type, {0, static_cast<double>(vocab - 1)}, "ids")
                             : Index(id_type, vocab, false);
  ExprPtr h;
  OpAttrs rows;
  rows.axes = {0};
  if (Pick({Choice::kEmbedTake, Choice::kEmbedOneHot}) == 0) h = TryOp(OpId::kTake, {table, ids}, rows);
  if (!h) {
    OpAttrs hot;
    hot.count = vocab;
    hot.to = fdt_;
    h = Op(OpId::kMatmul, {Op(OpId::kOneHot, {ids}, hot), table});
  }
  h = Assign(h);
  if (Chance(Choice::kEmbedTied)) {
    OpAttrs tied;
    tied.subscripts = "btd,vd->btv";
    return {Op(OpId::kEinsum, {h, table}, tied)};
  }
  return {Dense(Op(OpId::kMean, {h}, Over({1})), Dim())};
}

Exprs Builder::SolverFamily() {
  const DType t = fdt_;
  const size_t solver = Pick({Choice::kSolverNewton, Choice::kSolverPower, Choice::kSolverReciprocal});
  if (solver == 2) {
    // Newton steps toward 1 / a: y <- y (2 - a y), from y = 1 / 2; for a in [1, 2] y stays in [0.5, 1].
    ExprPtr a = AddArg(Float(RandomShape(1, 2)), {1, 2}, "a");
    ExprPtr y0 = Op(OpId::kMul, {Op(OpId::kOnesLike, {a}), Lit(0.5, t)});
    return ForiLoop({y0}, [&](const Exprs& p) {
      const ExprPtr& y = p[1];
      return Exprs{Refine(Op(OpId::kMul, {y, Op(OpId::kSub, {Lit(2.0, t), Op(OpId::kMul, {a, y})})}), {0, 1})};
    });
  }
  if (solver == 0 || knobs_.max_rank < 2) {
    // Newton steps toward a^(-1/2): y <- y (1.5 - 0.5 a y^2), from y = 1.
    ExprPtr a = AddArg(Float(RandomShape(1, 2)), {1, 2}, "a");
    ExprPtr y0 = Op(OpId::kOnesLike, {a});
    return ForiLoop({y0}, [&](const Exprs& p) {
      const ExprPtr& y = p[1];
      ExprPtr next = Op(OpId::kMul, {y, Op(OpId::kSub, {Lit(1.5, t), Op(OpId::kMul, {Op(OpId::kMul, {Lit(0.5, t), a}), Op(OpId::kMul, {y, y})})})});
      // For a in [1, 2] the step maps [-1, 1] into itself.
      return Exprs{Refine(next, {-1, 1})};
    });
  }
  const int64_t n = Dim();
  const int64_t m = Dim();
  ExprPtr w = AddArg(Float({n, m}), {-1, 1}, "w");
  ExprPtr u0 = AddArg(Float({n}), {-1, 1}, "u");
  auto normalize = [&](ExprPtr v) {
    v = Assign(v);
    // v / (|v| + eps) lies in [-1, 1].
    return Refine(Op(OpId::kDiv, {v, Op(OpId::kAdd, {Op(OpId::kNorm, {v}), Lit(1e-3, t)})}), {-1, 1});
  };
  Exprs u = ForiLoop({u0}, [&](const Exprs& p) {
    ExprPtr v = normalize(Op(OpId::kMatmul, {Op(OpId::kT, {w}), p[1]}));
    return Exprs{normalize(Op(OpId::kMatmul, {w, Assign(v)}))};
  });
  ExprPtr v = Assign(normalize(Op(OpId::kMatmul, {Op(OpId::kT, {w}), u[0]})));
  ExprPtr sigma = Op(OpId::kMatmul, {u[0], Op(OpId::kMatmul, {w, v})});
  return {sigma, u[0]};
}

Exprs Builder::BlockFamily() {
  if (knobs_.max_rank < 4) return Instead(Family::kNN);
  switch (Pick({Choice::kBlockTransformer, Choice::kBlockConv, Choice::kBlockMixed, Choice::kBlockScanLayers,
                Choice::kBlockGraph, Choice::kBlockMixedAttention})) {
    case 0: {
      Exprs attended = AttentionFamily();
      ExprPtr x = VarExpr(Current().params.front());
      ExprPtr h = Assign(Combine(Bound(attended[0], 3), x));
      ExprPtr normed = LayerNorm(h);
      return {Op(OpId::kAdd, {h, Bound(Mlp(Bound(normed, 3), h->type.shape.back()), 3)})};
    }
    case 1: {
      const int64_t batch = rng_.UniformInt(1, 4);
      const int64_t channels = rng_.UniformInt(1, 4);
      const int64_t out_channels = rng_.UniformInt(2, 8);
      const int64_t size = rng_.UniformInt(4, 12);
      ExprPtr x = AddArg(Float({batch, channels, size, size}), ArgRange(fdt_));
      ExprPtr k = AddArg(Float({out_channels, channels, 3, 3}), {-0.5, 0.5});
      OpAttrs conv;
      conv.same_padding = true;
      conv.strides = {1, 1};
      ExprPtr y = Assign(Bound(Op(OpId::kConv, {x, k}, conv), 6));
      Exprs normed = BatchNorm(y, {0, 2, 3}, /*keep=*/true);  // NCHW: statistics per channel
      normed[0] = Activation(normed[0]);
      return normed;
    }
    case 2: {
      const int64_t rows = Dim();
      const int64_t in = Dim();
      const int64_t out = Dim();
      ExprPtr x = AddArg(TensorType{DType::kBFloat16, {rows, in}}, ArgRange(DType::kBFloat16));
      ExprPtr w = AddArg(TensorType{DType::kBFloat16, {in, out}}, {-1, 1});
      ExprPtr b = AddArg(TensorType{DType::kFloat32, {out}}, {-1, 1});
      ExprPtr y = Chance(Choice::kBlockPreferred)
                      ? Op(OpId::kMatmulF32, {x, w})
                      : Op(OpId::kMatmul, {Cast(x, DType::kFloat32), Cast(w, DType::kFloat32)});
      y = Assign(Op(OpId::kAdd, {y, b}));
      return {Cast(Activation(y), DType::kBFloat16)};
    }
    case 3:
      break;
    case 4:
      return GraphLayer();
    default:
      return MixedAttention();
  }
  // Layers with stacked weights through lax.scan (flax's nn.scan over layers):
  // h <- h + g * (tanh(h W) - h), a gate g in [0, 1] keeping h in hull(h, [-1, 1]).
  const int64_t layers = std::max<int64_t>(2, std::min<int64_t>(4, knobs_.max_trip));
  const int64_t batch = Dim();
  const int64_t d = Dim();
  ExprPtr h0 = AddArg(Float({batch, d}), ArgRange(fdt_), "h");
  ExprPtr ws = AddArg(Float({layers, d, d}), {-0.5, 0.5}, "layer_weights");
  Exprs out = Scan({h0}, ws, [&](const Exprs& p) {
    const ExprPtr& h = p[0];
    ExprPtr z = Assign(Op(OpId::kTanh, {Op(OpId::kMatmul, {h, p[1]})}));
    ExprPtr g = Assign(Op(OpId::kSigmoid, {Op(OpId::kMean, {z}, Over({-1}, true))}));
    ExprPtr next = Op(OpId::kAdd, {h, Op(OpId::kMul, {g, Op(OpId::kSub, {z, h})})});
    next = Assign(Refine(next, Interval::Hull(h->range, {-1, 1})));
    return Exprs{next, Op(OpId::kMean, {next})};
  });
  return {out[0], Op(OpId::kSum, {out[1]})};
}

}  // namespace jitsynth::synth::detail

namespace jitsynth::synth::detail {

// One message-passing layer over a graph given by edge lists, as GNN code writes it:
// messages from the senders' features, summed at the receivers by segment_sum.
Exprs Builder::GraphLayer() {
  const int64_t nodes = std::max<int64_t>(2, Dim());
  const int64_t features = Dim();
  const int64_t edges = 2 * Dim();
  const DType t = fdt_;
  ExprPtr x = AddArg(Float({nodes, features}), ArgRange(t), "nodes");
  auto edge_ends = [&](std::string name) {
    return AddArg(TensorType{DType::kInt32, {edges}}, {0, static_cast<double>(nodes - 1)}, std::move(name));
  };
  ExprPtr senders = edge_ends("senders");
  ExprPtr receivers = edge_ends("receivers");
  ExprPtr w_msg = AddArg(Float({features, features}), {-0.5, 0.5}, "w_msg");
  ExprPtr messages = Assign(Op(OpId::kRelu, {Bound(Op(OpId::kMatmul, {Op(OpId::kGather, {x, senders}), w_msg}), 2)}));
  OpAttrs segments;
  segments.count = nodes;
  ExprPtr aggregated = Assign(Bound(Op(OpId::kSegmentSum, {messages, receivers}, segments), 4));
  if (Chance(Choice::kBlockGraphMeanPool) && CanAddArgs()) {
    // Readout: the mean of each graph's node features (graph_ids give each node's graph).
    const int64_t graphs = std::max<int64_t>(1, nodes / 2);
    ExprPtr ids = AddArg(TensorType{DType::kInt32, {nodes}}, {0, static_cast<double>(graphs - 1)}, "graph_ids");
    segments.count = graphs;
    ExprPtr h = Assign(Op(OpId::kAdd, {x, aggregated}));
    ExprPtr sums = Assign(Op(OpId::kSegmentSum, {h, ids}, segments));
    ExprPtr counts = Op(OpId::kSegmentSum, {Cast(Op(OpId::kOnesLike, {ids}), t), ids}, segments);
    OpAttrs column;
    column.axes = {1};
    ExprPtr denominator = Op(OpId::kExpandDims, {Op(OpId::kMaximum, {counts, Lit(1.0, t)})}, column);
    // A mean of the graph's rows: within their hull (0 for an empty graph).
    return {Refine(Op(OpId::kDiv, {sums, denominator}), Interval::Hull(h->range, {0, 0}))};
  }
  OpAttrs join;
  join.axes = {-1};
  ExprPtr w_upd = AddArg(Float({2 * features, features}), {-0.5, 0.5}, "w_update");
  ExprPtr both = Op(OpId::kConcatenate, {x, aggregated}, join);
  return {Op(OpId::kAdd, {x, Op(OpId::kTanh, {Op(OpId::kMatmul, {both, w_upd})})})};
}

// Attention in bfloat16 with float32 accumulation: each contraction asks for
// preferred_element_type=jnp.float32, and the softmax runs in float32.
Exprs Builder::MixedAttention() {
  const int64_t batch = std::max<int64_t>(1, Dim() / 4);
  const int64_t length = Dim();
  const int64_t d = Dim();
  const DType h = DType::kBFloat16, f = DType::kFloat32;
  ExprPtr x = AddArg(TensorType{h, {batch, length, d}}, {-1, 1}, "x");
  ExprPtr wqkv = AddArg(TensorType{h, {d, 3 * d}}, {-0.5, 0.5}, "w_qkv");
  ExprPtr wo = AddArg(TensorType{h, {d, d}}, {-0.5, 0.5}, "w_out");
  auto einsum = [&](std::string subscripts, ExprPtr a, ExprPtr b) {
    OpAttrs e;
    e.subscripts = std::move(subscripts);
    return Op(OpId::kEinsumF32, {std::move(a), std::move(b)}, e);
  };
  ExprPtr qkv = Assign(Cast(Bound(einsum("btd,de->bte", x, wqkv), 4), h));
  auto part = [&](int64_t i) { return Assign(Op(OpId::kSplit, {qkv}, Piece(3, i, -1))); };
  ExprPtr q = part(0), k = part(1), v = part(2);
  const double scale = std::round(std::sqrt(static_cast<double>(d)) * 1000) / 1000;
  ExprPtr scores = Op(OpId::kDiv, {einsum("bqd,bkd->bqk", q, k), Lit(scale, f)});
  if (Pick({Choice::kAttnCausal, Choice::kAttnNoMask}) == 0) {
    OpAttrs ones;
    ones.to = DType::kBool;
    ones.shape = {length, length};
    scores = Op(OpId::kWhere, {Assign(Op(OpId::kTril, {Op(OpId::kOnes, {}, ones)})), scores, Lit(-1e4, f)});
  }
  ExprPtr p = Assign(Cast(Op(OpId::kSoftmax, {scores}, Over({-1})), h));
  // Softmax weights sum to one: each output is a convex combination of values.
  ExprPtr o = Refine(einsum("bqk,bkd->bqd", p, v), v->range);
  return {Op(OpId::kDotF32, {Cast(o, h), wo})};
}

}  // namespace jitsynth::synth::detail
