#include "ir/verifier.h"

#include <cmath>
#include <map>
#include <string>

#include <fmt/format.h>

namespace jitsynth::ir {
namespace {

class Verifier {
 public:
  explicit Verifier(const Program& p) : program_(p), used_(p.functions.size(), 0) {}

  Status Run() {
    if (program_.entry < 0 || program_.entry >= static_cast<int>(program_.functions.size())) {
      return Internal("entry index out of range");
    }
    Scope scope;
    RETURN_IF_ERROR(CheckFunction(program_.entry, scope));
    for (size_t i = 0; i < used_.size(); ++i) {
      if (static_cast<int>(i) != program_.entry && used_[i] != 1) {
        return Internal(fmt::format("function {} is used {} times; local functions are used once",
                                    program_.functions[i].name, used_[i]));
      }
    }
    return Status::Ok();
  }

 private:
  using Scope = std::map<std::string, TensorType>;

  Status Define(Scope& scope, const Var& v) {
    if (!scope.emplace(v.name, v.type).second) {
      return Internal(fmt::format("name {} is defined twice", v.name));
    }
    return Status::Ok();
  }

  Status CheckExpr(const ExprPtr& e, const Scope& scope) {
    if (!e) return Internal("null expression");
    switch (e->kind) {
      case Expr::Kind::kVar: {
        auto it = scope.find(e->var);
        if (it == scope.end()) return Internal(fmt::format("{} used before definition", e->var));
        if (it->second != e->type) {
          return Internal(fmt::format("{} has type {} but is used as {}", e->var,
                                      it->second.ToString(), e->type.ToString()));
        }
        break;
      }
      case Expr::Kind::kLiteral:
        if (!e->type.shape.empty()) return Internal("literals are scalars");
        if (!std::isfinite(e->literal)) return Internal("non-finite literal");
        break;
      case Expr::Kind::kOp: {
        std::vector<TensorType> types;
        for (const ExprPtr& a : e->args) {
          RETURN_IF_ERROR(CheckExpr(a, scope));
          types.push_back(a->type);
        }
        auto inferred = InferType(e->op, types, e->attrs);
        if (!inferred.ok()) return Internal(inferred.status().message());
        if (*inferred != e->type) {
          return Internal(fmt::format("{} is typed {} but infers {}", Info(e->op).name,
                                      e->type.ToString(), inferred->ToString()));
        }
        const OpInfo& info = Info(e->op);
        if (!DomainHolds(info.domain, e->args[info.domain_arg]->range)) {
          return Internal(fmt::format("{}: argument range [{}, {}] outside its domain", info.name,
                                      e->args[info.domain_arg]->range.lo,
                                      e->args[info.domain_arg]->range.hi));
        }
        break;
      }
    }
    if (IsFloat(e->type.dtype) &&
        !(std::isfinite(e->range.lo) && std::isfinite(e->range.hi) &&
          e->range.MaxAbs() <= MagnitudeBudget(e->type.dtype))) {
      return Internal(fmt::format("value range [{}, {}] of a {} exceeds its budget", e->range.lo,
                                  e->range.hi, e->type.ToString()));
    }
    return Status::Ok();
  }

  static Status Expect(const std::vector<TensorType>& got, const std::vector<TensorType>& want,
                       std::string_view what) {
    if (got == want) return Status::Ok();
    auto str = [](const std::vector<TensorType>& ts) {
      std::vector<std::string> s;
      for (const TensorType& t : ts) s.push_back(t.ToString());
      return fmt::format("({})", fmt::join(s, ", "));
    };
    return Internal(fmt::format("{}: expected {}, got {}", what, str(want), str(got)));
  }

  static std::vector<TensorType> TypesOf(const std::vector<Var>& vars) {
    std::vector<TensorType> t;
    for (const Var& v : vars) t.push_back(v.type);
    return t;
  }
  static std::vector<TensorType> TypesOf(const std::vector<ExprPtr>& exprs) {
    std::vector<TensorType> t;
    for (const ExprPtr& e : exprs) t.push_back(e->type);
    return t;
  }

  // Checks a local function called with `params` and returning `results`.
  Status CheckLocal(int index, const Scope& enclosing, const std::vector<TensorType>& params,
                    const std::vector<TensorType>& results) {
    if (index < 0 || index >= static_cast<int>(program_.functions.size()) ||
        index == program_.entry) {
      return Internal("bad local function index");
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
    for (const Var& p : f.params) RETURN_IF_ERROR(Define(scope, p));
    for (const Stmt& s : f.body) RETURN_IF_ERROR(CheckStmt(s, scope));
    if (f.results.empty()) return Internal(f.name + " returns nothing");
    for (const ExprPtr& r : f.results) RETURN_IF_ERROR(CheckExpr(r, scope));
    return Status::Ok();
  }

  Status CheckStmt(const Stmt& s, Scope& scope) {
    for (const ExprPtr& o : s.operands) RETURN_IF_ERROR(CheckExpr(o, scope));
    const std::vector<TensorType> targets = TypesOf(s.targets);
    switch (s.kind) {
      case Stmt::Kind::kAssign:
        RETURN_IF_ERROR(CheckExpr(s.value, scope));
        if (s.targets.size() != 1) return Internal("assignment needs one target");
        RETURN_IF_ERROR(Expect(targets, {s.value->type}, "assignment"));
        break;
      case Stmt::Kind::kCond: {
        RETURN_IF_ERROR(CheckExpr(s.pred, scope));
        if (s.pred->type != TensorType{DType::kBool, {}}) {
          return Internal("lax.cond predicate must be a bool scalar");
        }
        if (s.functions.size() != 2) return Internal("lax.cond needs two branches");
        const auto ops = TypesOf(s.operands);
        RETURN_IF_ERROR(CheckLocal(s.functions[0], scope, ops, targets));
        RETURN_IF_ERROR(CheckLocal(s.functions[1], scope, ops, targets));
        break;
      }
      case Stmt::Kind::kForiLoop: {
        if (s.functions.size() != 1 || s.lower > s.upper) return Internal("bad fori_loop");
        const auto carry = TypesOf(s.operands);
        RETURN_IF_ERROR(Expect(targets, carry, "fori_loop carry"));
        std::vector<TensorType> params = {TensorType{DType::kInt32, {}}};
        params.insert(params.end(), carry.begin(), carry.end());
        RETURN_IF_ERROR(CheckLocal(s.functions[0], scope, params, carry));
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
        const Function& body = program_.functions[s.functions[0]];
        if (body.results.size() != carry.size() + 1) return Internal("scan body returns carry, y");
        std::vector<TensorType> results = carry;
        results.push_back(body.results.back()->type);
        RETURN_IF_ERROR(CheckLocal(s.functions[0], scope, params, results));
        TensorType ys = body.results.back()->type;
        ys.shape.insert(ys.shape.begin(), xs.shape[0]);
        std::vector<TensorType> want = carry;
        want.push_back(ys);
        RETURN_IF_ERROR(Expect(targets, want, "scan results"));
        break;
      }
    }
    for (const Var& t : s.targets) RETURN_IF_ERROR(Define(scope, t));
    return Status::Ok();
  }

  const Program& program_;
  std::vector<int> used_;
};

}  // namespace

Status Verify(const Program& program) { return Verifier(program).Run(); }

std::vector<TensorType> ResultTypes(const Program& program) {
  std::vector<TensorType> types;
  for (const ExprPtr& r : program.entry_function().results) types.push_back(r->type);
  return types;
}

}  // namespace jitsynth::ir
