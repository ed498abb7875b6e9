// lax control flow, helper functions and jax.vmap. Loop bodies map their
// carries' ranges into themselves (KeepWithin), so any trip count keeps every
// value within its budget; traced trip counts are bounded by their ranges.
#include <fmt/format.h>

#include "synth/builder.h"

namespace jitsynth::synth::detail {

using ir::DType;
using ir::ExprPtr;
using ir::Function;
using ir::Interval;
using ir::OpId;
using ir::Stmt;
using ir::TensorType;
using ir::Var;

namespace {

constexpr std::array<std::array<std::string_view, 2>, kCondNameSchemes> kCondNames = {{
    {"true_fn", "false_fn"},
    {"on_true", "on_false"},
    {"then_branch", "else_branch"},
    {"positive_case", "negative_case"},
}};
constexpr std::array<std::string_view, 4> kSwitchNames = {"branch", "case", "option", "path"};
constexpr std::array<std::string_view, 4> kForiBodyNames = {"body", "body_fn", "loop_body",
                                                            "update"};
constexpr std::array<std::string_view, 4> kScanBodyNames = {"step", "scan_fn", "cell", "scan_body"};
constexpr std::array<std::string_view, 3> kWhileCondNames = {"cond_fn", "keep_going", "not_done"};
constexpr std::array<std::string_view, 3> kWhileBodyNames = {"body_fn", "iterate", "advance"};
constexpr std::array<std::string_view, 3> kIndexNames = {"i", "k", "it"};
constexpr std::array<std::string_view, 3> kCounterNames = {"count", "step", "n_done"};
constexpr std::array<std::string_view, 3> kCarryNames = {"carry", "state", "c"};
constexpr std::array<std::string_view, 3> kElementNames = {"x_t", "elem", "row"};
constexpr std::array<std::string_view, 4> kBoundNames = {"n", "steps", "num_steps", "iters"};
constexpr std::array<std::string_view, 6> kHelperNames = {"helper", "block",   "layer",
                                                          "mix",    "project", "transform_fn"};
constexpr std::array<std::string_view, 4> kHelperParams = {"p", "q", "s", "m"};

std::string BaseName(const ExprPtr& e, std::string_view fallback) {
  return e->kind == ir::Expr::Kind::kVar ? e->var + "_" : std::string(fallback);
}

}  // namespace

Exprs Builder::Commit(Stmt s) {
  Exprs out;
  for (const Var& v : s.targets) {
    Define(v);
    out.push_back(VarExpr(v));
  }
  Current().body.push_back(std::move(s));
  return out;
}

Interval Builder::CarryRange(const ExprPtr& init) {
  // Floats: the initial values and [-1, 1], where KeepWithin puts any body
  // result that would leave it. Integers wrap and bools cannot leave.
  if (ir::IsFloat(init->type.dtype)) return Interval::Hull(init->range, {-1, 1});
  return ir::ValueBudget(init->type.dtype);
}

std::vector<Var> Builder::CarryParams(const Exprs& init) {
  std::vector<Var> params;
  for (const ExprPtr& o : init)
    params.push_back(Var{Fresh(BaseName(o, "acc") + "c"), o->type, CarryRange(o)});
  return params;
}

Exprs Builder::BodyResults(const Exprs& params, const std::vector<TensorType>& types) {
  Exprs out;
  for (const TensorType& t : types) {
    ExprPtr e = CanNest() && rng_.Bernoulli(nested_p_) ? ControlFlow(t, RandomConstruct())
                                                       : Compute(t, Depth(), /*min_ops=*/1);
    if (!params.empty()) {
      // A body reads its parameters: prefer one of the result's dtype.
      std::vector<double> w;
      for (const ExprPtr& p : params) w.push_back(p->type.dtype == t.dtype ? knobs_.body_same_dtype_weight : 1.0);
      e = Reading(e, params[rng_.PickWeighted(w)]);
    }
    out.push_back(e);
  }
  return out;
}

Exprs Builder::Branches(Stmt::Kind kind, ExprPtr pred, int count, const Exprs& operands,
                        const std::vector<TensorType>& results, const BranchFn& branch) {
  Stmt s;
  s.kind = kind;
  s.pred = std::move(pred);
  s.operands = operands;
  std::vector<Interval> ranges;
  const std::string_view switch_base = kSwitchNames[rng_.Below(kSwitchNames.size())];
  for (int which = 0; which < count; ++which) {
    std::vector<Var> params;
    Exprs param_exprs;
    for (const ExprPtr& o : operands) {
      params.push_back(Var{Fresh(BaseName(o, "operand")), o->type, o->range});
      param_exprs.push_back(VarExpr(params.back()));
    }
    const std::string name = kind == Stmt::Kind::kCond
                                 ? Fresh(kCondNames[branch_names_][which])
                                 : Fresh(fmt::format("{}_{}", switch_base, which));
    const int fn = Begin(name, Function::Role::kBranch, params);
    Exprs out = branch(param_exprs, which);
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = Fit(out[i], results[i]);
      if (which == 0)
        ranges.push_back(out[i]->range);
      else
        ranges[i] = Interval::Hull(ranges[i], out[i]->range);
    }
    End(out);
    s.functions.push_back(fn);
  }
  for (size_t i = 0; i < results.size(); ++i)
    s.targets.push_back(Var{Fresh(temp_prefix_ + "out"), results[i], ranges[i]});
  return Commit(std::move(s));
}

