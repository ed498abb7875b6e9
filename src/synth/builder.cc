#include "synth/builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace jitsynth::synth::detail {

using ir::DType;
using ir::Expr;
using ir::ExprPtr;
using ir::Interval;
using ir::OpAttrs;
using ir::OpId;
using ir::Shape;
using ir::TensorType;
using ir::Var;

namespace {

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
constexpr std::array<std::string_view, 3> kKeyNames = {"key", "rng", "prng_key"};
constexpr std::array<int64_t, 10> kDims = {2, 3, 4, 5, 6, 7, 8, 10, 12, 16};
constexpr std::array<Interval, 5> kFloatRanges = {
    Interval{-2, 2}, Interval{-1, 1}, Interval{0.5, 2}, Interval{-3, 3}, Interval{0, 1}};
constexpr std::array<double, 9> kFloatLiterals = {0.5, 2.0, 3.0, 0.1, 0.25, 1.5, 0.01, 10.0, 4.0};

// A temporary's name when names describe what the value is.
std::string_view DescriptiveBase(const Expr& e) {
  if (e.kind == Expr::Kind::kCall) return "out";
  switch (ir::Info(e.op).group) {
    case ir::OpGroup::kMath:
      return "h";
    case ir::OpGroup::kCompare:
      return "mask";
    case ir::OpGroup::kBitwise:
      return "bits";
    case ir::OpGroup::kCast:
      return "cast";
    case ir::OpGroup::kReduce:
      return "total";
    case ir::OpGroup::kSequence:
      return "ranked";
    case ir::OpGroup::kShape:
      return "view";
    case ir::OpGroup::kIndex:
      return "picked";
    case ir::OpGroup::kLinalg:
      return "prod";
    case ir::OpGroup::kWindow:
      return "feat";
    case ir::OpGroup::kNN:
      return "probs";
    case ir::OpGroup::kConstant:
      return "base";
    case ir::OpGroup::kRandom:
      return "noise";
  }
  return "tmp";
}

double NiceFloor(double x) { return std::floor(x * 10) / 10; }
double NiceCeil(double x) { return std::ceil(x * 10) / 10; }

void CollectReads(const ExprPtr& e, std::unordered_set<std::string>& reads) {
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
    std::unordered_set<std::string> reads;
    for (const ir::Function& f : program.functions) {
      for (const ir::Stmt& s : f.body) {
        CollectReads(s.value, reads);
        CollectReads(s.pred, reads);
        CollectReads(s.dynamic_upper, reads);
        for (const ExprPtr& o : s.operands) CollectReads(o, reads);
      }
      for (const ExprPtr& r : f.results) CollectReads(r, reads);
    }
    for (ir::Function& f : program.functions) {
      const size_t before = f.body.size();
      std::erase_if(f.body, [&](const ir::Stmt& s) {
        return s.kind == ir::Stmt::Kind::kAssign && reads.count(s.targets[0].name) == 0;
      });
      changed |= f.body.size() != before;
    }
    if (!changed) {
      std::erase_if(program.functions[program.entry].params,
                    [&](const Var& v) { return reads.count(v.name) == 0; });
    }
  }
}

bool UsesFloat64(const ExprPtr& e) {
  if (!e) return false;
  if (e->type.dtype == DType::kFloat64) return true;
  return std::any_of(e->args.begin(), e->args.end(),
                     [](const ExprPtr& a) { return UsesFloat64(a); });
}

bool UsesFloat64(const ir::Program& program) {
  for (const ir::Function& f : program.functions) {
    for (const Var& p : f.params) {
      if (p.type.dtype == DType::kFloat64) return true;
    }
    for (const ir::Stmt& s : f.body) {
      if (UsesFloat64(s.value) || UsesFloat64(s.pred) || UsesFloat64(s.dynamic_upper)) return true;
      for (const ExprPtr& o : s.operands) {
        if (UsesFloat64(o)) return true;
      }
    }
    for (const ExprPtr& r : f.results) {
      if (UsesFloat64(r)) return true;
    }
  }
  return false;
}

constexpr std::array<std::string_view, 8> kEntryNames = {
    "kernel", "f", "fn", "compute", "forward", "apply", "transform", "program"};

}  // namespace

