// Internal to synth: the Builder that constructs one program, and the policy
// values it reads, looked up once per generator.
//
// Generation is type-directed: Gen(t) returns an expression of exactly type
// t. It picks an op from the table by policy weight (scaled per family by op
// group), plans argument shapes and attributes that make the op produce t
// (the inverse of the op's shape rule, plan.cc), generates the arguments,
// guards the op's domain and keeps every value range within its dtype's
// budget. Types, shapes and ranges are known throughout, so nothing is
// filtered afterwards: the verifier only confirms.
#pragma once

#include <cmath>

#include <algorithm>
#include <array>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/rng.h"
#include "ir/program.h"
#include "synth/choices.h"
#include "synth/families.h"
#include "synth/policy.h"

namespace jitsynth::synth::detail {

constexpr size_t kNumGroups = static_cast<size_t>(ir::OpGroup::kRandom) + 1;
constexpr std::array kFloatDTypes = {ir::DType::kFloat32, ir::DType::kFloat16, ir::DType::kBFloat16,
                                     ir::DType::kFloat64};
constexpr std::array kIntDTypes = {ir::DType::kInt32, ir::DType::kInt8, ir::DType::kUInt8};
constexpr size_t kCondNameSchemes = 4;  // pairs of lax.cond branch names (control_flow.cc)

// The policy's values in the form the builder reads them.
struct Knobs {
  explicit Knobs(const Policy& policy);

  std::array<double, ir::kNumOps> op_weight{};
  std::array<double, kFamilyTable.size()> family_weight{};
  std::array<double, kFloatDTypes.size()> float_weight{};
  std::array<double, kIntDTypes.size()> int_weight{};
  int max_rank, max_elements, max_dim, max_args, max_depth, max_ops, control_depth, max_trip;
  double leaf_p, literal_p, dynamic_fori_p, scan_reverse_p, nested_p;
  double temporaries_p, docstring_p, alt_spelling_p, typed_literal_p;
  double unused_weight, closure_weight, read_same_type_weight, read_same_dtype_weight,
      body_same_dtype_weight;
  std::array<double, kChoiceTable.size()> choice{};  // by Choice
  std::array<std::array<double, kNumGroups>, kFamilyTable.size()> focus{};  // by family, group
};

using Exprs = std::vector<ir::ExprPtr>;

// What an argument of a planned op application is for.
enum class ArgRole {
  kValue,        // carries values of the op's value dtype
  kCond,         // a bool condition
  kIndex,        // integer positions in [0, bound)
  kStart,        // an int32 scalar start (dynamic slices clamp it)
  kKey,          // a jax.random key
  kStaticIndex,  // a Python int in [0, bound)
};

struct ArgPlan {
  ir::Shape shape;
  ArgRole role = ArgRole::kValue;
  bool literal_ok = false;  // may be a Python scalar
  int64_t bound = 0;        // kIndex, kStart
};

struct Plan {
  std::vector<ArgPlan> args;
  ir::OpAttrs attrs;
};

// Whether the op's dtype rule can produce a result of dtype `d`.
bool CanProduce(ir::OpId op, ir::DType d);
// The type of a planned argument when the op's values have dtype `value`.
ir::TensorType ArgType(const ArgPlan& arg, ir::DType value);

struct Planner;

// Whether every float node of `e` above `operand` (the guarded value, taken as checked)
// lies within its dtype's budget: a guard's own intermediates must stay in range too.
bool InBudgetAbove(const ir::ExprPtr& e, const ir::ExprPtr& operand);

// Builds one program. Holds the sample's Rng and the stack of functions under
// construction; every helper draws from that Rng only.
// Attributes the families build often: reduction or layout axes (with keepdims), a target shape.
// 1 - b as the literal a person writes (0.001, not 0.0010000000000000009).
inline double OneMinus(double b) { return std::round((1 - b) * 1e9) / 1e9; }

inline ir::OpAttrs Over(std::vector<int> axes, bool keepdims = false) {
  ir::OpAttrs a;
  a.axes = std::move(axes);
  a.keepdims = keepdims;
  return a;
}
inline ir::OpAttrs ShapeAttr(ir::Shape shape) {
  ir::OpAttrs a;
  a.shape = std::move(shape);
  return a;
}

class Builder {
 public:
  Builder(const Knobs& knobs, Rng rng);

  ir::Program Build(Family family);

