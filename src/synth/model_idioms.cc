// More idioms of model code, as families: convolution blocks in flax's NHWC
// layout, linear recurrences through lax.associative_scan, learning-rate
// schedules from a step count, sampling from logits, transformer feed-forward
// layers, divergences and metric losses, recurrent cells with separate gates,
// and token inputs (embedding lookups with position codes). Each is written
// as such code is written, with its variations drawn from the family's policy
// keys. Weights are drawn at the scale initializers use (about 1 / fan-in), so
// activations stay in range without guards; where interval arithmetic cannot
// see a bound the math gives, Refine states it and the comment says why.
#include <cmath>
#include <numbers>
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

// The initializer scale of a weight with `fan_in` inputs: 1 / fan_in, rounded to a short literal.
double InitScale(int64_t fan_in) {
  return std::max(0.01, std::round(1000.0 / static_cast<double>(fan_in)) / 1000.0);
}

// A 2x2 pooling window with stride 2 over the spatial axes of NHWC.
OpAttrs Pool2x2() {
  OpAttrs pool;
  pool.window = {1, 2, 2, 1};
  pool.strides = {1, 2, 2, 1};
  return pool;
}

// sqrt(n), the bound of a value normalized over n elements, with a margin for rounding.
double NormalizedBound(int64_t n) { return std::sqrt(static_cast<double>(n)) + 0.01; }

}  // namespace

int Builder::ArgsLeft() const {
  return knobs_.max_args - static_cast<int>(program_.functions[program_.entry].params.size());
}

ExprPtr Builder::Arange(int64_t n, DType t) {
  OpAttrs range;
  range.to = t;
  range.count = n;
  range.shape = {n};
  return Op(OpId::kArange, {}, range);
}

// x[..., start:stop:step] on one axis (the axes before it whole); a step of 0 indexes.
ExprPtr Builder::SliceAxis(ExprPtr x, int axis, int64_t start, int64_t stop, int64_t step) {
  OpAttrs a;
  for (int i = 0; i < axis; ++i) a.slices.push_back({0, x->type.shape[static_cast<size_t>(i)], 1});
  a.slices.push_back({start, stop, step});
  return Op(OpId::kSlice, {std::move(x)}, a);
}

// Group norm over NHWC: statistics per example and group of channels, as flax's GroupNorm.
ExprPtr Builder::GroupNorm(ExprPtr x, int64_t groups) {
  const Shape s = x->type.shape;
  const int64_t per_group = s[3] / groups;
  ExprPtr g = Assign(Op(OpId::kReshape, {x}, ShapeAttr({s[0], s[1] * s[2], groups, per_group})));
  ExprPtr mean = Assign(Op(OpId::kMean, {g}, Over({1, 3}, true)));
  ExprPtr var = Chance(Choice::kNnNormVar) ? Op(OpId::kVar, {g}, Over({1, 3}, true))
                                           : Op(OpId::kMean, {Op(OpId::kSquare, {Op(OpId::kSub, {g, mean})})}, Over({1, 3}, true));
  ExprPtr shifted = Op(OpId::kAdd, {MaybeAssign(var), Lit(1e-5, fdt_)});
  ExprPtr centered = Op(OpId::kSub, {g, mean});
  ExprPtr y = Chance(Choice::kNnNormSqrt) ? Op(OpId::kDiv, {centered, Op(OpId::kSqrt, {shifted})})
                                          : Op(OpId::kMul, {centered, Op(OpId::kRsqrt, {shifted})});
  // |x - mean| / std <= sqrt(n) over the n elements of a group.
  const double bound = NormalizedBound(s[1] * s[2] * per_group);
  y = Op(OpId::kReshape, {Refine(y, {-bound, bound})}, ShapeAttr(s));
  if (ArgsLeft() >= 2 && Chance(Choice::kNnNormAffine)) {
    ExprPtr scale = AddArg(Float({s[3]}), {0.5, 1.5}, "scale");
    ExprPtr bias = AddArg(Float({s[3]}), {-1, 1}, "bias");
    y = Op(OpId::kAdd, {Op(OpId::kMul, {MaybeAssign(y), scale}), bias});
  }
  return y;
}

Exprs Builder::ConvNetFamily() {
  if (knobs_.max_rank < 4 || ArgsLeft() < 2) return NormFamily();
  const int64_t batch = rng_.UniformInt(1, 3);
  const int64_t channels = std::array<int64_t, 4>{1, 3, 4, 8}[rng_.Below(4)];
  int64_t out = std::array<int64_t, 4>{4, 6, 8, 16}[rng_.Below(4)];
  int64_t size = std::array<int64_t, 4>{4, 6, 8, 12}[rng_.Below(4)];
  out = std::min<int64_t>(out, knobs_.max_dim);
  size = std::min<int64_t>(size, knobs_.max_dim);
  while (size > 2 && batch * size * size * std::max(channels, out) > knobs_.max_elements) size /= 2;
  const Shape image = {batch, size, size, channels};
  if (!Fits(image) || !Fits({batch, size, size, out}) || !Fits({3, 3, channels, out}) || size < 2) return NormFamily();
  const int64_t window = Chance(Choice::kConvNetPointwise) ? 1 : 3;
  OpAttrs conv;
  conv.same_padding = window == 1 || Chance(Choice::kConvNetSame);
  const bool stride2 = Chance(Choice::kConvNetStride2) && size >= 4;
  conv.strides = stride2 ? std::vector<int64_t>{2, 2} : std::vector<int64_t>{1, 1};
  if (!conv.same_padding && size - window + 1 < 2) conv.same_padding = true;
  ExprPtr x = AddArg(Float(image), ArgRange(fdt_), "images");
  const double scale = InitScale(window * window * channels);
  ExprPtr filters = AddArg(Float({window, window, channels, out}), {-scale, scale}, "filters");
  ExprPtr h = Assign(Op(OpId::kConvNhwc, {x, filters}, conv));
  if (Chance(Choice::kConvNetBias) && ArgsLeft() >= 1)
    h = Assign(Op(OpId::kAdd, {h, AddArg(Float({out}), {-1, 1}, "bias")}));
  Exprs extra;
  switch (Pick({Choice::kConvNetBatchNorm, Choice::kConvNetGroupNorm, Choice::kConvNetRmsNorm,
                Choice::kConvNetNoNorm})) {
    case 0: {
      Exprs normed = BatchNorm(h, {0, 1, 2}, false);  // NHWC: statistics per channel
      h = normed[0];
      extra.assign(normed.begin() + 1, normed.end());
      break;
    }
    case 1:
      h = GroupNorm(h, out % 4 == 0 && out > 4 ? 4 : out % 2 == 0 ? 2 : 1);  // groups divide the channels
      break;
    case 2:
      h = RmsNorm(h);  // over the channels, as a residual block's pre-norm
      break;
    default:
      break;
  }
  const std::array kActivations = {OpId::kRelu, OpId::kSilu, OpId::kGelu, OpId::kRelu6, OpId::kLeakyRelu};
  h = Assign(Op(kActivations[Pick({Choice::kConvNetRelu, Choice::kConvNetSilu, Choice::kConvNetGelu,
                                    Choice::kConvNetRelu6, Choice::kConvNetLeakyRelu})], {h}));
  if (Chance(Choice::kConvNetResidual) && h->type == x->type) h = Op(OpId::kAdd, {x, h});
  const int64_t spatial = h->type.shape[1];
  switch (Pick({Choice::kConvNetMaxPool, Choice::kConvNetAvgPool, Choice::kConvNetGlobalMean,
                Choice::kConvNetNoPool})) {
    case 0:
      if (spatial >= 2) h = Op(OpId::kMaxPool, {MaybeAssign(h)}, Pool2x2());
      break;
    case 1:  // average pooling, as flax's avg_pool: a window sum over its size
      if (spatial >= 2) h = Op(OpId::kDiv, {Op(OpId::kSumPool, {MaybeAssign(h)}, Pool2x2()), Lit(4.0, fdt_)});
      break;
    case 2:
      h = Op(OpId::kMean, {MaybeAssign(h)}, Over({1, 2}));
      break;
    default:
      break;
  }
  Exprs results = {h};
  results.insert(results.end(), extra.begin(), extra.end());
  return results;
}