Knobs::Knobs(const Policy& p) {
  for (const ir::OpInfo& op : ir::AllOps())
    op_weight[static_cast<size_t>(op.id)] = p.Weight("op.", op.name);
  for (size_t i = 0; i < kFamilyTable.size(); ++i)
    family_weight[i] = p.Weight("family.", kFamilyTable[i].name);
  for (size_t i = 0; i < kFloatDTypes.size(); ++i)
    float_weight[i] = p.Weight("dtype.", ir::NumpyName(kFloatDTypes[i]));
  for (size_t i = 0; i < kIntDTypes.size(); ++i)
    int_weight[i] = p.Weight("dtype.", ir::NumpyName(kIntDTypes[i]));
  auto count = [&p](std::string_view key) { return static_cast<int>(p.Get(key)); };
  max_rank = count("shape.max_rank");
  max_elements = count("shape.max_elements");
  max_dim = count("shape.max_dim");
  max_args = count("shape.max_args");
  max_depth = count("expr.max_depth");
  max_ops = count("expr.max_ops");
  control_depth = count("control.max_depth");
  max_trip = count("control.max_trip_count");
  leaf_p = p.Get("expr.leaf_probability");
  literal_p = p.Get("expr.literal_probability");
  dynamic_fori_p = p.Get("control.dynamic_fori");
  scan_reverse_p = p.Get("control.scan_reverse");
  nested_p = p.Get("control.nested");
  temporaries_p = p.Get("style.temporaries");
  docstring_p = p.Get("style.docstring");
  alt_spelling_p = p.Get("style.alt_spelling");
  typed_literal_p = p.Get("style.typed_literal");
  unused_weight = p.Get("leaf.unused_weight");
  closure_weight = p.Get("leaf.closure_weight");
  read_same_type_weight = p.Get("read.same_type_weight");
  read_same_dtype_weight = p.Get("read.same_dtype_weight");
  body_same_dtype_weight = p.Get("read.body_same_dtype_weight");
  for (std::array<double, kNumGroups>& scales : focus) {
    for (const GroupScale& g : kBaselineFocus)
      scales[static_cast<size_t>(g.group)] = p.Weight("focus.", ir::GroupName(g.group));
  }
  for (const FocusScale& f : kFamilyFocus) {
    const FamilyInfo& info = kFamilyTable[static_cast<size_t>(f.family)];
    focus[static_cast<size_t>(f.family)][static_cast<size_t>(f.group)] =
        p.Get(fmt::format("family_{}.focus_{}", info.name, ir::GroupName(f.group)));
  }
  for (size_t i = 0; i < kChoiceTable.size(); ++i) choice[i] = p.Get(kChoiceTable[i].key);
}

Builder::Builder(const Knobs& knobs, Rng rng)
    : knobs_(knobs), rng_(rng), work_limit_(WorkLimit(knobs.max_ops)) {}

ir::Program Builder::Build(Family family) {
  const FamilyInfo& info = kFamilyTable[static_cast<size_t>(family)];
  program_.category = std::string(info.name);
  arg_scheme_ = rng_.Below(kArgSchemes.size());
  temp_prefix_ = kTempPrefixes[rng_.Below(kTempPrefixes.size())];
  descriptive_names_ = Chance(Choice::kDescriptiveNames);
  branch_names_ = rng_.Below(kCondNameSchemes);
  temps_probability_ = rng_.Bernoulli(knobs_.temporaries_p) ? P(Choice::kTemporaryEach) : 0.0;
  fdt_ = kFloatDTypes[rng_.PickWeighted(knobs_.float_weight)];
  idt_ = kIntDTypes[rng_.PickWeighted(knobs_.int_weight)];
  x64_ = fdt_ == DType::kFloat64;
  ops_left_ = knobs_.max_ops;
  nested_p_ = knobs_.nested_p;
  DrawGuardHabits();
  Focus(family);
  // Fresh: the entry's name is reserved, so no argument or temporary shadows it.
  Begin(Fresh(kEntryNames[rng_.Below(kEntryNames.size())]), ir::Function::Role::kEntry, {});
  const bool docstring = rng_.Bernoulli(knobs_.docstring_p);
  Exprs results = (this->*kFamilyBuilders[static_cast<size_t>(family)])();
  End(std::move(results));
  RemoveDeadCode(program_);
  if (docstring) {
    const auto built = std::find_if(kFamilyTable.begin(), kFamilyTable.end(),
                                    [&](const FamilyInfo& f) { return f.name == program_.category; });
    program_.functions[program_.entry].docstring = Docstring(built != kFamilyTable.end() ? *built : info);
  }
  program_.differentiable = differentiable_;
  program_.needs_x64 = UsesFloat64(program_);
  return std::move(program_);
}

std::string Builder::Docstring(const FamilyInfo& family) {
  std::string summary(family.description);
  summary[0] = static_cast<char>(std::toupper(summary[0]));
  switch (Pick({Choice::kDocSummary, Choice::kDocGeneric, Choice::kDocArgs})) {
    case 0:
      return summary + ".";
    case 1:
      return fmt::format("A generated {} kernel.", family.name);
    default: {
      const ir::Function& entry = program_.functions[program_.entry];
      std::string doc = summary + ".\n\nArgs:\n";
      for (const Var& p : entry.params) doc += fmt::format("  {}: {}\n", p.name, p.type.ToString());
      doc += "\nReturns:\n";
      for (const ExprPtr& r : entry.results) doc += fmt::format("  {}\n", r->type.ToString());
      return doc;
    }
  }
}

// ---- Names -----------------------------------------------------------------

std::string Builder::Fresh(std::string_view base) {
  std::string name(base);
  for (int n = 1; used_names_.count(name) > 0; ++n) name = fmt::format("{}{}", base, n);
  used_names_.insert(name);
  return name;
}

std::string Builder::ArgName(const TensorType& t) {
  if (t.dtype == DType::kUInt32 && t.shape == Shape{2}) return PickName(kKeyNames);
  const auto& scheme = kArgSchemes[arg_scheme_];
  if (arg_count_ < scheme.size()) return Fresh(scheme[arg_count_++]);
  return Fresh(fmt::format("arg{}", arg_count_++));
}

