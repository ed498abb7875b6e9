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
  if (!Half(ht) && Chance(Choice::kNormRmsFromNorm)) {
    // The root mean square as the vector norm over sqrt(d), plus eps outside the root.
    ExprPtr norm = Op(OpId::kNorm, {h}, Over({-1}, true));
    ExprPtr rms = MaybeAssign(Op(OpId::kDiv, {norm, Lit(std::round(std::sqrt(static_cast<double>(n)) * 1000) / 1000, ht)}));
    ExprPtr y = Op(OpId::kDiv, {h, Op(OpId::kAdd, {rms, Lit(Chance(Choice::kNnNormEps) ? 1e-5 : 1e-6, ht)})});
    // |x| / rms(x) <= sqrt(n).
    y = Refine(y, {h->range.lo >= 0 ? 0 : -NormBound(n), h->range.hi <= 0 ? 0 : NormBound(n)});
    return RmsScale(upcast ? Cast(y, t) : y, n, t);
  }
  ExprPtr square = Op(OpId::kSquare, {h});
  if (Chance(Choice::kNnNormVar)) {  // x * x, which interval arithmetic takes for a product of two
    const double m = h->range.MaxAbs();
    square = Refine(Op(OpId::kMul, {h, h}), {0, m * m});
  }
  ExprPtr ms = MaybeAssign(Op(OpId::kMean, {square}, Over({-1}, true)));
  const double eps = Chance(Choice::kNnNormEps) ? 1e-5 : 1e-6;
  ExprPtr shifted = Op(OpId::kAdd, {ms, Lit(eps, ht)});
  ExprPtr y = Chance(Choice::kNnNormSqrt) ? Op(OpId::kDiv, {h, Op(OpId::kSqrt, {shifted})})
                                          : Op(OpId::kMul, {h, Op(OpId::kRsqrt, {shifted})});
  // |x| / rms(x) <= sqrt(n).
  y = Refine(y, {h->range.lo >= 0 ? 0 : -NormBound(n), h->range.hi <= 0 ? 0 : NormBound(n)});
  if (upcast) y = Cast(y, t);
  return RmsScale(y, n, t);
}

ExprPtr Builder::RmsScale(ExprPtr y, int64_t n, DType t) {
  if (Chance(Choice::kNnNormAffine) && CanAddArgs()) {
    // The scale as it is, or Gemma's (1 + scale) around zero-initialized weights.
    ExprPtr scale = Chance(Choice::kNormGemmaScale)
                        ? Op(OpId::kAdd, {Lit(1.0, t), AddArg(TensorType{t, {n}}, {-0.5, 0.5}, "scale")})
                        : AddArg(TensorType{t, {n}}, {0.5, 1.5}, "scale");
    y = Chance(Choice::kNormScaleFirst) ? Op(OpId::kMul, {scale, MaybeAssign(y)}) : Op(OpId::kMul, {MaybeAssign(y), scale});
  }
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
    // The running mean, updated with momentum as flax's BatchNorm does (0.99 by default there, 0.9 often).
    const double momentum = Draw({0.9, 0.99, 0.95});
    ExprPtr running = AddArg(TensorType{t, mean->type.shape}, ArgRange(t), "running_mean");
    out.push_back(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(momentum, t), running}),
                                  Op(OpId::kMul, {Lit(OneMinus(momentum), t), mean})}));
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

double Builder::Draw(std::initializer_list<double> values) {
  return values.begin()[rng_.Below(values.size())];
}

ExprPtr Builder::GlobalNorm(const Exprs& values, DType acc) {
  ExprPtr total;
  for (const ExprPtr& g : values) {
    ExprPtr sq = Op(OpId::kSum, {Op(OpId::kSquare, {Cast(g, acc)})});
    total = total ? Op(OpId::kAdd, {total, sq}) : sq;
  }
  return Assign(Op(OpId::kSqrt, {total}));
}

ExprPtr Builder::ClipScale(const ExprPtr& norm) {
  const DType acc = norm->type.dtype;
  const double max_norm = Draw({0.5, 1.0, 2.0, 5.0, 10.0});
  if (Chance(Choice::kOptClipTorch)) {
    // PyTorch adds 1e-6 to the norm; the smallest epsilon that keeps the ratio within the dtype's budget.
    double eps = 1e-6;
    while (max_norm / eps > Budget(acc)) eps *= 10;
    ExprPtr ratio = Op(OpId::kDiv, {Lit(max_norm, acc), Op(OpId::kAdd, {norm, Lit(eps, acc)})});
    return Op(OpId::kMinimum, {Lit(1.0, acc), ratio});
  }
  return Op(OpId::kDiv, {Lit(max_norm, acc), Op(OpId::kMaximum, {norm, Lit(max_norm, acc)})});
}

ExprPtr Builder::LearningRate(std::initializer_list<double> values) {
  if (Chance(Choice::kOptLrArg) && CanAddArgs()) return AddArg(Float({}), {1e-4, 0.1}, "lr");
  return Lit(Draw(values), fdt_);
}

// A second-moment denominator: m * rsqrt(v + eps), m / sqrt(v + eps) or m / (sqrt(v) + eps).
ExprPtr Builder::ScaledBy(ExprPtr m, ExprPtr v, double eps) {
  const DType d = m->type.dtype;
  if (Chance(Choice::kOptRsqrt)) return Op(OpId::kMul, {std::move(m), Op(OpId::kRsqrt, {Op(OpId::kAdd, {std::move(v), Lit(eps, d)})})});
  if (Chance(Choice::kOptEpsRoot)) return Op(OpId::kDiv, {std::move(m), Op(OpId::kSqrt, {Op(OpId::kAdd, {std::move(v), Lit(eps, d)})})});
  return Op(OpId::kDiv, {std::move(m), Op(OpId::kAdd, {Op(OpId::kSqrt, {std::move(v)}), Lit(eps, d)})});
}

// a * x + b * y
ExprPtr Builder::Mix(double a, ExprPtr x, double b, ExprPtr y) {
  const DType d = x->type.dtype;
  return Op(OpId::kAdd, {Op(OpId::kMul, {Lit(a, d), std::move(x)}), Op(OpId::kMul, {Lit(b, d), std::move(y)})});
}

// SGD with momentum: optax's trace (v = mu v + g, p - lr v, Nesterov's p - lr (g + mu v)),
// or the heavy ball with the rate inside the velocity (v = mu v - lr g, p + v).
Exprs Builder::SgdRule(const ExprPtr& param, ExprPtr grad) {
  const DType d = param->type.dtype;
  const double mu = Draw({0.9, 0.95, 0.99, 0.8, 0.5});
  if (Chance(Choice::kOptSgdDecay))
    grad = Assign(Op(OpId::kAdd, {grad, Op(OpId::kMul, {Lit(Draw({1e-4, 5e-4, 1e-3, 0.01}), d), param})}));
  ExprPtr velocity = AddArg(param->type, ArgRange(d), "velocity");
  ExprPtr lr = LearningRate({0.1, 0.01, 0.05, 0.03, 1e-3, 0.3});
  const bool nesterov = Chance(Choice::kOptWeightDecay);
  if (Chance(Choice::kOptHeavyBall)) {
    ExprPtr v = Assign(Op(OpId::kSub, {Op(OpId::kMul, {Lit(mu, d), velocity}), Op(OpId::kMul, {lr, grad})}));
    ExprPtr step = nesterov ? Op(OpId::kSub, {Op(OpId::kMul, {Lit(mu, d), v}), Op(OpId::kMul, {lr, grad})}) : v;
    return {Op(OpId::kAdd, {param, step}), v};
  }
  // The trace, or an exponential moving average of the gradients (v = mu v + (1 - mu) g).
  ExprPtr v = Assign(Chance(Choice::kOptSgdEma) ? Mix(mu, velocity, OneMinus(mu), grad)
                                                : Op(OpId::kAdd, {Op(OpId::kMul, {Lit(mu, d), velocity}), grad}));
  ExprPtr update = nesterov ? Op(OpId::kAdd, {grad, Op(OpId::kMul, {Lit(mu, d), v})}) : v;
  return {Op(OpId::kSub, {param, Op(OpId::kMul, {lr, update})}), v};
}

// Lion: the sign of an interpolation of momentum and gradient, with its own momentum decay.
Exprs Builder::LionRule(const ExprPtr& param, ExprPtr grad) {
  const DType d = param->type.dtype;
  const double b1 = Draw({0.9, 0.95, 0.8});
  const double b2 = Draw({0.99, 0.98, 0.95});
  ExprPtr m = AddArg(param->type, ArgRange(d), "m");
  ExprPtr lr = LearningRate({1e-4, 3e-4, 1e-3, 3e-5});
  ExprPtr update = Op(OpId::kSign, {MaybeAssign(Mix(b1, m, OneMinus(b1), grad))});
  if (Chance(Choice::kOptWeightDecay)) update = Op(OpId::kAdd, {MaybeAssign(update), Op(OpId::kMul, {Lit(Draw({0.1, 0.01, 1.0}), d), param})});
  ExprPtr out = Op(OpId::kSub, {param, Op(OpId::kMul, {lr, update})});
  return {out, Mix(b2, m, OneMinus(b2), grad)};
}

