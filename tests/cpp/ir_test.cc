#include <gtest/gtest.h>

#include "emit/jax_emitter.h"
#include "ir/ops.h"
#include "ir/program.h"
#include "ir/verifier.h"

namespace jitsynth::ir {
namespace {

TensorType F32(Shape s) { return {DType::kFloat32, std::move(s)}; }

TEST(DType, NamesRoundTrip) {
  for (DType t : AllDTypes()) {
    EXPECT_EQ(ParseDType(NumpyName(t)), t);
    EXPECT_EQ(ParseDType(HloName(t)), t);
  }
  EXPECT_FALSE(ParseDType("float8").has_value());
}

TEST(Ops, TableIsConsistent) {
  for (const OpInfo& op : AllOps()) {
    SCOPED_TRACE(std::string(op.name));
    EXPECT_EQ(&Info(op.id), &op);
    EXPECT_GE(op.arity, 1);
    EXPECT_LT(op.domain_arg, op.arity);
    EXPECT_FALSE(op.spelling.empty());
  }
}

TEST(Ops, Broadcasting) {
  EXPECT_EQ(*BroadcastShapes({4, 3}, {3}), (Shape{4, 3}));
  EXPECT_EQ(*BroadcastShapes({}, {2, 5}), (Shape{2, 5}));
  EXPECT_EQ(*BroadcastShapes({4, 1}, {1, 6}), (Shape{4, 6}));
  EXPECT_FALSE(BroadcastShapes({4, 3}, {4}).ok());
}

TEST(Ops, InferTypeRules) {
  std::vector<TensorType> two = {F32({4, 3}), F32({3})};
  EXPECT_EQ(*InferType(OpId::kAdd, two, {}), F32({4, 3}));
  EXPECT_EQ(InferType(OpId::kGt, two, {})->dtype, DType::kBool);
  OpAttrs axis1;
  axis1.axes = {1};
  std::vector<TensorType> m = {F32({4, 3})};
  EXPECT_EQ(*InferType(OpId::kSum, m, axis1), F32({4}));
  axis1.keepdims = true;
  EXPECT_EQ(*InferType(OpId::kMean, m, axis1), F32({4, 1}));
  EXPECT_EQ(*InferType(OpId::kMax, m, {}), F32({}));
  std::vector<TensorType> mm = {F32({4, 3}), F32({3, 5})};
  EXPECT_EQ(*InferType(OpId::kMatmul, mm, {}), F32({4, 5}));
  std::vector<TensorType> bad = {F32({4, 3}), F32({4, 5})};
  EXPECT_FALSE(InferType(OpId::kDot, bad, {}).ok());
  std::vector<TensorType> mixed = {F32({3}), TensorType{DType::kFloat16, {3}}};
  EXPECT_FALSE(InferType(OpId::kAdd, mixed, {}).ok());
  std::vector<TensorType> vecs = {F32({5, 3}), F32({3})};
  EXPECT_EQ(*InferType(OpId::kCross, vecs, {}), F32({5, 3}));
}

TEST(Ops, RangesAreSound) {
  std::vector<TensorType> t = {F32({8})};
  std::vector<Interval> r = {{-2, 3}};
  EXPECT_EQ(OpRange(OpId::kAbs, r, t, {}), (Interval{0, 3}));
  EXPECT_EQ(OpRange(OpId::kSquare, r, t, {}), (Interval{0, 9}));
  EXPECT_EQ(OpRange(OpId::kNeg, r, t, {}), (Interval{-3, 2}));
  OpAttrs all;
  EXPECT_EQ(OpRange(OpId::kSum, r, t, all), (Interval{-16, 24}));
  EXPECT_FALSE(DomainHolds(Domain::kPositive, {-1, 1}));
  EXPECT_TRUE(DomainHolds(Domain::kPositive, {1, 2}));
  EXPECT_FALSE(DomainHolds(Domain::kNonZero, {-1, 1}));
}

Program TinyProgram() {
  Program p;
  Function f;
  f.name = "kernel";
  f.params = {Var{"x", F32({4}), {-1, 1}}};
  ExprPtr x = MakeVar("x", F32({4}), {-1, 1});
  f.results = {*MakeOp(OpId::kSin, {x})};
  p.functions.push_back(f);
  return p;
}

TEST(Verifier, AcceptsWellFormedProgram) { EXPECT_TRUE(Verify(TinyProgram()).ok()); }

TEST(Verifier, RejectsUndefinedName) {
  Program p = TinyProgram();
  p.functions[0].results = {MakeVar("y", F32({4}), {-1, 1})};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, RejectsTypeMismatchedUse) {
  Program p = TinyProgram();
  p.functions[0].results = {MakeVar("x", F32({5}), {-1, 1})};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, RejectsDomainViolation) {
  Program p = TinyProgram();
  ExprPtr x = MakeVar("x", F32({4}), {-1, 1});
  p.functions[0].results = {*MakeOp(OpId::kLog, {x})};
  const Status st = Verify(p);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("domain"), std::string::npos);
}

TEST(Verifier, RejectsValuesBeyondBudget) {
  Program p = TinyProgram();
  ExprPtr big = MakeVar("x", F32({4}), {-1e6, 1e6});
  p.functions[0].params[0].range = {-1e6, 1e6};
  p.functions[0].results = {big};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, RejectsBadCondSignature) {
  Program p = TinyProgram();
  ExprPtr x = MakeVar("x", F32({4}), {-1, 1});
  Function branch;
  branch.name = "b";
  branch.role = Function::Role::kBranch;
  branch.params = {Var{"y", F32({4}), {-1, 1}}};
  branch.results = {MakeVar("y", F32({4}), {-1, 1})};
  p.functions.push_back(branch);
  branch.name = "c";
  branch.results = {*MakeOp(OpId::kSum, {MakeVar("y", F32({4}), {-1, 1})})};  // wrong shape
  p.functions.push_back(branch);
  Stmt s;
  s.kind = Stmt::Kind::kCond;
  s.pred = *MakeOp(OpId::kGt, {*MakeOp(OpId::kSum, {x}), MakeLiteral(0, DType::kFloat32)});
  s.operands = {x};
  s.functions = {1, 2};
  s.targets = {Var{"z", F32({4}), {-1, 1}}};
  p.functions[0].body.push_back(s);
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Emitter, Precedence) {
  ExprPtr a = MakeVar("a", F32({}), {-1, 1});
  ExprPtr b = MakeVar("b", F32({}), {-1, 1});
  ExprPtr c = MakeVar("c", F32({}), {-1, 1});
  ExprPtr sum = *MakeOp(OpId::kAdd, {a, b});
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kMul, {sum, c})), "(a + b) * c");
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kSub, {c, sum})), "c - (a + b)");
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kAdd, {sum, c})), "a + b + c");
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kNeg, {sum})), "-(a + b)");
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kNeg, {*MakeOp(OpId::kNeg, {a})})), "-(-a)");
  OpAttrs axes;
  axes.axes = {0, 1};
  axes.keepdims = true;
  ExprPtr m = MakeVar("m", F32({2, 3}), {-1, 1});
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kSum, {m}, axes)),
            "jnp.sum(m, axis=(0, 1), keepdims=True)");
  OpAttrs cast;
  cast.to = DType::kFloat16;
  EXPECT_EQ(emit::EmitExpr(**MakeOp(OpId::kAsType, {sum}, cast)), "(a + b).astype(jnp.float16)");
}

TEST(Emitter, Literals) {
  EXPECT_EQ(emit::PythonLiteral(2, DType::kFloat32), "2.0");
  EXPECT_EQ(emit::PythonLiteral(0.25, DType::kFloat32), "0.25");
  EXPECT_EQ(emit::PythonLiteral(3, DType::kInt32), "3");
  EXPECT_EQ(emit::PythonLiteral(1, DType::kBool), "True");
}

}  // namespace
}  // namespace jitsynth::ir
