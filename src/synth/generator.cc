#include "synth/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "core/rng.h"
#include "emit/jax_emitter.h"
#include "ir/verifier.h"
#include "synth/builder.h"

namespace jitsynth::synth {

std::vector<std::string> FamilyNames() {
  std::vector<std::string> names;
  for (const FamilyInfo& f : kFamilyTable) names.emplace_back(f.name);
  return names;
}

Generator::Generator(Policy policy, uint64_t seed)
    : policy_(std::move(policy)), seed_(seed), knobs_(std::make_shared<detail::Knobs>(policy_)) {}

Result<Sample> Generator::Generate(uint64_t index) const {
  Rng rng(seed_, index);
  const size_t family = rng.PickWeighted(knobs_->family_weight);
  return Generate(index, kFamilyTable[family].name);
}

namespace {

// The first way a program's entry breaks the policy's shape limits, or "".
// The limits bound the arrays a program is called with (its arguments);
// intermediate values (a matmul of two of them, a reshape) may differ. A
// jax.random key (uint32[2], the raw key data) is a key, not an array shape
// the policy chose: it counts as an argument only.
std::string ShapeLimitBroken(const ir::Function& entry, const detail::Knobs& k) {
  if (static_cast<int>(entry.params.size()) > k.max_args) {
    return fmt::format("{} arguments > shape.max_args = {}", entry.params.size(), k.max_args);
  }
  for (const ir::Var& v : entry.params) {
    const ir::Shape& s = v.type.shape;
    if (v.type.dtype == ir::DType::kUInt32 && s == ir::Shape{2}) continue;
    if (static_cast<int>(s.size()) > k.max_rank) {
      return fmt::format("argument {} has rank {} > shape.max_rank = {}", v.name, s.size(), k.max_rank);
    }
    int64_t elements = 1;
    for (int64_t d : s) {
      if (d > k.max_dim) return fmt::format("argument {} has an axis of {} > shape.max_dim = {}", v.name, d, k.max_dim);
      elements *= d;
    }
    if (elements > k.max_elements) {
      return fmt::format("argument {} has {} elements > shape.max_elements = {}", v.name, elements, k.max_elements);
    }
  }
  return "";
}

}  // namespace

Result<Sample> Generator::Generate(uint64_t index, std::string_view family) const {
  const auto it = std::find_if(kFamilyTable.begin(), kFamilyTable.end(),
                               [&](const FamilyInfo& f) { return f.name == family; });
  if (it == kFamilyTable.end()) return InvalidArgument(fmt::format("unknown family '{}'", family));
  // Families build shapes their idiom needs (a GRU's 3 * hidden gates, an
  // image); where that breaks the policy's shape limits the family tries
  // again on a sub-stream of its own, and after kShapeAttempts falls back to
  // the elementwise family, whose shapes are drawn within the limits. The
  // first attempt is today's stream, so programs that fit are unchanged.
  constexpr int kShapeAttempts = 8;
  const Rng stream(seed_, index);
  for (int attempt = 0; attempt <= kShapeAttempts; ++attempt) {
    const bool fallback = attempt == kShapeAttempts;
    detail::Builder builder(*knobs_, attempt == 0 ? stream.Split("program")
                                                  : stream.Split(fmt::format("program.{}", attempt)));
    ir::Program program = builder.Build(fallback ? Family::kElementwise : it->family);
    if (builder.over_budget()) {
      return Internal(fmt::format("sample {} ({}) exceeded the generator's step budget of {}", index,
                                  program.category, detail::Builder::StepBudget(knobs_->max_ops)));
    }
    const std::string broken = ShapeLimitBroken(program.entry_function(), *knobs_);
    if (!broken.empty() && !fallback) continue;
    if (!broken.empty()) {
      return Internal(fmt::format("sample {} ({}) breaks the policy's shape limits: {}", index,
                                  program.category, broken));
    }
    RETURN_IF_ERROR(ir::Verify(program));
    Sample s;
    s.python = emit::EmitPython(program);
    s.entry = program.entry_function().name;
    s.args = program.entry_function().params;
    s.outputs = ir::ResultTypes(program);
    s.steps = builder.steps();
    s.program = std::move(program);
    return s;
  }
  return Internal("unreachable");
}

std::vector<ir::Interval> OutputRanges(const Sample& sample) {
  std::vector<ir::Interval> out;
  for (const ir::ExprPtr& e : sample.program.entry_function().results) out.push_back(e->range);
  return out;
}

bool HasBackwardPass(const Sample& sample) {
  auto is_float = [](const ir::TensorType& t) { return ir::IsFloat(t.dtype); };
  return sample.program.differentiable &&
         std::any_of(sample.args.begin(), sample.args.end(),
                     [&](const ir::Var& v) { return is_float(v.type); }) &&
         std::any_of(sample.outputs.begin(), sample.outputs.end(), is_float);
}

Result<std::vector<Covering>> CoverOps(const Policy& policy, uint64_t seed, uint64_t max_tries) {
  // The boost makes an op common without starving the ops around it; of the
  // first few samples that use it, the one using most uncovered ops is kept.
  constexpr double kBoost = 100;
  constexpr int kCandidates = 8;
  std::array<bool, ir::kNumOps> covered{};
  std::vector<Covering> out;
  for (const ir::OpInfo& target : ir::AllOps()) {
    if (covered[static_cast<size_t>(target.id)]) continue;
    Policy boosted = policy;
    const std::string key = fmt::format("op.{}", target.name);
    RETURN_IF_ERROR(boosted.Set(key, std::max(policy.Get(key), 0.01) * kBoost));
    const Generator generator(boosted, seed);
    std::optional<Covering> best;
    int candidates = 0;
    for (uint64_t index = 0; index < max_tries && candidates < kCandidates; ++index) {
      ASSIGN_OR_RETURN(Sample sample, generator.Generate(index));
      const bool backward = HasBackwardPass(sample);
      Covering c;
      bool uses_target = false;
      for (ir::OpId op : ir::OpsUsed(sample.program)) {
        if (covered[static_cast<size_t>(op)] || (ir::Info(op).differentiable && !backward))
          continue;
        c.covers.push_back(op);
        uses_target |= op == target.id;
      }
      if (!uses_target) continue;
      ++candidates;
      if (best && best->covers.size() >= c.covers.size()) continue;
      c.sample = std::move(sample);
      c.index = index;
      c.boosted_op = std::string(target.name);
      best = std::move(c);
    }
    if (!best) {
      return Internal(fmt::format("no sample of {} uses op {} with its weight boosted", max_tries,
                                  target.name));
    }
    for (ir::OpId op : best->covers) covered[static_cast<size_t>(op)] = true;
    out.push_back(std::move(*best));
  }
  return out;
}

}  // namespace jitsynth::synth
