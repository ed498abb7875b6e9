#include "ir/verifier.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <string_view>
#include <utility>

namespace jitsynth::ir {
namespace {

std::string TypesToString(const std::vector<TensorType>& ts) {
  std::vector<std::string> s;
  s.reserve(ts.size());
  for (const TensorType& t : ts) s.push_back(t.ToString());
  return fmt::format("({})", fmt::join(s, ", "));
}

std::vector<TensorType> TypesOf(const std::vector<Var>& vars) {
  std::vector<TensorType> t;
  t.reserve(vars.size());
  for (const Var& v : vars) t.push_back(v.type);
  return t;
}

std::vector<TensorType> TypesOf(const std::vector<ExprPtr>& exprs) {
  std::vector<TensorType> t;
  t.reserve(exprs.size());
  for (const ExprPtr& e : exprs) t.push_back(e->type);
  return t;
}

Status Expect(const std::vector<TensorType>& got, const std::vector<TensorType>& want,
              std::string_view what) {
  if (got == want) return Status::Ok();
  return Internal(
      fmt::format("{}: expected {}, got {}", what, TypesToString(want), TypesToString(got)));
}

// The result of a helper called through jax.vmap: the batch axis leads.
Result<TensorType> VmapResult(const Expr& call, const Function& helper) {
  if (call.in_axes.size() != call.args.size() || call.args.size() != helper.params.size()) {
    return Internal(fmt::format("vmap of {}: one in_axes entry per argument", helper.name));
  }
  int64_t batch = -1;
  for (size_t i = 0; i < call.args.size(); ++i) {
    TensorType t = call.args[i]->type;
    t.weak = false;
    const int axis = call.in_axes[i];
    if (axis >= 0) {
      if (axis >= t.rank()) return Internal("vmap axis out of range");
      if (batch >= 0 && t.shape[axis] != batch) return Internal("vmapped axes differ in size");
      batch = t.shape[axis];
      t.shape.erase(t.shape.begin() + axis);
    }
    if (t != helper.params[i].type) {
      return Internal(fmt::format("vmap of {}: argument {} is {} per example, the parameter {}",
                                  helper.name, i, t.ToString(), helper.params[i].type.ToString()));
    }
  }
  if (batch < 0) return Internal("vmap maps no argument");
  TensorType out = helper.results[0]->type;
  out.shape.insert(out.shape.begin(), batch);
  return out;
}

class Verifier {
 public:
  explicit Verifier(const Program& p) : program_(p), used_(p.functions.size(), 0) {}

  Status Run() {
    const int n = static_cast<int>(program_.functions.size());
    if (program_.entry < 0 || program_.entry >= n) return Internal("entry index out of range");
    if (program_.functions[program_.entry].role != Function::Role::kEntry)
      return Internal("the entry is no entry");
    for (int i = 0; i < n; ++i) {
      if (program_.functions[i].role != Function::Role::kHelper) continue;
      const Function& h = program_.functions[i];
      if (h.results.size() != 1)
        return Internal(fmt::format("helper {} returns one array", h.name));
      Scope scope;  // helpers see only their parameters
      RETURN_IF_ERROR(CheckFunction(i, scope));
    }
    Scope scope;
    RETURN_IF_ERROR(CheckFunction(program_.entry, scope));
    for (int i = 0; i < n; ++i) {
      const Function& f = program_.functions[i];
      if (i == program_.entry) continue;
      const bool helper = f.role == Function::Role::kHelper;
      if (helper ? used_[i] < 1 : used_[i] != 1) {
        return Internal(fmt::format(
            "function {} is used {} times; local functions are used once, helpers at least once",
            f.name, used_[i]));
      }
    }
    if (program_.differentiable == untraceable_backward_) {
      return Internal(fmt::format(
          "the program is marked {}differentiable but {} a while_loop or a "
          "fori_loop over traced bounds",
          program_.differentiable ? "" : "not ", untraceable_backward_ ? "uses" : "uses no"));
    }
    if (program_.needs_x64 != uses_float64_) {
      return Internal(program_.needs_x64 ? "x64 is enabled but no value is float64"
                                         : "float64 values need x64 enabled");
    }
    return Status::Ok();
  }