// Adam with bias correction from an int32 step count; weight decay decoupled (AdamW) or L2.
Exprs Builder::AdamRule(const ExprPtr& param, ExprPtr grad) {
  const TensorType t = param->type;
  const DType d = t.dtype;
  const double b1 = Draw({0.9, 0.8, 0.95});
  // bfloat16 rounds 0.999 to 1 (and 1 - 1^t = 0): half precision keeps b2 <= 0.99.
  const double b2 = Half(d) ? Draw({0.99, 0.98, 0.95}) : Draw({0.999, 0.99, 0.98, 0.95});
  const double eps = Draw({1e-8, 1e-7, 1e-6});
  const bool decay = Chance(Choice::kOptWeightDecay);
  const bool l2 = decay && Chance(Choice::kOptL2);
  const double wd = Draw({0.01, 0.05, 1e-4, 0.1});
  ExprPtr m = AddArg(t, ArgRange(d), "m");
  ExprPtr v = AddArg(t, {0.25, 1}, "v");
  ExprPtr count = AddArg(TensorType{DType::kInt32, {}}, {0, Half(d) ? 500.0 : 1000.0}, "step");
  ExprPtr lr = LearningRate({1e-3, 3e-4, 1e-4, 5e-4, 2e-4, 3e-3});
  if (l2) grad = Assign(Op(OpId::kAdd, {grad, Op(OpId::kMul, {Lit(wd, d), param})}));
  ExprPtr m1 = Assign(Mix(b1, m, OneMinus(b1), grad));
  ExprPtr v1 = Assign(Mix(b2, v, OneMinus(b2), Op(OpId::kSquare, {grad})));
  ExprPtr next = Assign(Op(OpId::kAdd, {count, Lit(1, DType::kInt32)}));
  ExprPtr tf = Assign(Cast(next, d));
  // b^t for t >= 1 lies in [0, b].
  auto correction = [&](double b) { return Op(OpId::kSub, {Lit(1.0, d), Refine(Op(OpId::kPow, {Lit(b, d), tf}), {0, b})}); };
  ExprPtr out;
  if (Chance(Choice::kOptFoldedCorrection)) {
    ExprPtr rate = Assign(Op(OpId::kDiv, {Op(OpId::kMul, {lr, Op(OpId::kSqrt, {correction(b2)})}), correction(b1)}));
    ExprPtr update = MaybeAssign(ScaledBy(m1, v1, eps));
    out = Op(OpId::kSub, {param, Op(OpId::kMul, {rate, update})});
    if (decay && !l2) out = Op(OpId::kSub, {out, Op(OpId::kMul, {lr, Op(OpId::kMul, {Lit(wd, d), param})})});
  } else {
    ExprPtr m_hat = Op(OpId::kDiv, {m1, correction(b1)});
    ExprPtr v_hat = Op(OpId::kDiv, {v1, correction(b2)});
    ExprPtr update = MaybeAssign(ScaledBy(MaybeAssign(m_hat), MaybeAssign(v_hat), eps));
    if (decay && !l2) update = Op(OpId::kAdd, {update, Op(OpId::kMul, {Lit(wd, d), param})});
    out = Op(OpId::kSub, {param, Op(OpId::kMul, {lr, update})});
  }
  Exprs results = {out, m1, v1};
  if (Chance(Choice::kOptCountOut)) results.push_back(next);
  return results;
}

// RMSProp, perhaps with a momentum buffer of the scaled gradients (optax.rmsprop(momentum=...)).
Exprs Builder::RmspropRule(const ExprPtr& param, ExprPtr grad) {
  const TensorType t = param->type;
  const DType d = t.dtype;
  const double decay = Draw({0.9, 0.99, 0.95});
  const double eps = Draw({1e-8, 1e-7, 1e-6});
  ExprPtr nu = AddArg(t, {0.25, 1}, "nu");
  ExprPtr mom = Chance(Choice::kOptRmsMomentum) && CanAddArgs() ? AddArg(t, ArgRange(d), "momentum") : nullptr;
  ExprPtr lr = LearningRate({1e-2, 1e-3, 3e-4, 5e-3, 1e-4});
  ExprPtr nu1 = Assign(Mix(decay, nu, OneMinus(decay), Op(OpId::kSquare, {grad})));
  if (!mom) return {Op(OpId::kSub, {param, Op(OpId::kMul, {lr, ScaledBy(grad, nu1, eps)})}), nu1};
  ExprPtr mom1 = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(Draw({0.9, 0.5, 0.99}), d), mom}), ScaledBy(grad, nu1, eps)}));
  return {Op(OpId::kSub, {param, Op(OpId::kMul, {lr, mom1})}), nu1, mom1};
}

// Adafactor: factored second moments (row and column means) and the update clipped by its RMS.
Exprs Builder::AdafactorRule(const ExprPtr& param, ExprPtr grad) {
  const TensorType t = param->type;
  const DType d = t.dtype;
  const int64_t rows = t.shape[0], cols = t.shape[1];
  const double decay = Draw({0.8, 0.9, 0.95, 0.99});
  ExprPtr v_row = AddArg(Float({rows}), {0.25, 1}, "v_row");
  ExprPtr v_col = AddArg(Float({cols}), {0.25, 1}, "v_col");
  ExprPtr lr = LearningRate({1e-2, 1e-3, 3e-3, 5e-3});
  ExprPtr g2 = Assign(Op(OpId::kAdd, {Op(OpId::kSquare, {grad}), Lit(d == DType::kFloat16 ? 1e-7 : 1e-30, d)}));
  ExprPtr r1 = Assign(Mix(decay, v_row, OneMinus(decay), Op(OpId::kMean, {g2}, Over({1}))));
  ExprPtr c1 = Assign(Mix(decay, v_col, OneMinus(decay), Op(OpId::kMean, {g2}, Over({0}))));
  ExprPtr update;
  if (Chance(Choice::kOptAdafactorOuter)) {
    // The paper's form: v = outer(r, c) / mean(r), update = g / sqrt(v).
    ExprPtr v_hat = Assign(Op(OpId::kDiv, {Op(OpId::kOuter, {r1, c1}), Op(OpId::kMean, {r1})}));
    update = Assign(Op(OpId::kMul, {grad, Op(OpId::kRsqrt, {v_hat})}));
  } else {
    ExprPtr row_factor = Op(OpId::kRsqrt, {Op(OpId::kDiv, {r1, Op(OpId::kMean, {r1})})});
    ExprPtr col_factor = Op(OpId::kRsqrt, {c1});
    OpAttrs col_axis;
    col_axis.axes = {1};
    update = Assign(Op(OpId::kMul, {Op(OpId::kMul, {grad, Op(OpId::kExpandDims, {row_factor}, col_axis)}), col_factor}));
  }
  ExprPtr rms = Op(OpId::kSqrt, {Op(OpId::kMean, {Op(OpId::kSquare, {update})})});
  const double threshold = Draw({1.0, 0.5, 2.0});
  ExprPtr denominator = threshold == 1.0 ? rms : Op(OpId::kDiv, {rms, Lit(threshold, d)});
  update = Op(OpId::kDiv, {update, Op(OpId::kMaximum, {Lit(1.0, d), denominator})});
  if (Chance(Choice::kOptWeightDecay)) update = Op(OpId::kAdd, {MaybeAssign(update), Op(OpId::kMul, {Lit(Draw({1e-3, 0.01, 1e-4}), d), param})});
  if (Chance(Choice::kOptAdafactorMomentum) && CanAddArgs()) {
    // optax.adafactor(momentum=b1): a first moment of the clipped updates.
    ExprPtr m = AddArg(t, ArgRange(d), "m");
    const double b1 = Draw({0.9, 0.8, 0.95});
    ExprPtr m1 = Assign(Mix(b1, m, OneMinus(b1), update));
    return {Op(OpId::kSub, {param, Op(OpId::kMul, {lr, m1})}), r1, c1, m1};
  }
  return {Op(OpId::kSub, {param, Op(OpId::kMul, {lr, update})}), r1, c1};
}

// A rate scheduled from the step count: linear warmup to the peak, then cosine or linear
// decay to 0 at `total`, driving plain SGD or SGD with momentum.
Exprs Builder::ScheduleRule(const ExprPtr& param, ExprPtr grad) {
  const DType d = param->type.dtype;
  const double warmup = static_cast<double>(10 * Dim());
  const double total = warmup * static_cast<double>(2 + Dim());
  const double peak = Draw({0.1, 0.05, 0.01, 1e-3, 3e-4});
  ExprPtr velocity = Chance(Choice::kOptScheduleMomentum) && CanAddArgs() ? AddArg(param->type, ArgRange(d), "velocity") : nullptr;
  ExprPtr count = AddArg(TensorType{DType::kInt32, {}}, {0, total * 1.5}, "step");
  const DType f = DType::kFloat32;
  ExprPtr now = Assign(Cast(count, f));
  ExprPtr warm = Op(OpId::kDiv, {Op(OpId::kMul, {Lit(peak, f), now}), Lit(warmup, f)});
  ExprPtr progress = Assign(Clip(Op(OpId::kDiv, {Op(OpId::kSub, {now, Lit(warmup, f)}), Lit(total - warmup, f)}), 0, 1));
  ExprPtr decayed = Chance(Choice::kOptLinearDecay)
      ? Op(OpId::kMul, {Lit(peak, f), Op(OpId::kSub, {Lit(1.0, f), progress})})
      : Op(OpId::kMul, {Lit(peak / 2, f), Op(OpId::kAdd, {Lit(1.0, f), Op(OpId::kCos, {Op(OpId::kMul, {Lit(3.141593, f), progress})})})});
  ExprPtr lr = Assign(Op(OpId::kWhere, {Op(OpId::kLt, {now, Lit(warmup, f)}), warm, decayed}));
  if (!velocity) return {Op(OpId::kSub, {param, Op(OpId::kMul, {Cast(lr, d), grad})}), lr};
  ExprPtr v = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(Draw({0.9, 0.95, 0.99}), d), velocity}), grad}));
  return {Op(OpId::kSub, {param, Op(OpId::kMul, {Cast(lr, d), v})}), v, lr};
}

