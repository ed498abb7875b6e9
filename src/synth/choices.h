// The generator's yes/no choices, declared once: each reads its probability
// from the policy key named here (`jitsynth policy --dump` lists them with
// these comments), so every choice can be steered. Choices that pick among
// more than two cases read one key per case (family_branch.where, .cond).
// A literal probability in src/synth is a test failure
// (scripts/check_literal_probabilities.py).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace jitsynth::synth {

// clang-format off
// X(enumerator, policy key, default probability, what the choice decides when true)
#define JITSYNTH_CHOICES(X) \
  X(kDescriptiveNames, "names.descriptive", 0.3, "a program names its temporaries after what they hold (mask, total) rather than numbering them") \
  X(kUInt8WideRange, "args.uint8_wide", 0.5, "a uint8 argument spans [0, 255] rather than [0, 15]") \
  X(kInt8WideRange, "args.int8_wide", 0.5, "an int8 argument spans [-128, 127] rather than [-8, 8]") \
  X(kInt32WideRange, "args.int32_wide", 0.5, "an int32 argument spans [-100, 100] rather than [0, 10]") \
  X(kFloatRangeSym2, "args.float_range_sym2", 0.2, "weight: a float argument is drawn from [-2, 2] (each argument draws one of these ranges)") \
  X(kFloatRangeUnit, "args.float_range_unit", 0.2, "weight: ... from [-1, 1]") \
  X(kFloatRangePositive, "args.float_range_positive", 0.2, "weight: ... from [0.5, 2]") \
  X(kFloatRangeSym3, "args.float_range_sym3", 0.2, "weight: ... from [-3, 3]") \
  X(kFloatRangeUnitInterval, "args.float_range_unit_interval", 0.2, "weight: ... from [0, 1]") \
  X(kDocSummary, "style.docstring_summary", 1, "weight: a docstring is the family's one-line summary (each docstring draws one form)") \
  X(kDocGeneric, "style.docstring_generic", 1, "weight: ... 'A generated <family> kernel.'") \
  X(kDocArgs, "style.docstring_args", 1, "weight: ... the summary with Args: and Returns: sections listing types") \
  X(kTemporaryEach, "style.temporary_each", 0.35, "in a program that names temporaries, the chance that each op result gets a name") \
  X(kCombineSwap, "expr.combine_swap", 0.3, "a binary combination puts its second operand first") \
  X(kGrowUnary, "expr.grow_unary", 0.5, "a result short of its minimum op count grows by a unary op rather than a binary one") \
  X(kBoundClip, "guard_bound.clip", 0.04, "weight: a program bounds values to [-k, k] with jnp.clip (each program draws one bounding habit from these weights)") \
  X(kBoundTanh, "guard_bound.tanh", 0.03, "weight: ... with k * jnp.tanh(x / k)") \
  X(kBoundSoftSign, "guard_bound.soft_sign", 0.08, "weight: ... with jax.nn.soft_sign, scaled by k") \
  X(kBoundHardTanh, "guard_bound.hard_tanh", 0.06, "weight: ... with jax.nn.hard_tanh where k = 1 (a clip otherwise)") \
  X(kBoundWhereMask, "guard_bound.where_mask", 0.1, "weight: ... with a mask, jnp.where(jnp.abs(x) <= k, x, 0)") \
  X(kBoundRescale, "guard_bound.rescale", 0.12, "weight: ... by rescaling with a norm, x / (max |x| + eps) * k") \
  X(kBoundContract, "guard_bound.contract", 0.16, "weight: ... with a contraction factor, x * c, c from x's known range") \
  X(kBoundSigmoid, "guard_bound.sigmoid", 0.12, "weight: ... with (2 * sigmoid(x) - 1) * k") \
  X(kBoundErf, "guard_bound.erf", 0.12, "weight: ... with lax.erf, scaled by k") \
  X(kGuardRescaleRow, "guard_bound.rescale_row", 0.5, "a norm rescale takes the norm of each row (last axis, keepdims) rather than of the whole array") \
  X(kPositiveShift, "guard_positive.shift", 0.3, "weight: a program keeps a value positive (log, division) by shifting it, x + eps or jnp.abs(x) + eps (each program draws one habit from these weights)") \
  X(kPositiveSquare, "guard_positive.square", 0.14, "weight: ... with jnp.square(x) + eps") \
  X(kPositiveSoftplus, "guard_positive.softplus", 0.16, "weight: ... with jax.nn.softplus(x) + eps") \
  X(kPositiveSmoothAbs, "guard_positive.smooth_abs", 0.14, "weight: ... with jnp.sqrt(x * x + eps)") \
  X(kPositiveMaximum, "guard_positive.maximum", 0.12, "weight: ... with jnp.maximum(x, eps)") \
  X(kPositiveExp, "guard_positive.exp", 0.14, "weight: ... with jnp.exp(x)") \
  X(kNonNegAbs, "guard_nonneg.abs", 0.35, "weight: a program keeps a value non-negative (sqrt, log1p) with jnp.abs (each program draws one habit from these weights)") \
  X(kNonNegSquare, "guard_nonneg.square", 0.25, "weight: ... with jnp.square") \
  X(kNonNegRelu, "guard_nonneg.relu", 0.2, "weight: ... with jax.nn.relu") \
  X(kNonNegSoftplus, "guard_nonneg.softplus", 0.2, "weight: ... with jax.nn.softplus") \
  X(kEpsOne, "guard_eps.one", 0.3, "weight: a program's guard epsilon is 1.0 (each program draws one; a guard falls back to 1.0 where a smaller one leaves the dtype's budget)") \
  X(kEpsHalf, "guard_eps.half", 0.2, "weight: ... 0.5") \
  X(kEpsTenth, "guard_eps.tenth", 0.2, "weight: ... 0.1") \
  X(kEpsMilli, "guard_eps.milli", 0.2, "weight: ... 1e-3") \
  X(kEpsMicro, "guard_eps.micro", 0.1, "weight: ... 1e-6") \
  X(kReduceOneAxis, "reduce.one_axis", 0.7, "a random reduction reduces one axis rather than all") \
  X(kReduceNegativeAxis, "reduce.negative_axis", 0.2, "a random reduction's axis is written negative") \
  X(kReduceKeepdims, "reduce.keepdims", 0.25, "a random reduction keeps the reduced axis (keepdims=True)") \
  X(kLeafReuse, "leaf.reuse", 0.85, "a leaf reads a variable in scope rather than adding an argument, when both are possible") \
  X(kLeafDerive, "leaf.derive", 0.7, "with no variable of a leaf's type and no room for an argument, the leaf derives from another variable rather than a constant") \
  X(kIndexLiteral, "index.literal", 0.5, "a scalar index that may be a Python int is one") \
  X(kIndexReuse, "index.reuse", 0.7, "an index reads an in-bounds variable in scope (tried per variable)") \
  X(kIndexArg, "index.arg", 0.8, "an index is a new argument rather than a guarded expression") \
  X(kKeyDirect, "keys.direct", 0.5, "a jax.random key is used as it is rather than split or folded") \
  X(kKeySplit, "keys.split", 0.6, "a derived key comes from jax.random.split rather than fold_in") \
  X(kBoolPredicate, "control.bool_predicate", 0.3, "a scalar predicate is a bool expression rather than a float compared with a threshold") \
  X(kSwitchIndexArg, "control.switch_index_arg", 0.4, "a lax.switch index is an argument rather than computed") \
  X(kTripBoundArg, "control.trip_bound_arg", 0.7, "a traced loop bound is an argument rather than computed") \
  X(kForiFromZero, "control.fori_from_zero", 0.8, "a static fori_loop counts from 0 rather than 1") \
  X(kWhileBitwiseAnd, "control.while_bitwise_and", 0.5, "a while_loop's extra condition joins with & rather than jnp.logical_and") \
  X(kBranchOperand, "control.branch_operand", 0.4, "a variable in scope becomes a branch operand (tried per variable, at most two)") \
  X(kForiIndexFloat, "control.fori_index_float", 0.3, "a fori_loop body folds its index, as a float, into the update") \
  X(kScanCarryOut, "control.scan_carry_out", 0.5, "a lax.scan emits its new carry as its per-step output rather than a separate value") \
  X(kStatementFlow, "control.statement_flow", 0.5, "a statement is a control-flow construct rather than an assignment, depth permitting") \
  X(kElementwiseBiasRow, "family_elementwise.bias_row", 0.25, "an extra argument is a bias row (the last axis) rather than the full shape") \
  X(kElementwiseSecond, "family_elementwise.second_result", 0.2, "a second result") \
  X(kScalarArrayPerturbed, "family_scalar_array.perturbed", 0.5, "x is transformed before scaling") \
  X(kScalarArrayPerturbUnary, "family_scalar_array.perturb_unary", 0.5, "that transform is a unary op rather than a binary one") \
  X(kScalarArrayAlphaFirst, "family_scalar_array.alpha_first", 0.7, "alpha * x rather than x * alpha") \
  X(kScalarArrayScaledY, "family_scalar_array.scaled_y", 0.35, "y is scaled by a second scalar argument") \
  X(kScalarArrayAdd, "family_scalar_array.add", 0.75, "the two terms are added rather than subtracted") \
  X(kScalarArrayOuterUnary, "family_scalar_array.outer_unary", 0.35, "a perturbed program still gets a unary op on the outside") \
  X(kScalarArrayLiteral, "family_scalar_array.literal", 0.3, "the result is combined with a literal") \
  X(kUnaryLiteral, "family_unary.literal", 0.2, "a link of the chain is combined with a literal (per link)") \
  X(kBranchWhereCompare, "family_branch.where_compare", 0.5, "jnp.where's condition compares a float with a threshold rather than being a bool expression") \
  X(kBranchWhereZero, "family_branch.where_zero", 0.2, "jnp.where's other value is 0") \
  X(kBranchTwoOperands, "family_branch.two_operands", 0.7, "lax.cond or lax.switch gets two operands rather than one") \
  X(kBranchWhere, "family_branch.where", 0.3, "the branch is jnp.where (the cond and switch shares follow; the rest is lax.switch)") \
  X(kBranchCond, "family_branch.cond", 0.4, "the branch is lax.cond") \
  X(kLoopFori, "family_loop.fori", 0.5, "the loop is lax.fori_loop rather than lax.scan") \
  X(kLoopSecondCarry, "family_loop.second_carry", 0.4, "a fori_loop carries a second value") \
  X(kLoopInvariant, "family_loop.invariant", 0.4, "a fori_loop has a loop-invariant argument") \
  X(kLoopIndexFloat, "family_loop.index_float", 0.4, "a fori_loop body uses its index as a float") \
  X(kLoopReduce, "family_loop.reduce", 0.4, "a fori_loop's result is reduced") \
  X(kLoopScanCarryOut, "family_loop.scan_carry_out", 0.5, "a scan emits its bounded carry as its output rather than a new value") \
  X(kLoopScanSum, "family_loop.scan_sum", 0.3, "a scan's per-step output is summed to a scalar") \
  X(kLoopScanBoth, "family_loop.scan_both", 0.5, "the program returns the scan's final carry and its outputs rather than the outputs alone") \
  X(kReductionInt, "family_reduction.int", 0.2, "the result is integer rather than float") \
  X(kReductionSecond, "family_reduction.second_result", 0.4, "a second result reduces another expression") \
  X(kVectorBatched, "family_vector.batched", 0.5, "vectors come in a batch (n, 3) rather than alone") \
  X(kVectorPositive, "family_vector.positive_range", 0.6, "a vector argument draws from a positive range") \
  X(kVectorRaw, "family_vector.raw", 0.2, "an operand is used as it is rather than through a bounded unary op") \
  X(kVectorSecondDot, "family_vector.second_dot", 0.5, "the |a x b| variant also returns a . b") \
  X(kVectorOuterUnary, "family_vector.outer_unary", 0.6, "the last result gets a unary op") \
  X(kVectorExtraCross, "family_vector.extra_cross", 0.5, "the dot variant also returns a x b") \
  X(kMultiRowArg, "family_multi_statement.row_arg", 0.5, "a row argument (the last axis)") \
  X(kMultiScalarArg, "family_multi_statement.scalar_arg", 0.3, "a scalar argument") \
  X(kMultiDropAxis, "family_multi_statement.drop_axis", 0.2, "a statement's shape drops one axis of the base shape (per statement)") \
  X(kMultiSecond, "family_multi_statement.second_result", 0.4, "the next-to-last statement is a second result") \
  X(kNestedInnerCond, "family_nested_branch.inner_cond", 0.5, "the second branch holds a lax.cond too, rather than jnp.where") \
  X(kCompoundSecond, "family_compound.second_result", 0.5, "the unreduced value is a second result") \
  X(kCompoundNested, "family_compound.nested", 0.8, "a body holds further control flow, down to control.max_depth") \
  X(kShapeSecond, "family_shape.second_result", 0.2, "a second, float result") \
  X(kShapeInt, "family_shape.int", 0.15, "the result is an integer array") \
  X(kShapeBool, "family_shape.bool", 0.05, "the result is a bool array (the rest are float)") \
  X(kIndexingRowLoop, "family_indexing.row_loop", 0.25, "rows are written one at a time in a fori_loop (not under x64)") \
  X(kIndexingInt, "family_indexing.int", 0.2, "the result is integer rather than float") \
  X(kConvTwoD, "family_conv.two_d", 0.7, "a 2-D convolution rather than 1-D") \
  X(kConvSame, "family_conv.same_padding", 0.5, "the convolution pads SAME rather than VALID") \
  X(kConvStride2, "family_conv.stride2", 0.3, "a spatial stride is 2 (per axis)") \
  X(kConvBias, "family_conv.bias", 0.3, "a bias is added") \
  X(kConvPool, "family_conv.pool", 0.6, "the features are pooled") \
  X(kConvPoolSame, "family_conv.pool_same", 0.3, "the pooling pads SAME") \
  X(kConvMeanHead, "family_conv.mean_head", 0.4, "the head is a spatial mean") \
  X(kConvDenseHead, "family_conv.dense_head", 0.3, "the head is a dense layer on the flattened features (the rest return the features)") \
  X(kNnDenseBias, "family_nn.dense_bias", 0.6, "a dense layer adds a bias") \
  X(kNnNormVar, "family_nn.norm_var", 0.5, "layer norm takes jnp.var rather than the mean of squares") \
  X(kNnNormEps, "family_nn.norm_eps_large", 0.5, "layer norm's epsilon is 1e-5 rather than 1e-6") \
  X(kNnNormSqrt, "family_nn.norm_sqrt", 0.5, "layer norm divides by sqrt rather than multiplying by rsqrt") \
  X(kNnNormAffine, "family_nn.norm_affine", 0.6, "layer norm has gamma and beta") \
  X(kNnAttentionMatmul, "family_nn.attention_matmul", 0.5, "attention scores use matmul with .T rather than einsum") \
  X(kNnCausalMask, "family_nn.causal_mask", 0.4, "attention has a causal mask") \
  X(kNnMlpNorm, "family_nn.mlp_norm", 0.25, "an MLP layer is followed by layer norm") \
  X(kNnNormDense, "family_nn.norm_dense", 0.3, "layer norm follows a dense layer") \
  X(kNnNormActivation, "family_nn.norm_activation", 0.5, "layer norm is followed by an activation") \
  X(kNnResidual, "family_nn.residual", 0.3, "a residual connection around layer norm") \
  X(kNnQueryRaw, "family_nn.query_raw", 0.5, "attention's query is the input rather than a projection") \
  X(kNnKeyRaw, "family_nn.key_raw", 0.5, "attention's keys are the input rather than a projection") \
  X(kNnValueRaw, "family_nn.value_raw", 0.3, "attention's values are the input rather than a projection") \
  X(kNnAttentionResidual, "family_nn.attention_residual", 0.5, "a residual connection around attention") \
  X(kNnLogitsMlp, "family_nn.logits_mlp", 0.6, "the loss's logits come from an MLP rather than an expression") \
  X(kNnLabelSmoothing, "family_nn.label_smoothing", 0.3, "one-hot labels are smoothed") \
  X(kNnLossSum, "family_nn.loss_sum", 0.3, "the loss is summed rather than averaged") \
  X(kIntegerBool, "family_integer.bool", 0.2, "the result is a bool array rather than integers") \
  X(kSortingInt, "family_sorting.int", 0.25, "the values are integers") \
  X(kRandomDropout, "family_random.dropout", 0.3, "the program is dropout") \
  X(kRandomCombine, "family_random.combine", 0.3, "the input is combined with a jax.random sample (the rest compute around a random op)") \
  X(kWhileSecondCarry, "family_while_loop.second_carry", 0.3, "the loop carries a second value") \
  X(kWhileLiteralBound, "family_while_loop.literal_bound", 0.4, "a while_loop's bound is a literal rather than traced") \
  X(kWhileExtraCondition, "family_while_loop.extra_condition", 0.5, "a while_loop's condition also tests a carried value") \
  X(kWhileReduce, "family_while_loop.reduce", 0.4, "the loop's result is reduced") \
  X(kHelpersSecondParam, "family_helpers.second_param", 0.5, "the helper takes a second parameter") \
  X(kHelpersScalarParam, "family_helpers.scalar_param", 0.5, "that parameter is a scalar rather than a row") \
  X(kHelpersSameResult, "family_helpers.same_result", 0.7, "the helper returns its first parameter's type rather than a scalar") \
  X(kHelpersLeafArg, "family_helpers.leaf_arg", 0.7, "a call's argument is a variable rather than an expression") \
  X(kHelpersVmap, "family_helpers.vmap", 0.5, "the helper is called under jax.vmap") \
  X(kHelpersMapped, "family_helpers.mapped", 0.3, "a further parameter is batched under vmap rather than shared") \
  X(kNegativeAxis, "plan.negative_axis", 0.2, "an axis attribute is written negative where the spelling allows") \
  X(kNormalizeAxis, "plan.normalize_axis", 0.5, "softmax-like ops name an axis") \
  X(kNormalizeLast, "plan.normalize_last", 0.6, "that axis is -1") \
  X(kFlipAxis, "plan.flip_axis", 0.7, "jnp.flip names an axis rather than flipping all") \
  X(kClipFromZero, "plan.clip_from_zero", 0.3, "a float clip's lower bound is 0 rather than -m") \
  X(kRollForward, "plan.roll_forward", 0.5, "jnp.roll shifts forward rather than backward") \
  X(kPlanReduceKeepdims, "plan.reduce_keepdims", 0.4, "a reduction to a shape with a unit axis keeps dims") \
  X(kPlanReduceAll, "plan.reduce_all", 0.5, "a reduction to a scalar reduces every axis of a random shape") \
  X(kPlanReduceOneAxis, "plan.reduce_one_axis", 0.7, "a reduction reduces one axis rather than two") \
  X(kPlanReduceNegativeAxis, "plan.reduce_negative_axis", 0.2, "a reduction's axis is written negative (per axis)") \
  X(kDotMatrix, "plan.dot_matrix", 0.7, "jnp.dot contracts a matrix's last axis rather than a vector") \
  X(kMatmulMatrixVector, "plan.matmul_matrix_vector", 0.5, "a 1-D matmul is matrix @ vector rather than vector @ matrix") \
  X(kMatmulBroadcastLhs, "plan.matmul_broadcast_lhs", 0.2, "a batched matmul's left side is an unbatched matrix") \
  X(kTensordotOneAxis, "plan.tensordot_one_axis", 0.7, "tensordot contracts one axis rather than two") \
  X(kEinsumOne, "plan.einsum_one_operand", 0.2, "weight: a random jnp.einsum has one operand (a trace, a transpose, a sum; each einsum draws its operand count)") \
  X(kEinsumTwo, "plan.einsum_two_operands", 0.6, "weight: ... two operands") \
  X(kEinsumThree, "plan.einsum_three_operands", 0.2, "weight: ... three operands") \
  X(kEinsumOperandAxis, "plan.einsum_operand_axis", 0.6, "an einsum output axis appears in an operand (per operand)") \
  X(kCrossVector, "plan.cross_vector", 0.3, "one jnp.cross operand is a single 3-vector") \
  X(kCrossSwap, "plan.cross_swap", 0.5, "the operands of jnp.cross swap") \
  X(kBroadcastToUnit, "plan.broadcast_to_unit", 0.5, "jnp.broadcast_to's input has a unit axis") \
  X(kTileAxis, "plan.tile_axis", 0.5, "jnp.tile repeats an axis (per axis)") \
  X(kPadAxis, "plan.pad_axis", 0.6, "jnp.pad pads an axis (per axis)") \
  X(kPadValue, "plan.pad_value", 0.3, "jnp.pad pads with a constant other than 0") \
  X(kSliceIndexed, "plan.slice_indexed", 0.3, "a slice also indexes away an axis") \
  X(kSliceStep2, "plan.slice_step2", 0.25, "a sliced axis steps by 2") \
  X(kSliceStart, "plan.slice_start", 0.5, "a sliced axis starts after 0") \
  X(kSliceTail, "plan.slice_tail", 0.5, "a sliced axis stops before the end") \
  X(kDynamicSliceAxis, "plan.dynamic_slice_axis", 0.6, "a dynamic slice cuts an axis (per axis)") \
  X(kScatterIndexArray, "plan.scatter_index_array", 0.6, "a scatter writes at an index array rather than one position") \
  X(kScatterBroadcastUpdate, "plan.scatter_broadcast_update", 0.3, "a scatter's update drops its leading axis (broadcast)") \
  X(kPlanConvSame, "plan.conv_same", 0.5, "a convolution pads SAME") \
  X(kPlanConvStride2, "plan.conv_stride2", 0.3, "a convolution's spatial stride is 2") \
  X(kWindowSame, "plan.window_same", 0.4, "pooling pads SAME") \
  X(kWindowStride2, "plan.window_stride2", 0.5, "a pooling window strides by 2") \
  X(kRangeStartNegative, "plan.range_start_negative", 0.5, "a range constant (linspace) starts at -1 rather than 0") \
  X(kRangeStopOne, "plan.range_stop_one", 0.5, "a range constant stops at 1 rather than 2") \
  X(kUniformLowZero, "plan.uniform_low_zero", 0.5, "jax.random.uniform's low is 0 rather than -1") \
  X(kUniformHighOne, "plan.uniform_high_one", 0.5, "jax.random.uniform's high is 1 rather than 2") \
  X(kRandintLowZero, "plan.randint_low_zero", 0.5, "a signed randint's low is 0 rather than -5") \
  X(kCategoricalLast, "plan.categorical_last", 0.5, "jax.random.categorical's last axis is written -1") \
  X(kBroadcastScalar, "plan.broadcast_scalar", 0.25, "an operand of a broadcasting op is a scalar") \
  X(kBroadcastRow, "plan.broadcast_row", 0.15, "an operand of a broadcasting op is a trailing row") \
  X(kBroadcastAxis, "plan.broadcast_axis", 0.1, "an operand of a broadcasting op has a unit axis (the rest: the full shape)") \
  X(kMatmulBatchedRhs, "plan.matmul_batched_rhs", 0.5, "a batched matmul's right side is batched too") \
  X(kNormLayer, "family_norm.layer", 0.35, "weight: a norm program is a layer norm (mean and variance over the last axis)") \
  X(kNormRms, "family_norm.rms", 0.35, "weight: ... an RMS norm (x * rsqrt(mean(x^2) + eps))") \
  X(kNormBatch, "family_norm.batch", 0.3, "weight: ... a batch norm (statistics over every axis but the features), with its running mean") \
  X(kNormSequence, "family_norm.sequence", 0.5, "a norm program's input has a sequence axis ([batch, length, features])") \
  X(kNormFloat32Stats, "family_norm.float32_stats", 0.6, "a half-precision RMS norm computes its statistics in float32 and casts back") \
  X(kOptSgd, "family_optimizer.sgd", 0.2, "weight: an optimizer program is SGD with momentum (optax.sgd)") \
  X(kOptAdam, "family_optimizer.adam", 0.3, "weight: ... Adam with bias correction from an int32 step count") \
  X(kOptRmsprop, "family_optimizer.rmsprop", 0.15, "weight: ... RMSProp") \
  X(kOptAdafactor, "family_optimizer.adafactor", 0.15, "weight: ... Adafactor's factored second moments and update clipping by RMS") \
  X(kOptClipGlobal, "family_optimizer.clip_global_norm", 0.2, "weight: ... gradients clipped by their global norm") \
  X(kOptSchedule, "family_optimizer.schedule", 0.1, "weight: ... a learning-rate schedule from the step count: linear warmup, then cosine decay") \
  X(kOptWeightDecay, "family_optimizer.weight_decay", 0.5, "Adam decays weights (AdamW) / SGD's momentum is Nesterov's") \
  X(kOptRsqrt, "family_optimizer.rsqrt", 0.4, "a second-moment denominator is written lax.rsqrt(v + eps) rather than jnp.sqrt(v) + eps") \
  X(kPosSinusoidal, "family_position.sinusoidal", 0.5, "weight: a position program adds the sinusoidal code (arange, exp, sin, cos)") \
  X(kPosRotary, "family_position.rotary", 0.5, "weight: ... rotates halves of the features (rotary embedding)") \
  X(kPosInterleave, "family_position.interleave", 0.4, "the sinusoidal code interleaves sin and cos (stack, reshape) rather than concatenating them") \
  X(kPosPowerFrequencies, "family_position.power_frequencies", 0.5, "frequencies are 1 / 10000 ** (arange / d) rather than exp(arange * -log(10000) / d)") \
  X(kPosIntPositions, "family_position.int_positions", 0.4, "rotary angles come from an int32 positions argument cast to float rather than from arange") \
  X(kPosBatched, "family_position.batched", 0.5, "a position program's input has a batch axis") \
  X(kAttnCausal, "family_attention.causal", 0.45, "weight: an attention program masks with a causal mask built from arange and a comparison") \
  X(kAttnPadding, "family_attention.padding", 0.3, "weight: ... with a padding mask from per-example lengths") \
  X(kAttnTril, "family_attention.tril", 0.2, "weight: ... with a causal mask from jnp.tril of a bool matrix of ones and -inf scores") \
  X(kAttnNoMask, "family_attention.no_mask", 0.25, "weight: ... without a mask") \
  X(kAttnGrouped, "family_attention.grouped", 0.35, "keys and values have fewer heads than queries, repeated to match (grouped queries)") \
  X(kAttnOutProj, "family_attention.out_projection", 0.6, "heads merged by reshape go through an output projection") \
  X(kLossCrossEntropy, "family_loss.cross_entropy", 0.2, "weight: a loss program is softmax cross-entropy, perhaps label-smoothed") \
  X(kLossHuber, "family_loss.huber", 0.2, "weight: ... the Huber loss") \
  X(kLossHinge, "family_loss.hinge", 0.2, "weight: ... the hinge loss with labels in {-1, 1} from a bool mask") \
  X(kLossCosine, "family_loss.cosine", 0.2, "weight: ... one minus the cosine similarity") \
  X(kLossSigmoidBce, "family_loss.sigmoid_bce", 0.2, "weight: ... sigmoid binary cross-entropy through log_sigmoid") \
  X(kLossSparse, "family_loss.sparse_cross_entropy", 0.2, "weight: ... cross-entropy against integer labels, picked with jnp.take_along_axis") \
  X(kLossMaskedTokens, "family_loss.masked_tokens", 0.15, "weight: ... a language model's token loss over [batch, length, vocab], averaged over a padding mask") \
  X(kLossLogSumExp, "family_loss.logsumexp", 0.5, "integer-label cross-entropy is written logsumexp(logits) - picked logit rather than through log_softmax") \
  X(kLossHingeFloatLabels, "family_loss.hinge_float_labels", 0.5, "hinge labels in {-1, 1} are a float argument rather than made from a bool mask") \
  X(kLossSum, "family_loss.sum", 0.25, "a loss sums its per-example values rather than averaging them") \
  X(kLossPerExample, "family_loss.per_example", 0.2, "a loss returns its per-example values rather than their mean") \
  X(kRnnGru, "family_recurrent.gru", 0.5, "weight: a recurrent program scans a GRU cell over time") \
  X(kRnnLstm, "family_recurrent.lstm", 0.5, "weight: ... an LSTM cell (coupled input and forget gates)") \
  X(kRnnBias, "family_recurrent.bias", 0.5, "a recurrent cell adds a bias argument to its gates") \
  X(kRnnMeanOut, "family_recurrent.mean_out", 0.4, "a recurrent program returns the mean hidden state over time rather than all of them") \
  X(kEmbedTake, "family_embedding.take", 0.5, "weight: an embedding program looks rows up with jnp.take") \
  X(kEmbedOneHot, "family_embedding.one_hot", 0.5, "weight: ... with a one-hot matmul") \
  X(kEmbedTied, "family_embedding.tied", 0.4, "the embedded tokens are scored against the same table (tied output logits) rather than mean-pooled") \
  X(kSolverNewton, "family_solver.newton", 0.5, "weight: a solver program runs Newton steps for an inverse square root") \
  X(kSolverReciprocal, "family_solver.reciprocal", 0.3, "weight: ... Newton steps for a reciprocal, y <- y (2 - a y)") \
  X(kSolverPower, "family_solver.power", 0.5, "weight: ... power iteration for a matrix's top singular pair") \
  X(kBlockTransformer, "family_block.transformer", 0.35, "weight: a block program is a pre-norm transformer block (attention and MLP with residuals)") \
  X(kBlockConv, "family_block.conv", 0.3, "weight: ... a convolution, batch norm and activation block") \
  X(kBlockMixed, "family_block.mixed_precision", 0.15, "weight: ... a mixed-precision dense layer: bfloat16 inputs, float32 compute, bfloat16 out") \
  X(kBlockScanLayers, "family_block.scan_layers", 0.25, "weight: ... gated residual layers with stacked weights, run through lax.scan") \
  X(kBlockGraph, "family_block.graph", 0.3, "weight: ... a graph layer: messages gathered at senders, summed at receivers with jax.ops.segment_sum, pooled per graph") \
  X(kBlockMixedAttention, "family_block.mixed_attention", 0.15, "weight: ... bfloat16 attention accumulated in float32 (preferred_element_type)") \
  X(kBlockPreferred, "family_block.preferred_element_type", 0.6, "mixed precision accumulates with preferred_element_type=jnp.float32 rather than casting the inputs up") \
  X(kBlockGraphMeanPool, "family_block.graph_mean_pool", 0.5, "a graph program pools node features per graph by segment means rather than returning the updated nodes") \
  /* ---- model_idioms.cc: the conv_net, linear_scan, schedule, sampling, feed_forward, divergence, cell and token_input families ---- */ \
  X(kConvNetPointwise, "family_conv_net.pointwise", 0.2, "a convolution is 1x1 (pointwise) rather than 3x3") \
  X(kConvNetSame, "family_conv_net.same", 0.7, "a 3x3 convolution pads SAME rather than VALID") \
  X(kConvNetStride2, "family_conv_net.stride2", 0.2, "the convolution strides by 2") \
  X(kConvNetBias, "family_conv_net.bias", 0.4, "the convolution adds a bias per channel") \
  X(kConvNetBatchNorm, "family_conv_net.batch_norm", 0.4, "weight: a conv_net program normalizes with batch statistics over (N, H, W), updating the running mean") \
  X(kConvNetGroupNorm, "family_conv_net.group_norm", 0.25, "weight: ... with group norm (channels in groups, statistics per example and group)") \
  X(kConvNetRmsNorm, "family_conv_net.rms_norm", 0.15, "weight: ... with an RMS norm over the channels") \
  X(kConvNetNoNorm, "family_conv_net.no_norm", 0.2, "weight: ... not at all") \
  X(kConvNetRelu, "family_conv_net.relu", 0.55, "weight: the activation is relu") \
  X(kConvNetSilu, "family_conv_net.silu", 0.3, "weight: ... silu (swish)") \
  X(kConvNetGelu, "family_conv_net.gelu", 0.2, "weight: ... gelu") \
  X(kConvNetResidual, "family_conv_net.residual", 0.4, "the block adds its input back (where the shapes match)") \
  X(kConvNetMaxPool, "family_conv_net.max_pool", 0.45, "weight: the block ends in a 2x2 max pool") \
  X(kConvNetAvgPool, "family_conv_net.avg_pool", 0.15, "weight: ... a 2x2 average pool (a window sum over 4)") \
  X(kConvNetGlobalMean, "family_conv_net.global_mean", 0.2, "weight: ... a mean over the spatial axes") \
  X(kConvNetNoPool, "family_conv_net.no_pool", 0.3, "weight: ... without pooling") \
  X(kScanDecay, "family_linear_scan.decay", 0.35, "weight: a linear_scan program is an exponential moving average with a learned decay per feature (lax.associative_scan)") \
  X(kScanGated, "family_linear_scan.gated", 0.25, "weight: ... a gated linear recurrence, the gates computed from the input") \
  X(kScanPrefix, "family_linear_scan.prefix", 0.2, "weight: ... a running mean or maximum by associative scans") \
  X(kScanShift, "family_linear_scan.shift", 0.2, "weight: ... a token shift (pad and slice) mixing each step with the previous one") \
  X(kScanBatched, "family_linear_scan.batched", 0.5, "the sequence has a batch axis in front of time") \
  X(kScanFixedMix, "family_linear_scan.fixed_mix", 0.35, "a token shift mixes with a fixed constant rather than a learned per-feature vector") \
  X(kScanGateBias, "family_linear_scan.gate_bias", 0.4, "a computed gate has a bias argument (x @ w + b)") \
  X(kScanResidual, "family_linear_scan.residual", 0.35, "the scanned state is added back to the input (a residual) before it is returned") \
  X(kScanScaleInput, "family_linear_scan.scale_input", 0.5, "a recurrence's input is scaled by 1 - a (a convex update) rather than taken as it is") \
  X(kScanRunningMax, "family_linear_scan.running_max", 0.3, "a prefix program takes the running maximum rather than the running mean") \
  X(kScanLast, "family_linear_scan.last", 0.3, "the program also returns the last step") \
  X(kSchedCosine, "family_schedule.cosine", 0.3, "weight: a schedule is linear warmup, then cosine decay") \
  X(kSchedLinear, "family_schedule.linear", 0.15, "weight: ... linear warmup, then linear decay") \
  X(kSchedExponential, "family_schedule.exponential", 0.15, "weight: ... exponential decay") \
  X(kSchedInverseSqrt, "family_schedule.inverse_sqrt", 0.15, "weight: ... the Transformer's inverse square root with warmup") \
  X(kSchedPiecewise, "family_schedule.piecewise", 0.1, "weight: ... piecewise constant") \
  X(kSchedPolynomial, "family_schedule.polynomial", 0.15, "weight: ... polynomial decay to an end value") \
  X(kSchedMinMax, "family_schedule.min_max", 0.5, "a progress fraction is clamped with jnp.minimum/jnp.maximum rather than jnp.clip") \
  X(kSchedStaircase, "family_schedule.staircase", 0.4, "exponential decay steps down in stairs (jnp.floor)") \
  X(kSchedApply, "family_schedule.apply", 0.5, "the rate also drives an SGD step on a parameter") \
  X(kSampleTopK, "family_sampling.top_k", 0.45, "weight: sampling keeps the k largest logits (lax.top_k)") \
  X(kSampleTopP, "family_sampling.top_p", 0.25, "weight: ... the nucleus whose probabilities sum to p (sort, cumsum)") \
  X(kSampleNoFilter, "family_sampling.no_filter", 0.3, "weight: ... every logit") \
  X(kSampleCategorical, "family_sampling.categorical", 0.5, "weight: a token is drawn with jax.random.categorical") \
  X(kSampleGumbel, "family_sampling.gumbel", 0.2, "weight: ... by the Gumbel-max trick") \
  X(kSampleGreedy, "family_sampling.greedy", 0.3, "weight: ... greedily (argmax)") \
  X(kSampleTemperatureArg, "family_sampling.temperature_arg", 0.3, "the temperature is an argument rather than a literal") \
  X(kSampleLogProb, "family_sampling.log_prob", 0.6, "the program also returns the sampled tokens' log-probabilities") \
  X(kFfnLayerNorm, "family_feed_forward.layer_norm", 0.4, "weight: a feed-forward layer is preceded by layer norm") \
  X(kFfnRmsNorm, "family_feed_forward.rms_norm", 0.3, "weight: ... by RMS norm") \
  X(kFfnNoNorm, "family_feed_forward.no_norm", 0.2, "weight: ... by no norm") \
  X(kFfnGated, "family_feed_forward.gated", 0.4, "the layer is a gated unit (SwiGLU, GeGLU) rather than dense, activation, dense") \
  X(kFfnSwish, "family_feed_forward.swish_gate", 0.7, "a gated unit's gate is silu (SwiGLU) rather than gelu (GeGLU)") \
  X(kFfnGelu, "family_feed_forward.gelu", 0.45, "weight: a dense unit's activation is jax.nn.gelu") \
  X(kFfnRelu, "family_feed_forward.relu", 0.2, "weight: ... relu") \
  X(kFfnSilu, "family_feed_forward.silu", 0.2, "weight: ... silu") \
  X(kFfnGeluTanh, "family_feed_forward.gelu_tanh", 0.15, "weight: ... GELU's tanh approximation written out") \
  X(kFfnBias, "family_feed_forward.bias", 0.6, "a dense projection adds a bias") \
  X(kFfnLayerScale, "family_feed_forward.layer_scale", 0.3, "the output is scaled per feature by a learned vector before the residual (CaiT's LayerScale)") \
  X(kFfnResidual, "family_feed_forward.residual", 0.6, "the layer's input is added to its output") \
  X(kDivKl, "family_divergence.kl", 0.2, "weight: a divergence program is KL(p || q) between two softmax distributions") \
  X(kDivContrastive, "family_divergence.contrastive", 0.2, "weight: ... InfoNCE over the cosine similarities of two batches of embeddings") \
  X(kDivFocal, "family_divergence.focal", 0.15, "weight: ... the focal loss on sigmoid outputs") \
  X(kDivTriplet, "family_divergence.triplet", 0.15, "weight: ... the triplet margin loss") \
  X(kDivMaskedRegression, "family_divergence.masked_regression", 0.15, "weight: ... squared error averaged over a mask") \
  X(kDivSmoothL1, "family_divergence.smooth_l1", 0.15, "weight: ... the smooth L1 loss (jnp.where on |error| < beta)") \
  X(kDivSymmetric, "family_divergence.symmetric", 0.5, "InfoNCE averages both directions (rows and columns)") \
  X(kDivMaskedAbs, "family_divergence.masked_abs", 0.35, "the masked regression loss takes absolute rather than squared errors") \
  X(kDivBatchMean, "family_divergence.batch_mean", 0.4, "a KL divergence sums over classes and the batch, then divides by the batch size (reduction='batchmean') rather than taking the mean over the batch") \
  X(kDivSmoothL1Mean, "family_divergence.smooth_l1_mean", 0.5, "a smooth L1 loss is the mean over every element rather than summed over features, then averaged") \
  X(kDivTripletEuclidean, "family_divergence.triplet_euclidean", 0.4, "a triplet loss compares Euclidean distances (sqrt of the squared ones plus eps)") \
  X(kDivLogTarget, "family_divergence.log_target", 0.35, "a KL divergence takes q as log-probabilities (an argument) rather than from logits") \
  X(kDivFloatMask, "family_divergence.float_mask", 0.35, "a masked regression weighs positions by a float array in [0, 1] rather than a bool mask") \
  X(kDivEye, "family_divergence.eye", 0.4, "InfoNCE picks the positives with jnp.eye rather than jnp.take_along_axis") \
  X(kCellLstm, "family_cell.lstm", 0.6, "weight: a cell program scans an LSTM with four gates") \
  X(kCellElman, "family_cell.elman", 0.4, "weight: ... an Elman RNN (tanh)") \
  X(kCellBias, "family_cell.bias", 0.6, "the gates add a bias") \
  X(kCellZeroInit, "family_cell.zero_init", 0.6, "the hidden state starts at zeros rather than from an argument") \
  X(kCellBidirectional, "family_cell.bidirectional", 0.3, "the cell also runs over the reversed sequence, outputs concatenated") \
  X(kCellMeanOut, "family_cell.mean_out", 0.3, "the program returns the mean output over time rather than every step") \
  X(kTokenTake, "family_token_input.take", 0.5, "weight: tokens are looked up with jnp.take(table, ids, axis=0)") \
  X(kTokenGather, "family_token_input.gather", 0.5, "weight: ... by indexing, table[ids]") \
  X(kTokenScale, "family_token_input.scale", 0.4, "embeddings are scaled by sqrt(d)") \
  X(kTokenSinusoidal, "family_token_input.sinusoidal", 0.45, "weight: positions add the sinusoidal table, written with .at[:, 0::2].set and .at[:, 1::2].set") \
  X(kTokenLearned, "family_token_input.learned", 0.3, "weight: ... a learned table, sliced to the length") \
  X(kTokenNoPositions, "family_token_input.no_positions", 0.15, "weight: ... nothing") \
  X(kTokenPadMask, "family_token_input.pad_mask", 0.3, "embeddings of id 0 (padding) are zeroed") \
  X(kTokenNorm, "family_token_input.norm", 0.3, "the embeddings go through layer norm") \
  X(kTrainLinear, "family_train_step.linear", 0.35, "weight: a training step fits a linear regression (mean squared error)") \
  X(kTrainClassifier, "family_train_step.classifier", 0.35, "weight: ... a linear classifier on integer labels (cross-entropy)") \
  X(kTrainMlp, "family_train_step.mlp", 0.3, "weight: ... a two-layer MLP classifier") \
  X(kTrainRelu, "family_train_step.relu", 0.6, "the MLP's hidden activation is relu rather than tanh") \
  X(kTrainLogSoftmax, "family_train_step.log_softmax", 0.5, "cross-entropy is written through log_softmax rather than logsumexp minus the label's logit") \
  X(kTrainClipNorm, "family_train_step.clip_norm", 0.3, "the gradients are clipped by their global norm") \
  X(kTrainMomentum, "family_train_step.momentum", 0.35, "the update keeps momentum (a velocity argument per parameter)") \
  X(kTrainWeightDecay, "family_train_step.weight_decay", 0.3, "without momentum, the update adds weight decay") \
  X(kTrainReturnLoss, "family_train_step.return_loss", 0.5, "the step also returns the loss (a plain call of the loss function)") \
  X(kTrainAdam, "family_train_step.adam", 0.3, "a linear model's step is Adam with bias correction (one weight matrix, no bias) rather than SGD") \
  X(kTrainSingleOutput, "family_train_step.single_output", 0.4, "a regression predicts one value per example ([batch, 1])") \
  X(kRotaryHeads, "family_rotary.heads", 0.6, "the rotated input has a heads axis ([batch, length, heads, head_dim])") \
  X(kRotaryPositionsArg, "family_rotary.positions_arg", 0.5, "angles come from an int32 positions argument per example rather than from arange") \
  X(kRotaryRotateHalf, "family_rotary.rotate_half", 0.45, "weight: the rotation is x * cos + rotate_half(x) * sin, rotate_half(x) = concatenate(-x2, x1)") \
  X(kRotarySplit, "family_rotary.split", 0.35, "weight: ... the two halves rotated and concatenated") \
  X(kRotaryInterleaved, "family_rotary.interleaved", 0.2, "weight: ... interleaved pairs (x[..., ::2], x[..., 1::2]), stacked back") \
  X(kGraphMessage, "family_graph.message", 0.4, "weight: a graph program passes messages: relu of the senders' features, summed at the receivers, a concatenated update") \
  X(kGraphGcn, "family_graph.gcn", 0.35, "weight: ... a GCN layer with symmetric degree normalization and self loops") \
  X(kGraphMean, "family_graph.mean", 0.25, "weight: ... the mean of the incoming messages (segment sums over counts)") \
  X(kGraphTake, "family_graph.take", 0.4, "rows are gathered with jnp.take(x, ids, axis=0) rather than x[ids]") \
  X(kCellRelu, "family_cell.relu", 0.25, "an Elman cell activates with jax.nn.hard_tanh (a relu-like unit kept in [-1, 1]) rather than tanh") \
  X(kGraphGelu, "family_graph.gelu", 0.3, "a GCN or mean-aggregation layer activates with jax.nn.gelu rather than relu") \
  X(kGraphBias, "family_graph.bias", 0.4, "the node transform adds a bias (x @ w + b)") \
  X(kGraphTanhUpdate, "family_graph.tanh_update", 0.5, "a message-passing update applies tanh rather than relu") \
  X(kOptLion, "family_optimizer.lion", 0.12, "weight: ... Lion, the sign of interpolated momentum and gradient") \
  X(kOptSgdEma, "family_optimizer.sgd_ema", 0.25, "SGD's momentum is an average of the gradients, v = mu v + (1 - mu) g, rather than optax's trace") \
  X(kOptLrArg, "family_optimizer.lr_arg", 0.3, "the learning rate is a scalar argument rather than a literal (its value drawn from the rates such code uses)") \
  X(kOptPreClip, "family_optimizer.pre_clip", 0.2, "SGD, Adam and RMSProp first clip the gradient by its norm (optax.chain(clip_by_global_norm, ...))") \
  X(kOptClipTorch, "family_optimizer.clip_torch", 0.4, "a norm clip scales by min(1, max_norm / (norm + 1e-6)) (PyTorch) rather than max_norm / max(norm, max_norm) (optax)") \
  X(kOptClipReturnNorm, "family_optimizer.clip_return_norm", 0.3, "clipping by global norm also returns the norm (for logging)") \
  X(kOptSgdDecay, "family_optimizer.sgd_decay", 0.3, "SGD adds weight decay to the gradient before the momentum trace") \
  X(kOptHeavyBall, "family_optimizer.heavy_ball", 0.35, "SGD keeps a velocity that includes the rate, v = mu v - lr g, p + v, rather than optax's trace") \
  X(kOptL2, "family_optimizer.l2", 0.3, "Adam's weight decay is an L2 term added to the gradient rather than decoupled (AdamW)") \
  X(kOptFoldedCorrection, "family_optimizer.folded_correction", 0.35, "Adam folds bias correction into the step size, lr sqrt(1 - b2^t) / (1 - b1^t), as the paper's efficient form does") \
  X(kOptEpsRoot, "family_optimizer.eps_root", 0.3, "a second-moment denominator written with sqrt takes epsilon inside the root, sqrt(v + eps)") \
  X(kOptCountOut, "family_optimizer.count_out", 0.4, "Adam also returns its incremented step count") \
  X(kOptRmsMomentum, "family_optimizer.rmsprop_momentum", 0.35, "RMSProp keeps a momentum buffer of scaled gradients") \
  X(kOptLinearDecay, "family_optimizer.linear_decay", 0.35, "a schedule decays linearly after warmup rather than by a cosine") \
  X(kOptScheduleMomentum, "family_optimizer.schedule_momentum", 0.4, "the scheduled rate drives SGD with momentum rather than plain SGD") \
  X(kOptAdafactorOuter, "family_optimizer.adafactor_outer", 0.4, "Adafactor rebuilds its second moment as outer(r, c) / mean(r), as the paper writes it, rather than row and column factors") \
  X(kOptAdafactorMomentum, "family_optimizer.adafactor_momentum", 0.3, "Adafactor keeps a first moment of its clipped updates") \
  X(kOptUnscale, "family_optimizer.unscale", 0.15, "gradients are first unscaled by a loss-scale argument (mixed-precision training)") \
  X(kLossFocal, "family_loss.focal", 0.12, "weight: ... the sigmoid focal loss, cross-entropy scaled by (1 - p_t)^gamma") \
  X(kLossWeighted, "family_loss.weighted", 0.15, "a reduced loss is a weighted mean with per-example weights") \
  X(kLossSumOverN, "family_loss.sum_over_n", 0.25, "a mean is written as the sum divided by the number of examples") \
  X(kLossTemperature, "family_loss.temperature", 0.2, "softmax logits are divided by a temperature (distillation)") \
  X(kLossZLoss, "family_loss.z_loss", 0.15, "a softmax loss adds a z-loss, c * logsumexp(logits)^2 (PaLM)") \
  X(kLossSoftTargets, "family_loss.soft_targets", 0.3, "softmax cross-entropy takes float targets rather than one-hot labels") \
  X(kLossManualLogSoftmax, "family_loss.manual_log_softmax", 0.35, "log-probabilities are written logits - logsumexp(logits, keepdims=True) rather than log_softmax") \
  X(kLossHuberWhere, "family_loss.huber_where", 0.45, "the Huber loss is written with jnp.where (optax) rather than through min(|e|, delta)") \
  X(kLossSmoothL1, "family_loss.smooth_l1", 0.3, "the Huber loss is divided by delta (PyTorch's smooth L1)") \
  X(kLossRowMean, "family_loss.row_mean", 0.5, "an elementwise loss over [batch, features] is averaged per example first") \
  X(kLossMaximumForm, "family_loss.maximum_form", 0.4, "the hinge is written jnp.maximum(gap, 0.0) rather than jax.nn.relu") \
  X(kLossSquaredHinge, "family_loss.squared_hinge", 0.3, "the hinge is squared") \
  X(kLossCosineNormalizeFirst, "family_loss.cosine_normalize_first", 0.4, "cosine similarity normalizes each row first rather than dividing by the product of norms") \
  X(kLossBinarySmoothing, "family_loss.binary_smoothing", 0.2, "binary labels are smoothed toward 1/2") \
  X(kLossStableBce, "family_loss.stable_bce", 0.4, "sigmoid cross-entropy is optax's stable form, max(x, 0) - x z + log1p(exp(-|x|)), rather than through log_sigmoid") \
  X(kLossPosWeight, "family_loss.pos_weight", 0.2, "sigmoid cross-entropy weights the positive class") \
  X(kLossBoolLabels, "family_loss.bool_labels", 0.3, "binary labels come as a bool array cast to float") \
  X(kLossNegativeAxis, "family_loss.negative_axis", 0.5, "integer-label cross-entropy names the class axis -1 rather than its index") \
  X(kLossSparseOneHot, "family_loss.sparse_one_hot", 0.3, "integer labels pick their log-probability through a one-hot product rather than take_along_axis") \
  X(kLossSparseSmoothing, "family_loss.sparse_smoothing", 0.25, "integer-label cross-entropy is label-smoothed, (1 - e) nll + e mean(-log p)") \
  X(kLossPadMask, "family_loss.pad_mask", 0.35, "a token loss masks the positions whose label is the padding id 0 rather than taking a mask argument") \
  X(kLossPerSequence, "family_loss.per_sequence", 0.3, "a token loss averages each sequence first, then the batch") \
  X(kLossFromFeatures, "family_loss.from_features", 0.3, "a loss computes its logits or predictions with a linear head on a features argument, as loss_fn(params, batch) does") \
  X(kLossL2, "family_loss.l2", 0.4, "a loss with a linear head adds an L2 penalty on its weights") \
  X(kLossCosineNormProduct, "family_loss.cosine_norm_product", 0.35, "cosine similarity divides by max(|a| |b|, eps) (PyTorch) rather than by the product of guarded norms") \
  X(kLossCosineEmbedding, "family_loss.cosine_embedding", 0.3, "a cosine loss pushes dissimilar pairs below a margin (CosineEmbeddingLoss)") \
  X(kLossSoftplusBce, "family_loss.softplus_bce", 0.25, "sigmoid cross-entropy is written softplus(x) - x z") \
  X(kLossFocalAlpha, "family_loss.focal_alpha", 0.5, "the focal loss is alpha-balanced") \
  X(kEmbedGather, "family_embedding.gather", 0.3, "weight: ... by indexing, table[ids]") \
  X(kEmbedScale, "family_embedding.scale", 0.35, "embeddings are scaled by sqrt(d), as Transformers do") \
  X(kEmbedPositions, "family_embedding.positions", 0.35, "a learned position table is added") \
  X(kEmbedNorm, "family_embedding.norm", 0.25, "embeddings go through layer norm") \
  X(kEmbedTiedMatmul, "family_embedding.tied_matmul", 0.5, "tied logits are h @ table.T rather than an einsum") \
  X(kEmbedLogitScale, "family_embedding.logit_scale", 0.3, "tied logits are divided by sqrt(d) (Mesh TensorFlow)") \
  X(kEmbedOutBias, "family_embedding.out_bias", 0.35, "tied logits add an output bias over the vocabulary") \
  X(kEmbedLogSoftmax, "family_embedding.log_softmax", 0.35, "tied logits end in log_softmax") \
  X(kEmbedMaskedPool, "family_embedding.masked_pool", 0.35, "pooling averages only the non-padding tokens (id 0 pads)") \
  X(kEmbedMaxPool, "family_embedding.max_pool", 0.25, "an unmasked pooling takes the max over tokens rather than the mean") \
  X(kBlockScanTanh, "family_block.scan_tanh", 0.5, "weight: scanned layers squash with tanh") \
  X(kBlockScanSoftSign, "family_block.scan_soft_sign", 0.25, "weight: ... with jax.nn.soft_sign") \
  X(kBlockScanHardTanh, "family_block.scan_hard_tanh", 0.25, "weight: ... with jax.nn.hard_tanh") \
  X(kBlockScanFixedGate, "family_block.scan_fixed_gate", 0.4, "scanned layers mix with a constant rate rather than a sigmoid gate") \
  X(kBlockScanNorm, "family_block.scan_norm", 0.3, "scanned layers normalize their input first (pre-norm)") \
  X(kBlockScanEinsum, "family_block.scan_einsum", 0.3, "scanned layers contract with einsum rather than @") \
  X(kBlockScanStats, "family_block.scan_stats", 0.5, "scanned layers emit each layer's mean rather than its activations") \
  X(kBlockScanEmbed, "family_block.scan_embed", 0.3, "scanned layers start from an embedding of the input, tanh(x W_in)") \
  X(kBlockScanConvexForm, "family_block.scan_convex_form", 0.4, "scanned layers write the mix (1 - g) h + g z rather than h + g (z - h)") \
  X(kBlockScanHead, "family_block.scan_head", 0.3, "the scanned stack ends in a dense head") \
  X(kBlockMixedBias, "family_block.mixed_bias", 0.6, "a mixed-precision dense layer adds a float32 bias") \
  X(kBlockMixedTwoLayers, "family_block.mixed_two_layers", 0.3, "a mixed-precision block has a second bfloat16 layer") \
  X(kBlockMixedKeepF32, "family_block.mixed_keep_f32", 0.3, "a mixed-precision block returns float32 rather than casting back to bfloat16") \
  X(kBlockGraphActivation, "family_block.graph_activation", 0.5, "graph messages go through a drawn activation rather than relu") \
  X(kBlockGraphEdgeWeights, "family_block.graph_edge_weights", 0.35, "graph messages are scaled by per-edge weights") \
  X(kBlockSplitLast, "family_block.split_last", 0.5, "bfloat16 attention splits q, k, v along axis -1 rather than 2") \
  X(kBlockScaleMul, "family_block.scale_mul", 0.4, "bfloat16 attention multiplies its scores by 1 / sqrt(d) rather than dividing by sqrt(d)") \
  X(kPosScaleInput, "family_position.scale_input", 0.35, "the input is scaled by sqrt(d) before the sinusoidal code is added") \
  X(kPosRotateHalf, "family_position.rotate_half", 0.4, "rotary embedding is written x * cos + rotate_half(x) * sin with tiled angles") \
  X(kNnLayerNormCase, "family_nn.layer_norm_case", 0.25, "weight: an nn program is a normalization layer, perhaps after a dense layer") \
  X(kNnAttentionCase, "family_nn.attention_case", 0.25, "weight: ... single-head attention") \
  X(kNnMlpCase, "family_nn.mlp_case", 0.25, "weight: ... an MLP") \
  X(kNnLossCase, "family_nn.loss_case", 0.25, "weight: ... softmax cross-entropy with one-hot labels") \
  X(kNnRmsNorm, "family_nn.rms_norm", 0.3, "the normalization layer is RMS norm rather than layer norm") \
  X(kVectorCross, "family_vector.cross", 0.25, "weight: a vector program is a cross product") \
  X(kVectorDot, "family_vector.dot", 0.25, "weight: ... a dot product") \
  X(kVectorNormalize, "family_vector.normalize", 0.25, "weight: ... a normalization a / |a|") \
  X(kVectorCrossNorm, "family_vector.cross_norm", 0.25, "weight: ... the norm of a cross product") \
  X(kNormGemmaScale, "family_norm.gemma_scale", 0.3, "an RMS norm scales by (1 + scale) around zero-initialized weights (Gemma)") \
  X(kNormScaleFirst, "family_norm.scale_first", 0.3, "an RMS norm writes scale * y rather than y * scale") \
  X(kNormStandardize, "family_norm.standardize", 0.15, "layer norm is written with jax.nn.standardize") \
  X(kNormLayerScaleOnly, "family_norm.layer_scale_only", 0.25, "an affine layer norm scales without a shift (use_bias=False)") \
  X(kRnnSimple, "family_recurrent.simple", 0.25, "weight: ... an Elman cell, h = tanh(x W + h U + b)") \
  X(kRnnSplitLast, "family_recurrent.split_last", 0.5, "gate pre-activations are split along axis -1 rather than 1") \
  X(kRnnHoist, "family_recurrent.hoist_input", 0.4, "the input projection of every step is one matmul before the scan rather than one per step") \
  X(kRnnTwoBiases, "family_recurrent.two_biases", 0.35, "a cell with bias has separate input and hidden biases (PyTorch's b_ih, b_hh)") \
  X(kRnnManualSigmoid, "family_recurrent.manual_sigmoid", 0.25, "gates are written 1 / (1 + exp(-x)) rather than jax.nn.sigmoid (where exp stays within the dtype)") \
  X(kRnnResetAfter, "family_recurrent.reset_after", 0.4, "a GRU applies its reset gate after the hidden matmul (PyTorch, cuDNN) rather than before it") \
  X(kRnnTorchMix, "family_recurrent.torch_mix", 0.4, "a GRU mixes (1 - z) * candidate + z * h rather than (1 - z) * h + z * candidate") \
  X(kRnnForgetBias, "family_recurrent.forget_bias", 0.35, "an LSTM adds a constant forget-gate bias (1.0) before the sigmoid") \
  X(kRnnZeroInit, "family_recurrent.zero_init", 0.3, "the initial state is zeros rather than an argument") \
  X(kRnnBatchMajor, "family_recurrent.batch_major", 0.3, "inputs come [batch, time, features] and are swapped to time-major around the scan") \
  X(kRnnLeaky, "family_recurrent.leaky", 0.4, "an Elman cell leaks, h <- (1 - a) h + a tanh(...), as leaky and echo-state networks do") \
  X(kRnnStepOutput, "family_recurrent.step_output", 0.3, "each step emits a projection of its hidden state (an output layer) rather than the state") \
  X(kRnnHead, "family_recurrent.head", 0.3, "the final hidden state goes through a dense head rather than being returned as it is") \
  X(kRnnHeadLogSoftmax, "family_recurrent.head_log_softmax", 0.4, "a dense head ends in log_softmax (a sequence classifier's log-probabilities)") \
  X(kRnnReturnCarry, "family_recurrent.return_carry", 0.6, "the program also returns the final carry") \
  X(kSolverHeron, "family_solver.heron", 0.3, "weight: ... Heron's steps for a square root, y <- (y + a / y) / 2") \
  X(kSolverFixedPoint, "family_solver.fixed_point", 0.3, "weight: ... a damped fixed-point iteration z <- (1 - a) z + a tanh(z W + x), as deep equilibrium layers solve") \
  X(kSolverAltForm, "family_solver.alt_form", 0.5, "a Newton step is written in its other common arrangement (0.5 y (3 - a y^2), y + y (1 - a y))") \
  X(kSolverLinearInit, "family_solver.linear_init", 0.4, "Newton's first guess is a line through the interval (1.5 - 0.5 a, 1.5 - 0.5 a) rather than a constant") \
  X(kSolverResidual, "family_solver.residual", 0.35, "a Newton or Heron solver also returns its residual") \
  X(kSolverSquareCall, "family_solver.square_call", 0.5, "a solver writes y^2 as jnp.square(y) rather than y * y") \
  X(kSolverSqrtOut, "family_solver.sqrt_out", 0.3, "an inverse-square-root solver also returns a * y, the square root") \
  X(kSolverGram, "family_solver.gram", 0.3, "power iteration iterates on the Gram matrix, v <- normalize(W^T (W v)), rather than alternating u and v") \
  X(kSolverFullLike, "family_solver.full_like", 0.4, "a constant first guess is written jnp.full_like(a, c) rather than jnp.ones_like(a) * c") \
  X(kSolverApply, "family_solver.apply", 0.35, "a Newton or Heron result scales an input argument (x * y)") \
  X(kSolverInjection, "family_solver.injection", 0.4, "a fixed-point iteration takes its input through a matrix, x @ U") \
  X(kSolverBias, "family_solver.bias", 0.4, "a fixed-point iteration adds a bias") \
  X(kSolverNormalizeInit, "family_solver.normalize_init", 0.3, "power iteration normalizes its starting vector before the loop") \
  X(kSolverStopGradient, "family_solver.stop_gradient", 0.3, "power iteration's vector passes through lax.stop_gradient after the loop (as spectral normalization does)") \
  X(kSolverSigmaDot, "family_solver.sigma_dot", 0.4, "sigma is written jnp.dot(u, W v) rather than u @ (W v)") \
  X(kSolverReturnV, "family_solver.return_v", 0.3, "power iteration also returns the right singular vector") \
  X(kSolverRsqrtNormalize, "family_solver.rsqrt_normalize", 0.4, "power iteration normalizes by v * rsqrt(sum(v^2) + eps) rather than v / (norm(v) + eps)") \
  X(kSolverSpectralNorm, "family_solver.spectral_norm", 0.35, "power iteration returns the spectrally normalized weights w / sigma (float32 and float64)") \
  X(kTokenOneHot, "family_token_input.one_hot", 0.2, "weight: tokens are looked up by a one-hot matmul, jax.nn.one_hot(ids, vocab) @ table, as TPU code does") \
  X(kTokenTypes, "family_token_input.token_types", 0.3, "token-type (segment) embeddings are added, looked up by a type_ids argument in {0, 1} (BERT)") \
  X(kTokenRmsNorm, "family_token_input.rms_norm", 0.4, "normalized embeddings go through RMS norm rather than layer norm") \
  X(kDivMaskedHalf, "family_divergence.masked_half", 0.3, "masked squared errors are halved, 0.5 * (p - t)^2 (optax.l2_loss)") \
  X(kDivMaskedWhere, "family_divergence.masked_where", 0.4, "a bool mask zeroes errors with jnp.where rather than multiplying by the mask cast to floats") \
  X(kDivMaskedPerRow, "family_divergence.masked_per_row", 0.3, "a masked loss averages each row over its own mask first, then the rows") \
  X(kDivKlProbs, "family_divergence.kl_probs", 0.35, "KL weighs the log-ratio by jax.nn.softmax(p_logits) rather than by exp of p's log-probabilities") \
  X(kDivHuber, "family_divergence.smooth_l1_huber", 0.35, "the smooth L1 program is written as optax's huber_loss, 0.5 e^2 within delta and delta (|e| - delta / 2) beyond, rather than divided by beta") \
  X(kFfnFused, "family_feed_forward.fused_gate_up", 0.3, "a gated unit computes gate and up with one matmul, then jnp.split in two") \
  X(kFfnEinsum, "family_feed_forward.einsum", 0.3, "projections are written with jnp.einsum rather than @") \
  X(kScanCumsum, "family_linear_scan.cumsum", 0.4, "a running mean takes prefix sums with jnp.cumsum rather than lax.associative_scan(jnp.add, ...)") \
  X(kScanCummax, "family_linear_scan.cummax", 0.4, "a running maximum is lax.cummax rather than lax.associative_scan(jnp.maximum, ...)") \
  X(kScanOutputGate, "family_linear_scan.output_gate", 0.3, "a recurrence's states are gated by silu(x @ w_out), as Mamba and RetNet gate their outputs") \
  X(kSampleMinP, "family_sampling.min_p", 0.15, "weight: sampling keeps the tokens whose probability is at least min_p times the largest (min-p sampling)") \
  X(kDivFocalAlphaT, "family_divergence.focal_alpha_t", 0.4, "the focal loss balances classes by alpha_t = alpha labels + (1 - alpha)(1 - labels) (torchvision) rather than a constant alpha") \
  X(kDivFocalRowSum, "family_divergence.focal_row_sum", 0.35, "the focal loss sums over classes, then averages over the batch, rather than averaging every element") \
  X(kConvNetRelu6, "family_conv_net.relu6", 0.1, "weight: the activation is jax.nn.relu6 (MobileNet)") \
  X(kConvNetLeakyRelu, "family_conv_net.leaky_relu", 0.1, "weight: the activation is jax.nn.leaky_relu") \
  X(kFfnPostNorm, "family_feed_forward.post_norm", 0.2, "weight: a feed-forward layer normalizes after its residual (post-norm, as the original Transformer and BERT)") \
  X(kDivTripletNorm, "family_divergence.triplet_norm", 0.4, "Euclidean triplet distances are jnp.linalg.norm of the differences (PyTorch's pairwise_distance) rather than sqrt of summed squares plus eps") \
  X(kDivTripletMaximum, "family_divergence.triplet_maximum", 0.4, "the triplet hinge is written jnp.maximum(gap, 0.0) rather than jax.nn.relu") \
  X(kScanInputProjection, "family_linear_scan.input_projection", 0.4, "a recurrence's input is a projection x @ w_in (minGRU's candidate) rather than x itself") \
  X(kCellConcat, "family_cell.concat", 0.3, "a cell applies one weight matrix to concatenate([x, h]) rather than separate input and hidden weights") \
  X(kGraphEdgeWeights, "family_graph.edge_weights", 0.35, "message passing scales each message by a per-edge weight argument") \
  X(kBlockScanStatsRms, "family_block.scan_stats_rms", 0.35, "scanned layers that emit statistics emit each layer's root mean square rather than its mean") \
  X(kNormRmsFromNorm, "family_norm.rms_from_norm", 0.2, "an RMS norm divides by jnp.linalg.norm(x, axis=-1, keepdims=True) / sqrt(d) + eps rather than taking the mean of squares")
// clang-format on

enum class Choice {
#define JITSYNTH_CHOICE_ENUM(e, ...) e,
  JITSYNTH_CHOICES(JITSYNTH_CHOICE_ENUM)
#undef JITSYNTH_CHOICE_ENUM
};

struct ChoiceInfo {
  Choice choice;
  std::string_view key;
  double probability;  // the default policy's value
  std::string_view comment;
};

inline constexpr std::array kChoiceTable = {
#define JITSYNTH_CHOICE_INFO(e, key, p, comment) ChoiceInfo{Choice::e, key, p, comment},
    JITSYNTH_CHOICES(JITSYNTH_CHOICE_INFO)
#undef JITSYNTH_CHOICE_INFO
};

}  // namespace jitsynth::synth