  // Work done so far, in steps: expressions asked for and op applications
  // tried. expr.max_ops bounds the ops a program keeps but not the attempts
  // that fail (an op whose arguments fold to constants, a domain no guard can
  // meet), and each attempt builds its arguments first; when most attempts
  // fail (leaf_probability 0, few arguments allowed) they multiply with depth.
  // So work is bounded by construction: past WorkLimit steps Gen makes only
  // leaves, and the program is finished from what exists. The default policy
  // takes under 150 steps per sample; its limit is 2560. The cap keeps a
  // sample under about 50 ms whatever expr.max_ops allows (the policy fuzzer
  // reports the slowest sample).
  static constexpr int64_t kStepsPerOp = 64;
  static constexpr int64_t kMaxWork = 12000;
  static int64_t WorkLimit(int max_ops) {
    return std::min<int64_t>(kStepsPerOp * (max_ops + 16), kMaxWork);
  }
  // The safety net: past it the generator reports the sample as failed.
  static int64_t StepBudget(int max_ops) { return 2 * WorkLimit(max_ops) + 4096; }
  int64_t steps() const { return steps_; }
  bool over_budget() const { return steps_ > StepBudget(knobs_.max_ops); }

  // The policy's probability of a choice, and a draw of it.
  double P(Choice c) const { return knobs_.choice[static_cast<size_t>(c)]; }
  bool Chance(Choice c) { return rng_.Bernoulli(P(c)); }

  // The inverse of the op's shape rule (plan.cc): argument shapes, roles and
  // attributes for which the op can produce t (its dtype set by PlanDType),
  // or nullopt when the planner has no way to. Gen's first step; public for tests.
  std::optional<Plan> PlanShapes(ir::OpId op, const ir::TensorType& t);

 private:
  // ---- builder.cc: names, scopes, types -----------------------------------
  std::string Fresh(std::string_view base);
  std::string ArgName(const ir::TensorType& t);
  std::string TempName(const ir::ExprPtr& value);
  template <size_t N>
  std::string PickName(const std::array<std::string_view, N>& names) {
    return Fresh(names[rng_.Below(N)]);
  }

  struct Frame {
    int function;
    std::vector<ir::Var> scope;
    bool isolated = false;  // a helper: sees only its parameters
  };
  int Begin(std::string name, ir::Function::Role role, std::vector<ir::Var> params,
            bool isolated = false);
  void End(Exprs results);
  ir::Function& Current();
  bool CanAddArgs() const;
  bool CanNest() const { return control_depth_ < knobs_.control_depth; }

  ir::ExprPtr AddArg(const ir::TensorType& type, ir::Interval range, std::string name = "");
  void Define(const ir::Var& v);
  ir::ExprPtr Assign(ir::ExprPtr value);
  ir::ExprPtr MaybeAssign(ir::ExprPtr value);
  static ir::ExprPtr VarExpr(const ir::Var& v);

  ir::TensorType Float(ir::Shape s) const { return {fdt_, std::move(s)}; }
  ir::TensorType Int(ir::Shape s) const { return {idt_, std::move(s)}; }
  static ir::TensorType Bool(ir::Shape s) { return {ir::DType::kBool, std::move(s)}; }
  ir::Shape RandomShape(int min_rank, int max_rank);
  int64_t Dim();
  bool Fits(const ir::Shape& s) const;
  ir::Interval ArgRange(ir::DType t);
  double Budget(ir::DType t) const;

  // ---- builder.cc: expressions ---------------------------------------------
  ir::ExprPtr Gen(const ir::TensorType& t, int depth, bool literal_ok = false);
  // Gen with the outermost op from `group` when one applies: a family's
  // defining op at the top of its result.
  ir::ExprPtr GenIn(const ir::TensorType& t, int depth, ir::OpGroup group);
  // One op from `ops` (drawn by `weights`) producing t, or null.
  ir::ExprPtr GenOp(const ir::TensorType& t, int depth, const std::vector<ir::OpId>& ops,
                    std::vector<double> weights);
  bool Worthwhile(ir::OpId op, const Exprs& args);
  // Gen for a result: reads a variable and applies at least `min_ops` ops
  // (one-op programs differ only in their argument shapes).
  ir::ExprPtr Compute(const ir::TensorType& t, int depth, int min_ops = 3,
                      std::optional<ir::OpGroup> group = std::nullopt);
  static int OpCount(const ir::Expr& e);
  ir::ExprPtr Leaf(const ir::TensorType& t, bool literal_ok);
  ir::ExprPtr Index(const ir::TensorType& t, int64_t bound, bool literal_ok);
  ir::ExprPtr Key();
  ir::ExprPtr Literal(ir::DType t);
  ir::ExprPtr Lit(double v, ir::DType t) const { return ir::MakeLiteral(v, t); }
  int Depth();

