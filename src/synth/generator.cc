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

Result<Sample> Generator::Generate(uint64_t index, std::string_view family) const {
  const auto it = std::find_if(kFamilyTable.begin(), kFamilyTable.end(),
                               [&](const FamilyInfo& f) { return f.name == family; });
  if (it == kFamilyTable.end()) return InvalidArgument(fmt::format("unknown family '{}'", family));
  detail::Builder builder(*knobs_, Rng(seed_, index).Split("program"));
  ir::Program program = builder.Build(it->family);
  if (builder.over_budget()) {
    return Internal(fmt::format("sample {} ({}) exceeded the generator's step budget of {}", index,
                                family, detail::Builder::StepBudget(knobs_->max_ops)));
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
