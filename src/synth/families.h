// The kernel families, declared once: each sample belongs to one, recorded
// as its `category`. The policy's [family] weights, the generator's dispatch
// and the schema's category list follow this table.
#pragma once

#include <array>
#include <string_view>

#include "ir/ops.h"

namespace jitsynth::synth {

// clang-format off
// X(enumerator, builder, name, default weight, description)
//
// builder: the detail::Builder method that builds the family's programs, named
// after the family (CamelCase, then "Family"; families.cc checks the names).
#define JITSYNTH_FAMILIES(X)                                                                       \
  X(kElementwise, ElementwiseFamily, "elementwise", 1.0, "binary and unary elementwise expressions over arrays of one shape") \
  X(kScalarArray, ScalarArrayFamily, "scalar_array", 0.6, "saxpy-like: scalars scaling arrays")                       \
  X(kUnary, UnaryFamily, "unary", 0.5, "chains of unary functions")                                             \
  X(kBranch, BranchFamily, "branch", 1.2, "branches: jnp.where, lax.cond and lax.switch")                                  \
  X(kLoop, LoopFamily, "loop", 3.0, "loops: lax.fori_loop with static bounds and lax.scan")                           \
  X(kReduction, ReductionFamily, "reduction", 1.0, "reductions over axes: sum, var, argmax, logsumexp, any, ...")   \
  X(kVector, VectorFamily, "vector", 0.4, "3-vector algebra: dot, cross, norm, normalize")                       \
  X(kMultiStatement, MultiStatementFamily, "multi_statement", 1.0, "several statements of different shapes and kinds")   \
  X(kNestedBranch, NestedBranchFamily, "nested_branch", 1.1, "branches in branches: lax.cond inside lax.cond, jnp.where inside branches")    \
  X(kCompound, CompoundFamily, "compound", 1.8, "loops and branches nested up to three deep")              \
  X(kShape, ShapeFamily, "shape", 1.0, "reshapes, transposes, joins, splits, pads and slices")                  \
  X(kIndexing, IndexingFamily, "indexing", 1.0, "gathers, scatters (.at[]) and dynamic slices")                    \
  X(kLinalg, LinalgFamily, "linalg", 1.0, "dot, matmul, einsum, tensordot, outer, inner")                        \
  X(kConv, ConvFamily, "conv", 0.7, "convolutions and pooling over NCHW images")                              \
  X(kNN, NnFamily, "nn", 1.0, "layer norm, attention, MLP layers, softmax and one-hot losses")               \
  X(kInteger, IntegerFamily, "integer", 0.7, "integer and bool programs: bitwise ops, shifts, comparisons, casts") \
  X(kSorting, SortingFamily, "sorting", 0.7, "cumulative ops, sort, argsort, top_k")                              \
  X(kRandom, RandomFamily, "random", 0.7, "sampling with jax.random from a key argument")                             \
  X(kWhileLoop, WhileLoopFamily, "while_loop", 1.3, "loops without a backward pass: lax.while_loop and lax.fori_loop over traced bounds") \
  X(kHelpers, HelpersFamily, "helpers", 0.8, "helper functions called more than once, jax.vmap over a helper") \
  X(kNorm, NormFamily, "norm", 0.5, "normalization layers: layer norm, RMS norm, batch norm") \
  X(kOptimizer, OptimizerFamily, "optimizer", 0.7, "optimizer update rules: SGD momentum, Adam/AdamW, RMSProp, Adafactor, clipping by global norm") \
  X(kPosition, PositionFamily, "position", 0.4, "position codes: sinusoidal, rotary") \
  X(kAttention, AttentionFamily, "attention", 0.6, "multi-head attention: heads by reshape, causal and padding masks from arange, grouped queries") \
  X(kLoss, LossFamily, "loss", 0.7, "losses: cross-entropy with label smoothing, Huber, hinge, cosine similarity, sigmoid cross-entropy") \
  X(kRecurrent, RecurrentFamily, "recurrent", 0.55, "GRU, LSTM and Elman cells through lax.scan") \
  X(kEmbedding, EmbeddingFamily, "embedding", 0.4, "embeddings: jnp.take, one-hot matmul, tied logits") \
  X(kSolver, SolverFamily, "solver", 0.7, "iterative solvers in lax.fori_loop: Newton steps, power iteration") \
  X(kBlock, BlockFamily, "block", 0.8, "blocks: transformer, convolution-norm-activation, mixed precision, scanned layers") \
  X(kConvNet, ConvNetFamily, "conv_net", 0.5, "convolution blocks in flax's NHWC layout: conv, batch/group/RMS norm, activation, pooling, residual") \
  X(kLinearScan, LinearScanFamily, "linear_scan", 0.3, "linear recurrences and prefix ops through lax.associative_scan, token shift by pad and slice") \
  X(kSchedule, ScheduleFamily, "schedule", 0.3, "learning-rate schedules from an int32 step: warmup-cosine, linear, exponential, inverse sqrt, piecewise, polynomial") \
  X(kSampling, SamplingFamily, "sampling", 0.4, "next-token sampling: temperature, top-k or top-p filters, categorical, Gumbel-max or greedy") \
  X(kFeedForward, FeedForwardFamily, "feed_forward", 0.5, "transformer feed-forward layers: pre-norm, dense or gated (SwiGLU, GeGLU) units, residual") \
  X(kDivergence, DivergenceFamily, "divergence", 0.3, "divergences and metric losses: KL, InfoNCE, focal, triplet margin, masked regression, smooth L1") \
  X(kCell, CellFamily, "cell", 0.3, "recurrent cells with separate gates through lax.scan: LSTM, Elman RNN, bidirectional") \
  X(kTokenInput, TokenInputFamily, "token_input", 0.4, "token inputs: embedding lookups by id, sinusoidal or learned positions, padding masks") \
  X(kTrainStep, TrainStepFamily, "train_step", 0.5, "training steps: jax.grad of a loss function (regression, classifier, MLP), then SGD, momentum or weight decay, gradients clipped by global norm") \
  X(kRotary, RotaryFamily, "rotary", 0.3, "rotary position embeddings: rotate_half, split halves or interleaved pairs, from int32 positions or arange") \
  X(kGraph, GraphFamily, "graph", 0.3, "graph layers over edge lists: messages by gather and jax.ops.segment_sum, GCN normalization, mean aggregation")
// clang-format on

enum class Family {
#define JITSYNTH_FAMILY_ENUM(e, ...) e,
  JITSYNTH_FAMILIES(JITSYNTH_FAMILY_ENUM)
#undef JITSYNTH_FAMILY_ENUM
};

struct FamilyInfo {
  Family family;
  std::string_view name;
  double weight;  // default policy weight
  std::string_view description;
};

inline constexpr std::array kFamilyTable = {
#define JITSYNTH_FAMILY_INFO(e, builder, name, weight, description) \
  FamilyInfo{Family::e, name, weight, description},
    JITSYNTH_FAMILIES(JITSYNTH_FAMILY_INFO)
#undef JITSYNTH_FAMILY_INFO
};

// How much of each op group a family draws: every op's weight is scaled by
// its group's focus. Every family keeps a little of every group (the policy's
// [focus] table, so any op may appear anywhere); a family's own keys
// (family_<name>.focus_<group>) replace those for the groups it is about.
struct GroupScale {
  ir::OpGroup group;
  double scale;  // the default policy's value
};
struct FocusScale {
  Family family;
  ir::OpGroup group;
  double scale;  // the default policy's value
};

inline constexpr std::array kBaselineFocus = {
    GroupScale{ir::OpGroup::kMath, 1.0},
    GroupScale{ir::OpGroup::kCompare, 0.15},
    GroupScale{ir::OpGroup::kBitwise, 0.03},
    GroupScale{ir::OpGroup::kCast, 0.1},
    GroupScale{ir::OpGroup::kReduce, 0.2},
    GroupScale{ir::OpGroup::kSequence, 0.05},
    GroupScale{ir::OpGroup::kShape, 0.12},
    GroupScale{ir::OpGroup::kIndex, 0.06},
    GroupScale{ir::OpGroup::kLinalg, 0.1},
    GroupScale{ir::OpGroup::kWindow, 0.01},
    GroupScale{ir::OpGroup::kNN, 0.05},
    GroupScale{ir::OpGroup::kConstant, 0.03},
    GroupScale{ir::OpGroup::kRandom, 0.01},
};

inline constexpr std::array kFamilyFocus = {
    FocusScale{Family::kElementwise, ir::OpGroup::kReduce, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kSequence, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kShape, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kIndex, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kLinalg, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kWindow, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kNN, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kConstant, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kRandom, 0},
    FocusScale{Family::kElementwise, ir::OpGroup::kCompare, 0.3},
    FocusScale{Family::kBranch, ir::OpGroup::kCompare, 0.5},
    FocusScale{Family::kReduction, ir::OpGroup::kReduce, 5},
    FocusScale{Family::kReduction, ir::OpGroup::kShape, 0.05},
    FocusScale{Family::kMultiStatement, ir::OpGroup::kReduce, 0.5},
    FocusScale{Family::kMultiStatement, ir::OpGroup::kShape, 0.4},
    FocusScale{Family::kMultiStatement, ir::OpGroup::kLinalg, 0.3},
    FocusScale{Family::kMultiStatement, ir::OpGroup::kIndex, 0.2},
    FocusScale{Family::kMultiStatement, ir::OpGroup::kSequence, 0.2},
    FocusScale{Family::kMultiStatement, ir::OpGroup::kNN, 0.2},
    FocusScale{Family::kShape, ir::OpGroup::kShape, 6},
    FocusScale{Family::kShape, ir::OpGroup::kMath, 0.5},
    FocusScale{Family::kIndexing, ir::OpGroup::kIndex, 6},
    FocusScale{Family::kIndexing, ir::OpGroup::kShape, 0.4},
    FocusScale{Family::kLinalg, ir::OpGroup::kLinalg, 6},
    FocusScale{Family::kLinalg, ir::OpGroup::kShape, 0.3},
    FocusScale{Family::kConv, ir::OpGroup::kWindow, 2},
    FocusScale{Family::kNN, ir::OpGroup::kNN, 2},
    FocusScale{Family::kInteger, ir::OpGroup::kBitwise, 4},
    FocusScale{Family::kInteger, ir::OpGroup::kCompare, 2},
    FocusScale{Family::kInteger, ir::OpGroup::kCast, 0.6},
    FocusScale{Family::kInteger, ir::OpGroup::kReduce, 0.3},
    FocusScale{Family::kInteger, ir::OpGroup::kShape, 0.2},
    FocusScale{Family::kSorting, ir::OpGroup::kSequence, 6},
    FocusScale{Family::kSorting, ir::OpGroup::kReduce, 0.4},
    FocusScale{Family::kRandom, ir::OpGroup::kRandom, 6},
    FocusScale{Family::kHelpers, ir::OpGroup::kReduce, 0.4},
    FocusScale{Family::kHelpers, ir::OpGroup::kLinalg, 0.2},
};

}  // namespace jitsynth::synth
