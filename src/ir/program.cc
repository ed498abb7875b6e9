#include "ir/program.h"

#include <array>

namespace jitsynth::ir {

ExprPtr MakeVar(std::string name, TensorType type, Interval range) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kVar;
  e->var = std::move(name);
  e->type = std::move(type);
  e->range = range;
  return e;
}

ExprPtr MakeLiteral(double value, DType dtype, bool weak) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kLiteral;
  e->literal = value;
  e->type = TensorType{dtype, {}, weak};
  e->range = {value, value};
  return e;
}

namespace {

struct ArgView {
  std::vector<TensorType> types;
  std::vector<Interval> ranges;
};

ArgView View(const std::vector<ExprPtr>& args) {
  ArgView v;
  v.types.reserve(args.size());
  v.ranges.reserve(args.size());
  for (const ExprPtr& a : args) {
    v.types.push_back(a->type);
    v.ranges.push_back(a->range);
  }
  return v;
}

void CollectOps(const ExprPtr& e, std::array<bool, kNumOps>& seen) {
  if (!e) return;
  if (e->kind == Expr::Kind::kOp) seen[static_cast<size_t>(e->op)] = true;
  for (const ExprPtr& a : e->args) CollectOps(a, seen);
}

}  // namespace

Result<ExprPtr> MakeOp(OpId op, std::vector<ExprPtr> args, OpAttrs attrs) {
  const ArgView v = View(args);
  ASSIGN_OR_RETURN(TensorType type, InferType(op, v.types, attrs));
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kOp;
  e->op = op;
  e->range = OpRange(op, v.ranges, v.types, attrs, type);
  e->type = std::move(type);
  e->attrs = std::move(attrs);
  e->args = std::move(args);
  return ExprPtr(std::move(e));
}

bool DomainHolds(const Expr& op) {
  const ArgView v = View(op.args);
  return DomainHolds(op.op, v.types, v.ranges, op.attrs);
}

std::vector<OpId> OpsUsed(const Program& program) {
  std::array<bool, kNumOps> seen{};
  for (const Function& f : program.functions) {
    for (const Stmt& s : f.body) {
      CollectOps(s.value, seen);
      CollectOps(s.pred, seen);
      CollectOps(s.dynamic_upper, seen);
      for (const ExprPtr& o : s.operands) CollectOps(o, seen);
    }
    for (const ExprPtr& r : f.results) CollectOps(r, seen);
  }
  std::vector<OpId> ops;
  for (size_t i = 0; i < kNumOps; ++i) {
    if (seen[i]) ops.push_back(static_cast<OpId>(i));
  }
  return ops;
}

}  // namespace jitsynth::ir