Exprs Builder::LinearScanFamily() {
  if (knobs_.max_rank < 2 || ArgsLeft() < 2) return LoopFamily();
  const bool batched = knobs_.max_rank >= 3 && Chance(Choice::kScanBatched);
  const int64_t steps = std::max<int64_t>(2, Dim());
  const int64_t features = Dim();
  Shape s = {steps, features};
  if (batched) s.insert(s.begin(), std::max<int64_t>(1, Dim() / 2));
  if (!Fits(s)) s = {steps, features};
  if (!Fits(s)) return LoopFamily();
  const int axis = static_cast<int>(s.size()) - 2;  // time
  ExprPtr x = AddArg(Float(s), ArgRange(fdt_), "x");
  OpAttrs time = Over({axis});
  ExprPtr y;
  const size_t kind = Pick({Choice::kScanDecay, Choice::kScanGated, Choice::kScanPrefix, Choice::kScanShift});
  switch (kind) {
    case 0:
    case 1: {
      // h[t] = a[t] h[t-1] + b[t]: an exponential moving average (a learned decay per feature)
      // or a gated linear recurrence (a gate computed from the input), as in linear RNNs.
      ExprPtr a;
      if (kind == 0) {
        ExprPtr decay = AddArg(Float({features}), {-2, 2}, "decay");
        a = Assign(Op(OpId::kBroadcastTo, {Op(OpId::kSigmoid, {decay})}, ShapeAttr(s)));
      } else {
        ExprPtr w = AddArg(Float({features, features}), {-InitScale(features), InitScale(features)}, "w_gate");
        ExprPtr gate = Op(OpId::kMatmul, {x, w});
        if (Chance(Choice::kScanGateBias) && ArgsLeft() >= 1) gate = Op(OpId::kAdd, {gate, AddArg(Float({features}), {-1, 1}, "b_gate")});
        a = Assign(Op(OpId::kSigmoid, {gate}));
      }
      // The input as it is, or minGRU's candidate, a projection x @ w_in.
      ExprPtr input = x;
      if (Chance(Choice::kScanInputProjection) && ArgsLeft() >= 1) {
        ExprPtr w_in = AddArg(Float({features, features}), {-InitScale(features), InitScale(features)}, "w_in");
        input = Assign(Op(OpId::kMatmul, {x, w_in}));
      }
      const bool convex = Chance(Choice::kScanScaleInput);
      ExprPtr b = convex ? Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, fdt_), a}), input}) : input;
      y = Op(OpId::kLinearRecurrence, {a, b}, time);
      // With inputs (1 - a) x, each step is a convex combination of the last state and x.
      if (convex) y = Refine(y, Interval::Hull(input->range, {0, 0}));
      if (Chance(Choice::kScanResidual)) {
        if (ExprPtr sum = TryOp(OpId::kAdd, {x, Assign(y)})) y = sum;
      }
      if (Chance(Choice::kScanOutputGate) && ArgsLeft() >= 1) {
        // The states gated by silu(x @ w_out), as Mamba and RetNet gate their outputs.
        ExprPtr w = AddArg(Float({features, features}), {-InitScale(features), InitScale(features)}, "w_out");
        if (ExprPtr gated = TryOp(OpId::kMul, {Assign(y), Op(OpId::kSilu, {Op(OpId::kMatmul, {x, w})})})) y = gated;
      }
      break;
    }
    case 2: {
      if (Chance(Choice::kScanRunningMax)) {
        y = Op(OpId::kSub, {x, Op(Chance(Choice::kScanCummax) ? OpId::kCummax : OpId::kAssociativeScanMax, {x}, time)});
        break;
      }
      // A running mean: prefix sums over the counts 1..t.
      ExprPtr sums = Assign(Op(Chance(Choice::kScanCumsum) ? OpId::kCumsum : OpId::kAssociativeScan, {x}, time));
      Shape count_shape(s.size(), 1);
      count_shape[static_cast<size_t>(axis)] = steps;
      ExprPtr counts = Op(OpId::kReshape, {Op(OpId::kAdd, {Arange(steps, fdt_), Lit(1.0, fdt_)})}, ShapeAttr(count_shape));
      // A mean of the first t values: within their range.
      y = Refine(Op(OpId::kDiv, {sums, counts}), x->range);
      break;
    }
    default: {
      // Token shift (as RWKV writes it): each step mixes in the previous step, padded with zeros.
      OpAttrs pad;
      for (size_t i = 0; i < s.size(); ++i) pad.padding.push_back({i == static_cast<size_t>(axis) ? 1 : 0, 0});
      ExprPtr previous = Assign(SliceAxis(Op(OpId::kPad, {x}, pad), axis, 0, steps, 1));
      // A learned mix per feature, or a fixed one.
      if (Chance(Choice::kScanFixedMix)) {
        const double m = Draw({0.5, 0.25, 0.75, 0.9});
        y = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(m, fdt_), x}), Op(OpId::kMul, {Lit(OneMinus(m), fdt_), previous})});
      } else {
        ExprPtr mu = AddArg(Float({features}), {0, 1}, "mix");
        y = Op(OpId::kAdd, {Op(OpId::kMul, {mu, x}), Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, fdt_), mu}), previous})});
      }
      // A convex combination of x and its shifted copy (or 0).
      y = Assign(Refine(y, Interval::Hull(x->range, {0, 0})));
      if (ir::MagnitudeBudget(fdt_) >= x->range.MaxAbs() * static_cast<double>(steps))
        y = Op(OpId::kAssociativeScan, {y}, time);
      break;
    }
  }
  y = Assign(y);
  if (Chance(Choice::kScanLast)) return {SliceAxis(y, axis, steps - 1, 0, 0), y};
  return {y};
}

// A learning-rate schedule from an int32 step count, as optax's schedules compute it, perhaps
// applied to an SGD step.
Exprs Builder::ScheduleFamily() {
  const double warmup = static_cast<double>(10 * Dim());
  const double total = warmup * static_cast<double>(2 + Dim());
  const double base = std::array{1e-3, 3e-4, 1e-2, 0.1}[rng_.Below(4)];
  const DType f = DType::kFloat32;
  ExprPtr step = AddArg(TensorType{DType::kInt32, {}}, {0, std::round(total * 1.5)}, "step");
  ExprPtr now = Assign(Cast(step, f));
  auto clamp01 = [&](ExprPtr v) {  // jnp.clip(v, 0, 1), or spelt with minimum and maximum
    if (!Chance(Choice::kSchedMinMax)) return Clip(std::move(v), 0, 1);
    return Op(OpId::kMinimum, {Op(OpId::kMaximum, {std::move(v), Lit(0.0, f)}), Lit(1.0, f)});
  };
  ExprPtr lr;
  switch (Pick({Choice::kSchedCosine, Choice::kSchedLinear, Choice::kSchedExponential, Choice::kSchedInverseSqrt,
                Choice::kSchedPiecewise, Choice::kSchedPolynomial})) {
    case 0: {  // linear warmup, then cosine decay
      ExprPtr warm = Op(OpId::kDiv, {Op(OpId::kMul, {Lit(base, f), now}), Lit(warmup, f)});
      ExprPtr progress = Assign(clamp01(Op(OpId::kDiv, {Op(OpId::kSub, {now, Lit(warmup, f)}), Lit(total - warmup, f)})));
      ExprPtr cosine = Op(OpId::kMul, {Lit(0.5 * base, f), Op(OpId::kAdd, {Lit(1.0, f), Op(OpId::kCos, {Op(OpId::kMul, {Lit(3.141593, f), progress})})})});
      lr = Op(OpId::kWhere, {Op(OpId::kLt, {now, Lit(warmup, f)}), warm, MaybeAssign(cosine)});
      break;
    }
    case 1: {  // linear warmup, then linear decay to 0
      ExprPtr up = Op(OpId::kDiv, {now, Lit(warmup, f)});
      ExprPtr down = Op(OpId::kMaximum, {Lit(0.0, f), Op(OpId::kDiv, {Op(OpId::kSub, {Lit(total, f), now}), Lit(total - warmup, f)})});
      lr = Op(OpId::kMul, {Lit(base, f), Op(OpId::kMinimum, {up, MaybeAssign(down)})});
      break;
    }
    case 2: {  // exponential decay, perhaps in stairs
      const double rate = std::array{0.5, 0.9, 0.96, 0.99}[rng_.Below(4)];
      const double every = std::max(1.0, std::round(total / 8));
      ExprPtr exponent = Op(OpId::kDiv, {now, Lit(every, f)});
      if (Chance(Choice::kSchedStaircase)) exponent = Op(OpId::kFloor, {exponent});
      // rate ** e for e >= 0 lies in (0, 1].
      lr = Op(OpId::kMul, {Lit(base, f), Refine(Op(OpId::kPow, {Lit(rate, f), MaybeAssign(exponent)}), {0, 1})});
      break;
    }
    case 3: {  // the Transformer's inverse square root, with warmup
      ExprPtr m = Assign(Op(OpId::kMaximum, {now, Lit(1.0, f)}));
      const double slope = std::round(std::pow(warmup, -1.5) * 1e7) / 1e7;
      ExprPtr decay = Op(OpId::kRsqrt, {m});
      lr = Op(OpId::kMul, {Lit(base, f), Op(OpId::kMinimum, {decay, Op(OpId::kMul, {m, Lit(slope, f)})})});
      break;
    }
    case 4: {  // piecewise constant: scaled down at two boundaries
      const double b1 = std::round(total / 3), b2 = std::round(2 * total / 3);
      ExprPtr first = Op(OpId::kWhere, {Op(OpId::kGe, {now, Lit(b1, f)}), ir::MakeLiteral(0.1, f, false), Lit(1.0, f)});
      ExprPtr second = Op(OpId::kWhere, {Op(OpId::kGe, {now, Lit(b2, f)}), ir::MakeLiteral(0.1, f, false), Lit(1.0, f)});
      lr = Op(OpId::kMul, {Op(OpId::kMul, {Lit(base, f), MaybeAssign(first)}), second});
      break;
    }
    default: {  // polynomial decay to an end value
      OpAttrs power;
      power.count = 2;
      ExprPtr left = Op(OpId::kSub, {Lit(1.0, f), Op(OpId::kDiv, {Op(OpId::kMinimum, {now, Lit(total, f)}), Lit(total, f)})});
      lr = Op(OpId::kAdd, {Op(OpId::kMul, {Lit(base, f), Op(OpId::kIntegerPow, {MaybeAssign(left)}, power)}), Lit(base / 100, f)});
      break;
    }
  }
  lr = Assign(lr);
  if (!Chance(Choice::kSchedApply) || ArgsLeft() < 2) return {lr};
  const Shape s = knobs_.max_rank >= 2 ? Shape{Dim(), Dim()} : Shape{Dim()};
  ExprPtr param = AddArg(Float(s), ArgRange(fdt_), "param");
  ExprPtr grad = AddArg(Float(s), ArgRange(fdt_), "grad");
  return {Op(OpId::kSub, {param, Op(OpId::kMul, {Cast(lr, fdt_), grad})}), lr};
}