// Clipping by global norm over one to three gradient leaves, then an SGD step.
Exprs Builder::ClipRule(const ExprPtr& param, ExprPtr grad) {
  const DType d = param->type.dtype;
  Exprs grads = {grad};
  const int64_t leaves = rng_.UniformInt(1, 3);
  if (leaves >= 2 && CanAddArgs()) grads.push_back(AddArg(Float({param->type.shape.back()}), ArgRange(d), "grad_bias"));
  if (leaves >= 3 && CanAddArgs()) grads.push_back(AddArg(Float(RandomShape(1, 2)), ArgRange(d), "grad_head"));
  ExprPtr lr = LearningRate({0.1, 0.01, 1e-3, 0.05});
  // Half-precision gradients are summed in float32, as mixed-precision training does.
  ExprPtr norm = GlobalNorm(grads, Half(d) ? DType::kFloat32 : d);
  ExprPtr scale = Assign(Cast(ClipScale(norm), d));
  Exprs out;
  for (const ExprPtr& g : grads) out.push_back(Op(OpId::kMul, {g, scale}));
  out[0] = Op(OpId::kSub, {param, Op(OpId::kMul, {lr, out[0]})});
  if (Chance(Choice::kOptClipReturnNorm)) out.push_back(norm);
  return out;
}

Exprs Builder::OptimizerFamily() {
  const Shape s = knobs_.max_rank >= 2 ? Shape{Dim(), Dim()} : Shape{Dim()};
  const TensorType t = Float(s);
  const DType d = fdt_;
  ExprPtr param = AddArg(t, ArgRange(d), "param");
  ExprPtr grad = AddArg(t, ArgRange(d), "grad");
  size_t rule = Pick({Choice::kOptSgd, Choice::kOptAdam, Choice::kOptRmsprop, Choice::kOptAdafactor,
                      Choice::kOptClipGlobal, Choice::kOptSchedule, Choice::kOptLion});
  if (rule == 3 && t.rank() < 2) rule = 4;
  if (Chance(Choice::kOptUnscale) && CanAddArgs()) {
    // Mixed-precision training: gradients of a scaled loss are unscaled before the update.
    ExprPtr loss_scale = AddArg(Float({}), {1, 512}, "loss_scale");
    grad = Assign(Op(OpId::kDiv, {grad, loss_scale}));
  }
  if ((rule <= 2 || rule == 6) && Chance(Choice::kOptPreClip)) {
    // optax.chain(clip_by_global_norm(max_norm), ...): the gradient scaled before the rule sees it.
    ExprPtr norm = GlobalNorm({grad}, Half(d) ? DType::kFloat32 : d);
    grad = Assign(Op(OpId::kMul, {grad, Cast(ClipScale(norm), d)}));
  }
  switch (rule) {
    case 0:
      return SgdRule(param, grad);
    case 1:
      return AdamRule(param, grad);
    case 2:
      return RmspropRule(param, grad);
    case 3:
      return AdafactorRule(param, grad);
    case 5:
      return ScheduleRule(param, grad);
    case 6:
      return LionRule(param, grad);
    default:
      return ClipRule(param, grad);
  }
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
    // Token embeddings scaled by sqrt(d) before the code is added, as the Transformer does.
    if (Chance(Choice::kPosScaleInput))
      x = Op(OpId::kMul, {x, Lit(std::round(std::sqrt(static_cast<double>(2 * half)) * 1000) / 1000, fdt_)});
    return {Op(OpId::kAdd, {MaybeAssign(x), MaybeAssign(code)})};
  }
  // Rotary: rotate the pairs (x1, x2) of the two halves by the position's angles.
  sin = Assign(sin);
  cos = Assign(cos);
  if (Chance(Choice::kPosRotateHalf)) {
    // x * cos + rotate_half(x) * sin, with the angles tiled over both halves (the HF idiom).
    OpAttrs join;
    join.axes = {-1};
    ExprPtr cos2 = Assign(Op(OpId::kConcatenate, {cos, cos}, join));
    ExprPtr sin2 = Assign(Op(OpId::kConcatenate, {sin, sin}, join));
    ExprPtr rotated = Op(OpId::kConcatenate, {Op(OpId::kNeg, {Op(OpId::kSplit, {x}, Piece(2, 1, last))}), Op(OpId::kSplit, {x}, Piece(2, 0, last))}, join);
    return {Op(OpId::kAdd, {Op(OpId::kMul, {x, cos2}), Op(OpId::kMul, {MaybeAssign(rotated), sin2})})};
  }
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
  ExprPtr loss = ReducedLoss(std::move(per_example));
  if (!loss_params_ || !Chance(Choice::kLossL2)) return loss;
  // An L2 penalty on the head's weights, as a loss_fn(params, batch) adds it.
  const DType t = loss->type.dtype;
  ExprPtr penalty = Op(OpId::kSum, {Op(OpId::kSquare, {loss_params_})});
  loss = MaybeAssign(loss);
  // Without the penalty where the sum would pass the dtype's budget (a float16 loss near it).
  ExprPtr with = TryOp(OpId::kAdd, {loss, Op(OpId::kMul, {Lit(Draw({1e-4, 1e-3, 5e-4, 1e-2}), t), penalty})});
  return with ? with : loss;
}

ExprPtr Builder::ReducedLoss(ExprPtr per_example) {
  const TensorType& t = per_example->type;
  if (Chance(Choice::kLossWeighted) && CanAddArgs()) {
    // Example weights in [0.5, 1]: their sum is positive.
    ExprPtr w = AddArg(t, {0.5, 1}, "weights");
    ExprPtr total = Op(OpId::kSum, {Op(OpId::kMul, {per_example, w})});
    ExprPtr mean = Op(OpId::kDiv, {total, Op(OpId::kSum, {w})});
    if (InBudget(total) && InBudget(mean)) return mean;
  }
  per_example = MaybeAssign(std::move(per_example));
  ExprPtr total = Op(OpId::kSum, {per_example});
  if (InBudget(total)) {
    if (Chance(Choice::kLossSum)) return total;
    // The mean written as a sum over the batch size, as a training step often does.
    if (Chance(Choice::kLossSumOverN)) return Op(OpId::kDiv, {total, Lit(static_cast<double>(ir::NumElements(t.shape)), t.dtype)});
  }
  return Op(OpId::kMean, {per_example});
}

// A loss's predictions: an argument, or (family_loss.from_features) a linear head on features,
// as a loss_fn(params, batch) computes them; weights drawn so |x @ w + b| stays within `range`.
ExprPtr Builder::LossInput(const Shape& s, Interval range, std::string name) {
  if (!Chance(Choice::kLossFromFeatures) || !CanAddArgs()) return AddArg(Float(s), range, std::move(name));
  const int64_t f = Dim();
  Shape xs = s;
  xs.back() = f;
  const double limit = range.MaxAbs();
  ExprPtr x = AddArg(Float(xs), {-1, 1}, "features");
  const bool bias = Chance(Choice::kNnDenseBias) && CanAddArgs();
  const double scale = limit / static_cast<double>(f + (bias ? 1 : 0));
  ExprPtr w = AddArg(Float({f, s.back()}), {-scale, scale}, "w");
  loss_params_ = w;
  ExprPtr y = Op(OpId::kMatmul, {x, w});
  if (CanAddArgs() && bias) y = Op(OpId::kAdd, {y, AddArg(Float({s.back()}), {-scale, scale}, "b")});
  return Assign(y);
}

// Logits before a softmax: divided by a distillation temperature, perhaps.
ExprPtr Builder::Tempered(ExprPtr logits) {
  if (!Chance(Choice::kLossTemperature)) return logits;
  const DType t = logits->type.dtype;
  return MaybeAssign(Op(OpId::kDiv, {std::move(logits), Lit(Draw({2.0, 0.5, 4.0, 1.5}), t)}));
}

// A per-example softmax loss plus, perhaps, PaLM's z-loss on the log-partition function.
ExprPtr Builder::WithZLoss(ExprPtr per, const ExprPtr& logits) {
  if (!Chance(Choice::kLossZLoss)) return per;
  ExprPtr z = Op(OpId::kLogSumExp, {logits}, Over({-1}));
  const DType t = per->type.dtype;
  return Op(OpId::kAdd, {std::move(per), Op(OpId::kMul, {Lit(Draw({1e-4, 1e-3, 1e-2}), t), Op(OpId::kSquare, {MaybeAssign(z)})})});
}

// Softmax cross-entropy against one-hot labels (perhaps smoothed) or soft targets.
ExprPtr Builder::SoftmaxCrossEntropy(int64_t batch, int64_t classes) {
  const DType t = fdt_;
  ExprPtr logits = Tempered(LossInput({batch, classes}, {-3, 3}, "logits"));
  ExprPtr labels;
  if (Chance(Choice::kLossSoftTargets) && CanAddArgs()) {
    labels = AddArg(Float({batch, classes}), {0, 1}, "targets");
  } else {
    OpAttrs hot;
    hot.count = classes;
    hot.to = t;
    labels = Op(OpId::kOneHot, {Index(TensorType{DType::kInt32, {batch}}, classes, false)}, hot);
  }
  if (Chance(Choice::kNnLabelSmoothing)) {
    const double eps = Draw({0.1, 0.05, 0.2, 0.01});
    labels = Op(OpId::kAdd, {Op(OpId::kMul, {labels, Lit(OneMinus(eps), t)}), Lit(eps / static_cast<double>(classes), t)});
  }
  ExprPtr logp = Chance(Choice::kLossManualLogSoftmax)
                     ? Op(OpId::kSub, {logits, Op(OpId::kLogSumExp, {logits}, Over({-1}, true))})
                     : Op(OpId::kLogSoftmax, {logits}, Over({-1}));
  ExprPtr per = Op(OpId::kNeg, {Op(OpId::kSum, {Op(OpId::kMul, {Assign(labels), MaybeAssign(logp)})}, Over({-1}))});
  return WithZLoss(per, logits);
}

