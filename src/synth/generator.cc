#include "synth/generator.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/rng.h"
#include "emit/jax_emitter.h"
#include "ir/verifier.h"

namespace jitsynth::synth {
namespace {

using ir::DType;
using ir::Expr;
using ir::ExprPtr;
using ir::Function;
using ir::Interval;
using ir::OpAttrs;
using ir::OpId;
using ir::Shape;
using ir::Stmt;
using ir::TensorType;
using ir::Var;

using Exprs = std::vector<ExprPtr>;

constexpr std::array<std::string_view, 10> kFamilies = {
    "elementwise", "scalar_array", "unary",          "branch",        "loop",
    "reduction",   "vector",       "multi_statement", "nested_branch", "compound"};

// Naming schemes: each program picks one per kind of name, so names vary
// between programs but read consistently within one.
constexpr std::array<std::array<std::string_view, 6>, 5> kArgSchemes = {{
    {"x", "y", "z", "w", "v", "u"},
    {"a", "b", "c", "d", "e", "g"},
    {"x0", "x1", "x2", "x3", "x4", "x5"},
    {"inputs", "weights", "bias", "scale", "offset", "gain"},
    {"lhs", "rhs", "aux", "extra", "other", "more"},
}};
constexpr std::array<std::string_view, 5> kTempPrefixes = {"t", "h", "tmp", "v", "r"};
constexpr std::array<std::string_view, 8> kEntryNames = {
    "kernel", "f", "fn", "compute", "forward", "apply", "transform", "program"};
constexpr std::array<std::array<std::string_view, 2>, 4> kBranchNames = {{
    {"true_fn", "false_fn"},
    {"on_true", "on_false"},
    {"then_branch", "else_branch"},
    {"positive_case", "negative_case"},
}};
constexpr std::array<std::string_view, 4> kForiBodyNames = {"body", "body_fn", "loop_body",
                                                            "update"};
constexpr std::array<std::string_view, 4> kScanBodyNames = {"step", "scan_fn", "cell", "scan_body"};
constexpr std::array<std::string_view, 3> kIndexNames = {"i", "k", "it"};
constexpr std::array<std::string_view, 3> kCarryNames = {"carry", "state", "c"};
constexpr std::array<std::string_view, 3> kElementNames = {"x_t", "elem", "row"};
constexpr std::array<int64_t, 12> kDims = {2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 32};
constexpr std::array<Interval, 5> kArgRanges = {
    Interval{-2, 2}, Interval{-1, 1}, Interval{0.5, 2}, Interval{-3, 3}, Interval{0, 1}};
constexpr std::array<double, 9> kLiterals = {0.5, 2.0, 3.0, 0.1, 0.25, 1.5, 0.01, 10.0, 4.0};
constexpr std::array<OpId, 13> kUnaryOps = {
    OpId::kNeg,  OpId::kAbs,  OpId::kSin,    OpId::kCos,     OpId::kTanh, OpId::kExp,     OpId::kLog,
    OpId::kLog1p, OpId::kSqrt, OpId::kSquare, OpId::kSigmoid, OpId::kRelu, OpId::kSoftplus};
constexpr std::array<OpId, 6> kBinaryOps = {OpId::kAdd,  OpId::kSub,     OpId::kMul,
                                            OpId::kDiv,  OpId::kMaximum, OpId::kMinimum};
constexpr std::array<OpId, 4> kCompareOps = {OpId::kGt, OpId::kLt, OpId::kGe, OpId::kLe};
constexpr std::array<OpId, 4> kReduceOps = {OpId::kSum, OpId::kMean, OpId::kMax, OpId::kMin};

void CollectReads(const ExprPtr& e, std::set<std::string>& reads) {
  if (!e) return;
  if (e->kind == Expr::Kind::kVar) reads.insert(e->var);
  for (const ExprPtr& a : e->args) CollectReads(a, reads);
}

// Removes assignments nobody reads and entry arguments nobody reads, so that
// every line of the emitted Python matters. Names are unique program-wide, so
// one set of read names serves every function.
void RemoveDeadCode(ir::Program& program) {
  for (bool changed = true; changed;) {
    changed = false;
    std::set<std::string> reads;
    for (const Function& f : program.functions) {
      for (const Stmt& s : f.body) {
        CollectReads(s.value, reads);
        CollectReads(s.pred, reads);
        for (const ExprPtr& o : s.operands) CollectReads(o, reads);
      }
      for (const ExprPtr& r : f.results) CollectReads(r, reads);
    }
    for (Function& f : program.functions) {
      const size_t before = f.body.size();
      std::erase_if(f.body, [&](const Stmt& s) {
        return s.kind == Stmt::Kind::kAssign && reads.count(s.targets[0].name) == 0;
      });
      changed |= f.body.size() != before;
    }
    if (!changed) {
      std::erase_if(program.functions[program.entry].params,
                    [&](const Var& v) { return reads.count(v.name) == 0; });
    }
  }
}

// Builds one program. Holds the sample's Rng and the stack of functions under
// construction; every helper draws from that Rng only.
class Builder {
 public:
  Builder(const Policy& policy, Rng rng) : policy_(policy), rng_(rng) {}