// Sampling the next token from logits: temperature, a top-k or nucleus (top-p) filter, then a
// categorical draw, the Gumbel-max trick or the greedy choice.
Exprs Builder::SamplingFamily() {
  // Token ids are argmax / categorical positions, whose dtype is int64 under x64.
  if (knobs_.max_rank < 2 || ArgsLeft() < 2 || x64_) return RandomFamily();
  const int64_t batch = std::max<int64_t>(1, Dim() / 2);
  const int64_t vocab = std::max<int64_t>(4, Dim());
  if (!Fits({batch, vocab}) || vocab > knobs_.max_dim) return RandomFamily();
  const DType t = fdt_;
  ExprPtr logits = AddArg(Float({batch, vocab}), {-3, 3}, "logits");
  ExprPtr temperature = Chance(Choice::kSampleTemperatureArg) && ArgsLeft() >= 2
                            ? AddArg(Float({}), {0.5, 2}, "temperature")
                            : Lit(Draw({0.6, 0.7, 0.8, 0.9, 1.2, 1.5, 2.0}), t);
  ExprPtr scaled = Assign(Op(OpId::kDiv, {logits, temperature}));
  const double masked = -0.4 * Budget(t);  // far below every logit: exp underflows to 0
  const OpAttrs last = Over({-1});
  ExprPtr filtered = scaled;
  switch (Pick({Choice::kSampleTopK, Choice::kSampleTopP, Choice::kSampleNoFilter, Choice::kSampleMinP})) {
    case 0: {
      OpAttrs top;
      top.count = rng_.UniformInt(1, std::min<int64_t>(vocab - 1, 5));
      ExprPtr kth = Assign(SliceAxis(Op(OpId::kTopK, {scaled}, top), 1, top.count - 1, top.count, 1));
      filtered = Op(OpId::kWhere, {Op(OpId::kLt, {scaled, kth}), Lit(masked, t), scaled});
      break;
    }
    case 1: {
      // Keep the most likely tokens whose probabilities sum to p (the first always).
      ExprPtr sorted = Assign(Op(OpId::kFlip, {Op(OpId::kSort, {scaled}, last)}, last));
      ExprPtr probs = Assign(Op(OpId::kSoftmax, {sorted}, last));
      ExprPtr before = Op(OpId::kSub, {Op(OpId::kCumsum, {probs}, last), probs});
      ExprPtr keep = Assign(Op(OpId::kLt, {before, Lit(std::array{0.8, 0.9, 0.95}[rng_.Below(3)], t)}));
      OpAttrs low = Over({-1}, true);
      // Dropped positions read a short literal above every logit (their bound, rounded up).
      ExprPtr cutoff = Assign(Op(OpId::kMin, {Op(OpId::kWhere, {keep, sorted, Lit(std::ceil(scaled->range.hi), t)})}, low));
      filtered = Op(OpId::kWhere, {Op(OpId::kLt, {scaled, cutoff}), Lit(masked, t), scaled});
      break;
    }
    case 3: {
      // min-p: keep the tokens at least min_p times as likely as the most likely one.
      ExprPtr probs = Assign(Op(OpId::kSoftmax, {scaled}, last));
      ExprPtr top = Op(OpId::kMax, {probs}, Over({-1}, true));
      ExprPtr floor = Assign(Op(OpId::kMul, {Lit(std::array{0.05, 0.1, 0.2}[rng_.Below(3)], t), top}));
      filtered = Op(OpId::kWhere, {Op(OpId::kGe, {probs, floor}), scaled, Lit(masked, t)});
      break;
    }
    default:
      break;
  }
  if (filtered != scaled) filtered = Assign(filtered);
  ExprPtr tokens;
  ExprPtr key;
  switch (Pick({Choice::kSampleCategorical, Choice::kSampleGumbel, Choice::kSampleGreedy})) {
    case 0:
      if ((key = Key())) tokens = Op(OpId::kCategorical, {key, filtered}, last);
      break;
    case 1:
      if ((key = Key())) {
        OpAttrs noise;
        noise.to = t;
        noise.shape = filtered->type.shape;
        tokens = Op(OpId::kArgmax, {Op(OpId::kAdd, {filtered, Op(OpId::kGumbel, {key}, noise)})}, last);
      }
      break;
    default:
      break;
  }
  if (!tokens) tokens = Op(OpId::kArgmax, {filtered}, last);
  tokens = Assign(tokens);
  if (!Chance(Choice::kSampleLogProb)) return {tokens};
  // The sampled tokens' log-probabilities (a policy gradient's term): differentiable in the logits.
  ExprPtr logp = Assign(Op(OpId::kLogSoftmax, {scaled}, last));
  OpAttrs column = Over({1});
  ExprPtr picked = Op(OpId::kTakeAlongAxis, {logp, Op(OpId::kExpandDims, {tokens}, column)}, column);
  return {tokens, Op(OpId::kSqueeze, {picked}, column)};
}

// A transformer's feed-forward layer: pre-norm, an up projection, an activation (or a gated
// unit: SwiGLU, GeGLU), a down projection, a residual connection.
Exprs Builder::FeedForwardFamily() {
  if (knobs_.max_rank < 2 || ArgsLeft() < 3) return NnFamily();
  const int64_t d = std::max<int64_t>(2, Dim());
  const int64_t hidden = std::min<int64_t>(knobs_.max_dim, d * rng_.UniformInt(2, 4));
  Shape s = {Dim(), d};
  if (knobs_.max_rank >= 3) s.insert(s.begin(), std::max<int64_t>(1, Dim() / 3));
  Shape wide = s;
  wide.back() = hidden;
  while (!Fits(wide) && wide[0] > 1) {
    wide[0] = s[0] = std::max<int64_t>(1, s[0] / 2);
  }
  if (!Fits(wide) || !Fits({d, hidden})) return NnFamily();
  const DType t = fdt_;
  ExprPtr x = AddArg(Float(s), ArgRange(t), "x");
  ExprPtr h = x;
  const size_t norm = Pick({Choice::kFfnLayerNorm, Choice::kFfnRmsNorm, Choice::kFfnNoNorm, Choice::kFfnPostNorm});
  switch (norm) {
    case 0:
      h = Assign(LayerNorm(x));
      break;
    case 1:
      h = Assign(RmsNorm(x));
      break;
    default:
      break;
  }
  const double up_scale = InitScale(d);
  // x @ w, or jnp.einsum('btd,df->btf', x, w) as flax's DenseGeneral spells the contraction.
  const bool einsum = Chance(Choice::kFfnEinsum);
  auto project = [&](ExprPtr in, int64_t out, double scale, std::string name, bool bias) {
    ExprPtr w = AddArg(Float({in->type.shape.back(), out}), {-scale, scale}, std::move(name));
    ExprPtr y;
    if (einsum) {
      OpAttrs spec;
      spec.subscripts = in->type.rank() == 3 ? "btd,df->btf" : "td,df->tf";
      y = Op(OpId::kEinsum, {std::move(in), w}, spec);
    } else {
      y = Op(OpId::kMatmul, {std::move(in), w});
    }
    if (bias && ArgsLeft() >= 1 && Chance(Choice::kFfnBias)) y = Op(OpId::kAdd, {y, AddArg(Float({out}), {-0.1, 0.1}, "b")});
    return Assign(y);
  };
  ExprPtr a;
  if (Chance(Choice::kFfnGated) && ArgsLeft() >= 3) {
    ExprPtr gate, up;
    if (Chance(Choice::kFfnFused) && Fits({d, 2 * hidden}) && 2 * hidden <= knobs_.max_dim) {
      // One matmul for both halves, split as fused implementations do.
      Shape both = wide;
      both.back() = 2 * hidden;
      ExprPtr gate_up = Fits(both) ? project(h, 2 * hidden, up_scale, "w_gate_up", false) : nullptr;
      if (gate_up) {
        auto half = [&](int64_t index) {
          OpAttrs piece = Over({-1});
          piece.count = 2;
          piece.index = index;
          return Assign(Op(OpId::kSplit, {gate_up}, piece));
        };
        gate = half(0);
        up = half(1);
      }
    }
    if (!gate) {
      gate = project(h, hidden, up_scale, "w_gate", false);
      up = project(h, hidden, up_scale, "w_up", false);
    }
    a = Op(OpId::kMul, {Op(Chance(Choice::kFfnSwish) ? OpId::kSilu : OpId::kGelu, {gate}), up});
  } else {
    ExprPtr up = project(h, hidden, up_scale, "w1", true);
    switch (Pick({Choice::kFfnGelu, Choice::kFfnRelu, Choice::kFfnSilu, Choice::kFfnGeluTanh})) {
      case 0:
        a = Op(OpId::kGelu, {up});
        break;
      case 1:
        a = Op(OpId::kRelu, {up});
        break;
      case 2:
        a = Op(OpId::kSilu, {up});
        break;
      default: {  // GELU's tanh approximation written out, as older model code does
        OpAttrs cube;
        cube.count = 3;
        ExprPtr inner = Op(OpId::kMul, {Lit(0.7978846, t), Op(OpId::kAdd, {up, Op(OpId::kMul, {Lit(0.044715, t), Op(OpId::kIntegerPow, {up}, cube)})})});
        a = Op(OpId::kMul, {Op(OpId::kMul, {Lit(0.5, t), up}), Op(OpId::kAdd, {Lit(1.0, t), Op(OpId::kTanh, {inner})})});
        break;
      }
    }
  }
  if (ArgsLeft() < 1) return {a};
  ExprPtr out = project(Assign(a), d, InitScale(hidden), "w2", true);
  if (Chance(Choice::kFfnLayerScale) && ArgsLeft() >= 1) {
    if (ExprPtr scaled = TryOp(OpId::kMul, {out, AddArg(Float({d}), {0, 1}, "layer_scale")})) out = scaled;
  }
  if (norm == 3) return {LayerNorm(Assign(Op(OpId::kAdd, {x, out})))};  // post-norm: LN(x + f(x))
  if (Chance(Choice::kFfnResidual)) out = Op(OpId::kAdd, {x, out});
  return {out};
}