// Huber's loss with threshold delta: quadratic below it, linear above; or PyTorch's smooth L1 (divided by delta).
ExprPtr Builder::HuberLoss(const Shape& s) {
  const DType t = fdt_;
  const double delta = Draw({1.0, 0.5, 2.0, 0.1});
  const bool smooth_l1 = Chance(Choice::kLossSmoothL1);
  ExprPtr pred = LossInput(s, ArgRange(t), "predictions");
  ExprPtr target = AddArg(Float(s), ArgRange(t), "targets");
  ExprPtr err = Assign(Op(OpId::kAbs, {Op(OpId::kSub, {pred, target})}));
  ExprPtr per;
  if (Chance(Choice::kLossHuberWhere)) {
    ExprPtr quad = Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kSquare, {err})});
    if (smooth_l1) quad = Op(OpId::kDiv, {quad, Lit(delta, t)});
    ExprPtr lin = smooth_l1 ? Op(OpId::kSub, {err, Lit(0.5 * delta, t)})
                            : Op(OpId::kMul, {Lit(delta, t), Op(OpId::kSub, {err, Lit(0.5 * delta, t)})});
    per = Op(OpId::kWhere, {Op(OpId::kLe, {err, Lit(delta, t)}), quad, lin});
  } else {
    ExprPtr quad = Assign(Op(OpId::kMinimum, {err, Lit(delta, t)}));
    per = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kSquare, {quad})}),
                          Op(OpId::kMul, {Lit(delta, t), Op(OpId::kSub, {err, quad})})});
    if (smooth_l1) per = Op(OpId::kDiv, {per, Lit(delta, t)});
  }
  return s.size() > 1 && Chance(Choice::kLossRowMean) ? Op(OpId::kMean, {MaybeAssign(per)}, Over({-1})) : per;
}

// The hinge loss relu(margin - y s) with labels in {-1, 1}, perhaps squared.
ExprPtr Builder::HingeLoss(const Shape& s) {
  const DType t = fdt_;
  ExprPtr scores = LossInput(s, ArgRange(t), "scores");
  ExprPtr labels;
  if (Chance(Choice::kLossHingeFloatLabels)) {
    labels = AddArg(Float(s), {-1, 1}, "labels");
  } else {
    ExprPtr positive = AddArg(Bool(s), {0, 1}, "is_positive");
    labels = Assign(Op(OpId::kSub, {Op(OpId::kMul, {Cast(positive, t), Lit(2.0, t)}), Lit(1.0, t)}));
  }
  ExprPtr gap = Op(OpId::kSub, {Lit(Draw({1.0, 0.5, 2.0}), t), Op(OpId::kMul, {labels, scores})});
  ExprPtr per = Chance(Choice::kLossMaximumForm) ? Op(OpId::kMaximum, {gap, Lit(0.0, t)}) : Op(OpId::kRelu, {gap});
  if (Chance(Choice::kLossSquaredHinge)) per = Op(OpId::kSquare, {MaybeAssign(per)});
  return s.size() > 1 && Chance(Choice::kLossRowMean) ? Op(OpId::kMean, {MaybeAssign(per)}, Over({-1})) : per;
}

// One minus the cosine similarity of rows: from the norms, or of rows normalized first.
ExprPtr Builder::CosineLoss(const Shape& s) {
  const DType t = fdt_;
  const std::vector<int> last = {-1};
  ExprPtr a = AddArg(Float(s), ArgRange(t));
  ExprPtr b = AddArg(Float(s), ArgRange(t));
  ExprPtr cosine;
  const double eps = Draw({1e-6, 1e-5, 1e-4});
  if (Chance(Choice::kLossCosineNormalizeFirst)) {
    auto unit = [&](const ExprPtr& v) {
      ExprPtr norm = Op(OpId::kNorm, {v}, Over(last, true));
      // v / (|v| + eps) lies in [-1, 1].
      return Assign(Refine(Op(OpId::kDiv, {v, Op(OpId::kAdd, {norm, Lit(eps, t)})}), {-1, 1}));
    };
    ExprPtr ua = unit(a), ub = unit(b);
    // Unit vectors: their dot product is a cosine, within [-1, 1].
    cosine = Refine(Op(OpId::kSum, {Op(OpId::kMul, {ua, ub})}, Over(last)), {-1, 1});
  } else if (Chance(Choice::kLossCosineNormProduct)) {
    // PyTorch's cosine_similarity: a . b / max(|a| |b|, eps).
    ExprPtr norms = Op(OpId::kMul, {Op(OpId::kNorm, {a}, Over(last)), Op(OpId::kNorm, {b}, Over(last))});
    ExprPtr dot = Op(OpId::kSum, {Op(OpId::kMul, {a, b})}, Over(last));
    cosine = Refine(Op(OpId::kDiv, {MaybeAssign(dot), Op(OpId::kMaximum, {MaybeAssign(norms), Lit(eps, t)})}), {-1, 1});
  } else {
    auto norm = [&](const ExprPtr& v) {
      return Op(OpId::kSqrt, {Op(OpId::kMaximum, {Op(OpId::kSum, {Op(OpId::kMul, {v, v})}, Over(last)), Lit(eps, t)})});
    };
    ExprPtr dot = Op(OpId::kSum, {Op(OpId::kMul, {a, b})}, Over(last));
    // a . b / (|a| |b|) is a cosine: within [-1, 1].
    cosine = Refine(Op(OpId::kDiv, {dot, Op(OpId::kMul, {MaybeAssign(norm(a)), MaybeAssign(norm(b))})}), {-1, 1});
  }
  if (Chance(Choice::kLossCosineEmbedding) && CanAddArgs()) {
    // PyTorch's CosineEmbeddingLoss: 1 - cos for similar pairs, max(0, cos - margin) for others.
    ExprPtr same = AddArg(Bool({s[0]}), {0, 1}, "same");
    cosine = Assign(cosine);
    ExprPtr apart = Op(OpId::kRelu, {Op(OpId::kSub, {cosine, Lit(Draw({0.0, 0.1, 0.5}), t)})});
    return Op(OpId::kWhere, {same, Op(OpId::kSub, {Lit(1.0, t), cosine}), apart});
  }
  return Op(OpId::kSub, {Lit(1.0, t), MaybeAssign(cosine)});
}

// Sigmoid binary cross-entropy: through log_sigmoid or optax's stable form, perhaps with
// smoothed labels or a positive-class weight.
ExprPtr Builder::BinaryCrossEntropy(const Shape& s) {
  const DType t = fdt_;
  ExprPtr logits = LossInput(s, {-3, 3}, "logits");
  ExprPtr labels = Chance(Choice::kLossBoolLabels) ? Assign(Cast(AddArg(Bool(s), {0, 1}, "labels"), t))
                                                   : AddArg(Float(s), {0, 1}, "labels");
  if (Chance(Choice::kLossBinarySmoothing)) {
    const double a = Draw({0.1, 0.05, 0.2});
    labels = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {labels, Lit(OneMinus(a), t)}), Lit(a / 2, t)}));
  }
  if (Chance(Choice::kLossStableBce)) {
    // max(x, 0) - x z + log(1 + exp(-|x|))
    ExprPtr soft = Op(OpId::kLog1p, {Op(OpId::kExp, {Op(OpId::kNeg, {Op(OpId::kAbs, {logits})})})});
    return Op(OpId::kAdd, {Op(OpId::kSub, {Op(OpId::kRelu, {logits}), Op(OpId::kMul, {logits, labels})}), soft});
  }
  if (Chance(Choice::kLossSoftplusBce)) return Op(OpId::kSub, {Op(OpId::kSoftplus, {logits}), Op(OpId::kMul, {logits, labels})});
  ExprPtr log_p = Assign(Op(OpId::kLogSigmoid, {logits}));
  ExprPtr log_not_p = Assign(Op(OpId::kLogSigmoid, {Op(OpId::kNeg, {logits})}));
  ExprPtr positive = Op(OpId::kMul, {labels, log_p});
  if (Chance(Choice::kLossPosWeight)) positive = Op(OpId::kMul, {Lit(Draw({2.0, 5.0, 0.5, 10.0}), t), positive});
  return Op(OpId::kNeg, {Op(OpId::kAdd, {positive, Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), labels}), log_not_p})})});
}