  ir::ExprPtr Op(ir::OpId op, Exprs args, ir::OpAttrs attrs = {});
  ir::ExprPtr TryOp(ir::OpId op, Exprs args, ir::OpAttrs attrs = {});
  ir::ExprPtr Guard(ir::OpId op, const Exprs& args, const ir::OpAttrs& attrs);
  ir::ExprPtr GuardLiteral(const ir::ExprPtr& a, ir::Domain domain, const ir::Interval& bounds);
  ir::ExprPtr GuardExpr(const ir::ExprPtr& a, ir::Domain domain, const ir::Interval& bounds,
                        bool habit = true);
  ir::ExprPtr Clip(ir::ExprPtr x, double lo, double hi);
  // ---- guards.cc: how a program keeps values in range --------------------------
  // Each program draws one habit per purpose (guard_bound.*, guard_positive.*,
  // guard_nonneg.*, guard_eps.*): authors have their habits, and no single
  // idiom should run through the whole data set (bench/guard_idioms.py).
  enum class BoundStyle { kClip, kTanh, kSoftSign, kHardTanh, kWhereMask, kRescale, kContract, kSigmoid, kErf };
  enum class PositiveStyle { kShift, kSquare, kSoftplus, kSmoothAbs, kMaximum, kExp };
  enum class NonNegStyle { kAbs, kSquare, kRelu, kSoftplus };
  void DrawGuardHabits();
  // x within [-limit, limit] in the program's bounding habit (a clip where the habit does not apply).
  ir::ExprPtr Squash(ir::ExprPtr x, double limit);
  ir::ExprPtr SquashIn(const ir::ExprPtr& x, double limit, BoundStyle style);
  // A float a made positive (kPositive) or non-zero (kNonZero): the program's habit when
  // `habit`, else the plain |a| + 1.
  ir::ExprPtr Positive(const ir::ExprPtr& a, ir::Domain domain, bool habit);
  ir::ExprPtr NonNegative(const ir::ExprPtr& a, bool habit);
  void PickSpelling(ir::Expr& e);
  bool InBudget(const ir::ExprPtr& e) const;
  ir::ExprPtr Bound(ir::ExprPtr e, double limit = 1.0);
  ir::ExprPtr KeepWithin(ir::ExprPtr e, const ir::Interval& range);
  // e with a narrower range that the builder knows from how e was built.
  static ir::ExprPtr Refine(const ir::ExprPtr& e, const ir::Interval& range);
  // An elementwise binary op of a and b (same dtype) that stays in budget.
  ir::ExprPtr Combine(ir::ExprPtr a, ir::ExprPtr b);
  ir::ExprPtr Unary(ir::ExprPtr x);
  ir::ExprPtr Reading(ir::ExprPtr e, const ir::ExprPtr& must);
  // An expression of a type that broadcasts to t reading some variable in
  // scope (cast, reduced or compared as needed), or null when none is.
  ir::ExprPtr ReadAny(const ir::TensorType& t);
  // e, combined with a variable when it reads none (a constant program teaches nothing).
  ir::ExprPtr Anchor(ir::ExprPtr e);
  // e converted to t's dtype, and reduced when its shape does not broadcast to t's.
  ir::ExprPtr Conform(ir::ExprPtr e, const ir::TensorType& t);
  // Conform, then broadcast to exactly t.
  ir::ExprPtr Fit(ir::ExprPtr e, const ir::TensorType& t);
  ir::ExprPtr Reduce(ir::OpId op, ir::ExprPtr x, std::vector<int> axes, bool keepdims);
  ir::ExprPtr RandomReduce(ir::ExprPtr x);
  ir::ExprPtr CompareWithThreshold(ir::ExprPtr a);
  ir::ExprPtr ScalarPredicate(int depth);
  ir::ExprPtr SwitchIndex(int branches);
  static bool ReadsVariable(const ir::Expr& e, const std::string* name);

  // ---- plan.cc: the inverse shape rules ------------------------------------
  friend struct Planner;  // plans from this builder's Rng and knobs
  std::optional<ir::DType> PlanDType(ir::OpId op, const ir::TensorType& t, Plan& plan);

