#include "emit/jax_emitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace jitsynth::emit {
namespace {

using ir::Expr;
using ir::ExprPtr;
using ir::Function;
using ir::Program;
using ir::Stmt;

constexpr int kAtomPrecedence = 16;
constexpr int kUnaryPrecedence = 13;
constexpr int kComparePrecedence = 6;

int Precedence(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      return e.type.weak && e.literal < 0 ? kUnaryPrecedence : kAtomPrecedence;
    case Expr::Kind::kOp:
      // The table's precedence is its first spelling's; the alternatives are calls.
      return e.spelling == 0 ? ir::Info(e.op).precedence : kAtomPrecedence;
    case Expr::Kind::kVar:
    case Expr::Kind::kCall:
      return kAtomPrecedence;
  }
  return kAtomPrecedence;
}

std::string Paren(const Expr& e, bool needed) {
  std::string s = EmitExpr(e);
  return needed ? "(" + s + ")" : s;
}

std::string DTypeSpelling(ir::DType t) {
  return t == ir::DType::kBool ? "jnp.bool_" : fmt::format("jnp.{}", ir::NumpyName(t));
}

template <typename T>
std::string Tuple(const std::vector<T>& items) {
  if (items.size() == 1) return fmt::format("({},)", items[0]);
  return fmt::format("({})", fmt::join(items, ", "));
}

std::string AxisValue(const std::vector<int>& axes) {
  if (axes.size() == 1) return fmt::format("{}", axes[0]);
  return Tuple(axes);
}

std::vector<int> EffectivePermutation(const Expr& e) {
  if (!e.attrs.axes.empty()) return e.attrs.axes;
  std::vector<int> perm;
  for (int i = e.args[0]->type.rank(); i-- > 0;) perm.push_back(i);
  return perm;
}

std::string SliceText(const ir::SliceSpec& s, int64_t dim) {
  if (s.step == 0) return fmt::format("{}", s.start);
  std::string out = s.start == 0 ? "" : fmt::format("{}", s.start);
  out += ":";
  if (s.stop != dim) out += fmt::format("{}", s.stop);
  if (s.step != 1) out += fmt::format(":{}", s.step);
  return out;
}

// lax.slice's start, limit and stride tuples over every axis.
std::string LaxSliceTuple(const Expr& e, int which) {
  const ir::Shape& shape = e.args[0]->type.shape;
  std::vector<int64_t> values;
  for (size_t i = 0; i < shape.size(); ++i) {
    const bool named = i < e.attrs.slices.size();
    const ir::SliceSpec s = named ? e.attrs.slices[i] : ir::SliceSpec{0, shape[i], 1};
    values.push_back(which == 0 ? s.start : which == 1 ? s.stop : s.step);
  }
  return Tuple(values);
}

std::string ArgList(const Expr& e, size_t from) {
  std::vector<std::string> items;
  for (size_t i = from; i < e.args.size(); ++i) items.push_back(EmitExpr(*e.args[i]));
  return fmt::format("{}", fmt::join(items, ", "));
}

std::string ArgTuple(const Expr& e, size_t from) {
  std::vector<std::string> items;
  for (size_t i = from; i < e.args.size(); ++i) items.push_back(EmitExpr(*e.args[i]));
  return Tuple(items);
}