// The sigmoid focal loss: cross-entropy scaled by (1 - p_t)^gamma, perhaps alpha-balanced.
ExprPtr Builder::FocalLoss(const Shape& s) {
  const DType t = fdt_;
  ExprPtr logits = LossInput(s, {-3, 3}, "logits");
  ExprPtr labels = AddArg(Float(s), {0, 1}, "labels");
  ExprPtr p = Assign(Op(OpId::kSigmoid, {logits}));
  ExprPtr ce = Op(OpId::kNeg, {Op(OpId::kAdd, {Op(OpId::kMul, {labels, Op(OpId::kLogSigmoid, {logits})}),
                                               Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), labels}), Op(OpId::kLogSigmoid, {Op(OpId::kNeg, {logits})})})})});
  ce = Assign(ce);
  ExprPtr p_t = Op(OpId::kAdd, {Op(OpId::kMul, {p, labels}), Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), p}), Op(OpId::kSub, {Lit(1.0, t), labels})})});
  // p_t is a convex combination of p and 1 - p: within [0, 1].
  ExprPtr miss = Assign(Op(OpId::kSub, {Lit(1.0, t), Refine(p_t, {0, 1})}));
  // gamma in {1, 2, 3, 4}: pow's domain excludes a base of 0.
  OpAttrs power;
  power.count = static_cast<int64_t>(rng_.UniformInt(1, 4));
  ExprPtr factor = power.count == 2 ? Op(OpId::kSquare, {miss}) : power.count == 1 ? miss : Op(OpId::kIntegerPow, {miss}, power);
  ExprPtr per = Op(OpId::kMul, {factor, ce});
  if (Chance(Choice::kLossFocalAlpha)) {
    const double alpha = Draw({0.25, 0.5, 0.75});
    ExprPtr weight = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(alpha, t), labels}), Op(OpId::kMul, {Lit(OneMinus(alpha), t), Op(OpId::kSub, {Lit(1.0, t), labels})})});
    per = Op(OpId::kMul, {MaybeAssign(weight), MaybeAssign(per)});
  }
  return per;
}

Exprs Builder::LossFamily() {
  const int64_t batch = Dim();
  const int64_t classes = std::max<int64_t>(2, Dim());
  const bool matrix = knobs_.max_rank >= 2;
  const Shape s = matrix ? Shape{batch, classes} : Shape{classes};
  switch (Pick({Choice::kLossCrossEntropy, Choice::kLossHuber, Choice::kLossHinge, Choice::kLossCosine,
                Choice::kLossSigmoidBce, Choice::kLossSparse, Choice::kLossMaskedTokens, Choice::kLossFocal})) {
    case 0:
      if (matrix) return {Loss(SoftmaxCrossEntropy(batch, classes))};
      break;
    case 1:
      return {Loss(HuberLoss(s))};
    case 2:
      return {Loss(HingeLoss(s))};
    case 3:
      if (matrix) return {Loss(CosineLoss(s))};
      break;
    case 5:
      if (matrix) {
        ExprPtr logits = Tempered(LossInput(s, {-3, 3}, "logits"));
        return {Loss(WithZLoss(SparseCrossEntropy(logits), logits))};
      }
      break;
    case 6:
      if (knobs_.max_rank >= 3) return {MaskedTokenLoss(batch)};
      break;
    case 7:
      return {Loss(FocalLoss(s))};
    default:
      break;
  }
  ExprPtr per = BinaryCrossEntropy(s);
  if (s.size() > 1 && Chance(Choice::kLossRowMean)) per = Op(OpId::kMean, {MaybeAssign(per)}, Over({-1}));
  return {Loss(per)};
}

// Picks logits[i, labels[i]] with jnp.take_along_axis (or a one-hot product): per-example -log p(label),
// perhaps label-smoothed toward the mean log-probability.
ExprPtr Builder::SparseCrossEntropy(ExprPtr logits) {
  const int64_t classes = logits->type.shape.back();
  Shape label_shape = logits->type.shape;
  label_shape.pop_back();
  const TensorType label_type{DType::kInt32, label_shape};
  const Interval in_range = {0, static_cast<double>(classes - 1)};
  ExprPtr labels = CanAddArgs() ? AddArg(label_type, in_range, "labels")
                                : KeepWithin(Index(label_type, classes, false), in_range);
  return PickedNll(logits, labels);
}

ExprPtr Builder::PickedNll(const ExprPtr& logits, const ExprPtr& labels) {
  const int axis = Chance(Choice::kLossNegativeAxis) ? -1 : logits->type.rank() - 1;
  const int64_t classes = logits->type.shape.back();
  OpAttrs along = Over({axis});
  auto pick = [&](const ExprPtr& from) -> ExprPtr {
    if (Chance(Choice::kLossSparseOneHot)) {  // sum(one_hot(labels) * from, axis)
      OpAttrs hot;
      hot.count = classes;
      hot.to = from->type.dtype;
      return Op(OpId::kSum, {Op(OpId::kMul, {Op(OpId::kOneHot, {labels}, hot), from})}, along);
    }
    // from[..., labels[..., None]][..., 0]
    return Op(OpId::kSqueeze, {Op(OpId::kTakeAlongAxis, {from, Op(OpId::kExpandDims, {labels}, along)}, along)}, along);
  };
  const bool smooth = Chance(Choice::kLossSparseSmoothing);
  if (!smooth && Chance(Choice::kLossLogSumExp)) {
    ExprPtr lse = MaybeAssign(Op(OpId::kLogSumExp, {logits}, Over({axis})));
    return Op(OpId::kSub, {lse, MaybeAssign(pick(logits))});
  }
  ExprPtr logp = Assign(Op(OpId::kLogSoftmax, {logits}, Over({axis})));
  ExprPtr nll = Op(OpId::kNeg, {pick(logp)});
  if (!smooth) return nll;
  const DType t = logp->type.dtype;
  const double eps = Draw({0.1, 0.05, 0.2});
  ExprPtr uniform = Op(OpId::kNeg, {Op(OpId::kMean, {logp}, along)});
  return Op(OpId::kAdd, {Op(OpId::kMul, {Lit(OneMinus(eps), t), MaybeAssign(nll)}), Op(OpId::kMul, {Lit(eps, t), MaybeAssign(uniform)})});
}

// A language model's loss: token log-likelihoods averaged over the positions a mask keeps
// (a mask argument, or the positions whose label is not the padding id 0), over all tokens
// or per sequence first.
ExprPtr Builder::MaskedTokenLoss(int64_t batch) {
  const int64_t length = Dim();
  const int64_t vocab = std::max<int64_t>(2, Dim());
  ExprPtr logits = AddArg(Float({batch, length, vocab}), {-3, 3}, "logits");
  ExprPtr labels = AddArg(TensorType{DType::kInt32, {batch, length}}, {0, static_cast<double>(vocab - 1)}, "labels");
  // Half-precision logits are upcast for the softmax, as training code does.
  ExprPtr wide = Half(fdt_) ? Assign(Cast(logits, DType::kFloat32)) : logits;
  ExprPtr nll = Assign(WithZLoss(PickedNll(wide, labels), wide));
  const DType t = nll->type.dtype;
  ExprPtr keep = Chance(Choice::kLossPadMask) ? Op(OpId::kNe, {labels, Lit(0, DType::kInt32)})
                                              : AddArg(Bool({batch, length}), {0, 1}, "mask");
  ExprPtr mask = Assign(Cast(keep, t));
  ExprPtr total = Op(OpId::kSum, {Op(OpId::kMul, {nll, mask})});
  if (!Chance(Choice::kLossPerSequence) && InBudget(total))
    return Op(OpId::kDiv, {total, Op(OpId::kMaximum, {Op(OpId::kSum, {mask}), Lit(1.0, t)})});
  ExprPtr sums = Op(OpId::kSum, {Op(OpId::kMul, {nll, mask})}, Over({1}));
  if (!InBudget(sums)) return Op(OpId::kMean, {Op(OpId::kMul, {nll, mask})});  // too long to sum in this dtype
  ExprPtr per = Op(OpId::kDiv, {sums, Op(OpId::kMaximum, {Op(OpId::kSum, {mask}, Over({1})), Lit(1.0, t)})});
  return Op(OpId::kMean, {MaybeAssign(per)});
}

ExprPtr Builder::Gate(const ExprPtr& x, bool manual) {
  const DType t = x->type.dtype;
  // The hand-written sigmoid where exp(-x) stays within exp's domain (arguments <= 6).
  if (manual && x->range.lo >= -6)
    return Op(OpId::kDiv, {Lit(1.0, t), Op(OpId::kAdd, {Lit(1.0, t), Op(OpId::kExp, {Op(OpId::kNeg, {x})})})});
  return Op(OpId::kSigmoid, {x});
}