// Divergences and metric losses: KL between distributions, InfoNCE over a similarity matrix,
// focal loss, triplet margin, masked regression, smooth L1.
Exprs Builder::DivergenceFamily() {
  if (knobs_.max_rank < 2 || ArgsLeft() < 3) return LossFamily();
  const int64_t batch = std::max<int64_t>(2, Dim());
  const int64_t width = std::max<int64_t>(2, Dim());
  const DType t = fdt_;
  const Shape s = {batch, width};
  const OpAttrs last = Over({-1});
  auto mean_of = [&](ExprPtr per) { return Op(OpId::kMean, {MaybeAssign(std::move(per))}); };
  switch (Pick({Choice::kDivKl, Choice::kDivContrastive, Choice::kDivFocal, Choice::kDivTriplet,
                Choice::kDivMaskedRegression, Choice::kDivSmoothL1})) {
    case 0: {  // KL(p || q) from p's log-probabilities and q's logits
      // A distillation temperature T softens both sides; the loss is then scaled by T^2.
      const double temperature = Draw({1.0, 1.0, 2.0, 3.0, 4.0, 5.0});
      ExprPtr p_scaled;
      auto soft = [&](std::string name) {
        ExprPtr logits = AddArg(Float(s), {-3, 3}, std::move(name));
        if (temperature != 1.0) logits = Op(OpId::kDiv, {logits, Lit(temperature, t)});
        if (!p_scaled) p_scaled = logits = MaybeAssign(logits);
        return Assign(Op(OpId::kLogSoftmax, {logits}, last));
      };
      ExprPtr log_p = soft("p_logits");
      // q given as log-probabilities already (log_target=True), or from its logits.
      ExprPtr log_q = temperature == 1.0 && Chance(Choice::kDivLogTarget) ? AddArg(Float(s), {-6, 0}, "log_q") : soft("q_logits");
      // p as exp(log p), or as the softmax of the same logits.
      ExprPtr p = Chance(Choice::kDivKlProbs) ? Assign(Op(OpId::kSoftmax, {p_scaled}, last)) : Op(OpId::kExp, {log_p});
      ExprPtr rows = Op(OpId::kSum, {Op(OpId::kMul, {p, Op(OpId::kSub, {log_p, log_q})})}, last);
      ExprPtr kl = mean_of(rows);
      if (Chance(Choice::kDivBatchMean)) {
        // reduction='batchmean': the sum over everything divided by the batch size (the same
        // value), where the sum stays within the dtype's budget.
        if (ExprPtr total = TryOp(OpId::kSum, {rows}))
          kl = Refine(Op(OpId::kDiv, {total, Lit(static_cast<double>(batch), t)}), kl->range);
      }
      if (temperature != 1.0) {
        if (ExprPtr scaled = TryOp(OpId::kMul, {kl, Lit(temperature * temperature, t)})) kl = scaled;
      }
      return {kl};
    }
    case 1: {  // InfoNCE: matching rows of a and b are the positives, every other row a negative
      auto unit = [&](std::string name) {
        ExprPtr v = AddArg(Float(s), ArgRange(t), std::move(name));
        ExprPtr inv = Op(OpId::kRsqrt, {Op(OpId::kAdd, {Op(OpId::kSum, {Op(OpId::kSquare, {v})}, Over({-1}, true)), Lit(1e-6, t)})});
        // v / |v| has entries in [-1, 1].
        return Assign(Refine(Op(OpId::kMul, {v, inv}), {-1, 1}));
      };
      ExprPtr a = unit("a"), b = unit("b");
      const double temperature = std::array{0.1, 0.2, 0.5}[rng_.Below(3)];
      // Dot products of unit vectors are cosines, within [-1, 1].
      ExprPtr cosines = Refine(Op(OpId::kMatmul, {a, Op(OpId::kT, {b})}), {-1, 1});
      ExprPtr sim = Assign(Op(OpId::kDiv, {cosines, Lit(temperature, t)}));
      auto direction = [&](ExprPtr m) {
        ExprPtr diag;
        if (Chance(Choice::kDivEye)) {
          OpAttrs eye;
          eye.to = t;
          eye.shape = {batch, batch};
          // Each row of m * eye holds one entry of m.
          diag = Refine(Op(OpId::kSum, {Op(OpId::kMul, {m, Op(OpId::kEye, {}, eye)})}, last), m->range);
        } else {
          OpAttrs column = Over({1});
          ExprPtr labels = Op(OpId::kExpandDims, {Arange(batch, DType::kInt32)}, column);
          diag = Op(OpId::kSqueeze, {Op(OpId::kTakeAlongAxis, {m, labels}, column)}, column);
        }
        return Op(OpId::kSub, {Op(OpId::kLogSumExp, {m}, last), diag});
      };
      ExprPtr loss = mean_of(direction(sim));
      if (Chance(Choice::kDivSymmetric)) loss = Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kAdd, {loss, mean_of(direction(Op(OpId::kT, {sim})))})});
      return {loss};
    }
    case 2: {  // focal loss on sigmoid outputs
      ExprPtr logits = AddArg(Float(s), {-3, 3}, "logits");
      ExprPtr labels = AddArg(Float(s), {0, 1}, "labels");
      ExprPtr p = Assign(Op(OpId::kSigmoid, {logits}));
      ExprPtr ce = Op(OpId::kNeg, {Op(OpId::kAdd, {Op(OpId::kMul, {labels, Op(OpId::kLogSigmoid, {logits})}),
                                                   Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), labels}), Op(OpId::kLogSigmoid, {Op(OpId::kNeg, {logits})})})})});
      ExprPtr p_t = Op(OpId::kAdd, {Op(OpId::kMul, {labels, p}), Op(OpId::kMul, {Op(OpId::kSub, {Lit(1.0, t), labels}), Op(OpId::kSub, {Lit(1.0, t), p})})});
      OpAttrs gamma;
      gamma.count = static_cast<int64_t>(Draw({2, 2, 3, 4}));
      // labels and p in [0, 1]: p_t is a convex combination of p and 1 - p.
      ExprPtr weight = Op(OpId::kIntegerPow, {Op(OpId::kSub, {Lit(1.0, t), Refine(p_t, {0, 1})})}, gamma);
      const double alpha = Draw({0.25, 0.5, 0.75});
      // A constant alpha, or torchvision's alpha_t = alpha labels + (1 - alpha) (1 - labels).
      ExprPtr balance = Lit(alpha, t);
      if (Chance(Choice::kDivFocalAlphaT))
        balance = Refine(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(alpha, t), labels}), Op(OpId::kMul, {Lit(OneMinus(alpha), t), Op(OpId::kSub, {Lit(1.0, t), labels})})}), {0, 1});
      ExprPtr per = Op(OpId::kMul, {Op(OpId::kMul, {balance, weight}), MaybeAssign(ce)});
      // The mean over every element, or summed over classes and averaged over the batch.
      return {Chance(Choice::kDivFocalRowSum) ? mean_of(Op(OpId::kSum, {per}, last)) : mean_of(per)};
    }
    case 3: {  // triplet margin loss on squared distances
      ExprPtr anchor = AddArg(Float(s), {-1, 1}, "anchor");
      ExprPtr positive = AddArg(Float(s), {-1, 1}, "positive");
      ExprPtr negative = AddArg(Float(s), {-1, 1}, "negative");
      const bool euclidean = Chance(Choice::kDivTripletEuclidean);
      const bool by_norm = euclidean && Chance(Choice::kDivTripletNorm);
      auto dist = [&](ExprPtr other) {
        if (by_norm) return Assign(Op(OpId::kNorm, {Op(OpId::kSub, {anchor, other})}, last));  // PyTorch's pairwise_distance
        ExprPtr d2 = Op(OpId::kSum, {Op(OpId::kSquare, {Op(OpId::kSub, {anchor, other})})}, last);
        return Assign(euclidean ? Op(OpId::kSqrt, {Op(OpId::kAdd, {d2, Lit(1e-6, t)})}) : d2);
      };
      ExprPtr gap = Op(OpId::kAdd, {Op(OpId::kSub, {dist(positive), dist(negative)}), Lit(Draw({0.2, 0.5, 1.0, 0.1, 0.3}), t)});
      // relu(gap), or the hinge written with jnp.maximum.
      return {mean_of(Chance(Choice::kDivTripletMaximum) ? Op(OpId::kMaximum, {gap, Lit(0.0, t)}) : Op(OpId::kRelu, {gap}))};
    }
    case 4:
      return {MaskedRegression(s)};
    default:
      return {SmoothL1(s)};
  }
}