// The text of one {placeholder} of a template spelling.
std::string Placeholder(const Expr& e, std::string_view p) {
  const ir::OpAttrs& a = e.attrs;
  if (!p.empty() && p[0] >= '0' && p[0] <= '9') {
    const Expr& arg = *e.args[p[0] - '0'];
    const bool atom = p.size() > 1 && p[1] == '!';
    return Paren(arg, atom && Precedence(arg) < kAtomPrecedence);
  }
  auto literal = [&](double v) { return PythonLiteral(v, e.type.dtype); };
  if (p == "args") return ArgList(e, 0);
  if (p == "idx1") return ArgTuple(e, 1);
  if (p == "idx2") return ArgTuple(e, 2);
  if (p == ", axis") return a.axes.empty() ? "" : ", axis=" + AxisValue(a.axes);
  if (p == ", dimension") return a.axes.empty() ? "" : ", dimension=" + AxisValue(a.axes);
  if (p == ", keepdims") return a.keepdims ? ", keepdims=True" : "";
  if (p == "ax") return fmt::format("{}", a.axes.at(0));
  if (p == "ax2") return fmt::format("{}", a.axes.at(1));
  if (p == "axes") return Tuple(a.axes);
  if (p == "perm") return Tuple(EffectivePermutation(e));
  if (p == "shape") return Tuple(a.shape);
  if (p == "dims") return fmt::format("{}", fmt::join(a.shape, ", "));
  if (p == "dtype") return DTypeSpelling(a.to);
  if (p == "count") return fmt::format("{}", a.count);
  if (p == "index") return fmt::format("{}", a.index);
  if (p == "lo" || p == "value") return literal(a.reals.at(0));
  if (p == "hi") return literal(a.reals.at(1));
  if (p == "p") return PythonLiteral(a.reals.at(0), ir::DType::kFloat32);
  if (p == ", constant_values")
    return a.reals.empty() ? "" : ", constant_values=" + literal(a.reals[0]);
  if (p == "pads") {
    std::vector<std::string> pairs;
    for (const auto& [lo, hi] : a.padding) pairs.push_back(fmt::format("({}, {})", lo, hi));
    return Tuple(pairs);
  }
  if (p == "slices") {
    std::vector<std::string> parts;
    for (size_t i = 0; i < a.slices.size(); ++i)
      parts.push_back(SliceText(a.slices[i], e.args[0]->type.shape[i]));
    return fmt::format("{}", fmt::join(parts, ", "));
  }
  if (p == "slice_starts") return LaxSliceTuple(e, 0);
  if (p == "slice_limits") return LaxSliceTuple(e, 1);
  if (p == "slice_strides") return LaxSliceTuple(e, 2);
  if (p == "window") return Tuple(a.window);
  if (p == "strides") return Tuple(a.strides);
  if (p == "padding") return a.same_padding ? "'SAME'" : "'VALID'";
  if (p == "subscripts") return fmt::format("'{}'", a.subscripts);
  fmt::print(stderr, "jitsynth: internal error: unknown placeholder {{{}}} in {}\n", p,
             ir::Info(e.op).name);
  std::abort();
}

std::string ExpandTemplate(const Expr& e, std::string_view spelling) {
  std::string out;
  for (size_t i = 0; i < spelling.size(); ++i) {
    if (spelling[i] != '{') {
      out.push_back(spelling[i]);
      continue;
    }
    const size_t close = spelling.find('}', i);
    out += Placeholder(e, spelling.substr(i + 1, close - i - 1));
    i = close;
  }
  // Optional keywords print with a leading ", ", which a call whose first
  // argument was optional (x.sum(, axis=1)) must drop.
  for (size_t at = out.find("(, "); at != std::string::npos; at = out.find("(, ", at))
    out.erase(at + 1, 2);
  return out;
}

std::string EmitOp(const Expr& e) {
  const ir::OpInfo& info = ir::Info(e.op);
  const std::string_view spelling = info.spellings[e.spelling];
  if (e.spelling != 0 || !info.is_operator()) return ExpandTemplate(e, spelling);
  const int prec = info.precedence;
  if (e.args.size() == 1) {
    // Prefix operators do not stack without parentheses: "- -x", "-(-2.0)".
    const Expr& a = *e.args[0];
    return fmt::format("{}{}", spelling, Paren(a, Precedence(a) <= kUnaryPrecedence));
  }
  const Expr& a = *e.args[0];
  const Expr& b = *e.args[1];
  // Left-associative: the right operand needs parentheses at equal precedence,
  // and comparisons chain in Python, so neither side may be a comparison.
  const bool compare = prec == kComparePrecedence;
  return fmt::format("{} {} {}",
                     Paren(a, Precedence(a) < prec || (compare && Precedence(a) <= prec)), spelling,
                     Paren(b, Precedence(b) <= prec));
}