  // ---- control_flow.cc -------------------------------------------------------
  using BodyFn = std::function<Exprs(const Exprs& params)>;
  using BranchFn = std::function<Exprs(const Exprs& params, int which)>;
  Exprs Branches(ir::Stmt::Kind kind, ir::ExprPtr pred, int count, const Exprs& operands,
                 const std::vector<ir::TensorType>& results, const BranchFn& branch);
  Exprs Cond(ir::ExprPtr pred, const Exprs& operands, const std::vector<ir::TensorType>& results,
             const BranchFn& branch);
  Exprs Switch(ir::ExprPtr index, int count, const Exprs& operands,
               const std::vector<ir::TensorType>& results, const BranchFn& branch);
  Exprs ForiLoop(const Exprs& init, const BodyFn& body, ir::ExprPtr dynamic_upper = nullptr);
  Exprs Scan(const Exprs& init, const ir::ExprPtr& xs, const BodyFn& body);
  Exprs WhileLoop(const Exprs& init, ir::ExprPtr bound, const BodyFn& body, bool extra_condition);
  ir::ExprPtr TripBound();
  int Helper(std::vector<ir::TensorType> params, const ir::TensorType& result);
  ir::ExprPtr Call(int helper, Exprs args, std::vector<int> in_axes = {});
  std::vector<ir::Var> CarryParams(const Exprs& init);
  Exprs Commit(ir::Stmt s);
  static ir::Interval CarryRange(const ir::ExprPtr& init);
  // A statement computing a value of type t: an assignment or, depth
  // permitting, a lax control-flow construct.
  ir::ExprPtr Statement(const ir::TensorType& t);
  enum class Construct { kCond, kSwitch, kForiLoop, kScan };  // the differentiable ones
  Construct RandomConstruct() { return static_cast<Construct>(rng_.Below(4)); }
  ir::ExprPtr ControlFlow(const ir::TensorType& t, Construct construct);
  Exprs BodyResults(const Exprs& params, const std::vector<ir::TensorType>& types);

  // ---- families.cc -----------------------------------------------------------
  std::string Docstring(const FamilyInfo& family);
  // Scales the op weights by the family's focus on each op group (families.h).
  void Focus(Family family);
  // One method per family, declared by the family table (families.h), which
  // names it; Build dispatches through kFamilyBuilders, built from that table.
#define JITSYNTH_FAMILY_BUILDER(e, builder, ...) Exprs builder();
  JITSYNTH_FAMILIES(JITSYNTH_FAMILY_BUILDER)
#undef JITSYNTH_FAMILY_BUILDER
  using FamilyBuilder = Exprs (Builder::*)();
  static const std::array<FamilyBuilder, kFamilyTable.size()> kFamilyBuilders;
  // Builds `family` in place of the one asked for (whose needs the policy's
  // shape limits cannot meet); the program is then that family's category.
  Exprs Instead(Family family);
  // nn compositions
  ir::ExprPtr LayerNorm(ir::ExprPtr x);
  ir::ExprPtr Affine(ir::ExprPtr normed, int64_t features);
  ir::ExprPtr Attention(ir::ExprPtr q, ir::ExprPtr k, ir::ExprPtr v);
  ir::ExprPtr Dense(ir::ExprPtr x, int64_t out);
  ir::ExprPtr Activation(ir::ExprPtr x);
  ir::ExprPtr Mlp(ir::ExprPtr x, int64_t out);
  // ---- idioms.cc: the idioms of model code --------------------------------------
  // A weighted pick among the policy's weights for `choices`; the first when all are zero.
  size_t Pick(std::initializer_list<Choice> choices);
  // One of `ops`, weighted by their policy weights (op.*); the first when all are zero.
  ir::OpId PickOp(std::span<const ir::OpId> ops);
  ir::ExprPtr Cast(ir::ExprPtr x, ir::DType to);
  ir::ExprPtr RmsNorm(ir::ExprPtr x);
  ir::ExprPtr RmsScale(ir::ExprPtr y, int64_t n, ir::DType t);  // the RMS norm's learned scale, if any
  Exprs BatchNorm(ir::ExprPtr x, const std::vector<int>& axes, bool keep);
  ir::ExprPtr Positions(int64_t length, int64_t half, ir::DType t);  // [length, half] angles
  ir::ExprPtr MultiHead(ir::ExprPtr x, int64_t heads);
  ir::ExprPtr Loss(ir::ExprPtr per_example);
  ir::ExprPtr SparseCrossEntropy(ir::ExprPtr logits);
  ir::ExprPtr MaskedRegression(const ir::Shape& s);  // divergence: a masked regression loss
  ir::ExprPtr SmoothL1(const ir::Shape& s);          // divergence: smooth L1 or Huber
  ir::ExprPtr PickedNll(const ir::ExprPtr& logits, const ir::ExprPtr& labels);
  ir::ExprPtr MaskedTokenLoss(int64_t batch);
  Exprs GraphLayer();
  Exprs MixedAttention();
  // ---- model_idioms.cc: more idioms of model code -------------------------------------
  int ArgsLeft() const;  // arguments the entry may still take (shape.max_args)
  ir::ExprPtr Arange(int64_t n, ir::DType t);
  ir::ExprPtr SliceAxis(ir::ExprPtr x, int axis, int64_t start, int64_t stop, int64_t step);
  ir::ExprPtr GroupNorm(ir::ExprPtr x, int64_t groups);
  Exprs AdamStep(const ir::ExprPtr& param, const ir::ExprPtr& grad, double lr);
  int LossHelper(size_t model, bool adam, bool relu, const std::vector<ir::Var>& params);
  Exprs ScanLayers();
  // A hyper-parameter's value, drawn uniformly from the values such code uses.
  double Draw(std::initializer_list<double> values);
  // The factor that clips values of global norm `norm` to a drawn max_norm (family_optimizer.clip_torch).
  ir::ExprPtr ClipScale(const ir::ExprPtr& norm);
  // The global norm of `values`, accumulated in `acc`.
  ir::ExprPtr GlobalNorm(const Exprs& values, ir::DType acc);
  // A recurrent cell's gate: jax.nn.sigmoid, or 1 / (1 + exp(-x)) where exp stays in budget.
  ir::ExprPtr Gate(const ir::ExprPtr& x, bool manual);
  // Optimizer update rules (idioms.cc): the new parameter first, then the new state.
  ir::ExprPtr LearningRate(std::initializer_list<double> values);
  ir::ExprPtr ScaledBy(ir::ExprPtr m, ir::ExprPtr v, double eps);
  ir::ExprPtr Mix(double a, ir::ExprPtr x, double b, ir::ExprPtr y);
  Exprs SgdRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  Exprs AdamRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  Exprs LionRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  Exprs RmspropRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  Exprs AdafactorRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  Exprs ScheduleRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  Exprs ClipRule(const ir::ExprPtr& param, ir::ExprPtr grad);
  // Losses (idioms.cc): per-example values.
  ir::ExprPtr ReducedLoss(ir::ExprPtr per_example);
  ir::ExprPtr LossInput(const ir::Shape& s, ir::Interval range, std::string name);
  ir::ExprPtr Tempered(ir::ExprPtr logits);
  ir::ExprPtr WithZLoss(ir::ExprPtr per, const ir::ExprPtr& logits);
  ir::ExprPtr SoftmaxCrossEntropy(int64_t batch, int64_t classes);
  ir::ExprPtr HuberLoss(const ir::Shape& s);
  ir::ExprPtr HingeLoss(const ir::Shape& s);
  ir::ExprPtr CosineLoss(const ir::Shape& s);
  ir::ExprPtr BinaryCrossEntropy(const ir::Shape& s);
  ir::ExprPtr FocalLoss(const ir::Shape& s);
  // Iterative solvers (idioms.cc).
  Exprs NewtonSolver(int kind);
  Exprs PowerIteration();
  Exprs FixedPoint();