std::string Builder::TempName(const ExprPtr& value) {
  if (descriptive_names_) return Fresh(DescriptiveBase(*value));
  return Fresh(fmt::format("{}{}", temp_prefix_, temp_count_++));
}

// ---- Functions and scopes --------------------------------------------------

int Builder::Begin(std::string name, ir::Function::Role role, std::vector<Var> params,
                   bool isolated) {
  ir::Function f;
  f.name = std::move(name);
  f.role = role;
  f.params = params;
  program_.functions.push_back(std::move(f));
  const int index = static_cast<int>(program_.functions.size()) - 1;
  frames_.push_back({index, std::move(params), isolated});
  if (role != ir::Function::Role::kEntry && role != ir::Function::Role::kHelper) ++control_depth_;
  return index;
}

void Builder::End(Exprs results) {
  ir::Function& f = program_.functions[frames_.back().function];
  f.results = std::move(results);
  if (f.role != ir::Function::Role::kEntry && f.role != ir::Function::Role::kHelper)
    --control_depth_;
  frames_.pop_back();
}

ir::Function& Builder::Current() { return program_.functions[frames_.back().function]; }

bool Builder::CanAddArgs() const {
  if (std::any_of(frames_.begin(), frames_.end(), [](const Frame& f) { return f.isolated; }))
    return false;
  return static_cast<int>(program_.functions[program_.entry].params.size()) < knobs_.max_args;
}

ExprPtr Builder::VarExpr(const Var& v) { return ir::MakeVar(v.name, v.type, v.range); }

ExprPtr Builder::AddArg(const TensorType& type, Interval range, std::string name) {
  Var v{name.empty() ? ArgName(type) : Fresh(name), type, range};
  program_.functions[program_.entry].params.push_back(v);
  frames_.front().scope.push_back(v);
  return VarExpr(v);
}

void Builder::Define(const Var& v) { frames_.back().scope.push_back(v); }

ExprPtr Builder::Assign(ExprPtr value) {
  Var v{TempName(value), value->type, value->range};
  ir::Stmt s;
  s.kind = ir::Stmt::Kind::kAssign;
  s.targets = {v};
  s.value = std::move(value);
  Current().body.push_back(std::move(s));
  Define(v);
  return VarExpr(v);
}

ExprPtr Builder::MaybeAssign(ExprPtr value) {
  if (value->kind == Expr::Kind::kOp && rng_.Bernoulli(temps_probability_))
    return Assign(std::move(value));
  return value;
}

Exprs Builder::Instead(Family family) {
  program_.category = std::string(kFamilyTable[static_cast<size_t>(family)].name);
  return (this->*kFamilyBuilders[static_cast<size_t>(family)])();
}

// ---- Types -------------------------------------------------------------------

int64_t Builder::Dim() {
  int64_t d = kDims[rng_.Below(kDims.size())];
  while (d > knobs_.max_dim && d > 1) d /= 2;
  return d;
}

Shape Builder::RandomShape(int min_rank, int max_rank) {
  max_rank = std::min(max_rank, knobs_.max_rank);
  const int rank = static_cast<int>(rng_.UniformInt(min_rank, std::max(min_rank, max_rank)));
  Shape shape;
  int64_t elements = 1;
  for (int i = 0; i < rank; ++i) {
    int64_t d = Dim();
    while (d > 1 && elements * d > knobs_.max_elements) d /= 2;
    shape.push_back(d);
    elements *= d;
  }
  return shape;
}

bool Builder::Fits(const Shape& s) const {
  return static_cast<int>(s.size()) <= knobs_.max_rank &&
         ir::NumElements(s) <= knobs_.max_elements &&
         std::all_of(s.begin(), s.end(), [this](int64_t d) { return d >= 1 && d <= knobs_.max_dim; });
}

Interval Builder::ArgRange(DType t) {
  switch (t) {
    case DType::kFloat32:
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kFloat64:
      return kFloatRanges[Pick({Choice::kFloatRangeSym2, Choice::kFloatRangeUnit, Choice::kFloatRangePositive,
                                Choice::kFloatRangeSym3, Choice::kFloatRangeUnitInterval})];
    case DType::kBool:
      return {0, 1};
    case DType::kUInt32:
      return ir::ValueBudget(t);  // keys: any bits
    case DType::kUInt8:
      return Chance(Choice::kUInt8WideRange) ? Interval{0, 255} : Interval{0, 15};
    case DType::kInt8:
      return Chance(Choice::kInt8WideRange) ? Interval{-128, 127} : Interval{-8, 8};
    case DType::kInt32:
      return Chance(Choice::kInt32WideRange) ? Interval{-100, 100} : Interval{0, 10};
  }
  return Chance(Choice::kInt32WideRange) ? Interval{-100, 100} : Interval{0, 10};
}

double Builder::Budget(DType t) const { return ir::MagnitudeBudget(t); }

// ---- Expressions ---------------------------------------------------------------

int Builder::Depth() { return static_cast<int>(rng_.UniformInt(2, std::max(2, knobs_.max_depth))); }

ExprPtr Builder::Literal(DType t) {
  double v = 0;
  if (ir::IsFloat(t))
    v = kFloatLiterals[rng_.Below(kFloatLiterals.size())];
  else if (t == DType::kBool)
    v = static_cast<double>(rng_.Below(2));
  else
    v = static_cast<double>(rng_.UniformInt(1, 5));
  return ir::MakeLiteral(v, t, !rng_.Bernoulli(knobs_.typed_literal_p));
}