  Result<ir::Program> Build(std::string_view family) {
    program_.category = std::string(family);
    arg_scheme_ = rng_.Below(kArgSchemes.size());
    temp_prefix_ = kTempPrefixes[rng_.Below(kTempPrefixes.size())];
    branch_names_ = rng_.Below(kBranchNames.size());
    temps_probability_ = rng_.Bernoulli(policy_.Get("style.temporaries")) ? 0.35 : 0.0;
    dtype_ = PickDType();
    budget_ = ir::MagnitudeBudget(dtype_);

    Begin(std::string(kEntryNames[rng_.Below(kEntryNames.size())]), Function::Role::kEntry, {});
    if (rng_.Bernoulli(policy_.Get("style.docstring"))) {
      program_.functions[0].docstring = Docstring(family);
    }
    Exprs results;
    if (family == "elementwise") results = Elementwise();
    else if (family == "scalar_array") results = ScalarArray();
    else if (family == "unary") results = UnaryChain();
    else if (family == "branch") results = Branch();
    else if (family == "loop") results = Loop();
    else if (family == "reduction") results = Reduction();
    else if (family == "vector") results = VectorAlgebra();
    else if (family == "multi_statement") results = MultiStatement();
    else if (family == "nested_branch") results = NestedBranch();
    else if (family == "compound") results = Compound();
    else return InvalidArgument(fmt::format("unknown family '{}'", family));
    End(std::move(results));
    RemoveDeadCode(program_);
    return std::move(program_);
  }

 private:
  // ---- Names -------------------------------------------------------------

  std::string Fresh(std::string_view base) {
    std::string name(base);
    for (int n = 1; used_names_.count(name) > 0; ++n) name = fmt::format("{}{}", base, n);
    used_names_.insert(name);
    return name;
  }
  std::string ArgName() {
    const auto& scheme = kArgSchemes[arg_scheme_];
    if (arg_count_ < scheme.size()) return Fresh(scheme[arg_count_++]);
    return Fresh(fmt::format("arg{}", arg_count_++));
  }
  std::string TempName() { return Fresh(fmt::format("{}{}", temp_prefix_, temp_count_++)); }
  template <size_t N>
  std::string PickName(const std::array<std::string_view, N>& names) {
    return Fresh(names[rng_.Below(N)]);
  }

  static std::string Docstring(std::string_view family) {
    return fmt::format("A generated {} kernel.", family);
  }

  // ---- Functions and scopes ----------------------------------------------

  struct Frame {
    int function;
    std::vector<Var> scope;
  };

  int Begin(std::string name, Function::Role role, std::vector<Var> params) {
    Function f;
    f.name = std::move(name);
    f.role = role;
    f.params = params;
    program_.functions.push_back(std::move(f));
    const int index = static_cast<int>(program_.functions.size()) - 1;
    frames_.push_back({index, std::move(params)});
    return index;
  }
  void End(Exprs results) {
    program_.functions[frames_.back().function].results = std::move(results);
    frames_.pop_back();
  }
  Function& Current() { return program_.functions[frames_.back().function]; }

  ExprPtr AddArg(const TensorType& type, Interval range) {
    Var v{ArgName(), type, range};
    Current().params.push_back(v);
    frames_.back().scope.push_back(v);
    return ir::MakeVar(v.name, v.type, v.range);
  }

  void Define(const Var& v) { frames_.back().scope.push_back(v); }

  ExprPtr Assign(ExprPtr value) {
    Var v{TempName(), value->type, value->range};
    Stmt s;
    s.kind = Stmt::Kind::kAssign;
    s.targets = {v};
    s.value = std::move(value);
    Current().body.push_back(std::move(s));
    Define(v);
    return ir::MakeVar(v.name, v.type, v.range);
  }

  ExprPtr MaybeAssign(ExprPtr value) {
    if (value->kind == Expr::Kind::kOp && rng_.Bernoulli(temps_probability_)) {
      return Assign(std::move(value));
    }
    return value;
  }

  // ---- Types -------------------------------------------------------------

  DType PickDType() {
    constexpr std::array<DType, 3> kFloats = {DType::kFloat32, DType::kFloat16, DType::kBFloat16};
    std::array<double, 3> w{};
    for (size_t i = 0; i < kFloats.size(); ++i) {
      w[i] = policy_.Weight("dtype.", ir::NumpyName(kFloats[i]));
    }
    return kFloats[rng_.PickWeighted(w)];
  }

  Shape RandomShape(int min_rank, int max_rank) {
    max_rank = std::min<int>(max_rank, static_cast<int>(policy_.Get("shape.max_rank")));
    const int rank = static_cast<int>(rng_.UniformInt(min_rank, std::max(min_rank, max_rank)));
    const auto max_elements = static_cast<int64_t>(policy_.Get("shape.max_elements"));
    const auto max_dim = static_cast<int64_t>(policy_.Get("shape.max_dim"));
    Shape shape;
    int64_t elements = 1;
    for (int i = 0; i < rank; ++i) {
      int64_t d = kDims[rng_.Below(kDims.size())];
      while (d > 2 && (d > max_dim || elements * d > max_elements)) d = d / 2;
      shape.push_back(d);
      elements *= d;
    }
    return shape;
  }

  TensorType Type(Shape shape) const { return TensorType{dtype_, std::move(shape)}; }
  Interval ArgRange() { return kArgRanges[rng_.Below(kArgRanges.size())]; }

  // ---- Expressions -------------------------------------------------------