Exprs Builder::Cond(ExprPtr pred, const Exprs& operands, const std::vector<TensorType>& results,
                    const BranchFn& branch) {
  return Branches(Stmt::Kind::kCond, std::move(pred), 2, operands, results, branch);
}

Exprs Builder::Switch(ExprPtr index, int count, const Exprs& operands,
                      const std::vector<TensorType>& results, const BranchFn& branch) {
  return Branches(Stmt::Kind::kSwitch, std::move(index), count, operands, results, branch);
}

ExprPtr Builder::TripBound() {
  if (CanAddArgs() && Chance(Choice::kTripBoundArg)) {
    ExprPtr n = AddArg(TensorType{DType::kInt32, {}}, {1, static_cast<double>(knobs_.max_trip)},
                       std::string(kBoundNames[rng_.Below(kBoundNames.size())]));
    ++use_count_[n->var];
    return n;
  }
  ExprPtr n = Anchor(Gen(TensorType{DType::kInt32, {}}, 2));
  return Clip(n, 0, knobs_.max_trip);
}

Exprs Builder::ForiLoop(const Exprs& init, const BodyFn& body, ExprPtr dynamic_upper) {
  Stmt s;
  s.kind = Stmt::Kind::kForiLoop;
  s.operands = init;
  Interval index_range;
  if (dynamic_upper) {
    s.dynamic_upper = dynamic_upper;
    index_range = {0, std::max(0.0, dynamic_upper->range.hi - 1)};
    differentiable_ = false;
  } else {
    s.lower = Chance(Choice::kForiFromZero) ? 0 : 1;
    s.upper = s.lower + rng_.UniformInt(1, knobs_.max_trip);
    index_range = {static_cast<double>(s.lower), static_cast<double>(s.upper - 1)};
  }
  std::vector<Var> params = {
      Var{PickName(kIndexNames), TensorType{DType::kInt32, {}}, index_range}};
  const std::vector<Var> carry = CarryParams(init);
  params.insert(params.end(), carry.begin(), carry.end());
  const int fn = Begin(PickName(kForiBodyNames), Function::Role::kForiBody, params);
  if (x64_ && !dynamic_upper) {
    // Under x64 Python int bounds make the index int64, not the int32 the IR
    // says: the body may use it only through the casts its builder writes.
    std::erase_if(frames_.back().scope, [&](const Var& v) { return v.name == params[0].name; });
  }
  Current().carry_count = static_cast<int>(init.size());
  if (init.size() > 1) Current().carry_tuple_name = PickName(kCarryNames);
  Exprs body_params;
  for (const Var& p : params) body_params.push_back(VarExpr(p));
  Exprs results = body(body_params);
  for (size_t i = 0; i < results.size(); ++i)
    results[i] = KeepWithin(Fit(results[i], carry[i].type), carry[i].range);
  End(results);
  s.functions = {fn};
  for (const Var& c : carry) s.targets.push_back(Var{Fresh(c.name + "_out"), c.type, c.range});
  return Commit(std::move(s));
}