ExprPtr Builder::Op(OpId op, Exprs args, OpAttrs attrs) {
  // The builder only asks for applications it has typed itself.
  auto r = ir::MakeOp(op, std::move(args), std::move(attrs));
  if (!r.ok()) {
    fmt::print(stderr, "jitsynth: generator bug: {}\n", r.status().message());
    std::abort();
  }
  return std::move(r).value();
}

bool Builder::InBudget(const ExprPtr& e) const {
  if (!std::isfinite(e->range.lo) || !std::isfinite(e->range.hi)) return false;
  return !ir::IsFloat(e->type.dtype) || e->range.MaxAbs() <= Budget(e->type.dtype);
}

void Builder::PickSpelling(Expr& e) {
  const ir::OpInfo& info = ir::Info(e.op);
  const int n = info.spelling_count();
  if (n < 2 || !rng_.Bernoulli(knobs_.alt_spelling_p)) return;
  std::vector<TensorType> types;
  for (const ExprPtr& a : e.args) types.push_back(a->type);
  const int variant = 1 + static_cast<int>(rng_.Below(n - 1));
  if (ir::SpellingApplies(e.op, variant, types, e.attrs, e.type)) e.spelling = variant;
}

ExprPtr Builder::Clip(ExprPtr x, double lo, double hi) {
  OpAttrs attrs;
  if (!ir::IsFloat(x->type.dtype)) {
    lo = std::ceil(lo);
    hi = std::floor(hi);
  }
  attrs.reals = {lo, hi};
  return Op(OpId::kClip, {std::move(x)}, std::move(attrs));
}

// A literal needs no guard expression: its value moves into the domain.
ExprPtr Builder::GuardLiteral(const ExprPtr& a, ir::Domain domain, const Interval& bounds) {
  double v = a->literal;
  switch (domain) {
    case ir::Domain::kPositive:
      v = std::fabs(v) + 1;
      break;
    case ir::Domain::kNonZero:
      if (std::fabs(v) < 1) v = v < 0 ? v - 1 : v + 1;
      break;
    case ir::Domain::kNonNegative:
    case ir::Domain::kAboveMinusOne:
      v = std::fabs(v);
      break;
    case ir::Domain::kAny:
    case ir::Domain::kExpSafe:
    case ir::Domain::kSmall:
    case ir::Domain::kTan:
    case ir::Domain::kUnit:
    case ir::Domain::kOpenUnit:
    case ir::Domain::kShift:
    case ir::Domain::kInBounds:
    case ir::Domain::kStaticIndex:
    case ir::Domain::kCastable:
      v = std::clamp(v, bounds.lo, bounds.hi);
      if (!ir::IsFloat(a->type.dtype)) v = std::ceil(v);
      break;
  }
  return ir::MakeLiteral(v, a->type.dtype, a->type.weak);
}

ExprPtr Builder::GuardExpr(const ExprPtr& a, ir::Domain domain, const Interval& bounds, bool habit) {
  const DType t = a->type.dtype;
  switch (domain) {
    case ir::Domain::kPositive:
    case ir::Domain::kNonZero:
      if (!ir::IsFloat(t)) return Op(OpId::kMaximum, {a, Lit(1, t)});
      return Positive(a, domain, habit);
    case ir::Domain::kNonNegative:
    case ir::Domain::kAboveMinusOne:
      if (!ir::IsFloat(t)) return Op(OpId::kAbs, {a});
      return NonNegative(a, habit);
    case ir::Domain::kShift:
      return Op(OpId::kBitwiseAnd, {a, Lit(8.0 * ir::ByteSize(t) - 1, t)});
    case ir::Domain::kStaticIndex:
    case ir::Domain::kAny:
      return nullptr;
    case ir::Domain::kUnit:
    case ir::Domain::kExpSafe:
    case ir::Domain::kSmall:
    case ir::Domain::kTan:
    case ir::Domain::kOpenUnit:
      // A float bounded on both sides (exp's arguments from above only) in the program's habit.
      if (ir::IsFloat(t) && habit) return Squash(a, std::min(-bounds.lo, bounds.hi));
      break;
    case ir::Domain::kInBounds:
    case ir::Domain::kCastable:
      break;
  }
  double lo = std::max(bounds.lo, NiceFloor(a->range.lo));
  const double hi = std::min(bounds.hi, NiceCeil(a->range.hi));
  if (lo > hi) lo = std::max(bounds.lo, hi - 1);
  return Clip(a, lo, hi);
}

