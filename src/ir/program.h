// The typed program model: what the generator builds, the verifier checks and
// the emitter prints.
//
// A Program is a list of Functions; one is the entry, the others are local
// definitions (branches of lax.cond, loop bodies) that the emitter prints as
// nested `def`s right before the statement that uses them, so they may close
// over variables of the enclosing function.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "ir/ops.h"

namespace jitsynth::ir {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum class Kind { kVar, kLiteral, kOp };

  Kind kind = Kind::kLiteral;
  TensorType type;
  Interval range;
  std::string var;      // kVar
  double literal = 0;   // kLiteral: a Python scalar, weakly typed to `type.dtype`
  OpId op = OpId::kAdd;  // kOp
  OpAttrs attrs;        // kOp
  std::vector<ExprPtr> args;  // kOp
};

ExprPtr MakeVar(std::string name, TensorType type, Interval range);
ExprPtr MakeLiteral(double value, DType dtype);
// Builds op(args) with its inferred type and range; fails when ill-typed.
Result<ExprPtr> MakeOp(OpId op, std::vector<ExprPtr> args, OpAttrs attrs = {});

struct Var {
  std::string name;
  TensorType type;
  Interval range;
};

struct Stmt {
  enum class Kind {
    kAssign,    // targets[0] = value
    kCond,      // targets = lax.cond(pred, functions[0], functions[1], *operands)
    kForiLoop,  // targets = lax.fori_loop(lower, upper, functions[0], operands (the carry))
    kScan,      // targets = lax.scan(functions[0], carry, xs): operands = carry..., xs
  };

  Kind kind = Kind::kAssign;
  std::vector<Var> targets;
  ExprPtr value;                  // kAssign
  ExprPtr pred;                   // kCond: a bool scalar
  std::vector<ExprPtr> operands;  // kCond, kForiLoop, kScan
  std::vector<int> functions;     // indices into Program::functions
  int64_t lower = 0;              // kForiLoop
  int64_t upper = 0;              // kForiLoop
};

struct Function {
  enum class Role {
    kEntry,
    kBranch,    // a lax.cond branch: takes the operands
    kForiBody,  // takes (i, carry), returns the carry
    kScanBody,  // takes (carry, x), returns (carry, y)
  };

  std::string name;
  Role role = Role::kEntry;
  // For loop bodies, the parameters are the loop index (fori) and the carried
  // values, then the scanned element (scan). With several carried values the
  // carry arrives as a tuple named carry_tuple_name that the body unpacks.
  std::vector<Var> params;
  std::vector<Stmt> body;
  std::vector<ExprPtr> results;
  int carry_count = 0;
  std::string carry_tuple_name;
  std::string docstring;
};

struct ArgSpec {
  Var var;  // name, type, and the range inputs are drawn from
};

struct Program {
  std::string category;
  std::vector<Function> functions;
  int entry = 0;
  bool needs_x64 = false;
  bool differentiable = true;  // reverse mode works through every construct used

  const Function& entry_function() const { return functions[entry]; }
};

}  // namespace jitsynth::ir