  ExprPtr Literal() { return ir::MakeLiteral(kLiterals[rng_.Below(kLiterals.size())], dtype_); }
  ExprPtr Lit(double v) const { return ir::MakeLiteral(v, dtype_); }
  ExprPtr VarExpr(const Var& v) const { return ir::MakeVar(v.name, v.type, v.range); }

  bool InBudget(const ExprPtr& e) const {
    return !ir::IsFloat(e->type.dtype) || e->range.MaxAbs() <= budget_;
  }

  ExprPtr Must(Result<ExprPtr> r) const {
    // The builder only asks for applications it has typed itself.
    if (!r.ok()) {
      fmt::print(stderr, "jitsynth: generator bug: {}\n", r.status().message());
      std::abort();
    }
    return std::move(r).value();
  }

  ExprPtr Op(OpId op, Exprs args, OpAttrs attrs = {}) {
    return Must(ir::MakeOp(op, std::move(args), std::move(attrs)));
  }

  // op(args) with the domain argument guarded, or null when the result would
  // leave the value budget or no guard exists.
  ExprPtr TryOp(OpId op, Exprs args, OpAttrs attrs = {}) {
    const ir::OpInfo& info = ir::Info(op);
    ExprPtr& a = args[info.domain_arg];
    if (!ir::DomainHolds(info.domain, a->range)) {
      switch (info.domain) {
        case ir::Domain::kPositive:
        case ir::Domain::kNonZero: {
          ExprPtr one = ir::MakeLiteral(1.0, a->type.dtype);
          if (a->range.lo >= 0) a = Op(OpId::kAdd, {a, one});
          else if (info.domain == ir::Domain::kNonZero && a->range.hi <= 0) a = Op(OpId::kSub, {a, one});
          else a = Op(OpId::kAdd, {Op(OpId::kAbs, {a}), one});
          break;
        }
        case ir::Domain::kNonNegative:
        case ir::Domain::kAboveMinusOne: a = Op(OpId::kAbs, {a}); break;
        default: return nullptr;
      }
    }
    auto r = ir::MakeOp(op, std::move(args), std::move(attrs));
    if (!r.ok() || !InBudget(*r)) return nullptr;
    return std::move(r).value();
  }

  // Draws ops from `ops` by policy weight until one applies.
  template <size_t N>
  ExprPtr TryWeighted(const std::array<OpId, N>& ops, const Exprs& args) {
    std::array<double, N> w{};
    for (size_t i = 0; i < N; ++i) w[i] = policy_.Weight("op.", ir::Info(ops[i]).name);
    for (size_t attempt = 0; attempt < N; ++attempt) {
      if (std::none_of(w.begin(), w.end(), [](double x) { return x > 0; })) break;
      const size_t i = rng_.PickWeighted(w);
      w[i] = 0;
      if (ExprPtr e = TryOp(ops[i], args)) return e;
    }
    return nullptr;
  }

  // Keeps `e` within [-limit, limit]: unchanged when it already is, otherwise
  // squashed by tanh or clipped.
  ExprPtr Bound(ExprPtr e, double limit = 1.0) {
    if (e->range.MaxAbs() <= limit) return e;
    if (limit == 1.0 && rng_.Bernoulli(0.6)) return Op(OpId::kTanh, {e});
    OpAttrs clip;
    clip.reals = {-limit, limit};
    return Op(OpId::kClip, {e}, clip);
  }

  ExprPtr Unary(ExprPtr x) {
    if (ExprPtr e = TryWeighted(kUnaryOps, {x})) return e;
    return Bound(x);
  }

  ExprPtr Binary(ExprPtr a, ExprPtr b) {
    if (ExprPtr e = TryWeighted(kBinaryOps, {a, b})) return e;
    return Op(OpId::kAdd, {Bound(a), Bound(b)});
  }

  // Variables in scope whose values broadcast to `t`.
  // Variables in scope whose values broadcast to `t`, with how many frames
  // out they live (0: the function being built).
  std::vector<std::pair<Var, size_t>> Candidates(const TensorType& t) const {
    std::vector<std::pair<Var, size_t>> out;
    for (size_t depth = 0; depth < frames_.size(); ++depth) {
      for (const Var& v : frames_[frames_.size() - 1 - depth].scope) {
        if (v.type.dtype != t.dtype) continue;
        auto b = ir::BroadcastShapes(v.type.shape, t.shape);
        if (b.ok() && *b == t.shape) out.emplace_back(v, depth);
      }
    }
    return out;
  }

  ExprPtr Leaf(const TensorType& t) {
    const auto vars = Candidates(t);
    if (vars.empty()) return Literal();
    std::vector<double> w;
    for (const auto& [v, outer] : vars) {
      double weight = v.type.shape == t.shape ? 3.0 : 1.0;
      if (use_count_[v.name] == 0) weight *= 4.0;  // every argument should matter
      if (outer > 0) weight *= 0.25;               // closures are the exception, not the rule
      w.push_back(weight);
    }
    const Var& v = vars[rng_.PickWeighted(w)].first;
    ++use_count_[v.name];
    return VarExpr(v);
  }

