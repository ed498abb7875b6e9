#include "emit/jax_emitter.h"

#include <cmath>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace jitsynth::emit {
namespace {

using ir::Expr;
using ir::ExprPtr;
using ir::Function;
using ir::OpForm;
using ir::Program;
using ir::Stmt;

constexpr int kAtomPrecedence = 16;

int Precedence(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kVar: return kAtomPrecedence;
    case Expr::Kind::kLiteral: return e.literal < 0 ? 13 : kAtomPrecedence;
    case Expr::Kind::kOp: return ir::Info(e.op).precedence;
  }
  return kAtomPrecedence;
}

std::string DTypeSpelling(ir::DType t) { return fmt::format("jnp.{}", ir::NumpyName(t)); }

std::string Paren(const Expr& e, bool needed) {
  std::string s = EmitExpr(e);
  return needed ? "(" + s + ")" : s;
}

std::string AxisArg(const std::vector<int>& axes) {
  if (axes.size() == 1) return fmt::format("axis={}", axes[0]);
  return fmt::format("axis=({})", fmt::join(axes, ", "));
}

std::string EmitOp(const Expr& e) {
  const ir::OpInfo& info = ir::Info(e.op);
  const int prec = info.precedence;
  switch (info.form) {
    case OpForm::kPrefix: {
      const Expr& a = *e.args[0];
      const bool nested_prefix = a.kind == Expr::Kind::kOp && ir::Info(a.op).form == OpForm::kPrefix;
      return fmt::format("{}{}", info.spelling, Paren(a, Precedence(a) < prec || nested_prefix ||
                                                           (a.kind == Expr::Kind::kLiteral &&
                                                            a.literal < 0)));
    }
    case OpForm::kInfix: {
      const Expr& a = *e.args[0];
      const Expr& b = *e.args[1];
      // Left-associative: the right operand needs parentheses at equal precedence.
      return fmt::format("{} {} {}", Paren(a, Precedence(a) < prec), info.spelling,
                         Paren(b, Precedence(b) <= prec));
    }
    case OpForm::kCall: {
      std::vector<std::string> args;
      for (const ExprPtr& a : e.args) args.push_back(EmitExpr(*a));
      for (double r : e.attrs.reals) args.push_back(PythonLiteral(r, e.type.dtype));
      return fmt::format("{}({})", info.spelling, fmt::join(args, ", "));
    }
    case OpForm::kReduce: {
      std::vector<std::string> args = {EmitExpr(*e.args[0])};
      if (!e.attrs.axes.empty()) args.push_back(AxisArg(e.attrs.axes));
      if (e.attrs.keepdims) args.emplace_back("keepdims=True");
      return fmt::format("{}({})", info.spelling, fmt::join(args, ", "));
    }
    case OpForm::kMethod: {
      const Expr& a = *e.args[0];
      return fmt::format("{}.astype({})", Paren(a, Precedence(a) < kAtomPrecedence),
                         DTypeSpelling(e.attrs.to));
    }
  }
  return "<?>";
}

class ModuleEmitter {
 public:
  explicit ModuleEmitter(const Program& p) : program_(p) {}

  std::string Run() {
    EmitFunction(program_.entry, 0);
    std::string header = "import jax\n";
    if (uses_jnp_) header += "import jax.numpy as jnp\n";
    if (uses_lax_) header += "from jax import lax\n";
    return header + "\n\n" + body_;
  }

 private:
  void Line(int indent, std::string_view text) {
    body_.append(static_cast<size_t>(indent) * 4, ' ');
    body_.append(text);
    body_.push_back('\n');
  }

  std::string Expression(const ExprPtr& e) {
    std::string s = EmitExpr(*e);
    if (s.find("jnp.") != std::string::npos) uses_jnp_ = true;
    return s;
  }

  std::string Names(const std::vector<ir::Var>& vars, size_t begin, size_t end) {
    std::vector<std::string> names;
    for (size_t i = begin; i < end; ++i) names.push_back(vars[i].name);
    return fmt::format("{}", fmt::join(names, ", "));
  }

  std::string Tuple(const std::vector<std::string>& items) {
    if (items.size() == 1) return items[0];
    return fmt::format("({})", fmt::join(items, ", "));
  }