ExprPtr Builder::Guard(OpId op, const Exprs& args, const OpAttrs& attrs) {
  const ir::OpInfo& info = ir::Info(op);
  std::vector<TensorType> types;
  for (const ExprPtr& a : args) types.push_back(a->type);
  const Interval bounds = ir::DomainInterval(op, types, attrs);
  // The program's habit first; where it leaves the budget or the domain, the plain guard.
  for (const bool habit : {true, false}) {
    Exprs guarded = args;
    ExprPtr& a = guarded[info.domain_arg];
    a = a->kind == Expr::Kind::kLiteral ? GuardLiteral(a, info.domain, bounds)
                                        : GuardExpr(a, info.domain, bounds, habit);
    if (!a || !InBudget(a) || !InBudgetAbove(a, args[info.domain_arg])) continue;
    auto r = ir::MakeOp(op, std::move(guarded), attrs);
    if (!r.ok() || !ir::DomainHolds(**r) || !InBudget(*r)) continue;
    // A habit's epsilon may be small (1e-6): its result must leave room for the ops
    // around it, which the plain guard (eps 1) always did.
    if (habit && ir::IsFloat((*r)->type.dtype) && (*r)->range.MaxAbs() > Budget((*r)->type.dtype) / 16) continue;
    return std::move(r).value();
  }
  return nullptr;
}

ExprPtr Builder::TryOp(OpId op, Exprs args, OpAttrs attrs) {
  auto r = ir::MakeOp(op, args, attrs);
  if (!r.ok()) return nullptr;
  ExprPtr e = std::move(r).value();
  if (!ir::DomainHolds(*e)) e = Guard(op, args, attrs);
  if (!e || !InBudget(e)) return nullptr;
  std::vector<TensorType> types;
  for (const ExprPtr& a : e->args) types.push_back(a->type);
  if (!ir::SpellingApplies(op, 0, types, e->attrs, e->type) ||
      (x64_ && ir::DependsOnX64(op, types))) {
    return nullptr;
  }
  // Fresh from MakeOp and not yet shared: the spelling is the builder's to set.
  PickSpelling(*std::const_pointer_cast<Expr>(e));
  return e;
}

ExprPtr Builder::Bound(ExprPtr e, double limit) {
  if (!ir::IsFloat(e->type.dtype) || e->range.MaxAbs() <= limit) return e;
  if (e->kind == Expr::Kind::kLiteral) return KeepWithin(e, {-limit, limit});
  return Squash(std::move(e), limit);
}

ExprPtr Builder::KeepWithin(ExprPtr e, const Interval& range) {
  if (e->range.Within(range) || e->type.dtype == DType::kBool) return e;
  if (e->kind == Expr::Kind::kLiteral) {
    const bool integral = !ir::IsFloat(e->type.dtype);
    const double lo = integral ? std::ceil(range.lo) : range.lo;
    const double hi = integral ? std::floor(range.hi) : range.hi;
    return ir::MakeLiteral(std::clamp(e->literal, lo, hi), e->type.dtype, e->type.weak);
  }
  if (!ir::IsFloat(e->type.dtype)) return Clip(std::move(e), range.lo, range.hi);
  if (range.lo <= -1 && range.hi >= 1) return Squash(std::move(e), 1.0);
  const double lo = std::max(range.lo, -1.0);
  const double hi = std::min(range.hi, 1.0);
  if (lo >= hi) return Op(OpId::kTanh, {e});
  return Clip(std::move(e), lo, hi);
}

ExprPtr Builder::Refine(const ExprPtr& e, const Interval& range) {
  auto narrowed = std::make_shared<Expr>(*e);
  narrowed->range = range;
  return narrowed;
}

OpId Builder::PickOp(std::span<const OpId> ops) {
  std::vector<double> w;
  double total = 0;
  for (const OpId op : ops) total += w.emplace_back(knobs_.op_weight[static_cast<size_t>(op)]);
  return ops[total > 0 ? rng_.PickWeighted(w) : 0];
}

ExprPtr Builder::Combine(ExprPtr a, ExprPtr b) {
  static constexpr std::array kFloatOps = {OpId::kAdd, OpId::kMul, OpId::kSub, OpId::kMaximum,
                                           OpId::kMinimum};
  static constexpr std::array kIntOps = {OpId::kAdd, OpId::kSub, OpId::kBitwiseXor, OpId::kMaximum};
  static constexpr std::array kBoolOps = {OpId::kLogicalOr, OpId::kLogicalAnd, OpId::kBitwiseAnd,
                                          OpId::kBitwiseOr};
  const DType t = a->type.dtype;
  if (a->kind == Expr::Kind::kVar && b->kind == Expr::Kind::kVar && a->var == b->var)
    b = Unary(b);  // not x - x
  if (Chance(Choice::kCombineSwap)) std::swap(a, b);
  if (t == DType::kBool) return Op(PickOp(kBoolOps), {a, b});
  if (!ir::IsFloat(t)) return Op(PickOp(kIntOps), {a, b});
  const OpId op = PickOp(kFloatOps);
  if (ExprPtr e = TryOp(op, {a, b})) return e;
  return Op(OpId::kAdd, {Bound(a), Bound(b)});
}

