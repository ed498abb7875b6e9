#include "ir/program.h"

namespace jitsynth::ir {

ExprPtr MakeVar(std::string name, TensorType type, Interval range) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kVar;
  e->var = std::move(name);
  e->type = std::move(type);
  e->range = range;
  return e;
}

ExprPtr MakeLiteral(double value, DType dtype) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kLiteral;
  e->literal = value;
  e->type = TensorType{dtype, {}};
  e->range = {value, value};
  return e;
}

Result<ExprPtr> MakeOp(OpId op, std::vector<ExprPtr> args, OpAttrs attrs) {
  std::vector<TensorType> types;
  std::vector<Interval> ranges;
  types.reserve(args.size());
  ranges.reserve(args.size());
  for (const ExprPtr& a : args) {
    types.push_back(a->type);
    ranges.push_back(a->range);
  }
  ASSIGN_OR_RETURN(TensorType type, InferType(op, types, attrs));
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kOp;
  e->op = op;
  e->range = OpRange(op, ranges, types, attrs);
  e->type = std::move(type);
  e->attrs = std::move(attrs);
  e->args = std::move(args);
  return ExprPtr(std::move(e));
}

}  // namespace jitsynth::ir