  ExprPtr Compare(ExprPtr a, ExprPtr b) {
    return Op(kCompareOps[rng_.Below(kCompareOps.size())], {std::move(a), std::move(b)});
  }
  // a compared with a threshold inside a's range, so that both outcomes occur.
  ExprPtr CompareWithThreshold(ExprPtr a) {
    const double t = std::round(rng_.UniformReal(a->range.lo, a->range.hi) * 10) / 10;
    return Compare(std::move(a), Lit(t));
  }

  // A random elementwise expression of type `t` over the variables in scope.
  ExprPtr Elementwise(const TensorType& t, int depth) {
    if (depth <= 0 || rng_.Bernoulli(policy_.Get("expr.leaf_probability"))) return Leaf(t);
    const double r = rng_.UniformDouble();
    const double p_unary = policy_.Get("expr.unary_probability");
    const double p_where = policy_.Get("expr.where_probability");
    ExprPtr e;
    if (r < p_unary) {
      e = Unary(Elementwise(t, depth - 1));
    } else if (r < p_unary + p_where) {
      ExprPtr cond = CompareWithThreshold(Elementwise(t, depth - 1));
      e = Op(OpId::kWhere, {cond, Elementwise(t, depth - 1), Elementwise(t, depth - 1)});
    } else {
      ExprPtr a = Elementwise(t, depth - 1);
      ExprPtr b = rng_.Bernoulli(policy_.Get("expr.literal_probability")) ? Literal()
                                                                           : Elementwise(t, depth - 1);
      if (a->kind == Expr::Kind::kVar && b->kind == Expr::Kind::kVar && a->var == b->var) {
        b = Literal();  // x - x and x / x teach nothing
      }
      if (rng_.Bernoulli(0.3)) std::swap(a, b);
      e = Binary(a, b);
    }
    return depth >= 2 ? MaybeAssign(e) : e;
  }

  int Depth() { return static_cast<int>(rng_.UniformInt(2, static_cast<int>(policy_.Get("expr.max_depth")))); }

  // Guarantees a result reads at least one variable (a literal-only result
  // would make a constant program).
  ExprPtr Anchor(ExprPtr e, const TensorType& t) {
    if (ReadsVariable(*e, nullptr)) return e;
    return Binary(Leaf(t), e);
  }
  // e, combined with `must` when it does not read it (loop bodies must read
  // their carry, branches their operands).
  ExprPtr Reading(ExprPtr e, const ExprPtr& must) {
    if (ReadsVariable(*e, &must->var)) return e;
    ++use_count_[must->var];
    return Binary(e, must);
  }
  static bool ReadsVariable(const Expr& e, const std::string* name) {
    if (e.kind == Expr::Kind::kVar) return name == nullptr || e.var == *name;
    return std::any_of(e.args.begin(), e.args.end(),
                       [name](const ExprPtr& a) { return ReadsVariable(*a, name); });
  }

  // An elementwise expression that computes something: it reads a variable
  // and is more than that variable.
  ExprPtr ElementwiseResult(const TensorType& t, int depth) {
    ExprPtr e = Anchor(Elementwise(t, depth), t);
    if (e->kind != Expr::Kind::kVar) return e;
    return rng_.Bernoulli(0.5) ? Unary(e) : Binary(e, Leaf(t));
  }

  ExprPtr Reduce(OpId op, ExprPtr x, std::vector<int> axes, bool keepdims) {
    OpAttrs attrs;
    attrs.axes = std::move(axes);
    attrs.keepdims = keepdims;
    if (ExprPtr e = TryOp(op, {x}, attrs)) return e;
    return Op(OpId::kMean, {x}, attrs);  // mean stays in range
  }

  ExprPtr RandomReduce(ExprPtr x) {
    const OpId op = kReduceOps[rng_.Below(kReduceOps.size())];
    const int rank = x->type.rank();
    std::vector<int> axes;
    if (rank > 0 && rng_.Bernoulli(0.7)) {
      int axis = static_cast<int>(rng_.Below(rank));
      if (rng_.Bernoulli(0.2)) axis -= rank;
      axes.push_back(axis);
    }
    return Reduce(op, std::move(x), std::move(axes), rank > 0 && rng_.Bernoulli(0.25));
  }

  // A bool scalar for lax.cond.
  ExprPtr ScalarPredicate(const TensorType& t) {
    ExprPtr e = Elementwise(t, 1);
    if (e->type.rank() > 0) {
      const OpId op = kReduceOps[rng_.Below(kReduceOps.size())];
      e = Reduce(op, e, {}, false);
    }
    return CompareWithThreshold(e);
  }

  // ---- Control flow ------------------------------------------------------

  using BodyFn = std::function<Exprs(const Exprs& params)>;

  static Var AsParam(std::string name, const ExprPtr& e) { return Var{std::move(name), e->type, e->range}; }