 private:
  // Names visible at a point: small, so a vector searched from the back.
  using Scope = std::vector<std::pair<std::string_view, const TensorType*>>;

  static const TensorType* Lookup(const Scope& scope, std::string_view name) {
    for (auto it = scope.rbegin(); it != scope.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return nullptr;
  }

  static Status Define(Scope& scope, const Var& v) {
    if (Lookup(scope, v.name) != nullptr)
      return Internal(fmt::format("name {} is defined twice", v.name));
    if (v.type.weak) return Internal(fmt::format("{} is typed as a literal", v.name));
    scope.emplace_back(v.name, &v.type);
    return Status::Ok();
  }

  void NoteType(const TensorType& t) { uses_float64_ |= t.dtype == DType::kFloat64; }

  Status CheckLiteral(const Expr& e) {
    if (!e.type.shape.empty()) return Internal("literals are scalars");
    const Interval budget = ValueBudget(e.type.dtype);
    if (!std::isfinite(e.literal) || !budget.Contains(e.literal)) {
      return Internal(
          fmt::format("literal {} outside what a {} holds", e.literal, NumpyName(e.type.dtype)));
    }
    if (!IsFloat(e.type.dtype) && e.literal != std::trunc(e.literal))
      return Internal("fractional integer literal");
    return Status::Ok();
  }

  Status CheckOp(const Expr& e) {
    std::vector<TensorType> types = TypesOf(e.args);
    auto inferred = InferType(e.op, types, e.attrs);
    if (!inferred.ok()) return Internal(inferred.status().message());
    const OpInfo& info = Info(e.op);
    if (*inferred != e.type) {
      return Internal(fmt::format("{} is typed {} but infers {}", info.name, e.type.ToString(),
                                  inferred->ToString()));
    }
    if (!DomainHolds(e)) {
      const Interval& r = e.args[info.domain_arg]->range;
      return Internal(
          fmt::format("{}: argument range [{}, {}] outside its domain", info.name, r.lo, r.hi));
    }
    if (!SpellingApplies(e.op, e.spelling, types, e.attrs, e.type)) {
      return Internal(fmt::format("{}: spelling {} does not apply here", info.name, e.spelling));
    }
    if (program_.needs_x64 && DependsOnX64(e.op, types)) {
      return Internal(fmt::format("{}: its dtype changes under x64", info.name));
    }
    return Status::Ok();
  }

  Status CheckCall(const Expr& e) {
    if (e.function < 0 || e.function >= static_cast<int>(program_.functions.size()) ||
        program_.functions[e.function].role != Function::Role::kHelper) {
      return Internal("a call names no helper");
    }
    ++used_[e.function];
    const Function& helper = program_.functions[e.function];
    if (e.grad_argnum >= 0) {  // jax.grad(helper, argnums=k)(args): a float scalar's gradient
      std::vector<TensorType> args = TypesOf(e.args);
      RETURN_IF_ERROR(Expect(args, TypesOf(helper.params), helper.name + " arguments"));
      const auto k = static_cast<size_t>(e.grad_argnum);
      if (!e.in_axes.empty() || k >= args.size() || !IsFloat(args[k].dtype) || helper.results.size() != 1 ||
          !helper.results[0]->type.shape.empty() || !IsFloat(helper.results[0]->type.dtype)) {
        return Internal(fmt::format("jax.grad of {}: a float scalar function of a float argument", helper.name));
      }
      return Expect({e.type}, {args[k]}, "jax.grad of " + helper.name);
    }
    if (e.in_axes.empty()) {
      std::vector<TensorType> args = TypesOf(e.args);
      RETURN_IF_ERROR(Expect(args, TypesOf(helper.params), helper.name + " arguments"));
      RETURN_IF_ERROR(Expect({e.type}, {helper.results[0]->type}, helper.name + " result"));
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(TensorType out, VmapResult(e, helper));
    return Expect({e.type}, {out}, "vmap of " + helper.name + " result");
  }

  Status CheckExpr(const ExprPtr& e, const Scope& scope) {
    if (!e) return Internal("null expression");
    for (const ExprPtr& a : e->args) RETURN_IF_ERROR(CheckExpr(a, scope));
    NoteType(e->type);
    switch (e->kind) {
      case Expr::Kind::kVar: {
        const TensorType* t = Lookup(scope, e->var);
        if (t == nullptr) return Internal(fmt::format("{} used before definition", e->var));
        if (*t != e->type) {
          return Internal(fmt::format("{} has type {} but is used as {}", e->var, t->ToString(),
                                      e->type.ToString()));
        }
        break;
      }
      case Expr::Kind::kLiteral:
        RETURN_IF_ERROR(CheckLiteral(*e));
        break;
      case Expr::Kind::kOp:
        RETURN_IF_ERROR(CheckOp(*e));
        break;
      case Expr::Kind::kCall:
        RETURN_IF_ERROR(CheckCall(*e));
        break;
    }
    if (IsFloat(e->type.dtype) && !(std::isfinite(e->range.lo) && std::isfinite(e->range.hi) &&
                                    e->range.MaxAbs() <= MagnitudeBudget(e->type.dtype))) {
      return Internal(fmt::format("value range [{}, {}] of a {} exceeds its budget", e->range.lo,
                                  e->range.hi, e->type.ToString()));
    }
    return Status::Ok();
  }

  // Checks a local function called with `params` and returning `results`.
  Status CheckLocal(int index, Function::Role role, const Scope& enclosing,
                    const std::vector<TensorType>& params, const std::vector<TensorType>& results) {
    if (index < 0 || index >= static_cast<int>(program_.functions.size()) ||
        program_.functions[index].role != role) {
      return Internal("a statement names a local function of the wrong kind");
    }
    ++used_[index];
    const Function& f = program_.functions[index];
    RETURN_IF_ERROR(Expect(TypesOf(f.params), params, f.name + " parameters"));
    RETURN_IF_ERROR(Expect(TypesOf(f.results), results, f.name + " results"));
    Scope scope = enclosing;
    return CheckFunction(index, scope);
  }

  Status CheckFunction(int index, Scope& scope) {
    const Function& f = program_.functions[index];
    for (const Var& p : f.params) {
      RETURN_IF_ERROR(Define(scope, p));
      NoteType(p.type);
    }
    for (const Stmt& s : f.body) RETURN_IF_ERROR(CheckStmt(s, scope));
    if (f.results.empty()) return Internal(f.name + " returns nothing");
    for (const ExprPtr& r : f.results) {
      RETURN_IF_ERROR(CheckExpr(r, scope));
      if (r->type.weak) return Internal(f.name + " returns a Python scalar");
    }
    return Status::Ok();
  }

  Status CheckBranches(const Stmt& s, const Scope& scope, const std::vector<TensorType>& targets) {
    const auto ops = TypesOf(s.operands);
    for (int fn : s.functions)
      RETURN_IF_ERROR(CheckLocal(fn, Function::Role::kBranch, scope, ops, targets));
    return Status::Ok();
  }

  Status CheckStmt(const Stmt& s, Scope& scope) {
    for (const ExprPtr& o : s.operands) {
      RETURN_IF_ERROR(CheckExpr(o, scope));
      if (o->type.weak) return Internal("control-flow operands are arrays, not Python scalars");
    }
    const std::vector<TensorType> targets = TypesOf(s.targets);
    switch (s.kind) {
      case Stmt::Kind::kAssign:
        RETURN_IF_ERROR(CheckExpr(s.value, scope));
        if (s.targets.size() != 1) return Internal("assignment needs one target");
        RETURN_IF_ERROR(Expect(targets, {s.value->type}, "assignment"));
        break;
      case Stmt::Kind::kCond:
        RETURN_IF_ERROR(CheckExpr(s.pred, scope));
        if (s.pred->type != TensorType{DType::kBool, {}})
          return Internal("lax.cond predicate must be a bool scalar");
        if (s.functions.size() != 2) return Internal("lax.cond needs two branches");
        RETURN_IF_ERROR(CheckBranches(s, scope, targets));
        break;
      case Stmt::Kind::kSwitch:
        RETURN_IF_ERROR(CheckExpr(s.pred, scope));
        if (s.pred->type != TensorType{DType::kInt32, {}})
          return Internal("lax.switch index must be an int32 scalar");
        if (s.functions.size() < 2) return Internal("lax.switch needs two or more branches");
        RETURN_IF_ERROR(CheckBranches(s, scope, targets));
        break;
      case Stmt::Kind::kForiLoop: {
        if (s.functions.size() != 1) return Internal("bad fori_loop");
        if (s.dynamic_upper) {
          RETURN_IF_ERROR(CheckExpr(s.dynamic_upper, scope));
          if (s.dynamic_upper->type != TensorType{DType::kInt32, {}}) {
            return Internal("a traced fori_loop bound is an int32 scalar");
          }
          untraceable_backward_ = true;
        } else if (s.lower > s.upper) {
          return Internal("fori_loop bounds are reversed");
        }
        const auto carry = TypesOf(s.operands);
        RETURN_IF_ERROR(Expect(targets, carry, "fori_loop carry"));
        std::vector<TensorType> params = {TensorType{DType::kInt32, {}}};
        params.insert(params.end(), carry.begin(), carry.end());
        RETURN_IF_ERROR(
            CheckLocal(s.functions[0], Function::Role::kForiBody, scope, params, carry));
        break;
      }
      case Stmt::Kind::kScan: {
        if (s.functions.size() != 1 || s.operands.size() < 2) return Internal("bad scan");
        std::vector<TensorType> carry = TypesOf(s.operands);
        const TensorType xs = carry.back();
        carry.pop_back();
        if (xs.shape.empty()) return Internal("scan xs must have a leading axis");
        TensorType x = xs;
        x.shape.erase(x.shape.begin());
        std::vector<TensorType> params = carry;
        params.push_back(x);
        const Function& body = program_.functions.at(s.functions[0]);
        if (body.results.size() != carry.size() + 1) return Internal("scan body returns carry, y");
        std::vector<TensorType> results = carry;
        results.push_back(body.results.back()->type);
        RETURN_IF_ERROR(
            CheckLocal(s.functions[0], Function::Role::kScanBody, scope, params, results));
        TensorType ys = body.results.back()->type;
        ys.shape.insert(ys.shape.begin(), xs.shape[0]);
        std::vector<TensorType> want = carry;
        want.push_back(ys);
        RETURN_IF_ERROR(Expect(targets, want, "scan results"));
        break;
      }
      case Stmt::Kind::kWhileLoop: {
        if (s.functions.size() != 2) return Internal("lax.while_loop needs a condition and a body");
        const auto carry = TypesOf(s.operands);
        RETURN_IF_ERROR(Expect(targets, carry, "while_loop carry"));
        RETURN_IF_ERROR(CheckLocal(s.functions[0], Function::Role::kWhileCond, scope, carry,
                                   {TensorType{DType::kBool, {}}}));
        RETURN_IF_ERROR(
            CheckLocal(s.functions[1], Function::Role::kWhileBody, scope, carry, carry));
        untraceable_backward_ = true;
        break;
      }
    }
    for (const Var& t : s.targets) RETURN_IF_ERROR(Define(scope, t));
    return Status::Ok();
  }

  const Program& program_;
  std::vector<int> used_;
  bool untraceable_backward_ = false;
  bool uses_float64_ = false;
};

}  // namespace

Status Verify(const Program& program) { return Verifier(program).Run(); }

std::vector<TensorType> ResultTypes(const Program& program) {
  std::vector<TensorType> types;
  for (const ExprPtr& r : program.entry_function().results) types.push_back(r->type);
  return types;
}

}  // namespace jitsynth::ir