ExprPtr Builder::Unary(ExprPtr x) {
  const DType t = x->type.dtype;
  if (t == DType::kBool) return Op(OpId::kLogicalNot, {x});
  std::vector<OpId> ops;
  std::vector<double> w;
  for (const ir::OpInfo& info : ir::AllOps()) {
    if (info.group != ir::OpGroup::kMath || info.arity != 1 ||
        info.shape_rule != ir::ShapeRule::kSame || info.id == OpId::kClip ||
        info.id == OpId::kIntegerPow) {
      continue;
    }
    if (info.dtype_rule == ir::DTypeRule::kFloat && !ir::IsFloat(t)) continue;
    const double weight = knobs_.op_weight[static_cast<size_t>(info.id)];
    if (weight <= 0) continue;
    ops.push_back(info.id);
    w.push_back(weight);
  }
  for (size_t attempt = 0; attempt < 4 && !ops.empty(); ++attempt) {
    const size_t i = rng_.PickWeighted(w);
    if (ExprPtr e = TryOp(ops[i], {x})) return e;
    w[i] = 0;
    if (std::none_of(w.begin(), w.end(), [](double v) { return v > 0; })) break;
  }
  return ir::IsFloat(t) ? Op(OpId::kTanh, {Bound(x, 6)}) : Op(OpId::kNeg, {x});
}

bool Builder::ReadsVariable(const Expr& e, const std::string* name) {
  if (e.kind == Expr::Kind::kVar) return name == nullptr || e.var == *name;
  return std::any_of(e.args.begin(), e.args.end(),
                     [name](const ExprPtr& a) { return ReadsVariable(*a, name); });
}

ExprPtr Builder::Conform(ExprPtr e, const TensorType& t) {
  if (e->type.dtype != t.dtype) {
    OpAttrs cast;
    cast.to = t.dtype;
    e = TryOp(OpId::kAsType, {e}, cast);
    if (!e) return Leaf(t, false);
  }
  auto b = ir::BroadcastShapes(e->type.shape, t.shape);
  if (!b.ok() || *b != t.shape)
    e = Reduce(ir::IsFloat(t.dtype) ? OpId::kMean : OpId::kMax, e, {}, false);
  return e;
}

ExprPtr Builder::Fit(ExprPtr e, const TensorType& t) {
  e = Conform(std::move(e), t);
  if (e->type.shape == t.shape) return e;
  OpAttrs to;
  to.shape = t.shape;
  return Op(OpId::kBroadcastTo, {e}, std::move(to));
}

ExprPtr Builder::Reading(ExprPtr e, const ExprPtr& must) {
  if (ReadsVariable(*e, &must->var)) return e;
  ++use_count_[must->var];
  ExprPtr read = Conform(must, e->type);
  return Combine(std::move(e), std::move(read));
}

ExprPtr Builder::ReadAny(const TensorType& t) {
  std::vector<Var> vars;
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
    for (const Var& v : it->scope) {
      if (v.type.dtype != DType::kUInt32) vars.push_back(v);  // not keys
    }
    if (it->isolated) break;
  }
  if (vars.empty()) return nullptr;
  std::vector<double> w;
  for (const Var& v : vars) {
    w.push_back(v.type == t                ? knobs_.read_same_type_weight
                : v.type.dtype == t.dtype ? knobs_.read_same_dtype_weight
                                          : 1.0);
  }
  const Var& v = vars[rng_.PickWeighted(w)];
  ++use_count_[v.name];
  ExprPtr read = VarExpr(v);
  if (t.dtype == DType::kBool && v.type.dtype != DType::kBool) {
    // Truth from numbers: a comparison, not a cast.
    read = CompareWithThreshold(Conform(read, TensorType{v.type.dtype, t.shape}));
  }
  return Conform(read, t);
}

ExprPtr Builder::Anchor(ExprPtr e) {
  if (ReadsVariable(*e, nullptr)) return e;
  ExprPtr read = ReadAny(e->type);
  return read ? Combine(std::move(e), std::move(read)) : e;
}

int Builder::OpCount(const Expr& e) {
  int n = e.kind == Expr::Kind::kOp || e.kind == Expr::Kind::kCall;
  for (const ExprPtr& a : e.args) n += OpCount(*a);
  return n;
}

ExprPtr Builder::Compute(const TensorType& t, int depth, int min_ops,
                         std::optional<ir::OpGroup> group) {
  ExprPtr e = Anchor(group ? GenIn(t, depth, *group) : Gen(t, depth));
  for (int i = 0; OpCount(*e) < min_ops && i < 4; ++i) {
    e = Chance(Choice::kGrowUnary) ? Unary(e) : Combine(e, Gen(t, std::max(depth - 1, 1), true));
  }
  return e;
}

ExprPtr Builder::Reduce(OpId op, ExprPtr x, std::vector<int> axes, bool keepdims) {
  OpAttrs attrs;
  attrs.axes = std::move(axes);
  attrs.keepdims = keepdims;
  if (ExprPtr e = TryOp(op, {x}, attrs)) return e;
  return Op(x->type.dtype == DType::kBool ? OpId::kAny : OpId::kMax, {x},
            attrs);  // max stays in range
}

ExprPtr Builder::RandomReduce(ExprPtr x) {
  static constexpr std::array kFloatReductions = {OpId::kSum,       OpId::kMean, OpId::kMax,
                                                  OpId::kMin,       OpId::kVar,  OpId::kStd,
                                                  OpId::kLogSumExp, OpId::kNorm};
  static constexpr std::array kIntReductions = {OpId::kSum, OpId::kMax, OpId::kMin};
  const DType t = x->type.dtype;
  OpId op = OpId::kAny;
  if (ir::IsFloat(t))
    op = PickOp(kFloatReductions);
  else if (t != DType::kBool)
    op = PickOp(kIntReductions);
  if (x64_ && op == OpId::kSum && !ir::IsFloat(t)) op = OpId::kMax;
  const int rank = x->type.rank();
  std::vector<int> axes;
  if (rank > 0 && Chance(Choice::kReduceOneAxis)) {
    int axis = static_cast<int>(rng_.Below(rank));
    if (Chance(Choice::kReduceNegativeAxis)) axis -= rank;
    axes.push_back(axis);
  }
  return Reduce(op, std::move(x), std::move(axes), rank > 0 && Chance(Choice::kReduceKeepdims));
}