// Squared (perhaps halved) or absolute error averaged over the positions a mask keeps: float
// weights, or a bool mask applied by a product or jnp.where; overall or per row first.
ExprPtr Builder::MaskedRegression(const Shape& s) {
  const DType t = fdt_;
  const int64_t batch = s[0], width = s[1];
  const OpAttrs last = Over({-1});
  auto mean_of = [&](ExprPtr per) { return Op(OpId::kMean, {MaybeAssign(std::move(per))}); };
  ExprPtr pred = AddArg(Float(s), ArgRange(t), "predictions");
  ExprPtr target = AddArg(Float(s), ArgRange(t), "targets");
  const bool squared = !Chance(Choice::kDivMaskedAbs);
  ExprPtr err = Op(squared ? OpId::kSquare : OpId::kAbs, {Op(OpId::kSub, {pred, target})});
  if (squared && Chance(Choice::kDivMaskedHalf)) err = Op(OpId::kMul, {Lit(0.5, t), err});  // optax.l2_loss
  // A half-precision sum that could pass its budget is taken in float32, as mixed precision does.
  const DType acc = err->range.MaxAbs() * static_cast<double>(batch * width) > Budget(t) ? DType::kFloat32 : t;
  err = Cast(err, acc);
  ExprPtr mask, kept;
  if (Chance(Choice::kDivFloatMask)) {
    mask = AddArg(TensorType{acc, s}, {0, 1}, "weights");
    kept = Op(OpId::kMul, {MaybeAssign(err), mask});
  } else {
    ExprPtr keep = AddArg(Bool(s), {0, 1}, "mask");
    mask = Assign(Cast(keep, acc));
    // Errors at masked positions zeroed by jnp.where, or by a product with the mask.
    kept = Chance(Choice::kDivMaskedWhere) ? Op(OpId::kWhere, {keep, err, Lit(0.0, acc)}) : Op(OpId::kMul, {MaybeAssign(err), mask});
  }
  if (Chance(Choice::kDivMaskedPerRow)) {
    // Each row's mean over its own mask, then the mean of the rows.
    ExprPtr per_row = Op(OpId::kDiv, {Op(OpId::kSum, {kept}, last), Op(OpId::kMaximum, {Op(OpId::kSum, {mask}, last), Lit(1.0, acc)})});
    // A weighted mean of errors with weights in [0, 1]: within [0, max error].
    return mean_of(Refine(per_row, Interval::Hull(err->range, {0, 0})));
  }
  ExprPtr total = Op(OpId::kSum, {kept});
  return Op(OpId::kDiv, {total, Op(OpId::kMaximum, {Op(OpId::kSum, {mask}), Lit(1.0, acc)})});
}

// Smooth L1 (quadratic within beta, divided by beta) or optax's Huber form, over [batch, width].
ExprPtr Builder::SmoothL1(const Shape& s) {
  const DType t = fdt_;
  const OpAttrs last = Over({-1});
  auto mean_of = [&](ExprPtr per) { return Op(OpId::kMean, {MaybeAssign(std::move(per))}); };
  ExprPtr pred = AddArg(Float(s), ArgRange(t), "predictions");
  ExprPtr target = AddArg(Float(s), ArgRange(t), "targets");
  ExprPtr diff = Assign(Op(OpId::kSub, {pred, target}));
  ExprPtr size = Assign(Op(OpId::kAbs, {diff}));
  // A small beta scales the quadratic part up: float16's budget keeps the larger ones.
  // 1 / 9 is Fast R-CNN's box-regression beta.
  const double beta = t == DType::kFloat16 ? Draw({0.5, 1.0, 2.0, 1.0}) : Draw({0.5, 1.0, 0.1, 2.0, 0.111});
  ExprPtr per;
  if (Chance(Choice::kDivHuber)) {
    // optax.huber_loss: 0.5 e^2 within delta, delta (|e| - delta / 2) beyond (no division).
    per = Op(OpId::kWhere, {Op(OpId::kLe, {size, Lit(beta, t)}), Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kSquare, {diff})}),
                            Op(OpId::kMul, {Lit(beta, t), Op(OpId::kSub, {size, Lit(0.5 * beta, t)})})});
  } else {
    per = Op(OpId::kWhere, {Op(OpId::kLt, {size, Lit(beta, t)}),
                            Op(OpId::kDiv, {Op(OpId::kMul, {Lit(0.5, t), Op(OpId::kMul, {diff, diff})}), Lit(beta, t)}),
                            Op(OpId::kSub, {size, Lit(0.5 * beta, t)})});
  }
  return Chance(Choice::kDivSmoothL1Mean) ? mean_of(per) : mean_of(Op(OpId::kSum, {per}, last));
}

// Recurrent cells with separate gates through lax.scan: an LSTM (four gates) or an Elman RNN,
// from zero states, perhaps in both directions.
Exprs Builder::CellFamily() {
  if (knobs_.max_rank < 3 || ArgsLeft() < 3) return LoopFamily();
  const bool lstm = Pick({Choice::kCellLstm, Choice::kCellElman}) == 0;
  const int64_t gates = lstm ? 4 : 1;
  const int64_t hidden = std::max<int64_t>(1, std::min<int64_t>(Dim(), knobs_.max_dim / gates));
  const int64_t steps = std::max<int64_t>(2, std::min<int64_t>(Dim(), knobs_.max_trip));
  const int64_t batch = std::max<int64_t>(1, Dim() / 2);
  const int64_t features = Dim();
  if (!Fits({steps, batch, features}) || !Fits({features, gates * hidden}) || !Fits({hidden, gates * hidden}))
    return LoopFamily();
  const DType t = fdt_;
  ExprPtr xs = AddArg(Float({steps, batch, features}), ArgRange(t), "xs");
  // Separate input and hidden weights, or one matrix applied to concatenate([x, h]).
  const bool joined = features + hidden <= knobs_.max_dim && Fits({features + hidden, gates * hidden}) && Chance(Choice::kCellConcat);
  ExprPtr wi, wh, w;
  if (joined) {
    w = AddArg(Float({features + hidden, gates * hidden}), {-InitScale(features + hidden), InitScale(features + hidden)}, "w");
  } else {
    wi = AddArg(Float({features, gates * hidden}), {-InitScale(features), InitScale(features)}, "w_input");
    wh = AddArg(Float({hidden, gates * hidden}), {-InitScale(hidden), InitScale(hidden)}, "w_hidden");
  }
  ExprPtr bias = Chance(Choice::kCellBias) && ArgsLeft() >= 1 ? AddArg(Float({gates * hidden}), {-0.5, 0.5}, "b") : nullptr;
  OpAttrs zeros;
  zeros.to = t;
  zeros.shape = {batch, hidden};
  ExprPtr h0 = Chance(Choice::kCellZeroInit) || ArgsLeft() < 1 ? Op(OpId::kZeros, {}, zeros) : AddArg(Float({batch, hidden}), {-1, 1}, "h0");
  // The cell state moves by at most 1 a step: |c[t]| <= t <= steps from c[0] = 0.
  const Interval cell_range = {-static_cast<double>(steps), static_cast<double>(steps)};
  auto run = [&](ExprPtr inputs) {
    Exprs init = {h0};
    if (lstm) init.push_back(Refine(Op(OpId::kZeros, {}, zeros), cell_range));
    return Scan(init, inputs, [&](const Exprs& p) {
      const ExprPtr& h = p[0];
      const ExprPtr& x = p.back();
      ExprPtr z = joined ? Op(OpId::kMatmul, {Op(OpId::kConcatenate, {x, h}, Over({-1})), w})
                         : Op(OpId::kAdd, {Op(OpId::kMatmul, {x, wi}), Op(OpId::kMatmul, {h, wh})});
      if (bias) z = Op(OpId::kAdd, {z, bias});
      z = Assign(z);
      if (!lstm) {
        // Elman's tanh, or an IRNN's relu kept in [-1, 1] as a tanh is.
        ExprPtr next = Assign(Chance(Choice::kCellRelu) ? Refine(Op(OpId::kHardTanh, {z}), {-1, 1}) : Op(OpId::kTanh, {z}));
        return Exprs{next, next};
      }
      auto gate = [&](int64_t i) {  // i, f, g, o = jnp.split(z, 4, axis=-1)
        OpAttrs piece;
        piece.count = 4;
        piece.index = i;
        piece.axes = {-1};
        return MaybeAssign(Op(OpId::kSplit, {z}, piece));
      };
      ExprPtr c = Op(OpId::kAdd, {Op(OpId::kMul, {Op(OpId::kSigmoid, {gate(1)}), p[1]}),
                                  Op(OpId::kMul, {Op(OpId::kSigmoid, {gate(0)}), Op(OpId::kTanh, {gate(2)})})});
      c = Assign(Refine(c, cell_range));
      ExprPtr next = Assign(Op(OpId::kMul, {Op(OpId::kSigmoid, {gate(3)}), Op(OpId::kTanh, {c})}));
      return Exprs{next, c, next};
    });
  };
  Exprs forward = run(xs);
  ExprPtr hs = forward.back();
  if (Chance(Choice::kCellBidirectional)) {
    OpAttrs time = Over({0});
    Exprs backward = run(Op(OpId::kFlip, {xs}, time));
    OpAttrs join = Over({-1});
    hs = Assign(Op(OpId::kConcatenate, {hs, Op(OpId::kFlip, {backward.back()}, time)}, join));
  }
  if (Chance(Choice::kCellMeanOut)) return {Op(OpId::kMean, {hs}, Over({0})), forward[0]};
  return {hs, forward[0]};
}