  // targets = lax.cond(pred, true_fn, false_fn, *operands); each branch is
  // built by `branch(params, which)`.
  Exprs Cond(ExprPtr pred, const Exprs& operands,
             const std::function<Exprs(const Exprs&, int)>& branch) {
    Stmt s;
    s.kind = Stmt::Kind::kCond;
    s.pred = std::move(pred);
    s.operands = operands;
    Exprs first;
    for (int which = 0; which < 2; ++which) {
      std::vector<Var> params;
      Exprs param_exprs;
      for (const ExprPtr& o : operands) {
        params.push_back(AsParam(Fresh(o->kind == Expr::Kind::kVar ? o->var + "_" : "operand"), o));
        param_exprs.push_back(VarExpr(params.back()));
      }
      const int fn = Begin(Fresh(kBranchNames[branch_names_][which]), Function::Role::kBranch, params);
      Exprs results = branch(param_exprs, which);
      if (which == 1) {
        // Both branches return the same types; ranges are the union.
        for (size_t i = 0; i < results.size(); ++i) {
          if (results[i]->type.shape != first[i]->type.shape) {
            results[i] = Op(OpId::kAdd, {results[i], ir::MakeLiteral(0.0, results[i]->type.dtype)});
          }
        }
      }
      End(results);
      s.functions.push_back(fn);
      if (which == 0) first = results;
      else {
        for (size_t i = 0; i < results.size(); ++i) {
          s.targets.push_back(Var{TempName(), results[i]->type,
                                  Interval::Hull(results[i]->range, first[i]->range)});
        }
      }
    }
    return Commit(std::move(s));
  }

  Exprs Commit(Stmt s) {
    Exprs out;
    for (const Var& v : s.targets) {
      Define(v);
      out.push_back(VarExpr(v));
    }
    Current().body.push_back(std::move(s));
    return out;
  }

  // The range a loop carry may take: the initial values and [-1, 1], which is
  // where Bound() puts any body result that would leave it. The body maps the
  // range into itself, so every iteration stays inside it.
  static Interval CarryRange(const ExprPtr& init) { return Interval::Hull(init->range, {-1, 1}); }

  ExprPtr KeepWithin(ExprPtr e, const Interval& range) {
    if (e->range.Within(range)) return e;
    if (rng_.Bernoulli(0.6)) return Op(OpId::kTanh, {e});
    OpAttrs clip;
    clip.reals = {std::max(range.lo, -1.0), std::min(range.hi, 1.0)};
    if (clip.reals[0] >= clip.reals[1]) return Op(OpId::kTanh, {e});
    return Op(OpId::kClip, {e}, clip);
  }

  Exprs ForiLoop(const Exprs& init, const BodyFn& body) {
    Stmt s;
    s.kind = Stmt::Kind::kForiLoop;
    s.operands = init;
    s.lower = rng_.Bernoulli(0.8) ? 0 : 1;
    s.upper = s.lower + rng_.UniformInt(2, static_cast<int64_t>(policy_.Get("loop.max_trip_count")));
    std::vector<Var> params = {Var{PickName(kIndexNames), TensorType{DType::kInt32, {}},
                                   Interval{static_cast<double>(s.lower), static_cast<double>(s.upper - 1)}}};
    Exprs carry;
    for (const ExprPtr& o : init) {
      params.push_back(Var{Fresh(o->kind == Expr::Kind::kVar ? o->var + "_c" : "acc"), o->type, CarryRange(o)});
      carry.push_back(VarExpr(params.back()));
    }
    const int fn = Begin(PickName(kForiBodyNames), Function::Role::kForiBody, params);
    Current().carry_count = static_cast<int>(init.size());
    if (init.size() > 1) Current().carry_tuple_name = PickName(kCarryNames);
    Exprs body_params = {VarExpr(params[0])};
    body_params.insert(body_params.end(), carry.begin(), carry.end());
    Exprs results = body(body_params);
    for (size_t i = 0; i < results.size(); ++i) results[i] = KeepWithin(results[i], carry[i]->range);
    End(results);
    s.functions = {fn};
    for (const ExprPtr& c : carry) s.targets.push_back(Var{TempName(), c->type, c->range});
    return Commit(std::move(s));
  }

  // carry..., ys = lax.scan(body, carry, xs); body(params = carry..., x) returns
  // carry..., y.
  Exprs Scan(const Exprs& init, const ExprPtr& xs, const BodyFn& body) {
    Stmt s;
    s.kind = Stmt::Kind::kScan;
    s.operands = init;
    s.operands.push_back(xs);
    std::vector<Var> params;
    Exprs carry;
    for (const ExprPtr& o : init) {
      params.push_back(Var{Fresh(o->kind == Expr::Kind::kVar ? o->var + "_c" : "acc"), o->type, CarryRange(o)});
      carry.push_back(VarExpr(params.back()));
    }
    TensorType x_type = xs->type;
    x_type.shape.erase(x_type.shape.begin());
    params.push_back(Var{PickName(kElementNames), x_type, xs->range});
    const int fn = Begin(PickName(kScanBodyNames), Function::Role::kScanBody, params);
    Current().carry_count = static_cast<int>(init.size());
    if (init.size() > 1) Current().carry_tuple_name = PickName(kCarryNames);
    Exprs body_params = carry;
    body_params.push_back(VarExpr(params.back()));
    Exprs results = body(body_params);
    for (size_t i = 0; i < init.size(); ++i) results[i] = KeepWithin(results[i], carry[i]->range);
    const ExprPtr y = results.back();
    End(results);
    s.functions = {fn};
    for (const ExprPtr& c : carry) s.targets.push_back(Var{TempName(), c->type, c->range});
    TensorType ys = y->type;
    ys.shape.insert(ys.shape.begin(), xs->type.shape[0]);
    s.targets.push_back(Var{TempName(), ys, y->range});
    return Commit(std::move(s));
  }