ExprPtr Builder::CompareWithThreshold(ExprPtr a) {
  static constexpr std::array kCompareOps = {OpId::kGt, OpId::kLt, OpId::kGe, OpId::kLe};
  double t = std::round(rng_.UniformReal(a->range.lo, a->range.hi) * 10) / 10;
  if (!ir::IsFloat(a->type.dtype)) t = std::round(t);
  ExprPtr threshold = Lit(t, a->type.dtype);
  return Op(PickOp(kCompareOps), {std::move(a), std::move(threshold)});
}

ExprPtr Builder::ScalarPredicate(int depth) {
  if (Chance(Choice::kBoolPredicate)) return Anchor(Gen(Bool({}), depth));
  ExprPtr e = Anchor(Gen(Float({}), depth));
  return CompareWithThreshold(e);
}

ExprPtr Builder::SwitchIndex(int branches) {
  if (Chance(Choice::kSwitchIndexArg) && CanAddArgs()) {
    return AddArg(TensorType{DType::kInt32, {}}, {0, static_cast<double>(branches - 1)});
  }
  return Anchor(Gen(TensorType{DType::kInt32, {}}, 2));
}

ExprPtr Builder::Key() {
  const TensorType key_type{DType::kUInt32, {2}};
  std::vector<Var> keys;
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
    for (const Var& v : it->scope) {
      if (v.type == key_type) keys.push_back(v);
    }
    if (it->isolated) break;
  }
  ExprPtr key;
  if (!keys.empty()) {
    key = VarExpr(keys[rng_.Below(keys.size())]);
  } else if (CanAddArgs()) {
    key = AddArg(key_type, ir::ValueBudget(DType::kUInt32));
  } else {
    return nullptr;
  }
  ++use_count_[key->var];
  if (Chance(Choice::kKeyDirect)) return key;
  OpAttrs attrs;
  if (Chance(Choice::kKeySplit)) {
    attrs.count = rng_.UniformInt(2, 4);
    attrs.index = rng_.UniformInt(0, attrs.count - 1);
    return Op(OpId::kSplitKey, {key}, attrs);
  }
  return Op(OpId::kFoldIn, {key, Index(TensorType{DType::kInt32, {}}, 100, true)});
}

ExprPtr Builder::Leaf(const TensorType& t, bool literal_ok) {
  if (t.shape.empty() && literal_ok && rng_.Bernoulli(knobs_.literal_p)) return Literal(t.dtype);
  std::vector<const Var*> vars;
  std::vector<double> w;
  for (size_t depth = 0; depth < frames_.size(); ++depth) {
    const Frame& f = frames_[frames_.size() - 1 - depth];
    for (const Var& v : f.scope) {
      if (v.type != t) continue;
      double weight = 1.0;
      if (!use_count_.contains(v.name)) weight *= knobs_.unused_weight;
      if (depth > 0) weight *= knobs_.closure_weight;
      vars.push_back(&v);
      w.push_back(weight);
    }
    if (f.isolated) break;
  }
  if (!vars.empty() && (!CanAddArgs() || Chance(Choice::kLeafReuse))) {
    const Var& v = *vars[rng_.PickWeighted(w)];
    ++use_count_[v.name];
    return VarExpr(v);
  }
  if (CanAddArgs()) {
    ExprPtr a = AddArg(t, ArgRange(t.dtype));
    ++use_count_[a->var];
    return a;
  }
  // No variable of type t and no room for another argument: derive one from
  // another variable, else a constant.
  if (ExprPtr read = ReadAny(t); read && Chance(Choice::kLeafDerive)) return Fit(read, t);
  if (t.shape.empty()) return ir::MakeLiteral(Literal(t.dtype)->literal, t.dtype, /*weak=*/false);
  OpAttrs attrs;
  attrs.shape = t.shape;
  attrs.to = t.dtype;
  attrs.reals = {Literal(t.dtype)->literal};
  return Op(OpId::kFull, {}, std::move(attrs));
}

ExprPtr Builder::Index(const TensorType& t, int64_t bound, bool literal_ok) {
  const Interval want = {0, static_cast<double>(std::max<int64_t>(bound, 1) - 1)};
  if (literal_ok && t.shape.empty() && Chance(Choice::kIndexLiteral))
    return Lit(want.lo + static_cast<double>(rng_.Below(bound)), t.dtype);
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
    for (const Var& v : it->scope) {
      if (v.type == t && v.range.Within(want) && Chance(Choice::kIndexReuse)) {
        ++use_count_[v.name];
        return VarExpr(v);
      }
    }
    if (it->isolated) break;
  }
  if (CanAddArgs() && Chance(Choice::kIndexArg)) return AddArg(t, want, t.shape.empty() ? "i" : "idx");
  return Gen(t, 1);  // the op's domain guard keeps it in bounds
}

