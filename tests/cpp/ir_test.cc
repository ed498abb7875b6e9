#include <gtest/gtest.h>

#include "emit/jax_emitter.h"
#include "ir/ops.h"
#include "ir/program.h"
#include "ir/verifier.h"
#include "synth/policy.h"

namespace jitsynth::ir {
namespace {

TensorType F32(Shape s) { return {DType::kFloat32, std::move(s)}; }
TensorType I32(Shape s) { return {DType::kInt32, std::move(s)}; }
ExprPtr X(Shape s, Interval r = {-1, 1}) { return MakeVar("x", F32(std::move(s)), r); }
ExprPtr Y(Shape s, Interval r = {-1, 1}) { return MakeVar("y", F32(std::move(s)), r); }

OpAttrs WithAxes(std::vector<int> axes, bool keepdims = false) {
  OpAttrs a;
  a.axes = std::move(axes);
  a.keepdims = keepdims;
  return a;
}

std::string Emit(OpId op, std::vector<ExprPtr> args, OpAttrs attrs = {}, int spelling = 0) {
  auto e = MakeOp(op, std::move(args), std::move(attrs));
  EXPECT_TRUE(e.ok()) << e.status().message();
  if (!e.ok()) return "";
  auto copy = std::make_shared<Expr>(**e);
  copy->spelling = spelling;
  return emit::EmitExpr(*copy);
}

TEST(DType, NamesRoundTrip) {
  for (DType t : AllDTypes()) {
    EXPECT_EQ(ParseDType(NumpyName(t)), t);
    EXPECT_EQ(ParseDType(HloName(t)), t);
  }
  EXPECT_FALSE(ParseDType("float8").has_value());
  EXPECT_EQ(ValueBudget(DType::kUInt8), (Interval{0, 255}));
}

// One test over every entry of the op table.
class OpTableTest : public ::testing::TestWithParam<OpInfo> {};

TEST_P(OpTableTest, EntryIsConsistent) {
  const OpInfo& op = GetParam();
  EXPECT_EQ(&Info(op.id), &AllOps()[static_cast<size_t>(op.id)]);
  EXPECT_GE(op.arity, -1);
  EXPECT_LT(op.domain_arg, std::max(op.arity, 1));
  ASSERT_GE(op.spelling_count(), 1);
  if (op.is_operator()) {
    EXPECT_TRUE(op.arity == 1 || op.arity == 2);
  }
  for (int i = 1; i < op.spelling_count(); ++i) {
    EXPECT_NE(op.spellings[i].find('{'), std::string_view::npos) << "alternatives are templates";
  }
  EXPECT_GE(op.weight, 0);
  EXPECT_EQ(synth::Policy::Default().Weight("op.", op.name), op.weight);
}

INSTANTIATE_TEST_SUITE_P(EveryOp, OpTableTest,
                         ::testing::ValuesIn(AllOps().begin(), AllOps().end()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Ops, Broadcasting) {
  EXPECT_EQ(*BroadcastShapes({4, 3}, {3}), (Shape{4, 3}));
  EXPECT_EQ(*BroadcastShapes({}, {2, 5}), (Shape{2, 5}));
  EXPECT_EQ(*BroadcastShapes({4, 1}, {1, 6}), (Shape{4, 6}));
  EXPECT_FALSE(BroadcastShapes({4, 3}, {4}).ok());
}

TEST(Ops, ElementwiseAndReductionTypes) {
  std::vector<TensorType> two = {F32({4, 3}), F32({3})};
  EXPECT_EQ(*InferType(OpId::kAdd, two, {}), F32({4, 3}));
  EXPECT_EQ(InferType(OpId::kGt, two, {})->dtype, DType::kBool);
  std::vector<TensorType> m = {F32({4, 3})};
  EXPECT_EQ(*InferType(OpId::kSum, m, WithAxes({1})), F32({4}));
  EXPECT_EQ(*InferType(OpId::kMean, m, WithAxes({1}, true)), F32({4, 1}));
  EXPECT_EQ(*InferType(OpId::kMax, m, {}), F32({}));
  EXPECT_EQ(*InferType(OpId::kArgmax, m, WithAxes({-1})), I32({4}));
  std::vector<TensorType> mixed = {F32({3}), TensorType{DType::kFloat16, {3}}};
  EXPECT_FALSE(InferType(OpId::kAdd, mixed, {}).ok());
}

TEST(Ops, JaxAccumulationDTypes) {
  auto sum = [](DType d) {
    return InferType(OpId::kSum, std::vector{TensorType{d, {3}}}, {})->dtype;
  };
  EXPECT_EQ(sum(DType::kInt8), DType::kInt32);
  EXPECT_EQ(sum(DType::kUInt8), DType::kUInt32);
  EXPECT_EQ(sum(DType::kBool), DType::kInt32);
  EXPECT_EQ(sum(DType::kFloat16), DType::kFloat16);
  std::vector<TensorType> i8 = {TensorType{DType::kInt8, {3}}};
  EXPECT_EQ(InferType(OpId::kCumsum, i8, WithAxes({0}))->dtype, DType::kInt8);
  EXPECT_EQ(InferType(OpId::kMean, i8, {})->dtype, DType::kFloat32);
}

TEST(Ops, LiteralsTakeTheDTypeOfTheArrayTheyMeet) {
  const TensorType weak{DType::kFloat32, {}, true};
  std::vector<TensorType> with_array = {F32({3}), weak};
  EXPECT_EQ(*InferType(OpId::kMul, with_array, {}), F32({3}));
  std::vector<TensorType> only_literals = {weak, weak};
  EXPECT_FALSE(InferType(OpId::kMul, only_literals, {}).ok());
  std::vector<TensorType> unary = {weak};
  EXPECT_FALSE(InferType(OpId::kSin, unary, {}).ok());
}

TEST(Ops, ShapeRules) {
  auto type = [](OpId op, std::vector<TensorType> args, OpAttrs attrs = {}) {
    auto t = InferType(op, args, attrs);
    return t.ok() ? t->ToString() : "error: " + t.status().message();
  };
  EXPECT_EQ(type(OpId::kMatmul, {F32({2, 1, 3, 4}), F32({5, 4, 2})}), "f32[2,5,3,2]");
  EXPECT_EQ(type(OpId::kDot, {F32({2, 3, 4}), F32({4, 5})}), "f32[2,3,5]");
  EXPECT_EQ(type(OpId::kInner, {F32({2, 3}), F32({5, 3})}), "f32[2,5]");
  OpAttrs two;
  two.count = 2;
  EXPECT_EQ(type(OpId::kTensordot, {F32({2, 3, 4}), F32({3, 4, 5})}, two), "f32[2,5]");
  OpAttrs spec;
  spec.subscripts = "bij,bjk->bik";
  EXPECT_EQ(type(OpId::kEinsum, {F32({2, 3, 4}), F32({2, 4, 5})}, spec), "f32[2,3,5]");
  spec.subscripts = "ij,jk->ik";
  EXPECT_NE(type(OpId::kEinsum, {F32({2, 3}), F32({4, 5})}, spec).find("error"), std::string::npos);
  OpAttrs reshape;
  reshape.shape = {6, 2};
  EXPECT_EQ(type(OpId::kReshape, {F32({3, 4})}, reshape), "f32[6,2]");
  EXPECT_EQ(type(OpId::kTranspose, {F32({2, 3, 4})}, WithAxes({2, 0, 1})), "f32[4,2,3]");
  EXPECT_EQ(type(OpId::kT, {F32({2, 3, 4})}), "f32[4,3,2]");
  EXPECT_EQ(type(OpId::kConcatenate, {F32({2, 3}), F32({2, 5})}, WithAxes({-1})), "f32[2,8]");
  EXPECT_EQ(type(OpId::kStack, {F32({2, 3}), F32({2, 3})}, WithAxes({1})), "f32[2,2,3]");
  OpAttrs slices;
  slices.slices = {{1, 4, 2}, {2, 0, 0}};
  EXPECT_EQ(type(OpId::kSlice, {F32({5, 3, 7})}, slices), "f32[2,7]");
  EXPECT_EQ(type(OpId::kGather, {F32({5, 3}), I32({2, 4})}), "f32[2,4,3]");
  EXPECT_EQ(type(OpId::kTake, {F32({5, 3}), I32({4})}, WithAxes({1})), "f32[5,4]");
  EXPECT_EQ(type(OpId::kScatterAdd, {F32({5, 3}), I32({2}), F32({3})}), "f32[5,3]");
  OpAttrs sizes;
  sizes.shape = {2, 2};
  EXPECT_EQ(type(OpId::kDynamicSlice, {F32({5, 3}), I32({}), I32({})}, sizes), "f32[2,2]");
  OpAttrs conv;
  conv.strides = {2, 1};
  conv.same_padding = false;
  EXPECT_EQ(type(OpId::kConv, {F32({1, 2, 7, 5}), F32({3, 2, 3, 3})}, conv), "f32[1,3,3,3]");
  conv.same_padding = true;
  EXPECT_EQ(type(OpId::kConv, {F32({1, 2, 7, 5}), F32({3, 2, 3, 3})}, conv), "f32[1,3,4,5]");
  OpAttrs pool;
  pool.window = {1, 2};
  pool.strides = {1, 2};
  EXPECT_EQ(type(OpId::kMaxPool, {F32({3, 7})}, pool), "f32[3,3]");
  OpAttrs k;
  k.count = 2;
  EXPECT_EQ(type(OpId::kTopK, {F32({3, 7})}, k), "f32[3,2]");
  EXPECT_EQ(type(OpId::kTopKIndices, {F32({3, 7})}, k), "s32[3,2]");
  // jax.ops.segment_sum: one id per row of the data, `count` segments out.
  OpAttrs segments;
  segments.count = 4;
  EXPECT_EQ(type(OpId::kSegmentSum, {F32({6, 3}), I32({6})}, segments), "f32[4,3]");
  EXPECT_NE(type(OpId::kSegmentSum, {F32({6, 3}), I32({5})}, segments).find("error"), std::string::npos);
  EXPECT_NE(type(OpId::kSegmentSum, {F32({6, 3}), F32({6})}, segments).find("error"), std::string::npos);
  // jnp.take_along_axis: the indices' shape, matching the operand off the axis.
  EXPECT_EQ(type(OpId::kTakeAlongAxis, {F32({5, 7}), I32({5, 1})}, WithAxes({1})), "f32[5,1]");
  EXPECT_NE(type(OpId::kTakeAlongAxis, {F32({5, 7}), I32({4, 1})}, WithAxes({1})).find("error"),
            std::string::npos);
  // preferred_element_type=jnp.float32: half-precision operands, a float32 result.
  const TensorType bf16{DType::kBFloat16, {2, 3}};
  const TensorType bf16_rhs{DType::kBFloat16, {3, 4}};
  EXPECT_EQ(type(OpId::kMatmulF32, {bf16, bf16_rhs}), "f32[2,4]");
  EXPECT_EQ(type(OpId::kDotF32, {F32({2, 3}), F32({3, 4})}), "f32[2,4]");
  spec.subscripts = "ij,jk->ik";
  EXPECT_EQ(type(OpId::kEinsumF32, {bf16, bf16_rhs}, spec), "f32[2,4]");
  const TensorType f64{DType::kFloat64, {2, 3}};
  const TensorType f64_rhs{DType::kFloat64, {3, 4}};
  EXPECT_NE(type(OpId::kMatmulF32, {f64, f64_rhs}).find("error"), std::string::npos);
  EXPECT_NE(type(OpId::kMatmulF32, {I32({2, 3}), I32({3, 4})}).find("error"), std::string::npos);
}

TEST(Ops, RangesAreSound) {
  std::vector<TensorType> t = {F32({8})};
  std::vector<Interval> r = {{-2, 3}};
  const TensorType out = F32({8});
  EXPECT_EQ(OpRange(OpId::kAbs, r, t, {}, out), (Interval{0, 3}));
  EXPECT_EQ(OpRange(OpId::kSquare, r, t, {}, out), (Interval{0, 9}));
  EXPECT_EQ(OpRange(OpId::kNeg, r, t, {}, out), (Interval{-3, 2}));
  EXPECT_EQ(OpRange(OpId::kSum, r, t, {}, F32({})), (Interval{-16, 24}));
  EXPECT_EQ(OpRange(OpId::kVar, r, t, {}, F32({})), (Interval{0, 6.25}));
  // An integer result that may overflow wraps: its whole dtype's range.
  std::vector<TensorType> i8 = {TensorType{DType::kInt8, {8}}};
  std::vector<Interval> big = {{-100, 100}};
  EXPECT_EQ(OpRange(OpId::kSquare, big, i8, {}, i8[0]), ValueBudget(DType::kInt8));
  // A segment sums none (0) to all 6 rows.
  std::vector<TensorType> seg = {F32({6, 3}), I32({6})};
  std::vector<Interval> seg_r = {{1, 2}, {0, 3}};
  OpAttrs segments;
  segments.count = 4;
  EXPECT_EQ(OpRange(OpId::kSegmentSum, seg_r, seg, segments, F32({4, 3})), (Interval{0, 12}));
}

TEST(Ops, Domains) {
  EXPECT_FALSE(DomainHolds(**MakeOp(OpId::kLog, {X({4}, {-1, 1})})));
  EXPECT_TRUE(DomainHolds(**MakeOp(OpId::kLog, {X({4}, {1, 2})})));
  EXPECT_FALSE(DomainHolds(**MakeOp(OpId::kDiv, {X({4}), Y({4}, {-1, 1})})));
  EXPECT_TRUE(DomainHolds(**MakeOp(OpId::kDiv, {X({4}), Y({4}, {0.5, 1})})));
  ExprPtr idx = MakeVar("i", I32({2}), {0, 9});
  EXPECT_FALSE(DomainHolds(**MakeOp(OpId::kGather, {X({5}), idx})));
  EXPECT_TRUE(DomainHolds(**MakeOp(OpId::kGather, {X({10}), idx})));
  // Scatter-mul differentiates only with a static (unique) index.
  EXPECT_FALSE(
      DomainHolds(**MakeOp(OpId::kScatterMul, {X({10}), MakeVar("i", I32({}), {0, 1}), Y({})})));
  EXPECT_TRUE(
      DomainHolds(**MakeOp(OpId::kScatterMul, {X({10}), MakeLiteral(1, DType::kInt32), Y({})})));
}

TEST(Ops, LaxSpellingsNeitherBroadcastNorPromote) {
  auto applies = [](OpId op, std::vector<TensorType> args, OpAttrs attrs = {}) {
    const TensorType result = *InferType(op, args, attrs);
    return SpellingApplies(op, Info(op).spelling_count() - 1, args, attrs, result);
  };
  EXPECT_TRUE(applies(OpId::kAdd, {F32({3}), F32({3})}));
  EXPECT_FALSE(applies(OpId::kAdd, {F32({2, 3}), F32({3})}));
  EXPECT_FALSE(applies(OpId::kAdd, {F32({3}), TensorType{DType::kFloat32, {}, true}}));
  std::vector<TensorType> flags = {TensorType{DType::kBool, {3}}};
  EXPECT_FALSE(applies(OpId::kCumsum, flags, WithAxes({0})));  // lax.cumsum keeps bool
  EXPECT_FALSE(applies(OpId::kFlip, {F32({3})}));              // lax.rev(x, ()) flips nothing
  EXPECT_FALSE(applies(OpId::kSort, {F32({3})}, WithAxes({-1})));
  EXPECT_TRUE(applies(OpId::kSort, {F32({3})}, WithAxes({0})));
}

TEST(Ops, X64Dependence) {
  std::vector<TensorType> f = {F32({3})};
  EXPECT_TRUE(DependsOnX64(OpId::kArgmax, f));
  EXPECT_FALSE(DependsOnX64(OpId::kSum, f));
  std::vector<TensorType> ints = {I32({3})};
  EXPECT_TRUE(DependsOnX64(OpId::kSum, ints));
}

Program TinyProgram() {
  Program p;
  Function f;
  f.name = "kernel";
  f.params = {Var{"x", F32({4}), {-1, 1}}};
  f.results = {*MakeOp(OpId::kSin, {X({4})})};
  p.functions.push_back(f);
  return p;
}

TEST(Verifier, AcceptsWellFormedProgram) { EXPECT_TRUE(Verify(TinyProgram()).ok()); }

TEST(Verifier, RejectsUndefinedName) {
  Program p = TinyProgram();
  p.functions[0].results = {Y({4})};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, RejectsTypeMismatchedUse) {
  Program p = TinyProgram();
  p.functions[0].results = {X({5})};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, RejectsDomainViolation) {
  Program p = TinyProgram();
  p.functions[0].results = {*MakeOp(OpId::kLog, {X({4})})};
  const Status st = Verify(p);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("domain"), std::string::npos);
}

TEST(Verifier, RejectsValuesBeyondBudget) {
  Program p = TinyProgram();
  p.functions[0].params[0].range = {-1e6, 1e6};
  p.functions[0].results = {X({4}, {-1e6, 1e6})};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, RejectsBadCondSignature) {
  Program p = TinyProgram();
  Function branch;
  branch.name = "b";
  branch.role = Function::Role::kBranch;
  branch.params = {Var{"y", F32({4}), {-1, 1}}};
  branch.results = {Y({4})};
  p.functions.push_back(branch);
  branch.name = "c";
  branch.results = {*MakeOp(OpId::kSum, {Y({4})})};  // wrong shape
  p.functions.push_back(branch);
  Stmt s;
  s.kind = Stmt::Kind::kCond;
  s.pred = *MakeOp(OpId::kGt, {*MakeOp(OpId::kSum, {X({4})}), MakeLiteral(0, DType::kFloat32)});
  s.operands = {X({4})};
  s.functions = {1, 2};
  s.targets = {Var{"z", F32({4}), {-1, 1}}};
  p.functions[0].body.push_back(s);
  EXPECT_FALSE(Verify(p).ok());
}

// The entry calls a module-level helper twice, once through jax.vmap.
Program HelperProgram() {
  Program p = TinyProgram();
  p.functions[0].params.push_back(Var{"xs", F32({8, 4}), {-1, 1}});
  Function helper;
  helper.name = "helper";
  helper.role = Function::Role::kHelper;
  helper.params = {Var{"p", F32({4}), {-3, 3}}};
  helper.results = {*MakeOp(OpId::kTanh, {MakeVar("p", F32({4}), {-3, 3})})};
  p.functions.push_back(helper);
  auto call = [&](ExprPtr arg, std::vector<int> in_axes, Shape out) {
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kCall;
    e->function = 1;
    e->var = "helper";
    e->type = F32(std::move(out));
    e->range = {-1, 1};
    e->args = {std::move(arg)};
    e->in_axes = std::move(in_axes);
    return ExprPtr(e);
  };
  p.functions[0].results = {call(X({4}), {}, {4}),
                            call(MakeVar("xs", F32({8, 4}), {-1, 1}), {0}, {8, 4})};
  return p;
}

TEST(Verifier, HelpersAreCalledByNameAndThroughVmap) {
  Program p = HelperProgram();
  EXPECT_TRUE(Verify(p).ok()) << Verify(p).message();
  EXPECT_EQ(emit::EmitPython(p).find("def helper(p):"), emit::EmitPython(p).find("def "));
  EXPECT_NE(emit::EmitPython(p).find("return helper(x), jax.vmap(helper)(xs)"), std::string::npos);
  // A helper sees only its parameters.
  p.functions[1].results = {*MakeOp(OpId::kTanh, {X({4})})};
  EXPECT_FALSE(Verify(p).ok());
}

TEST(Verifier, FlagsMustMatchTheConstructsUsed) {
  Program p = TinyProgram();
  p.differentiable = false;  // nothing here stops reverse mode
  EXPECT_FALSE(Verify(p).ok());
  p = TinyProgram();
  p.needs_x64 = true;  // but no float64 value
  EXPECT_FALSE(Verify(p).ok());
  p.functions[0].params[0].type.dtype = DType::kFloat64;
  p.functions[0].results = {
      *MakeOp(OpId::kSin, {MakeVar("x", TensorType{DType::kFloat64, {4}}, {-1, 1})})};
  EXPECT_TRUE(Verify(p).ok());
  p.functions[0].results = {
      *MakeOp(OpId::kArgmax, {MakeVar("x", TensorType{DType::kFloat64, {4}}, {-1, 1})})};
  EXPECT_FALSE(Verify(p).ok());  // int64 positions under x64
}

TEST(Emitter, Precedence) {
  ExprPtr a = MakeVar("a", F32({}), {-1, 1});
  ExprPtr b = MakeVar("b", F32({}), {-1, 1});
  ExprPtr c = MakeVar("c", F32({}), {-1, 1});
  ExprPtr sum = *MakeOp(OpId::kAdd, {a, b});
  EXPECT_EQ(Emit(OpId::kMul, {sum, c}), "(a + b) * c");
  EXPECT_EQ(Emit(OpId::kSub, {c, sum}), "c - (a + b)");
  EXPECT_EQ(Emit(OpId::kAdd, {sum, c}), "a + b + c");
  EXPECT_EQ(Emit(OpId::kNeg, {sum}), "-(a + b)");
  EXPECT_EQ(Emit(OpId::kNeg, {*MakeOp(OpId::kNeg, {a})}), "-(-a)");
  EXPECT_EQ(Emit(OpId::kBitwiseAnd, {*MakeOp(OpId::kGt, {a, b}), *MakeOp(OpId::kGt, {b, c})}),
            "(a > b) & (b > c)");
  OpAttrs pow;
  pow.count = 2;
  EXPECT_EQ(Emit(OpId::kIntegerPow, {sum}, pow), "(a + b) ** 2");
  EXPECT_EQ(Emit(OpId::kNeg, {*MakeOp(OpId::kIntegerPow, {a}, pow)}), "-a ** 2");
  OpAttrs cast;
  cast.to = DType::kFloat16;
  EXPECT_EQ(Emit(OpId::kAsType, {sum}, cast), "(a + b).astype(jnp.float16)");
  EXPECT_EQ(Emit(OpId::kAsType, {sum}, cast, 1), "lax.convert_element_type(a + b, jnp.float16)");
}

TEST(Emitter, Templates) {
  ExprPtr m = X({2, 3});
  EXPECT_EQ(Emit(OpId::kSum, {m}, WithAxes({0, 1}, true)),
            "jnp.sum(x, axis=(0, 1), keepdims=True)");
  EXPECT_EQ(Emit(OpId::kSum, {m}, {}, 1), "x.sum()");
  EXPECT_EQ(Emit(OpId::kSum, {m}, WithAxes({1}), 1), "x.sum(axis=1)");
  OpAttrs slices;
  slices.slices = {{1, 2, 1}, {0, 3, 2}};
  EXPECT_EQ(Emit(OpId::kSlice, {m}, slices), "x[1:, ::2]");
  EXPECT_EQ(Emit(OpId::kSlice, {m}, slices, 1), "lax.slice(x, (1, 0), (2, 3), (1, 2))");
  EXPECT_EQ(
      Emit(OpId::kScatterSet, {m, MakeLiteral(1, DType::kInt32), MakeLiteral(0, DType::kFloat32)}),
      "x.at[1].set(0.0)");
  OpAttrs spec;
  spec.subscripts = "ij,kj->ik";
  EXPECT_EQ(Emit(OpId::kEinsum, {m, Y({4, 3})}, spec), "jnp.einsum('ij,kj->ik', x, y)");
  EXPECT_EQ(Emit(OpId::kTranspose, {m}, WithAxes({1, 0}), 2), "lax.transpose(x, (1, 0))");
  EXPECT_EQ(Emit(OpId::kT, {m}), "x.T");
  EXPECT_EQ(emit::EmitExpr(*MakeLiteral(2, DType::kFloat16, /*weak=*/false)), "jnp.float16(2.0)");
}

TEST(Emitter, Literals) {
  EXPECT_EQ(emit::PythonLiteral(2, DType::kFloat32), "2.0");
  EXPECT_EQ(emit::PythonLiteral(0.25, DType::kFloat32), "0.25");
  EXPECT_EQ(emit::PythonLiteral(3, DType::kInt32), "3");
  EXPECT_EQ(emit::PythonLiteral(1, DType::kBool), "True");
}

}  // namespace
}  // namespace jitsynth::ir