std::string EmitCall(const Expr& e) {
  const std::string args = ArgList(e, 0);
  if (e.grad_argnum == 0) return fmt::format("jax.grad({})({})", e.var, args);
  if (e.grad_argnum > 0) return fmt::format("jax.grad({}, argnums={})({})", e.var, e.grad_argnum, args);
  if (e.in_axes.empty()) return fmt::format("{}({})", e.var, args);
  const bool all_zero =
      std::all_of(e.in_axes.begin(), e.in_axes.end(), [](int a) { return a == 0; });
  if (all_zero) return fmt::format("jax.vmap({})({})", e.var, args);
  std::vector<std::string> axes;
  for (int a : e.in_axes) axes.push_back(a < 0 ? "None" : fmt::format("{}", a));
  return fmt::format("jax.vmap({}, in_axes={})({})", e.var, Tuple(axes), args);
}

class ModuleEmitter {
 public:
  explicit ModuleEmitter(const Program& p) : program_(p) {}

  std::string Run() {
    for (size_t i = 0; i < program_.functions.size(); ++i) {
      if (program_.functions[i].role != Function::Role::kHelper) continue;
      EmitFunction(static_cast<int>(i), 0);
      body_ += "\n\n";
    }
    EmitFunction(program_.entry, 0);
    std::string header = "import jax\n";
    if (body_.find("jnp.") != std::string::npos) header += "import jax.numpy as jnp\n";
    if (body_.find("lax.") != std::string::npos) header += "from jax import lax\n";
    return header + "\n\n" + body_;
  }

 private:
  void Line(int indent, std::string_view text) {
    body_.append(static_cast<size_t>(indent) * 4, ' ');
    body_.append(text);
    body_.push_back('\n');
  }

  static std::string Names(const std::vector<ir::Var>& vars, size_t begin, size_t end) {
    std::vector<std::string_view> names;
    for (size_t i = begin; i < end; ++i) names.push_back(vars[i].name);
    return fmt::format("{}", fmt::join(names, ", "));
  }

  static std::string ExprTuple(const std::vector<ExprPtr>& exprs, size_t begin, size_t end) {
    std::vector<std::string> items;
    for (size_t i = begin; i < end; ++i) items.push_back(EmitExpr(*exprs[i]));
    if (items.size() == 1) return items[0];
    return fmt::format("({})", fmt::join(items, ", "));
  }

  void EmitFunction(int index, int indent) {
    const Function& f = program_.functions[index];
    const auto& p = f.params;
    std::string signature = Names(p, 0, p.size());
    std::string unpack;  // "a, b = carry" for tuple carries
    if (f.carry_count > 1) {
      const size_t first =
          f.role == Function::Role::kForiBody ? 1 : 0;  // fori bodies take the index first
      const size_t end = first + f.carry_count;
      unpack = fmt::format("{} = {}", Names(p, first, end), f.carry_tuple_name);
      std::vector<std::string_view> parts;
      if (first == 1) parts.push_back(p[0].name);
      parts.push_back(f.carry_tuple_name);
      for (size_t i = end; i < p.size(); ++i) parts.push_back(p[i].name);
      signature = fmt::format("{}", fmt::join(parts, ", "));
    }
    Line(indent, fmt::format("def {}({}):", f.name, signature));
    if (!f.docstring.empty()) {
      std::string doc = f.docstring;
      const std::string pad(static_cast<size_t>(indent + 1) * 4, ' ');
      for (size_t at = doc.find('\n'); at != std::string::npos; at = doc.find('\n', at + 1)) {
        if (at + 1 == doc.size() || doc[at + 1] != '\n')
          doc.insert(at + 1, pad);  // blank lines stay blank
      }
      Line(indent + 1, fmt::format("\"\"\"{}\"\"\"", doc));
    }
    if (!unpack.empty()) Line(indent + 1, unpack);
    for (const Stmt& s : f.body) EmitStmt(s, indent + 1);
    std::string ret;
    if (f.role == Function::Role::kScanBody) {
      ret = fmt::format("{}, {}", ExprTuple(f.results, 0, f.carry_count),
                        EmitExpr(*f.results.back()));
    } else {
      std::vector<std::string> items;
      for (const ExprPtr& r : f.results) items.push_back(EmitExpr(*r));
      ret = fmt::format("{}", fmt::join(items, ", "));
    }
    Line(indent + 1, "return " + ret);
  }