Exprs Builder::RecurrentFamily() {
  if (knobs_.max_rank < 3) return Instead(Family::kLoop);  // a sequence of batched inputs needs rank 3
  const int64_t steps = std::max<int64_t>(2, std::min<int64_t>(Dim(), knobs_.max_trip));
  const int64_t batch = std::max<int64_t>(1, Dim() / 2);
  const int64_t features = Dim();
  const int64_t hidden = std::max<int64_t>(1, std::min<int64_t>(Dim(), knobs_.max_dim / 3));  // 3 gates fit shape.max_dim
  const DType t = fdt_;
  const size_t cell = Pick({Choice::kRnnGru, Choice::kRnnLstm, Choice::kRnnSimple});  // GRU, LSTM, Elman
  const int64_t gates = cell == 2 ? 1 : 3;
  const bool batch_major = Chance(Choice::kRnnBatchMajor);
  ExprPtr xs = AddArg(Float(batch_major ? Shape{batch, steps, features} : Shape{steps, batch, features}), ArgRange(t), "xs");
  ExprPtr h0 = Chance(Choice::kRnnZeroInit) ? nullptr : AddArg(Float({batch, hidden}), {-1, 1}, "h0");
  ExprPtr w = AddArg(Float({features, gates * hidden}), {-0.5, 0.5}, "w_in");
  ExprPtr u = AddArg(Float({hidden, gates * hidden}), {-0.5, 0.5}, "w_hidden");
  ExprPtr b_in, b_hidden;
  if (Chance(Choice::kRnnBias) && CanAddArgs()) {
    b_in = AddArg(Float({gates * hidden}), {-0.5, 0.5}, "bias");
    if (Chance(Choice::kRnnTwoBiases) && CanAddArgs()) b_hidden = AddArg(Float({gates * hidden}), {-0.5, 0.5}, "bias_hidden");
  }
  if (batch_major) {
    OpAttrs swap;
    swap.axes = {0, 1};
    xs = Assign(Op(OpId::kSwapAxes, {xs}, swap));
  }
  auto with_bias = [&](ExprPtr e, const ExprPtr& b) { return b ? Op(OpId::kAdd, {std::move(e), b}) : e; };
  // The input projection of every step at once, before the scan.
  const bool hoist = Chance(Choice::kRnnHoist);
  if (hoist) xs = Assign(with_bias(Op(OpId::kMatmul, {xs, w}), b_in));
  if (!h0) {
    OpAttrs zeros;
    zeros.shape = {batch, hidden};
    zeros.to = t;
    h0 = Op(OpId::kZeros, {}, zeros);
  }
  Exprs init = {h0};
  if (cell == 1) init.push_back(Op(OpId::kZerosLike, {h0}));
  const int axis = Chance(Choice::kRnnSplitLast) ? -1 : 1;
  const bool manual = Chance(Choice::kRnnManualSigmoid);
  const bool reset_after = Chance(Choice::kRnnResetAfter);
  const bool torch_mix = Chance(Choice::kRnnTorchMix);
  const bool forget_bias = Chance(Choice::kRnnForgetBias);
  const bool leaky = Chance(Choice::kRnnLeaky);
  // Each step's output: the hidden state, or its projection (an Elman network's output layer).
  ExprPtr w_step = Chance(Choice::kRnnStepOutput) && CanAddArgs() ? AddArg(Float({hidden, Dim()}), {-1, 1}, "w_out") : nullptr;
  auto emit = [&](const ExprPtr& h) { return w_step ? Op(OpId::kMatmul, {h, w_step}) : h; };
  // Frameworks lay the gates out in different orders (PyTorch's r, z, n; Keras's z, r, h).
  static constexpr std::array<std::array<int64_t, 3>, 6> kOrders = {{{0, 1, 2}, {1, 0, 2}, {0, 2, 1}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};
  const std::array<int64_t, 3> order = kOrders[rng_.Below(kOrders.size())];
  auto piece = [&](const ExprPtr& e, int64_t i) { return gates == 1 ? e : Op(OpId::kSplit, {e}, Piece(gates, order[static_cast<size_t>(i)], axis)); };
  Exprs out = Scan(init, xs, [&](const Exprs& p) {
    const ExprPtr& h = p[0];
    const ExprPtr& x = p.back();
    ExprPtr gx = hoist ? x : with_bias(Op(OpId::kMatmul, {x, w}), b_in);
    ExprPtr gh = with_bias(Op(OpId::kMatmul, {h, u}), b_hidden);
    if (cell == 2) {
      ExprPtr next = Op(OpId::kTanh, {Op(OpId::kAdd, {gx, gh})});
      if (leaky) {
        // A leaky integrator: a convex combination of h and a tanh, within hull(h, [-1, 1]).
        const double a = Draw({0.1, 0.2, 0.3, 0.5, 0.9});
        next = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(OneMinus(a), t), h}), Op(OpId::kMul, {Lit(a, t), MaybeAssign(next)})});
        next = Refine(next, Interval::Hull(h->range, {-1, 1}));
      }
      next = Assign(next);
      return Exprs{next, emit(next)};
    }
    if (cell == 0) {
      gx = hoist ? gx : Assign(gx);
      gh = Assign(gh);
      ExprPtr z = Assign(Gate(Op(OpId::kAdd, {piece(gx, 0), piece(gh, 0)}), manual));
      ExprPtr r = Gate(Op(OpId::kAdd, {piece(gx, 1), piece(gh, 1)}), manual);
      ExprPtr recurrent = reset_after ? Op(OpId::kMul, {r, piece(gh, 2)})
                                      : piece(Op(OpId::kMatmul, {Op(OpId::kMul, {r, h}), u}), 2);
      ExprPtr candidate = Assign(Op(OpId::kTanh, {Op(OpId::kAdd, {piece(gx, 2), recurrent})}));
      ExprPtr keep = Op(OpId::kSub, {Lit(1.0, t), z});
      ExprPtr next = torch_mix ? Op(OpId::kAdd, {Op(OpId::kMul, {keep, candidate}), Op(OpId::kMul, {z, h})})
                               : Op(OpId::kAdd, {Op(OpId::kMul, {keep, h}), Op(OpId::kMul, {z, candidate})});
      // A convex combination of h and a tanh: within hull(h, [-1, 1]).
      next = Assign(Refine(next, Interval::Hull(h->range, {-1, 1})));
      return Exprs{next, emit(next)};
    }
    const ExprPtr& c = p[1];
    ExprPtr pre = Assign(Op(OpId::kAdd, {gx, gh}));
    ExprPtr forget = piece(pre, 0);
    if (forget_bias) forget = Op(OpId::kAdd, {forget, Lit(1.0, t)});
    ExprPtr f = Assign(Gate(forget, manual));
    ExprPtr g = Op(OpId::kTanh, {piece(pre, 1)});
    ExprPtr o = Gate(piece(pre, 2), manual);
    ExprPtr c1 = Op(OpId::kAdd, {Op(OpId::kMul, {f, c}), Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), f}), g})});
    // Coupled input and forget gates: a convex combination of c and a tanh.
    c1 = Assign(Refine(c1, Interval::Hull(c->range, {-1, 1})));
    ExprPtr h1 = Assign(Op(OpId::kMul, {o, Op(OpId::kTanh, {c1})}));
    return Exprs{h1, c1, emit(h1)};
  });
  if (!w_step && Chance(Choice::kRnnHead) && CanAddArgs()) {
    ExprPtr w_out = AddArg(Float({hidden, Dim()}), {-1, 1}, "w_out");
    ExprPtr logits = Op(OpId::kMatmul, {out[0], w_out});
    if (Chance(Choice::kRnnHeadLogSoftmax)) logits = Op(OpId::kLogSoftmax, {MaybeAssign(logits)}, Over({-1}));
    return {logits};
  }
  ExprPtr hs = out.back();
  OpAttrs swap;
  swap.axes = {0, 1};
  if (Chance(Choice::kRnnMeanOut)) hs = Op(OpId::kMean, {hs}, Over({0}));
  else if (batch_major) hs = Op(OpId::kSwapAxes, {hs}, swap);
  Exprs results = {hs};
  if (Chance(Choice::kRnnReturnCarry)) results.push_back(out[0]);
  return results;
}

Exprs Builder::EmbeddingFamily() {
  if (knobs_.max_rank < 3) return Instead(Family::kIndexing);
  const int64_t vocab = std::max<int64_t>(4, Dim() * 2);
  const int64_t dim = Dim();
  const int64_t batch = std::max<int64_t>(1, Dim() / 2);
  const int64_t length = Dim();
  const DType t = fdt_;
  ExprPtr table = AddArg(Float({vocab, dim}), {-1, 1}, "table");
  const TensorType id_type{DType::kInt32, {batch, length}};
  ExprPtr ids = CanAddArgs() ? AddArg(id_type, {0, static_cast<double>(vocab - 1)}, "ids")
                             : Index(id_type, vocab, false);
  ExprPtr h;
  OpAttrs rows;
  rows.axes = {0};
  switch (Pick({Choice::kEmbedTake, Choice::kEmbedOneHot, Choice::kEmbedGather})) {
    case 0:
      h = TryOp(OpId::kTake, {table, ids}, rows);
      break;
    case 2:
      h = TryOp(OpId::kGather, {table, ids});  // table[ids]
      break;
    default:
      break;
  }
  if (!h) {
    OpAttrs hot;
    hot.count = vocab;
    hot.to = t;
    // A one-hot row picks one row of the table: within its range.
    h = Refine(Op(OpId::kMatmul, {Op(OpId::kOneHot, {ids}, hot), table}), table->range);
  }
  // Transformers scale embeddings by sqrt(d) before adding positions.
  if (Chance(Choice::kEmbedScale)) h = Op(OpId::kMul, {MaybeAssign(h), Lit(std::round(std::sqrt(static_cast<double>(dim)) * 1000) / 1000, t)});
  if (Chance(Choice::kEmbedPositions) && CanAddArgs()) h = Op(OpId::kAdd, {MaybeAssign(h), AddArg(Float({length, dim}), {-1, 1}, "pos_table")});
  h = Assign(h);
  if (Chance(Choice::kEmbedNorm) && h->range.MaxAbs() <= 8) h = Assign(LayerNorm(h));
  if (Chance(Choice::kEmbedTied)) {
    OpAttrs tied;
    tied.subscripts = "btd,vd->btv";
    ExprPtr logits = Chance(Choice::kEmbedTiedMatmul) ? Op(OpId::kMatmul, {h, Op(OpId::kT, {table})}) : Op(OpId::kEinsum, {h, table}, tied);
    // Mesh TensorFlow scales tied logits by d^-0.5.
    const double root = std::round(std::sqrt(static_cast<double>(dim)) * 1000) / 1000;
    if (Chance(Choice::kEmbedLogitScale)) logits = Op(OpId::kDiv, {MaybeAssign(logits), Lit(root, t)});
    if (Chance(Choice::kEmbedOutBias) && CanAddArgs()) logits = Op(OpId::kAdd, {MaybeAssign(logits), AddArg(Float({vocab}), {-1, 1}, "out_bias")});
    if (Chance(Choice::kEmbedLogSoftmax) && InBudget(logits)) logits = Op(OpId::kLogSoftmax, {MaybeAssign(logits)}, Over({-1}));
    return {logits};
  }
  ExprPtr pooled;
  if (Chance(Choice::kEmbedMaskedPool)) {
    // Mean over the non-padding tokens (id 0 pads).
    OpAttrs column;
    column.axes = {-1};
    ExprPtr mask = Cast(Op(OpId::kNe, {ids, Lit(0, DType::kInt32)}), t);
    ExprPtr total = Op(OpId::kSum, {Op(OpId::kMul, {h, Op(OpId::kExpandDims, {mask}, column)})}, Over({1}));
    if (InBudget(total)) {
      mask = Assign(mask);
      total = Op(OpId::kSum, {Op(OpId::kMul, {h, Op(OpId::kExpandDims, {mask}, column)})}, Over({1}));
      ExprPtr count = Op(OpId::kMaximum, {Op(OpId::kSum, {mask}, Over({1}, true)), Lit(1.0, t)});
      // A mean of some rows of h: within h's range.
      pooled = Refine(Op(OpId::kDiv, {MaybeAssign(total), count}), Interval::Hull(h->range, {0, 0}));
    }
  }
  if (!pooled) pooled = Op(Chance(Choice::kEmbedMaxPool) ? OpId::kMax : OpId::kMean, {h}, Over({1}));
  return {Dense(Bound(pooled, 3), Dim())};
}