bool Builder::Worthwhile(OpId op, const Exprs& args) {
  const ir::OpGroup group = ir::Info(op).group;
  if (group == ir::OpGroup::kConstant || group == ir::OpGroup::kRandom || args.empty()) return true;
  // Ops over constants fold away in XLA, and x - x or where(z, z, z) teach nothing.
  bool reads = false;
  for (size_t i = 0; i < args.size(); ++i) {
    reads |= ReadsVariable(*args[i], nullptr);
    if (args[i]->kind != Expr::Kind::kVar) continue;
    for (size_t j = i + 1; j < args.size(); ++j) {
      if (args[j]->kind == Expr::Kind::kVar && args[j]->var == args[i]->var) return false;
    }
  }
  return reads;
}

const Builder::Candidates& Builder::CandidatesFor(DType d) {
  Candidates& c = candidates_[static_cast<size_t>(d)];
  if (c.ready) return c;
  c = {true, {}, {}};
  for (const ir::OpInfo& info : ir::AllOps()) {
    const double weight = knobs_.op_weight[static_cast<size_t>(info.id)] *
                          group_scale_[static_cast<size_t>(info.group)];
    if (weight <= 0 || !CanProduce(info.id, d)) continue;
    c.ops.push_back(info.id);
    c.weights.push_back(weight);
  }
  return c;
}

ExprPtr Builder::Gen(const TensorType& t, int depth, bool literal_ok) {
  // Index arguments are generated at depth 1 whatever the depth of their op,
  // so Gen -> GenOp -> Index -> Gen can chain without the depth running out;
  // the nesting bound ends such chains (the default policy nests under 20).
  if (++steps_ > work_limit_ || nesting_ >= kMaxNesting) return Leaf(t, literal_ok);
  if (depth <= 0 || ops_left_ <= 0 || rng_.Bernoulli(knobs_.leaf_p)) return Leaf(t, literal_ok);
  const Candidates& candidates = CandidatesFor(t.dtype);
  if (ExprPtr e = GenOp(t, depth, candidates.ops, candidates.weights)) return e;
  return Leaf(t, literal_ok);
}

ExprPtr Builder::GenIn(const TensorType& t, int depth, ir::OpGroup group) {
  const Candidates& candidates = CandidatesFor(t.dtype);
  std::vector<OpId> ops;
  std::vector<double> weights;
  for (size_t i = 0; i < candidates.ops.size(); ++i) {
    if (ir::Info(candidates.ops[i]).group != group) continue;
    ops.push_back(candidates.ops[i]);
    weights.push_back(candidates.weights[i]);
  }
  if (ExprPtr e = GenOp(t, depth, ops, weights)) return e;
  return Gen(t, depth);
}

ExprPtr Builder::GenOp(const TensorType& t, int depth, const std::vector<OpId>& ops,
                       std::vector<double> w) {
  struct Nest {
    int& n;
    explicit Nest(int& count) : n(count) { ++n; }
    ~Nest() { --n; }
  } nest(nesting_);
  for (int attempt = 0; attempt < 6 && !ops.empty(); ++attempt) {
    if (std::none_of(w.begin(), w.end(), [](double x) { return x > 0; })) break;
    if (++steps_ > work_limit_) break;
    const size_t pick = rng_.PickWeighted(w);
    const OpId op = ops[pick];
    w[pick] = 0;
    std::optional<Plan> plan = PlanShapes(op, t);
    if (!plan) continue;
    const std::optional<DType> value = PlanDType(op, t, *plan);
    if (!value) continue;
    Exprs args;
    bool ok = true;
    for (const ArgPlan& a : plan->args) {
      switch (a.role) {
        case ArgRole::kValue:
          args.push_back(Gen({*value, a.shape}, depth - 1, a.literal_ok));
          break;
        case ArgRole::kCond:
          args.push_back(Gen(Bool(a.shape), depth - 1));
          break;
        case ArgRole::kIndex: {
          const DType d = a.bound - 1 <= ir::ValueBudget(idt_).hi ? idt_ : DType::kInt32;
          args.push_back(Index({d, a.shape}, a.bound, a.literal_ok));
          break;
        }
        case ArgRole::kStart:
          args.push_back(Index({DType::kInt32, {}}, a.bound, true));
          break;
        case ArgRole::kStaticIndex:
          args.push_back(Lit(static_cast<double>(rng_.Below(a.bound)), DType::kInt32));
          break;
        case ArgRole::kKey:
          args.push_back(Key());
          break;
      }
      ok &= args.back() != nullptr;
    }
    if (!ok || !Worthwhile(op, args)) continue;
    ExprPtr e = TryOp(op, args, plan->attrs);
    if (!e && ir::Info(op).group == ir::OpGroup::kMath && ir::IsFloat(*value)) {
      // Out of budget: squash the arguments and try once more.
      for (ExprPtr& a : args) a = Bound(a);
      e = TryOp(op, args, plan->attrs);
    }
    if (!e) continue;
    --ops_left_;
    return depth >= 2 ? MaybeAssign(e) : e;
  }
  return nullptr;
}

}  // namespace jitsynth::synth::detail