// A language model's input: token embeddings looked up by id, scaled, plus a position code
// (the sinusoidal table written into even and odd columns, or a learned table), masked at padding.
Exprs Builder::TokenInputFamily() {
  if (knobs_.max_rank < 3 || ArgsLeft() < 2) return EmbeddingFamily();
  const int64_t vocab = std::min<int64_t>(knobs_.max_dim, std::max<int64_t>(4, 2 * Dim()));
  const int64_t d = 2 * std::max<int64_t>(1, Dim() / 2);
  const int64_t batch = std::max<int64_t>(1, Dim() / 3);
  const int64_t length = Dim();
  if (!Fits({batch, length, d}) || !Fits({vocab, d}) || d > knobs_.max_dim) return EmbeddingFamily();
  const DType t = fdt_;
  ExprPtr table = AddArg(Float({vocab, d}), {-1, 1}, "embedding");
  ExprPtr ids = AddArg(TensorType{DType::kInt32, {batch, length}}, {0, static_cast<double>(vocab - 1)}, "ids");
  OpAttrs rows = Over({0});
  ExprPtr h;
  switch (Pick({Choice::kTokenTake, Choice::kTokenGather, Choice::kTokenOneHot})) {
    case 0:
      h = Op(OpId::kTake, {table, ids}, rows);
      break;
    case 1:
      h = Op(OpId::kGather, {table, ids});
      break;
    default:
      if (Fits({batch, length, vocab})) {
        OpAttrs hot;
        hot.count = vocab;
        hot.to = t;
        // A one-hot row picks one row of the table: within its range.
        h = Refine(Op(OpId::kMatmul, {Op(OpId::kOneHot, {ids}, hot), table}), table->range);
      } else {
        h = Op(OpId::kTake, {table, ids}, rows);
      }
      break;
  }
  if (Chance(Choice::kTokenScale)) h = Op(OpId::kMul, {h, Lit(std::round(std::sqrt(static_cast<double>(d)) * 1000) / 1000, t)});
  h = Assign(h);
  if (Chance(Choice::kTokenTypes) && ArgsLeft() >= 2) {
    // BERT's token types: a second, two-row table looked up by a segment id per token.
    ExprPtr types = AddArg(Float({2, d}), {-0.5, 0.5}, "type_embedding");
    ExprPtr type_ids = AddArg(TensorType{DType::kInt32, {batch, length}}, {0, 1}, "type_ids");
    h = Assign(Op(OpId::kAdd, {h, Op(OpId::kGather, {types, type_ids})}));
  }
  switch (Pick({Choice::kTokenSinusoidal, Choice::kTokenLearned, Choice::kTokenNoPositions})) {
    case 0: {
      const int64_t half = d / 2;
      OpAttrs column = Over({1});
      ExprPtr position = Op(OpId::kExpandDims, {Arange(length, t)}, column);
      const double rate = std::round(-2 * std::log(10000.0) / static_cast<double>(d) * 1e6) / 1e6;
      ExprPtr div = MaybeAssign(Op(OpId::kExp, {Op(OpId::kMul, {Arange(half, t), Lit(rate, t)})}));
      ExprPtr angles = Assign(Op(OpId::kMul, {position, div}));
      OpAttrs zeros;
      zeros.to = t;
      zeros.shape = {length, d};
      auto columns = [&](int64_t start) {
        OpAttrs a;
        a.slices = {{0, length, 1}, {start, d, 2}};
        return a;
      };
      ExprPtr pe = Assign(Op(OpId::kSliceSet, {Op(OpId::kZeros, {}, zeros), Op(OpId::kSin, {angles})}, columns(0)));
      pe = Assign(Op(OpId::kSliceSet, {pe, Op(OpId::kCos, {angles})}, columns(1)));
      h = Op(OpId::kAdd, {h, Op(OpId::kExpandDims, {pe}, rows)});
      break;
    }
    case 1: {
      if (ArgsLeft() < 1) break;
      const int64_t max_length = std::min<int64_t>(knobs_.max_dim, length + static_cast<int64_t>(rng_.Below(4)));
      if (!Fits({max_length, d})) break;
      ExprPtr learned = AddArg(Float({max_length, d}), {-0.5, 0.5}, "positions");
      h = Op(OpId::kAdd, {h, max_length > length ? SliceAxis(learned, 0, 0, length, 1) : learned});
      break;
    }
    default:
      break;
  }
  if (Chance(Choice::kTokenPadMask)) {
    OpAttrs feature = Over({2});
    ExprPtr keep = Assign(Op(OpId::kExpandDims, {Cast(Op(OpId::kNe, {ids, Lit(0, DType::kInt32)}), t)}, feature));
    h = Op(OpId::kMul, {MaybeAssign(h), keep});
  }
  if (Chance(Choice::kTokenNorm)) h = Chance(Choice::kTokenRmsNorm) ? RmsNorm(Assign(h)) : LayerNorm(Assign(h));
  return {h};
}

// A train step's loss function of (parameters..., x, targets): mean squared error of a linear
// model (model 0), cross-entropy of a linear classifier (1) or of a two-layer MLP (2); without
// a bias for an Adam step.
int Builder::LossHelper(size_t model, bool adam, bool relu, const std::vector<ir::Var>& params) {
  const int fn = Begin(Fresh("loss_fn"), ir::Function::Role::kHelper, params, /*isolated=*/true);
  Exprs p;
  for (const ir::Var& v : params) p.push_back(VarExpr(v));
  if (adam) p.insert(p.begin() + 1, nullptr);  // no bias: x and the targets keep their places
  auto affine = [&](ExprPtr x, const ExprPtr& w, const ExprPtr& b) {
    ExprPtr y = Op(OpId::kMatmul, {std::move(x), w});
    return b ? Op(OpId::kAdd, {y, b}) : y;
  };
  ExprPtr loss;
  if (model == 0) {
    ExprPtr pred = Assign(affine(p[2], p[0], p[1]));
    loss = Op(OpId::kMean, {Op(OpId::kSquare, {Op(OpId::kSub, {pred, p[3]})})});
  } else {
    ExprPtr logits;
    if (model == 2) {
      ExprPtr h = Assign(Op(relu ? OpId::kRelu : OpId::kTanh, {Op(OpId::kMatmul, {p[2], p[0]})}));
      logits = Assign(Op(OpId::kMatmul, {h, p[1]}));
    } else {
      logits = Assign(affine(p[2], p[0], p[1]));
    }
    OpAttrs column = Over({1});
    ExprPtr picked = Op(OpId::kSqueeze, {Op(OpId::kTakeAlongAxis, {logits, Op(OpId::kExpandDims, {p[3]}, column)}, column)}, column);
    if (Chance(Choice::kTrainLogSoftmax)) {
      ExprPtr logp = Assign(Op(OpId::kLogSoftmax, {logits}, Over({-1})));
      picked = Op(OpId::kSqueeze, {Op(OpId::kTakeAlongAxis, {logp, Op(OpId::kExpandDims, {p[3]}, column)}, column)}, column);
      loss = Op(OpId::kNeg, {Op(OpId::kMean, {picked})});
    } else {
      loss = Op(OpId::kMean, {Op(OpId::kSub, {Op(OpId::kLogSumExp, {logits}, Over({-1})), picked})});
    }
  }
  End({loss});
  return fn;
}

