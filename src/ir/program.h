// The typed program model: what the generator builds, the verifier checks and
// the emitter prints.
//
// A Program is a list of Functions; one is the entry. Helpers are module-level
// functions the entry calls (possibly through jax.vmap) by name, any number of
// times. The others are local definitions (branches of lax.cond and
// lax.switch, loop bodies and conditions) that the emitter prints as nested
// `def`s right before the statement that uses them, so they may close over
// variables of the enclosing function.
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
  enum class Kind {
    kVar,
    kLiteral,  // weak: a Python scalar (2.0); otherwise a typed scalar (jnp.float32(2.0))
    kOp,
    kCall,  // a helper function applied to args, possibly through jax.vmap
  };

  Kind kind = Kind::kLiteral;
  TensorType type;
  Interval range;
  std::string var;       // kVar: the name; kCall: the helper's name
  double literal = 0;    // kLiteral
  OpId op = OpId::kAdd;  // kOp
  OpAttrs attrs;         // kOp
  int spelling = 0;      // kOp: which of the op's spellings prints it
  int function = -1;     // kCall: index into Program::functions
  // kCall through jax.vmap: per argument, the mapped axis or -1 (in_axes
  // None). Empty for a plain call.
  std::vector<int> in_axes;
  // kCall through jax.grad: the argument the gradient is taken with respect to (the helper
  // returns a float scalar, the call the gradient, of that argument's type), or -1.
  int grad_argnum = -1;
  std::vector<ExprPtr> args;  // kOp, kCall
};

ExprPtr MakeVar(std::string name, TensorType type, Interval range);
// A Python scalar literal (weak), or with weak false a typed scalar constant.
ExprPtr MakeLiteral(double value, DType dtype, bool weak = true);
// Builds op(args) with its inferred type and range; fails when ill-typed.
Result<ExprPtr> MakeOp(OpId op, std::vector<ExprPtr> args, OpAttrs attrs = {});
// Whether op(args) satisfies the op's domain.
bool DomainHolds(const Expr& op);

struct Var {
  std::string name;
  TensorType type;
  Interval range;
};

struct Stmt {
  enum class Kind {
    kAssign,     // targets[0] = value
    kCond,       // targets = lax.cond(pred, functions[0], functions[1], *operands)
    kSwitch,     // targets = lax.switch(pred, functions, *operands); pred is an int32 index
    kForiLoop,   // targets = lax.fori_loop(lower, upper, functions[0], operands (the carry))
    kScan,       // targets = lax.scan(functions[0], carry, xs): operands = carry..., xs
    kWhileLoop,  // targets = lax.while_loop(functions[0] (cond), functions[1] (body), operands)
  };

  Kind kind = Kind::kAssign;
  std::vector<Var> targets;
  ExprPtr value;                  // kAssign
  ExprPtr pred;                   // kCond: a bool scalar; kSwitch: an int32 scalar
  std::vector<ExprPtr> operands;  // kCond, kSwitch, kForiLoop, kScan, kWhileLoop
  std::vector<int> functions;     // indices into Program::functions
  int64_t lower = 0;              // kForiLoop
  int64_t upper = 0;              // kForiLoop with static bounds
  ExprPtr dynamic_upper;          // kForiLoop with a traced upper bound (an int32 scalar)
  bool reverse = false;           // kScan
};

struct Function {
  enum class Role {
    kEntry,
    kHelper,     // module level, called by name; sees only its parameters
    kBranch,     // a lax.cond or lax.switch branch: takes the operands
    kForiBody,   // takes (i, carry), returns the carry
    kScanBody,   // takes (carry, x), returns (carry, y)
    kWhileCond,  // takes the carry, returns a bool scalar
    kWhileBody,  // takes the carry, returns the carry
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

struct Program {
  std::string category;
  std::vector<Function> functions;
  int entry = 0;
  bool needs_x64 = false;
  // Reverse mode works through every construct used: false with
  // lax.while_loop and with lax.fori_loop over traced bounds.
  bool differentiable = true;

  const Function& entry_function() const { return functions[entry]; }
};

// Every op applied anywhere in the program, once each, in table order.
std::vector<OpId> OpsUsed(const Program& program);

}  // namespace jitsynth::ir