  // x, or with probability 0.5 a small elementwise expression that reads x.
  ExprPtr Perturb(ExprPtr x) {
    if (rng_.Bernoulli(0.5)) return x;
    ExprPtr e = rng_.Bernoulli(0.5) ? Unary(x) : Binary(x, rng_.Bernoulli(0.5) ? Literal() : Leaf(x->type));
    return InBudget(e) ? e : x;
  }

  // ---- Families ----------------------------------------------------------

  Exprs Elementwise() {
    const TensorType t = Type(RandomShape(1, 3));
    const int n_args = static_cast<int>(rng_.UniformInt(2, 3));
    for (int i = 0; i < n_args; ++i) {
      TensorType at = t;
      if (i > 0 && t.rank() > 1 && rng_.Bernoulli(0.25)) at.shape = {t.shape.back()};  // a bias row
      AddArg(at, ArgRange());
    }
    Exprs results = {ElementwiseResult(t, Depth() + 1)};
    if (rng_.Bernoulli(0.2)) results.push_back(ElementwiseResult(t, Depth()));
    return results;
  }

  Exprs ScalarArray() {
    const TensorType t = Type(RandomShape(1, 2));
    ExprPtr alpha = AddArg(Type({}), ArgRange());
    ExprPtr x = AddArg(t, ArgRange());
    ExprPtr y = AddArg(t, ArgRange());
    ++use_count_[alpha->var];
    ++use_count_[x->var];
    ++use_count_[y->var];
    x = Perturb(x);
    ExprPtr ax = rng_.Bernoulli(0.7) ? Op(OpId::kMul, {alpha, x}) : Op(OpId::kMul, {x, alpha});
    ExprPtr rhs = y;
    if (rng_.Bernoulli(0.35)) {
      ExprPtr beta = AddArg(Type({}), ArgRange());
      rhs = Op(OpId::kMul, {beta, y});
    }
    ExprPtr out = Op(rng_.Bernoulli(0.75) ? OpId::kAdd : OpId::kSub, {MaybeAssign(ax), rhs});
    if (rng_.Bernoulli(0.35)) out = Unary(out);
    if (rng_.Bernoulli(0.3)) out = Binary(out, Literal());
    return {out};
  }

  Exprs UnaryChain() {
    ExprPtr x = AddArg(Type(RandomShape(0, 3)), ArgRange());
    ++use_count_[x->var];
    ExprPtr e = x;
    const int n = static_cast<int>(rng_.UniformInt(2, 4));
    for (int i = 0; i < n; ++i) {
      e = Unary(e);
      if (rng_.Bernoulli(0.2)) e = Binary(e, Literal());
      if (i + 1 < n) e = MaybeAssign(e);
    }
    return {e};
  }

  Exprs Branch() {
    const TensorType t = Type(RandomShape(1, 3));
    ExprPtr x = AddArg(t, ArgRange());
    ExprPtr y = AddArg(t, ArgRange());
    if (rng_.Bernoulli(0.5)) {
      ExprPtr cond = rng_.Bernoulli(0.5) ? CompareWithThreshold(Elementwise(t, 1))
                                         : Compare(Elementwise(t, 1), Elementwise(t, 1));
      ExprPtr on = Elementwise(t, Depth());
      ExprPtr off = rng_.Bernoulli(0.2) ? Lit(0.0) : Elementwise(t, Depth());
      return {Anchor(Op(OpId::kWhere, {MaybeAssign(cond), on, off}), t)};
    }
    ExprPtr pred = ScalarPredicate(t);
    Exprs operands = rng_.Bernoulli(0.7) ? Exprs{x, y} : Exprs{x};
    return Cond(pred, operands, [&](const Exprs& params, int) {
      return Exprs{Reading(ElementwiseResult(params[0]->type, Depth()), params[0])};
    });
  }

  Exprs Loop() {
    const TensorType t = Type(RandomShape(1, 2));
    if (rng_.Bernoulli(0.5)) {
      ExprPtr x = AddArg(t, ArgRange());
      Exprs init = {x};
      if (rng_.Bernoulli(0.4)) init.push_back(AddArg(t, ArgRange()));
      if (rng_.Bernoulli(0.4)) AddArg(t, ArgRange());  // a loop-invariant operand
      Exprs out = ForiLoop(init, [&](const Exprs& p) {
        ExprPtr index;
        if (rng_.Bernoulli(0.4)) {
          // Use the loop index as a float.
          OpAttrs cast;
          cast.to = dtype_;
          index = Assign(Op(OpId::kMul, {Op(OpId::kAsType, {p[0]}, cast), Lit(0.1)}));
        }
        Exprs next;
        for (size_t i = 1; i < p.size(); ++i) {
          ExprPtr e = Reading(ElementwiseResult(p[i]->type, Depth()), p[i]);
          if (index && i == 1) e = Reading(e, index);
          next.push_back(e);
        }
        return next;
      });
      if (rng_.Bernoulli(0.4)) return {RandomReduce(out[0])};
      return out;
    }
    const int64_t steps = rng_.UniformInt(2, static_cast<int64_t>(policy_.Get("loop.max_trip_count")));
    Shape xs_shape = t.shape;
    xs_shape.insert(xs_shape.begin(), steps);
    ExprPtr h = AddArg(t, ArgRange());
    ExprPtr xs = AddArg(Type(xs_shape), ArgRange());
    ++use_count_[xs->var];
    Exprs out = Scan({h}, xs, [&](const Exprs& p) {
      ExprPtr carry = Reading(Reading(ElementwiseResult(t, Depth()), p[0]), p[1]);
      ExprPtr y;
      if (rng_.Bernoulli(0.5)) {
        carry = Assign(KeepWithin(carry, p[0]->range));
        y = carry;
      } else {
        y = Elementwise(t, 2);
      }
      if (rng_.Bernoulli(0.3)) y = Reduce(OpId::kSum, y, {}, false);
      return Exprs{carry, Anchor(y, y->type)};
    });
    return rng_.Bernoulli(0.5) ? out : Exprs{out.back()};
  }