// Newton steps for a^(-1/2) (kind 0) or 1 / a (kind 1), or Heron's for sqrt(a) (kind 2), in a fori_loop.
Exprs Builder::NewtonSolver(int kind) {
  const DType t = fdt_;
  const bool alt = Chance(Choice::kSolverAltForm);
  const bool linear_init = Chance(Choice::kSolverLinearInit);
  auto square = [&](const ExprPtr& y) { return Chance(Choice::kSolverSquareCall) ? Op(OpId::kSquare, {y}) : Op(OpId::kMul, {y, y}); };
  const Interval domain = kind == 2 ? std::array{Interval{1, 2}, Interval{1, 4}, Interval{0.5, 2}}[rng_.Below(3)]
                                    : std::array{Interval{1, 2}, Interval{1, 2.5}}[rng_.Below(2)];
  ExprPtr a = AddArg(Float(RandomShape(1, 2)), domain, "a");
  ExprPtr y0;
  Interval y_range;  // where the iterates lie, a little widened for rounding
  if (kind == 2) {
    // From y0 = a or (1 + a) / 2, Heron's iterates stay in [min(a, sqrt(a)), max(1, y0)].
    y0 = linear_init ? Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kAdd, {Lit(1.0, t), a})}) : a;
    const double lo = linear_init ? std::sqrt(domain.lo) : std::min(domain.lo, std::sqrt(domain.lo));
    // The upper end is the first guess's (the iterates fall from it): exactly the carry's bound.
    y_range = {lo * 0.99, std::max(1.0, linear_init ? (1 + domain.hi) / 2 : domain.hi)};
  } else if (linear_init) {
    // A line through the interval: 1.5 - 0.5 a lies in [0.25, 1] for a in [1, 2.5].
    y0 = Op(OpId::kSub, {Lit(1.5, t), Op(OpId::kMul, {Lit(0.5, t), a})});
  } else {
    // A constant first guess inside the basin: (0, sqrt(3 / a)) for 1 / sqrt(a), (0, 2 / a) for 1 / a.
    const double c = kind == 0 ? Draw({1.0, 0.5, 0.75}) : Draw({0.5, 0.25, 0.4});
    if (Chance(Choice::kSolverFullLike)) {
      OpAttrs fill;
      fill.reals = {c};
      y0 = Op(OpId::kFullLike, {a}, fill);
    } else {
      y0 = c == 1.0 ? Op(OpId::kOnesLike, {a}) : Op(OpId::kMul, {Op(OpId::kOnesLike, {a}), Lit(c, t)});
    }
  }
  Exprs y = ForiLoop({y0}, [&](const Exprs& p) {
    ExprPtr v = kind == 2 ? Refine(p[1], y_range) : p[1];
    ExprPtr next;
    if (kind == 0) {
      // For a in [1, 2.5] the step maps [-1, 1] into itself.
      ExprPtr ay2 = Op(OpId::kMul, {a, square(v)});
      next = alt ? Op(OpId::kMul, {Op(OpId::kMul, {Lit(0.5, t), v}), Op(OpId::kSub, {Lit(3.0, t), ay2})})
                 : Op(OpId::kMul, {v, Op(OpId::kSub, {Lit(1.5, t), Op(OpId::kMul, {Lit(0.5, t), ay2})})});
      return Exprs{Refine(next, {-1, 1})};
    }
    if (kind == 1) {
      // y <- y (2 - a y): for a in [1, 2.5] and y in [0, 1], y stays in [0, 1].
      v = Refine(v, {0, 1});
      next = alt ? Op(OpId::kSub, {Op(OpId::kMul, {Lit(2.0, t), v}), Op(OpId::kMul, {a, square(v)})})
                 : Op(OpId::kMul, {v, Op(OpId::kSub, {Lit(2.0, t), Op(OpId::kMul, {a, v})})});
      return Exprs{Refine(next, {0, 1})};
    }
    next = alt ? Op(OpId::kSub, {v, Op(OpId::kDiv, {Op(OpId::kSub, {square(v), a}), Op(OpId::kMul, {Lit(2.0, t), v})})})
               : Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kAdd, {v, Op(OpId::kDiv, {a, v})})});
    return Exprs{Refine(next, y_range)};
  });
  ExprPtr out = y[0];
  if (kind == 2) out = Refine(out, y_range);
  if (kind == 1) out = Refine(out, {0, 1});
  Exprs results = {out};
  if (Chance(Choice::kSolverResidual)) {
    // How far the last iterate is from solving the equation, as a convergence check reports it.
    out = MaybeAssign(out);
    ExprPtr residual = kind == 0   ? Op(OpId::kSub, {Op(OpId::kMul, {a, square(out)}), Lit(1.0, t)})
                       : kind == 1 ? Op(OpId::kSub, {Lit(1.0, t), Op(OpId::kMul, {a, out})})
                                   : Op(OpId::kSub, {square(out), a});
    results = {out, Op(OpId::kMax, {Op(OpId::kAbs, {residual})})};
  }
  if (kind == 0 && Chance(Choice::kSolverSqrtOut)) results.push_back(Op(OpId::kMul, {a, results[0]}));  // a / sqrt(a)
  if (Chance(Choice::kSolverApply) && CanAddArgs()) {
    // The result scales an input: a division or a normalization done by Newton steps.
    ExprPtr x = AddArg(a->type, ArgRange(t), "x");
    results[0] = Op(OpId::kMul, {x, MaybeAssign(results[0])});
  }
  return results;
}

// Power iteration for a matrix's top singular pair, perhaps on the Gram matrix, perhaps
// returning the spectrally normalized weights.
Exprs Builder::PowerIteration() {
  const DType t = fdt_;
  const int64_t n = Dim();
  const int64_t m = Dim();
  ExprPtr w = AddArg(Float({n, m}), {-1, 1}, "w");
  const bool rsqrt = Chance(Choice::kSolverRsqrtNormalize);
  const double eps = Half(t) ? 1e-3 : Draw({1e-3, 1e-4, 1e-5, 1e-6});
  auto normalize = [&](ExprPtr v) {
    v = Assign(v);
    // v / |v| lies in [-1, 1].
    ExprPtr shifted = Op(OpId::kAdd, {Op(OpId::kSum, {Op(OpId::kSquare, {v})}), Lit(eps, t)});
    if (rsqrt && InBudget(shifted)) return Refine(Op(OpId::kMul, {v, Op(OpId::kRsqrt, {shifted})}), {-1, 1});
    return Refine(Op(OpId::kDiv, {v, Op(OpId::kAdd, {Op(OpId::kNorm, {v}), Lit(eps, t)})}), {-1, 1});
  };
  // |W^T W v| <= n m sqrt(m) for entries in [-1, 1]: beyond the dtype's budget (float16 at
  // larger sizes), the iteration alternates W^T u and W v instead.
  const double gram_norm = static_cast<double>(n * m) * std::sqrt(static_cast<double>(m));
  if (Chance(Choice::kSolverGram) && gram_norm <= Budget(t)) {
    // Iterate on W^T W: v <- normalize(W^T (W v)); sigma = |W v|.
    ExprPtr v0 = AddArg(Float({m}), {-1, 1}, "v");
    Exprs v = ForiLoop({v0}, [&](const Exprs& p) {
      return Exprs{normalize(Op(OpId::kMatmul, {Op(OpId::kT, {w}), Op(OpId::kMatmul, {w, p[1]})}))};
    });
    return {Op(OpId::kNorm, {Op(OpId::kMatmul, {w, v[0]})}), v[0]};
  }
  ExprPtr u0 = AddArg(Float({n}), {-1, 1}, "u");
  if (Chance(Choice::kSolverNormalizeInit)) u0 = Assign(normalize(u0));
  Exprs u = ForiLoop({u0}, [&](const Exprs& p) {
    ExprPtr v = normalize(Op(OpId::kMatmul, {Op(OpId::kT, {w}), p[1]}));
    return Exprs{normalize(Op(OpId::kMatmul, {w, Assign(v)}))};
  });
  // Spectral normalization stops gradients through the power iteration (flax's SpectralNorm).
  if (Chance(Choice::kSolverStopGradient)) u[0] = Assign(Op(OpId::kStopGradient, {u[0]}));
  ExprPtr v = Assign(normalize(Op(OpId::kMatmul, {Op(OpId::kT, {w}), u[0]})));
  ExprPtr sigma = Chance(Choice::kSolverSigmaDot) ? Op(OpId::kDot, {u[0], Op(OpId::kMatmul, {w, v})})
                                                  : Op(OpId::kMatmul, {u[0], Op(OpId::kMatmul, {w, v})});
  if (!Half(t) && Chance(Choice::kSolverSpectralNorm)) {
    // sigma = u . W v = |W^T u|^2 / (|W^T u| + eps) >= 0, and at most sqrt(n m) for entries in [-1, 1].
    sigma = Assign(Refine(sigma, {0, std::sqrt(static_cast<double>(n * m))}));
    // The smallest drawn epsilon that keeps w / eps within the dtype's budget.
    double floor = Draw({1e-6, 1e-5, 1e-4, 1e-3});
    while (1 / floor > Budget(t) / 2) floor *= 10;
    return {Op(OpId::kDiv, {w, Op(OpId::kAdd, {sigma, Lit(floor, t)})}), sigma};
  }
  Exprs results = {sigma, u[0]};
  if (Chance(Choice::kSolverReturnV)) results.push_back(v);
  return results;
}