Exprs Builder::Scan(const Exprs& init, const ExprPtr& xs, const BodyFn& body) {
  Stmt s;
  s.kind = Stmt::Kind::kScan;
  s.operands = init;
  s.operands.push_back(xs);
  s.reverse = rng_.Bernoulli(knobs_.scan_reverse_p);
  std::vector<Var> params = CarryParams(init);
  TensorType x_type = xs->type;
  x_type.shape.erase(x_type.shape.begin());
  params.push_back(Var{PickName(kElementNames), x_type, xs->range});
  const int fn = Begin(PickName(kScanBodyNames), Function::Role::kScanBody, params);
  Current().carry_count = static_cast<int>(init.size());
  if (init.size() > 1) Current().carry_tuple_name = PickName(kCarryNames);
  Exprs body_params;
  for (const Var& p : params) body_params.push_back(VarExpr(p));
  Exprs results = body(body_params);
  for (size_t i = 0; i < init.size(); ++i) {
    results[i] = KeepWithin(Fit(results[i], params[i].type), params[i].range);
  }
  const ExprPtr y = results.back();
  End(results);
  s.functions = {fn};
  for (size_t i = 0; i < init.size(); ++i) {
    s.targets.push_back(Var{Fresh(params[i].name + "_out"), params[i].type, params[i].range});
  }
  TensorType ys = y->type;
  ys.shape.insert(ys.shape.begin(), xs->type.shape[0]);
  s.targets.push_back(Var{Fresh("ys"), ys, y->range});
  return Commit(std::move(s));
}

Exprs Builder::WhileLoop(const Exprs& init, ExprPtr bound, const BodyFn& body,
                         bool extra_condition) {
  differentiable_ = false;
  Stmt s;
  s.kind = Stmt::Kind::kWhileLoop;
  s.operands = {ir::MakeLiteral(0, DType::kInt32, /*weak=*/false)};
  s.operands.insert(s.operands.end(), init.begin(), init.end());
  const std::string_view counter = kCounterNames[rng_.Below(kCounterNames.size())];
  // The counter stays within [0, bound]: the body runs only while it is below.
  const Interval counter_range = {0, std::max(0.0, bound->range.hi)};
  auto params_for = [&] {
    std::vector<Var> params = {Var{Fresh(counter), TensorType{DType::kInt32, {}}, counter_range}};
    for (const Var& c : CarryParams(init)) params.push_back(c);
    return params;
  };
  const std::string tuple = PickName(kCarryNames);
  const std::vector<Var> cond_params = params_for();
  const int cond = Begin(PickName(kWhileCondNames), Function::Role::kWhileCond, cond_params);
  Current().carry_count = static_cast<int>(cond_params.size());
  Current().carry_tuple_name = tuple;
  ExprPtr pred = Op(OpId::kLt, {VarExpr(cond_params[0]), bound});
  if (extra_condition && cond_params.size() > 1) {
    ExprPtr x = VarExpr(cond_params[1 + rng_.Below(cond_params.size() - 1)]);
    ExprPtr extra =
        CompareWithThreshold(ir::IsFloat(x->type.dtype) ? RandomReduce(x) : Fit(x, Float({})));
    if (extra->type.shape.empty()) {
      pred = Op(Chance(Choice::kWhileBitwiseAnd) ? OpId::kBitwiseAnd : OpId::kLogicalAnd, {pred, extra});
    }
  }
  End({pred});
  const std::vector<Var> body_params = params_for();
  const int fn = Begin(PickName(kWhileBodyNames), Function::Role::kWhileBody, body_params);
  Current().carry_count = static_cast<int>(body_params.size());
  Current().carry_tuple_name = Fresh(tuple);
  Exprs values;
  for (size_t i = 1; i < body_params.size(); ++i) values.push_back(VarExpr(body_params[i]));
  Exprs results = {Op(OpId::kAdd, {VarExpr(body_params[0]), Lit(1, DType::kInt32)})};
  Exprs next = body(values);
  for (size_t i = 0; i < next.size(); ++i) {
    results.push_back(KeepWithin(Fit(next[i], body_params[i + 1].type), body_params[i + 1].range));
  }
  End(results);
  s.functions = {cond, fn};
  for (const Var& c : body_params) s.targets.push_back(Var{Fresh(c.name + "out"), c.type, c.range});
  Exprs out = Commit(std::move(s));
  out.erase(out.begin());  // the counter
  return out;
}