// One training step as JAX code writes it: a loss function of the parameters and a batch,
// jax.grad of it for each parameter, and an update (SGD, momentum, weight decay), perhaps with
// the gradients clipped by their global norm. The gradients' ranges follow from the loss: each
// bound below is the largest value the derivative can take over the arguments' ranges.
Exprs Builder::TrainStepFamily() {
  if (knobs_.max_rank < 2 || ArgsLeft() < 4) return OptimizerFamily();
  const DType t = fdt_;
  const size_t model = Pick({Choice::kTrainLinear, Choice::kTrainClassifier, Choice::kTrainMlp});
  const int64_t batch = std::max<int64_t>(2, Dim());
  const int64_t in = std::max<int64_t>(2, Dim());
  const int64_t width = std::max<int64_t>(2, Dim());  // outputs, classes, or hidden units
  const int64_t classes = std::max<int64_t>(2, Dim() / 2);
  if (!Fits({in, width}) || !Fits({batch, in}) || !Fits({batch, width})) return OptimizerFamily();
  const Interval data = ArgRange(t);
  const double x_max = data.MaxAbs();
  const double w_scale = InitScale(in);
  std::vector<ir::Var> params;
  Exprs args;
  auto param = [&](const TensorType& type, Interval range, std::string name) {
    args.push_back(AddArg(type, range, name));
    params.push_back(ir::Var{args.back()->var, type, range});
  };
  std::vector<double> bounds;  // per differentiated parameter
  // Adam keeps two moments per parameter and a step count: one weight matrix without a bias.
  const bool adam = model != 2 && Chance(Choice::kTrainAdam) && ArgsLeft() >= 6;
  const size_t n_params = adam ? 1 : 2;
  const int64_t out = model != 0 ? classes : Chance(Choice::kTrainSingleOutput) ? 1 : width;
  if (model == 2) {
    param(Float({in, width}), {-w_scale, w_scale}, "w1");
    param(Float({width, classes}), {-InitScale(width), InitScale(width)}, "w2");
  } else {
    param(Float({in, out}), {-w_scale, w_scale}, "w");
    if (!adam) param(Float({out}), {-0.1, 0.1}, "b");
  }
  param(Float({batch, in}), data, "x");
  if (model == 0) {
    param(Float({batch, out}), data, "y");
  } else {
    param(TensorType{DType::kInt32, {batch}}, {0, static_cast<double>(classes - 1)}, "labels");
  }
  const bool relu = Chance(Choice::kTrainRelu);
  const int fn = LossHelper(model, adam, relu, params);
  const std::string name = program_.functions[static_cast<size_t>(fn)].name;
  // d loss / d param, elementwise bounds (see the comment above the family).
  if (model == 0) {
    const double error = static_cast<double>(in) * x_max * w_scale + 0.1 + x_max;
    bounds = {2 * x_max * error / static_cast<double>(out), 2 * error / static_cast<double>(out)};
  } else if (model == 1) {
    bounds = {x_max, 1.0};
  } else {
    const double hidden = relu ? static_cast<double>(in) * x_max * w_scale : 1.0;
    bounds = {x_max * static_cast<double>(classes) * InitScale(width), hidden};
  }
  auto grad = [&](int argnum) {
    auto e = std::make_shared<ir::Expr>();
    e->kind = ir::Expr::Kind::kCall;
    e->function = fn;
    e->var = name;
    e->type = args[static_cast<size_t>(argnum)]->type;
    const double g = bounds[static_cast<size_t>(argnum)] * 1.01;
    e->range = {-g, g};
    e->grad_argnum = argnum;
    e->args = args;
    return Assign(e);
  };
  Exprs grads = {grad(0)};
  if (n_params == 2) grads.push_back(grad(1));
  if (Chance(Choice::kTrainClipNorm)) {
    // optax.clip_by_global_norm: every gradient scaled by max_norm / max(norm, max_norm).
    ExprPtr total;
    for (const ExprPtr& g : grads) {
      ExprPtr sq = Op(OpId::kSum, {Op(OpId::kSquare, {g})});
      total = total ? Op(OpId::kAdd, {total, sq}) : sq;
    }
    if (InBudget(total)) {
      ExprPtr norm = Assign(Op(OpId::kSqrt, {total}));
      ExprPtr scale = Assign(Op(OpId::kDiv, {Lit(1.0, t), Op(OpId::kMaximum, {norm, Lit(1.0, t)})}));
      for (ExprPtr& g : grads) g = Assign(Refine(Op(OpId::kMul, {g, scale}), Interval::Hull(g->range, {-1, 1})));
    }
  }
  const double lr = Draw({0.1, 0.05, 0.01, 0.02, 0.005, 0.001, 0.2, 0.03});
  // Adam squares the gradient: in half precision a large bound takes plain SGD instead.
  if (adam && grads[0]->range.MaxAbs() * grads[0]->range.MaxAbs() <= Budget(t)) return AdamStep(args[0], grads[0], lr);
  Exprs results;
  const bool momentum = Chance(Choice::kTrainMomentum) && ArgsLeft() >= 2;
  for (size_t i = 0; i < n_params; ++i) {
    ExprPtr update = grads[i];
    if (momentum) {
      ExprPtr v = AddArg(args[i]->type, {-1, 1}, "velocity");
      update = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(Draw({0.9, 0.95, 0.99, 0.8}), t), v}), update}));
      results.push_back(update);
    } else if (Chance(Choice::kTrainWeightDecay)) {
      update = Op(OpId::kAdd, {update, Op(OpId::kMul, {Lit(1e-4, t), args[i]})});
    }
    results.insert(results.begin() + static_cast<ptrdiff_t>(i), Op(OpId::kSub, {args[i], Op(OpId::kMul, {Lit(lr, t), update})}));
  }
  if (Chance(Choice::kTrainReturnLoss)) results.push_back(Call(fn, args));
  return results;
}

// An Adam step with bias correction from an int32 step count (optax.adam), on one parameter.
// The second moment's argument is drawn in [0.25, 1], so its square root stays away from 0.
Exprs Builder::AdamStep(const ExprPtr& param, const ExprPtr& grad, double lr) {
  const DType t = param->type.dtype;
  ExprPtr m = AddArg(param->type, {-1, 1}, "m");
  ExprPtr v = AddArg(param->type, {0.25, 1}, "v");
  ExprPtr count = AddArg(TensorType{DType::kInt32, {}}, {0, ir::MagnitudeBudget(t) >= 1e4 ? 1000.0 : 500.0}, "step");
  // optax's default b2 = 0.999; 0.98 (RoBERTa) and 0.95 (large language models) are common;
  // half precision keeps 0.99 or 0.95, whose 1 - b2 it can hold.
  const bool half = t == DType::kFloat16 || t == DType::kBFloat16;
  const double b2 = half ? Draw({0.99, 0.95}) : Draw({0.999, 0.999, 0.98, 0.95});
  const double rest = OneMinus(b2);
  ExprPtr m1 = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(0.9, t), m}), Op(OpId::kMul, {Lit(0.1, t), grad})}));
  ExprPtr v1 = Assign(Op(OpId::kAdd, {Op(OpId::kMul, {Lit(b2, t), v}), Op(OpId::kMul, {Lit(rest, t), Op(OpId::kSquare, {grad})})}));
  ExprPtr steps = Assign(Cast(Op(OpId::kAdd, {count, Lit(1, DType::kInt32)}), t));
  // b^t for t >= 1 lies in [0, b].
  auto correction = [&](double b) { return Op(OpId::kSub, {Lit(1.0, t), Refine(Op(OpId::kPow, {Lit(b, t), steps}), {0, b})}); };
  ExprPtr m_hat = Op(OpId::kDiv, {m1, correction(0.9)});
  ExprPtr v_hat = Op(OpId::kDiv, {v1, correction(b2)});
  ExprPtr update = Op(OpId::kDiv, {MaybeAssign(m_hat), Op(OpId::kAdd, {Op(OpId::kSqrt, {MaybeAssign(v_hat)}), Lit(1e-8, t)})});
  return {Op(OpId::kSub, {param, Op(OpId::kMul, {Lit(lr, t), update})}), m1, v1};
}