  const Knobs& knobs_;
  Rng rng_;
  ir::Program program_;
  std::vector<Frame> frames_;
  std::unordered_set<std::string> used_names_;
  std::unordered_map<std::string, int> use_count_;
  std::array<double, kNumGroups> group_scale_{};
  // Per result dtype: the ops that can produce it and their weights under the
  // current focus, built on first use.
  struct Candidates {
    bool ready = false;
    std::vector<ir::OpId> ops;
    std::vector<double> weights;
  };
  std::array<Candidates, ir::kNumDTypes> candidates_;
  const Candidates& CandidatesFor(ir::DType d);
  size_t arg_scheme_ = 0;
  size_t arg_count_ = 0;
  std::string temp_prefix_;
  bool descriptive_names_ = false;
  int temp_count_ = 0;
  size_t branch_names_ = 0;
  double temps_probability_ = 0;
  int ops_left_ = 0;
  int64_t steps_ = 0;
  int64_t work_limit_ = 0;  // WorkLimit(expr.max_ops)
  static constexpr int kMaxNesting = 48;  // GenOp calls on the stack
  int nesting_ = 0;
  int control_depth_ = 0;
  ir::DType fdt_ = ir::DType::kFloat32;
  ir::DType idt_ = ir::DType::kInt32;
  bool x64_ = false;
  bool differentiable_ = true;
  double nested_p_ = 0;  // chance that a control-flow body nests control flow
  BoundStyle bound_style_ = BoundStyle::kClip;
  PositiveStyle positive_style_ = PositiveStyle::kShift;
  NonNegStyle nonneg_style_ = NonNegStyle::kAbs;
  double guard_eps_ = 1.0;
  ir::ExprPtr loss_params_;  // a loss's head weights, for an L2 penalty (idioms.cc)
};

}  // namespace jitsynth::synth::detail