  std::string ExprList(const std::vector<ExprPtr>& exprs, size_t begin, size_t end) {
    std::vector<std::string> items;
    for (size_t i = begin; i < end; ++i) items.push_back(Expression(exprs[i]));
    return Tuple(items);
  }

  void EmitFunction(int index, int indent) {
    const Function& f = program_.functions[index];
    const auto& p = f.params;
    std::string signature;
    std::string unpack;  // "a, b = carry" for tuple carries
    const bool fori = f.role == Function::Role::kForiBody;
    if (f.carry_count > 1) {
      const size_t first = fori ? 1 : 0;  // fori bodies take the index first
      unpack = fmt::format("{} = {}", Names(p, first, first + f.carry_count), f.carry_tuple_name);
      signature = fori ? fmt::format("{}, {}", p[0].name, f.carry_tuple_name)
                       : fmt::format("{}, {}", f.carry_tuple_name,
                                     Names(p, f.carry_count, p.size()));
    } else {
      signature = Names(p, 0, p.size());
    }
    Line(indent, fmt::format("def {}({}):", f.name, signature));
    if (!f.docstring.empty()) Line(indent + 1, fmt::format("\"\"\"{}\"\"\"", f.docstring));
    if (!unpack.empty()) Line(indent + 1, unpack);
    for (const Stmt& s : f.body) EmitStmt(s, indent + 1);
    std::string ret;
    if (f.role == Function::Role::kScanBody) {
      ret = fmt::format("{}, {}", ExprList(f.results, 0, f.carry_count),
                        Expression(f.results.back()));
    } else {
      std::vector<std::string> items;
      for (const ExprPtr& r : f.results) items.push_back(Expression(r));
      ret = fmt::format("{}", fmt::join(items, ", "));
    }
    Line(indent + 1, "return " + ret);
  }

  void EmitStmt(const Stmt& s, int indent) {
    for (int fn : s.functions) EmitFunction(fn, indent);
    const std::string targets = Names(s.targets, 0, s.targets.size());
    switch (s.kind) {
      case Stmt::Kind::kAssign:
        Line(indent, fmt::format("{} = {}", targets, Expression(s.value)));
        return;
      case Stmt::Kind::kCond: {
        uses_lax_ = true;
        std::vector<std::string> args = {Expression(s.pred)};
        for (int fn : s.functions) args.push_back(program_.functions[fn].name);
        for (const ExprPtr& o : s.operands) args.push_back(Expression(o));
        Line(indent, fmt::format("{} = lax.cond({})", targets, fmt::join(args, ", ")));
        return;
      }
      case Stmt::Kind::kForiLoop:
        uses_lax_ = true;
        Line(indent, fmt::format("{} = lax.fori_loop({}, {}, {}, {})", targets, s.lower, s.upper,
                                 program_.functions[s.functions[0]].name,
                                 ExprList(s.operands, 0, s.operands.size())));
        return;
      case Stmt::Kind::kScan: {
        uses_lax_ = true;
        const size_t carry = s.operands.size() - 1;
        const std::string lhs =
            carry == 1 ? targets
                       : fmt::format("({}), {}", Names(s.targets, 0, carry), s.targets.back().name);
        Line(indent, fmt::format("{} = lax.scan({}, {}, {})", lhs,
                                 program_.functions[s.functions[0]].name,
                                 ExprList(s.operands, 0, carry), Expression(s.operands.back())));
        return;
      }
    }
  }

  const Program& program_;
  std::string body_;
  bool uses_jnp_ = false;
  bool uses_lax_ = false;
};

}  // namespace

std::string PythonLiteral(double value, ir::DType dtype) {
  if (dtype == ir::DType::kBool) return value != 0 ? "True" : "False";
  if (ir::IsInteger(dtype)) return fmt::format("{}", static_cast<int64_t>(value));
  std::string s = fmt::format("{}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string EmitExpr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kVar: return e.var;
    case Expr::Kind::kLiteral: return PythonLiteral(e.literal, e.type.dtype);
    case Expr::Kind::kOp: return EmitOp(e);
  }
  return "<?>";
}

std::string EmitPython(const Program& program) { return ModuleEmitter(program).Run(); }

}  // namespace jitsynth::emit