// Rotary position embeddings (RoPE) on [batch, length, heads, head_dim] as LLaMA-style code
// writes them: inverse frequencies 1 / 10000 ** (2i / d), angles from int32 positions or arange,
// then rotate_half (concatenate(-x2, x1)), the split-halves form, or interleaved pairs.
Exprs Builder::RotaryFamily() {
  if (knobs_.max_rank < 3 || ArgsLeft() < 1) return PositionFamily();
  const bool heads = knobs_.max_rank >= 4 && Chance(Choice::kRotaryHeads);
  const int64_t batch = std::max<int64_t>(1, Dim() / 4);
  const int64_t length = Dim();
  const int64_t half = std::max<int64_t>(1, Dim() / 2);
  const int64_t d = 2 * half;
  Shape s = heads ? Shape{batch, length, 1 + static_cast<int64_t>(rng_.Below(4)), d} : Shape{batch, length, d};
  if (!Fits(s) || d > knobs_.max_dim) return PositionFamily();
  const DType t = fdt_;
  const DType f = DType::kFloat32;
  ExprPtr x = AddArg(Float(s), ArgRange(t), "x");
  ExprPtr pos;
  if (Chance(Choice::kRotaryPositionsArg) && ArgsLeft() >= 1) {
    ExprPtr given = AddArg(TensorType{DType::kInt32, {batch, length}}, {0, static_cast<double>(4 * length)}, "positions");
    pos = Op(OpId::kExpandDims, {Cast(given, f)}, Over({2}));  // [batch, length, 1]
  } else {
    pos = Op(OpId::kExpandDims, {Arange(length, f)}, Over({1}));  // [length, 1]
  }
  // 1 / base ** (2i / d): exponents in [0, 1); the base drawn from values models use.
  double base = Draw({10000.0, 10000.0, 1000.0, 5000.0, 500.0});
  if (base > Budget(f)) base = 10000.0;  // a literal must stay within the dtype's value budget
  ExprPtr exponent = Op(OpId::kDiv, {Op(OpId::kMul, {Arange(half, f), Lit(2.0, f)}), Lit(static_cast<double>(d), f)});
  ExprPtr inv_freq = Assign(Refine(Op(OpId::kDiv, {Lit(1.0, f), Op(OpId::kPow, {Lit(base, f), exponent})}), {0, 1}));
  ExprPtr freqs = Assign(Op(OpId::kMul, {pos, inv_freq}));  // [..., length, half]
  const size_t form = Pick({Choice::kRotaryRotateHalf, Choice::kRotarySplit, Choice::kRotaryInterleaved});
  ExprPtr angles = freqs;
  const OpAttrs join = Over({-1});
  if (form == 0) angles = Assign(Op(OpId::kConcatenate, {freqs, freqs}, join));  // [..., d]
  auto fit = [&](ExprPtr v) {  // to x's rank (a heads axis) and dtype
    if (v->type.rank() == 2) v = Op(OpId::kExpandDims, {v}, Over({0}));
    if (heads) v = Op(OpId::kExpandDims, {v}, Over({2}));
    return Assign(Cast(v, t));
  };
  ExprPtr cos = fit(Op(OpId::kCos, {angles}));
  ExprPtr sin = fit(Op(OpId::kSin, {angles}));
  const int last = static_cast<int>(s.size()) - 1;
  ExprPtr out;
  if (form == 0) {
    OpAttrs first, second;
    first.count = second.count = 2;
    first.axes = second.axes = {-1};
    second.index = 1;
    ExprPtr x1 = Op(OpId::kSplit, {x}, first);
    ExprPtr x2 = Op(OpId::kSplit, {x}, second);
    ExprPtr rotated = Assign(Op(OpId::kConcatenate, {Op(OpId::kNeg, {x2}), x1}, join));  // rotate_half(x)
    out = Op(OpId::kAdd, {Op(OpId::kMul, {x, cos}), Op(OpId::kMul, {rotated, sin})});
  } else {
    ExprPtr x1 = Assign(form == 1 ? Op(OpId::kSplit, {x}, [] { OpAttrs a; a.count = 2; a.axes = {-1}; return a; }())
                                  : SliceAxis(x, last, 0, d, 2));
    ExprPtr x2 = Assign(form == 1 ? Op(OpId::kSplit, {x}, [] { OpAttrs a; a.count = 2; a.index = 1; a.axes = {-1}; return a; }())
                                  : SliceAxis(x, last, 1, d, 2));
    ExprPtr r1 = Op(OpId::kSub, {Op(OpId::kMul, {x1, cos}), Op(OpId::kMul, {x2, sin})});
    ExprPtr r2 = Op(OpId::kAdd, {Op(OpId::kMul, {x2, cos}), Op(OpId::kMul, {x1, sin})});
    if (form == 1) {
      out = Op(OpId::kConcatenate, {r1, r2}, join);
    } else {  // pairs back in place: stack on a new last axis, then merge it
      OpAttrs stack = Over({-1});
      out = Op(OpId::kReshape, {Op(OpId::kStack, {r1, r2}, stack)}, ShapeAttr(s));
    }
  }
  // A rotation of each pair: its norm, and so each entry's magnitude, is kept (up to rounding).
  const double m = x->range.MaxAbs() * std::sqrt(2.0) + 0.01;
  return {Refine(out, {-m, m})};
}

// Graph layers over edge lists, as GNN code writes them: messages gathered at the senders,
// summed (or averaged) at the receivers with jax.ops.segment_sum, GCN's symmetric degree
// normalization, and per-graph readouts by segment means.
Exprs Builder::GraphFamily() {
  if (knobs_.max_rank < 2 || ArgsLeft() < 4) return IndexingFamily();
  const int64_t nodes = std::max<int64_t>(2, Dim());
  const int64_t features = Dim();
  const int64_t edges = std::min<int64_t>(knobs_.max_dim, 2 * Dim());
  if (!Fits({nodes, features}) || !Fits({features, features})) return IndexingFamily();
  const DType t = fdt_;
  ExprPtr x = AddArg(Float({nodes, features}), ArgRange(t), "nodes");
  auto ends = [&](std::string name) {
    return AddArg(TensorType{DType::kInt32, {edges}}, {0, static_cast<double>(nodes - 1)}, std::move(name));
  };
  ExprPtr senders = ends("senders");
  ExprPtr receivers = ends("receivers");
  OpAttrs segments;
  segments.count = nodes;
  OpAttrs rows = Over({0});
  OpAttrs column = Over({1});
  auto gather = [&](ExprPtr v, const ExprPtr& at) {
    return Chance(Choice::kGraphTake) ? Op(OpId::kTake, {std::move(v), at}, rows) : Op(OpId::kGather, {std::move(v), at});
  };
  ExprPtr w = AddArg(Float({features, features}), {-InitScale(features), InitScale(features)}, "w");
  ExprPtr b = Chance(Choice::kGraphBias) && ArgsLeft() >= 1 ? AddArg(Float({features}), {-0.1, 0.1}, "b") : nullptr;
  auto transform = [&](ExprPtr v) {
    ExprPtr y = Op(OpId::kMatmul, {std::move(v), w});
    return b ? Op(OpId::kAdd, {y, b}) : y;
  };
  const OpId activation = Chance(Choice::kGraphGelu) ? OpId::kGelu : OpId::kRelu;
  ExprPtr out;
  switch (Pick({Choice::kGraphMessage, Choice::kGraphGcn, Choice::kGraphMean})) {
    case 0: {  // messages from the senders, summed at the receivers, then a concatenated update
      const OpId update = Chance(Choice::kGraphTanhUpdate) ? OpId::kTanh : OpId::kRelu;
      ExprPtr messages = Assign(Op(OpId::kRelu, {transform(gather(x, senders))}));
      if (Chance(Choice::kGraphEdgeWeights) && ArgsLeft() >= 2) {
        // A weighted graph: each message scaled by its edge's weight in [0, 1].
        ExprPtr weights = AddArg(Float({edges}), {0, 1}, "edge_weights");
        messages = Assign(Op(OpId::kMul, {messages, Op(OpId::kExpandDims, {weights}, column)}));
      }
      ExprPtr aggregated = Assign(Op(OpId::kSegmentSum, {messages, receivers}, segments));
      if (ArgsLeft() >= 1 && 2 * features <= knobs_.max_dim && Fits({2 * features, features})) {
        ExprPtr w_update = AddArg(Float({2 * features, features}), {-InitScale(2 * features), InitScale(2 * features)}, "w_update");
        ExprPtr both = Op(OpId::kConcatenate, {x, aggregated}, Over({-1}));
        out = Op(OpId::kAdd, {x, Op(update, {Op(OpId::kMatmul, {both, w_update})})});
      } else {
        out = Op(OpId::kAdd, {x, Op(update, {aggregated})});
      }
      break;
    }
    case 1: {  // GCN: D^-1/2 (A + I) D^-1/2 X W
      ExprPtr ones = Cast(Op(OpId::kOnesLike, {receivers}), t);
      ExprPtr degree = Assign(Op(OpId::kAdd, {Op(OpId::kSegmentSum, {ones, receivers}, segments), Lit(1.0, t)}));
      ExprPtr norm = Assign(Op(OpId::kRsqrt, {degree}));
      ExprPtr h = Assign(transform(x));
      ExprPtr scaled = Op(OpId::kMul, {gather(h, senders), Op(OpId::kExpandDims, {gather(norm, senders)}, column)});
      ExprPtr summed = Op(OpId::kSegmentSum, {MaybeAssign(scaled), receivers}, segments);
      out = Op(activation, {Op(OpId::kAdd, {Op(OpId::kMul, {summed, Op(OpId::kExpandDims, {norm}, column)}),
                                             Op(OpId::kDiv, {h, Op(OpId::kExpandDims, {degree}, column)})})});
      break;
    }
    default: {  // the mean of the incoming messages, with a residual
      ExprPtr messages = Assign(transform(gather(x, senders)));
      ExprPtr ones = Cast(Op(OpId::kOnesLike, {receivers}), t);
      ExprPtr counts = Op(OpId::kSegmentSum, {ones, receivers}, segments);
      ExprPtr summed = Assign(Op(OpId::kSegmentSum, {messages, receivers}, segments));
      // A mean of the messages a node receives (0 when none): within their range and 0.
      ExprPtr mean = Refine(Op(OpId::kDiv, {summed, Op(OpId::kExpandDims, {Op(OpId::kMaximum, {counts, Lit(1.0, t)})}, column)}),
                            Interval::Hull(messages->range, {0, 0}));
      out = Op(OpId::kAdd, {x, Op(activation, {MaybeAssign(mean)})});
      break;
    }
  }
  return {out};
}

}  // namespace jitsynth::synth::detail