  std::string FunctionName(int index) const { return program_.functions[index].name; }

  void EmitStmt(const Stmt& s, int indent) {
    for (int fn : s.functions) EmitFunction(fn, indent);
    const std::string targets = Names(s.targets, 0, s.targets.size());
    switch (s.kind) {
      case Stmt::Kind::kAssign:
        Line(indent, fmt::format("{} = {}", targets, EmitExpr(*s.value)));
        return;
      case Stmt::Kind::kCond:
      case Stmt::Kind::kSwitch: {
        std::vector<std::string> args = {EmitExpr(*s.pred)};
        std::vector<std::string> branches;
        for (int fn : s.functions) branches.push_back(FunctionName(fn));
        if (s.kind == Stmt::Kind::kCond) {
          args.insert(args.end(), branches.begin(), branches.end());
        } else {
          args.push_back(fmt::format("[{}]", fmt::join(branches, ", ")));
        }
        for (const ExprPtr& o : s.operands) args.push_back(EmitExpr(*o));
        Line(indent,
             fmt::format("{} = lax.{}({})", targets,
                         s.kind == Stmt::Kind::kCond ? "cond" : "switch", fmt::join(args, ", ")));
        return;
      }
      case Stmt::Kind::kForiLoop: {
        const std::string upper =
            s.dynamic_upper ? EmitExpr(*s.dynamic_upper) : fmt::format("{}", s.upper);
        Line(indent, fmt::format("{} = lax.fori_loop({}, {}, {}, {})", targets, s.lower, upper,
                                 FunctionName(s.functions[0]),
                                 ExprTuple(s.operands, 0, s.operands.size())));
        return;
      }
      case Stmt::Kind::kScan: {
        const size_t carry = s.operands.size() - 1;
        const std::string lhs =
            carry == 1 ? targets
                       : fmt::format("({}), {}", Names(s.targets, 0, carry), s.targets.back().name);
        Line(indent, fmt::format("{} = lax.scan({}, {}, {}{})", lhs, FunctionName(s.functions[0]),
                                 ExprTuple(s.operands, 0, carry), EmitExpr(*s.operands.back()),
                                 s.reverse ? ", reverse=True" : ""));
        return;
      }
      case Stmt::Kind::kWhileLoop:
        Line(indent, fmt::format("{} = lax.while_loop({}, {}, {})", targets,
                                 FunctionName(s.functions[0]), FunctionName(s.functions[1]),
                                 ExprTuple(s.operands, 0, s.operands.size())));
        return;
    }
  }

  const Program& program_;
  std::string body_;
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
    case Expr::Kind::kVar:
      return e.var;
    case Expr::Kind::kLiteral: {
      const std::string value = PythonLiteral(e.literal, e.type.dtype);
      if (e.type.weak) return value;
      return fmt::format("{}({})", DTypeSpelling(e.type.dtype), value);
    }
    case Expr::Kind::kOp:
      return EmitOp(e);
    case Expr::Kind::kCall:
      return EmitCall(e);
  }
  return "<?>";
}

std::string EmitPython(const Program& program) { return ModuleEmitter(program).Run(); }

}  // namespace jitsynth::emit