  Exprs Reduction() {
    const int variant = static_cast<int>(rng_.Below(3));
    if (variant == 0) {
      // Dot products, spelled either way.
      const TensorType t = Type({kDims[rng_.Below(kDims.size())] * 2});
      ExprPtr x = Perturb(AddArg(t, ArgRange()));
      ExprPtr y = Perturb(AddArg(t, ArgRange()));
      ExprPtr dot = rng_.Bernoulli(0.5) ? TryOp(OpId::kDot, {x, y}) : nullptr;
      if (!dot) dot = Reduce(OpId::kSum, MaybeAssign(Binary(x, y)), {}, false);
      return {rng_.Bernoulli(0.3) ? Unary(dot) : dot};
    }
    if (variant == 1) {
      // Matrix products followed by a reduction or an elementwise epilogue.
      const Shape a = RandomShape(2, 2);
      const int64_t n = kDims[rng_.Below(kDims.size())];
      ExprPtr lhs = AddArg(Type(a), ArgRange());
      ExprPtr rhs = AddArg(Type(rng_.Bernoulli(0.3) ? Shape{a[1]} : Shape{a[1], n}), ArgRange());
      ExprPtr prod = rng_.Bernoulli(0.5) ? Op(OpId::kMatmul, {lhs, rhs}) : Op(OpId::kDot, {lhs, rhs});
      if (!InBudget(prod)) prod = Op(prod->op, {Bound(lhs), Bound(rhs)});
      prod = MaybeAssign(prod);
      if (rng_.Bernoulli(0.5)) return {RandomReduce(prod)};
      return {Unary(prod)};
    }
    const TensorType t = Type(RandomShape(1, 3));
    AddArg(t, ArgRange());
    if (rng_.Bernoulli(0.5)) AddArg(t, ArgRange());
    ExprPtr e = MaybeAssign(ElementwiseResult(t, Depth()));
    Exprs results = {RandomReduce(e)};
    if (rng_.Bernoulli(0.4)) results.push_back(RandomReduce(e));
    return results;
  }

  Exprs VectorAlgebra() {
    const bool batched = rng_.Bernoulli(0.5);
    const TensorType t = Type(batched ? Shape{kDims[rng_.Below(kDims.size())], 3} : Shape{3});
    constexpr std::array<Interval, 2> kPositive = {Interval{0.5, 2}, Interval{1, 3}};
    ExprPtr a = AddArg(t, rng_.Bernoulli(0.6) ? kPositive[rng_.Below(2)] : ArgRange());
    ExprPtr b = AddArg(t, rng_.Bernoulli(0.6) ? kPositive[rng_.Below(2)] : ArgRange());
    ++use_count_[a->var];
    ++use_count_[b->var];
    OpAttrs last_axis;
    last_axis.axes = {-1};
    last_axis.keepdims = batched;
    Exprs results;
    const int variant = static_cast<int>(rng_.Below(4));
    if (variant == 0) {
      results.push_back(Op(OpId::kCross, {Perturb(a), Perturb(b)}));
    } else if (variant == 1) {
      results.push_back(batched ? Op(OpId::kSum, {Op(OpId::kMul, {a, b})}, [] {
        OpAttrs s;
        s.axes = {-1};
        return s;
      }())
                                : Op(OpId::kDot, {a, b}));
    } else if (variant == 2) {
      // normalize(a), guarded when the norm can reach zero
      ExprPtr norm = MaybeAssign(Op(OpId::kNorm, {a}, last_axis));
      ExprPtr unit = TryOp(OpId::kDiv, {a, norm});
      results.push_back(unit ? unit : Op(OpId::kDiv, {a, Op(OpId::kAdd, {norm, Lit(1.0)})}));
    } else {
      ExprPtr c = MaybeAssign(Op(OpId::kCross, {Perturb(a), Perturb(b)}));
      results.push_back(Op(OpId::kNorm, {c}, last_axis));
      if (!batched && rng_.Bernoulli(0.5)) results.push_back(Op(OpId::kDot, {Bound(a), Bound(b)}));
    }
    if (results.back()->type.rank() > 0 && rng_.Bernoulli(0.3)) results.back() = Unary(results.back());
    if (variant == 1 && batched == false && rng_.Bernoulli(0.5)) {
      results.push_back(Op(OpId::kCross, {a, b}));
    }
    return results;
  }