// A damped fixed-point iteration z <- (1 - a) z + a tanh(z W + x), as deep equilibrium layers solve.
Exprs Builder::FixedPoint() {
  const DType t = fdt_;
  const Shape s = RandomShape(1, 2);
  const int64_t d = s.back();
  ExprPtr x = AddArg(Float(s), ArgRange(t), "x");
  ExprPtr w = AddArg(Float({d, d}), {-0.5, 0.5}, "w");
  const double a = Draw({1.0, 0.5, 0.7, 0.9, 0.3});
  // The input enters as it is or through its own matrix (tanh(z W + x U + b)).
  ExprPtr injected = x;
  if (Chance(Choice::kSolverInjection) && CanAddArgs()) injected = Assign(Op(OpId::kMatmul, {x, AddArg(Float({d, d}), {-0.5, 0.5}, "u")}));
  if (Chance(Choice::kSolverBias) && CanAddArgs()) injected = Assign(Op(OpId::kAdd, {injected, AddArg(Float({d}), {-0.5, 0.5}, "b")}));
  auto f = [&](const ExprPtr& z) { return Op(OpId::kTanh, {Op(OpId::kAdd, {Op(OpId::kMatmul, {z, w}), injected})}); };
  Exprs z = ForiLoop({Op(OpId::kZerosLike, {x})}, [&](const Exprs& p) {
    const ExprPtr& zi = p[1];
    if (a == 1.0) return Exprs{f(zi)};
    // A convex combination of z and a tanh: within hull(z, [-1, 1]).
    ExprPtr next = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(OneMinus(a), t), zi}), Op(OpId::kMul, {Lit(a, t), MaybeAssign(f(zi))})});
    return Exprs{Refine(next, Interval::Hull(zi->range, {-1, 1}))};
  });
  if (!Chance(Choice::kSolverResidual)) return {z[0]};
  ExprPtr zf = MaybeAssign(z[0]);
  return {zf, Op(OpId::kMax, {Op(OpId::kAbs, {Op(OpId::kSub, {f(zf), zf})})})};
}

Exprs Builder::SolverFamily() {
  switch (Pick({Choice::kSolverNewton, Choice::kSolverPower, Choice::kSolverReciprocal, Choice::kSolverHeron,
                Choice::kSolverFixedPoint})) {
    case 0:
      return NewtonSolver(0);
    case 1:
      if (knobs_.max_rank < 2) return NewtonSolver(0);
      return PowerIteration();
    case 2:
      return NewtonSolver(1);
    case 3:
      return NewtonSolver(2);
    default:
      return FixedPoint();
  }
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
      ExprPtr b = Chance(Choice::kBlockMixedBias) ? AddArg(TensorType{DType::kFloat32, {out}}, {-1, 1}) : nullptr;
      ExprPtr y = Chance(Choice::kBlockPreferred)
                      ? Op(OpId::kMatmulF32, {x, w})
                      : Op(OpId::kMatmul, {Cast(x, DType::kFloat32), Cast(w, DType::kFloat32)});
      y = Assign(b ? Op(OpId::kAdd, {y, b}) : y);
      y = Activation(y);
      if (Chance(Choice::kBlockMixedTwoLayers) && CanAddArgs()) {
        // A second bfloat16 layer on the activations, cast down first.
        ExprPtr w2 = AddArg(TensorType{DType::kBFloat16, {out, Dim()}}, {-0.5, 0.5});
        y = Op(OpId::kMatmulF32, {Cast(Assign(Bound(y, 3)), DType::kBFloat16), w2});
      }
      return {Chance(Choice::kBlockMixedKeepF32) ? y : Cast(y, DType::kBFloat16)};
    }
    case 3:
      break;
    case 4:
      return GraphLayer();
    default:
      return MixedAttention();
  }
  // Layers with stacked weights through lax.scan (flax's nn.scan over layers):
  // h <- h + g * (f(h W) - h), f bounded in [-1, 1] and a gate g in [0, 1] keeping h in hull(h, [-1, 1]).
  return ScanLayers();
}

Exprs Builder::ScanLayers() {
  const int64_t layers = std::max<int64_t>(2, std::min<int64_t>(4, knobs_.max_trip));
  const int64_t batch = Dim();
  const int64_t d = Dim();
  const DType t = fdt_;
  ExprPtr h0 = AddArg(Float({batch, d}), ArgRange(t), "h");
  ExprPtr ws = AddArg(Float({layers, d, d}), {-0.5, 0.5}, "layer_weights");
  if (Chance(Choice::kBlockScanEmbed) && CanAddArgs()) {
    // The input is embedded first: tanh(x W_in).
    h0 = Assign(Op(OpId::kTanh, {Op(OpId::kMatmul, {h0, AddArg(Float({d, d}), {-0.5, 0.5}, "w_in")})}));
  }
  const bool convex = Chance(Choice::kBlockScanConvexForm);
  static constexpr std::array kSquash = {OpId::kTanh, OpId::kSoftSign, OpId::kHardTanh};
  const OpId squash = kSquash[Pick({Choice::kBlockScanTanh, Choice::kBlockScanSoftSign, Choice::kBlockScanHardTanh})];
  const bool fixed_gate = Chance(Choice::kBlockScanFixedGate);
  const double gate = Draw({0.1, 0.25, 0.5, 0.9});
  const bool norm = Chance(Choice::kBlockScanNorm);
  const bool einsum = Chance(Choice::kBlockScanEinsum);
  const bool stats = Chance(Choice::kBlockScanStats);
  const bool stats_rms = stats && Chance(Choice::kBlockScanStatsRms);
  Exprs out = Scan({h0}, ws, [&](const Exprs& p) {
    const ExprPtr& h = p[0];
    ExprPtr in = norm ? Assign(LayerNorm(h)) : h;
    OpAttrs spec;
    spec.subscripts = "bd,de->be";
    ExprPtr z = Assign(Op(squash, {einsum ? Op(OpId::kEinsum, {in, p[1]}, spec) : Op(OpId::kMatmul, {in, p[1]})}));
    ExprPtr g = fixed_gate ? Lit(gate, t) : Assign(Op(OpId::kSigmoid, {Op(OpId::kMean, {z}, Over({-1}, true))}));
    ExprPtr keep = fixed_gate ? Lit(OneMinus(gate), t) : Op(OpId::kSub, {Lit(1.0, t), g});
    ExprPtr next = convex ? Op(OpId::kAdd, {Op(OpId::kMul, {keep, h}), Op(OpId::kMul, {g, z})})
                          : Op(OpId::kAdd, {h, Op(OpId::kMul, {g, Op(OpId::kSub, {z, h})})});
    next = Assign(Refine(next, Interval::Hull(h->range, {-1, 1})));
    if (!stats) return Exprs{next, next};
    // Each layer's mean, or its root mean square, as activation monitoring records it.
    return Exprs{next, stats_rms ? Op(OpId::kSqrt, {Op(OpId::kMean, {Op(OpId::kSquare, {next})})}) : Op(OpId::kMean, {next})};
  });
  if (Chance(Choice::kBlockScanHead) && CanAddArgs()) out[0] = Op(OpId::kMatmul, {out[0], AddArg(Float({d, Dim()}), {-1, 1}, "w_out")});
  if (!stats) return out;
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
  ExprPtr pre = Bound(Op(OpId::kMatmul, {Op(OpId::kGather, {x, senders}), w_msg}), 2);
  ExprPtr messages = Assign(Chance(Choice::kBlockGraphActivation) ? Bound(Activation(pre), 2) : Op(OpId::kRelu, {pre}));
  if (Chance(Choice::kBlockGraphEdgeWeights) && CanAddArgs()) {
    // Per-edge weights in [0, 1] scale each message.
    OpAttrs column;
    column.axes = {1};
    messages = Assign(Op(OpId::kMul, {messages, Op(OpId::kExpandDims, {AddArg(Float({edges}), {0, 1}, "edge_weights")}, column)}));
  }
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
  const int axis = Chance(Choice::kBlockSplitLast) ? -1 : 2;
  auto part = [&](int64_t i) { return Assign(Op(OpId::kSplit, {qkv}, Piece(3, i, axis))); };
  ExprPtr q = part(0), k = part(1), v = part(2);
  const double root = std::sqrt(static_cast<double>(d));
  // Scores scaled by 1 / sqrt(d): a division, or a product with its reciprocal.
  ExprPtr scores = Chance(Choice::kBlockScaleMul)
                       ? Op(OpId::kMul, {einsum("bqd,bkd->bqk", q, k), Lit(std::round(1000 / root) / 1000, f)})
                       : Op(OpId::kDiv, {einsum("bqd,bkd->bqk", q, k), Lit(std::round(root * 1000) / 1000, f)});
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