int Builder::Helper(std::vector<TensorType> params, const TensorType& result) {
  std::vector<Var> vars;
  for (const TensorType& t : params) {
    // Callers keep their arguments within these ranges.
    const Interval range = ir::IsFloat(t.dtype) ? Interval{-3, 3} : ir::ValueBudget(t.dtype);
    vars.push_back(Var{PickName(kHelperParams), t, range});
  }
  const int fn = Begin(PickName(kHelperNames), Function::Role::kHelper, vars, /*isolated=*/true);
  Exprs param_exprs;
  for (const Var& v : vars) param_exprs.push_back(VarExpr(v));
  const Exprs results = BodyResults(param_exprs, {result});
  End({Fit(results[0], result)});
  return fn;
}

ExprPtr Builder::Call(int helper, Exprs args, std::vector<int> in_axes) {
  const Function& f = program_.functions[helper];
  for (size_t i = 0; i < args.size(); ++i) args[i] = KeepWithin(args[i], f.params[i].range);
  auto e = std::make_shared<ir::Expr>();
  e->kind = ir::Expr::Kind::kCall;
  e->function = helper;
  e->var = f.name;
  e->type = f.results[0]->type;
  e->range = f.results[0]->range;
  if (!in_axes.empty()) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (in_axes[i] >= 0) {
        e->type.shape.insert(e->type.shape.begin(), args[i]->type.shape[in_axes[i]]);
        break;
      }
    }
  }
  e->in_axes = std::move(in_axes);
  e->args = std::move(args);
  return e;
}

ExprPtr Builder::ControlFlow(const TensorType& t, Construct construct) {
  const int depth = Depth();
  // Operands of branches: a variable or two from the scope, or none (the
  // branches then close over what they read).
  auto operands = [&]() {
    Exprs ops;
    for (const Var& v : frames_.back().scope) {
      if (!v.type.weak && ops.size() < 2 && Chance(Choice::kBranchOperand)) ops.push_back(VarExpr(v));
    }
    return ops;
  };
  auto branch = [&](const Exprs& params, int) { return BodyResults(params, {t}); };
  switch (construct) {
    case Construct::kCond:
      return Cond(ScalarPredicate(1), operands(), {t}, branch)[0];
    case Construct::kSwitch: {
      const int n = static_cast<int>(rng_.UniformInt(2, 4));
      return Switch(SwitchIndex(n), n, operands(), {t}, branch)[0];
    }
    case Construct::kForiLoop:
      return ForiLoop({Gen(t, depth)}, [&](const Exprs& p) {
        Exprs carry(p.begin() + 1, p.end());
        if (ir::IsFloat(t.dtype) && Chance(Choice::kForiIndexFloat)) {
          // The loop index as a float, folded into the update.
          ir::OpAttrs cast;
          cast.to = t.dtype;
          carry.push_back(
              Assign(Op(OpId::kMul, {Op(OpId::kAsType, {p[0]}, cast), Lit(0.1, t.dtype)})));
        }
        return BodyResults(carry, {t});
      })[0];
    case Construct::kScan: {
      const int64_t steps = rng_.UniformInt(2, std::max(2, knobs_.max_trip));
      ir::Shape xs_shape =
          t.shape.size() < static_cast<size_t>(knobs_.max_rank) ? t.shape : ir::Shape{};
      xs_shape.insert(xs_shape.begin(), steps);
      ExprPtr xs = Gen(TensorType{t.dtype, xs_shape}, 1);
      return Scan({Gen(t, depth)}, xs, [&](const Exprs& p) {
        Exprs out = BodyResults(p, {t});
        out.push_back(Chance(Choice::kScanCarryOut) ? out[0] : Gen(p.back()->type, 1));
        return out;
      })[0];
    }
  }
  return nullptr;
}

ExprPtr Builder::Statement(const TensorType& t) {
  if (CanNest() && Chance(Choice::kStatementFlow)) return ControlFlow(t, RandomConstruct());
  return Assign(Compute(t, Depth()));
}

}  // namespace jitsynth::synth::detail