  Exprs MultiStatement() {
    const TensorType t = Type(RandomShape(2, 3));
    AddArg(t, ArgRange());
    AddArg(t, ArgRange());
    if (rng_.Bernoulli(0.5)) AddArg(Type({t.shape.back()}), ArgRange());
    if (rng_.Bernoulli(0.3)) AddArg(Type({}), ArgRange());
    const int n = static_cast<int>(rng_.UniformInt(3, 6));
    Exprs temps;
    for (int i = 0; i < n; ++i) {
      const double r = rng_.UniformDouble();
      if (r < 0.2 && !temps.empty() && temps.back()->type.rank() > 0) {
        temps.push_back(Assign(RandomReduce(temps.back())));
      } else {
        ExprPtr e = ElementwiseResult(t, static_cast<int>(rng_.UniformInt(1, 3)));
        temps.push_back(Assign(e->kind == Expr::Kind::kVar ? Unary(e) : e));
      }
    }
    Exprs results = {temps.back()};
    if (rng_.Bernoulli(0.4) && temps.size() > 1) results.push_back(temps[temps.size() - 2]);
    return results;
  }

  Exprs NestedBranch() {
    const TensorType t = Type(RandomShape(1, 2));
    ExprPtr x = AddArg(t, ArgRange());
    ExprPtr y = AddArg(t, ArgRange());
    return Cond(ScalarPredicate(t), {x, y}, [&](const Exprs& p, int which) {
      if (which == 0 || rng_.Bernoulli(0.5)) {
        return Cond(ScalarPredicate(t), p, [&](const Exprs& q, int) {
          return Exprs{Reading(ElementwiseResult(q[0]->type, Depth()), q[0])};
        });
      }
      ExprPtr cond = CompareWithThreshold(Elementwise(t, 1));
      return Exprs{Anchor(Op(OpId::kWhere, {cond, Elementwise(t, 2), Elementwise(t, 2)}), t)};
    });
  }

  Exprs Compound() {
    const TensorType t = Type(RandomShape(1, 2));
    ExprPtr x = AddArg(t, ArgRange());
    AddArg(t, ArgRange());
    const int variant = static_cast<int>(rng_.Below(3));
    Exprs out;
    if (variant == 0) {
      // A loop whose body branches.
      out = ForiLoop({x}, [&](const Exprs& p) {
        return Cond(ScalarPredicate(t), {p[1]}, [&](const Exprs& q, int) {
          return Exprs{Reading(ElementwiseResult(q[0]->type, Depth()), q[0])};
        });
      });
    } else if (variant == 1) {
      // A branch whose arms loop.
      out = Cond(ScalarPredicate(t), {x}, [&](const Exprs& q, int which) {
        if (which == 1 && rng_.Bernoulli(0.5)) return Exprs{ElementwiseResult(t, Depth())};
        return ForiLoop(q, [&](const Exprs& p) {
          return Exprs{Reading(ElementwiseResult(t, Depth()), p[1])};
        });
      });
    } else {
      // A scan with a where inside, then a reduction.
      const int64_t steps = rng_.UniformInt(2, static_cast<int64_t>(policy_.Get("loop.max_trip_count")));
      Shape xs_shape = t.shape;
      xs_shape.insert(xs_shape.begin(), steps);
      ExprPtr xs = AddArg(Type(xs_shape), ArgRange());
      ++use_count_[xs->var];
      out = Scan({x}, xs, [&](const Exprs& p) {
        ExprPtr cond = CompareWithThreshold(p.back());
        ExprPtr c = Op(OpId::kWhere, {cond, Elementwise(t, 2), Elementwise(t, 2)});
        return Exprs{Anchor(c, t), Reduce(OpId::kMean, p[0], {}, false)};
      });
    }
    Exprs results = {RandomReduce(out[0])};
    if (rng_.Bernoulli(0.5)) results.push_back(out.back());
    return results;
  }

  const Policy& policy_;
  Rng rng_;
  ir::Program program_;
  std::vector<Frame> frames_;
  std::set<std::string> used_names_;
  std::map<std::string, int> use_count_;
  size_t arg_scheme_ = 0;
  size_t arg_count_ = 0;
  std::string temp_prefix_;
  int temp_count_ = 0;
  size_t branch_names_ = 0;
  double temps_probability_ = 0;
  DType dtype_ = DType::kFloat32;
  double budget_ = 1e4;
};

}  // namespace

std::vector<std::string> FamilyNames() { return {kFamilies.begin(), kFamilies.end()}; }

Generator::Generator(Policy policy, uint64_t seed) : policy_(std::move(policy)), seed_(seed) {}

Result<Sample> Generator::Generate(uint64_t index) const {
  Rng rng(seed_, index);
  std::array<double, kFamilies.size()> w{};
  for (size_t i = 0; i < kFamilies.size(); ++i) w[i] = policy_.Weight("family.", kFamilies[i]);
  const std::string_view family = kFamilies[rng.PickWeighted(w)];
  return Generate(index, family);
}

Result<Sample> Generator::Generate(uint64_t index, std::string_view family) const {
  Rng rng = Rng(seed_, index).Split("program");
  Builder builder(policy_, rng);
  ASSIGN_OR_RETURN(ir::Program program, builder.Build(family));
  RETURN_IF_ERROR(ir::Verify(program));
  Sample s;
  s.python = emit::EmitPython(program);
  s.entry = program.entry_function().name;
  s.args = program.entry_function().params;
  s.outputs = ir::ResultTypes(program);
  s.program = std::move(program);
  return s;
}

}  // namespace jitsynth::synth
