#include <fmt/format.h>

#include "cli/commands.h"
#include "engine/request.h"
#include "synth/generator.h"

namespace jitsynth::cli {
namespace {

// A worker compile request for the sample, with what the generator knows
// about it: the category, the output types the verifier inferred, the ops.
nlohmann::json SampleJson(const synth::Sample& s, uint64_t seed, uint64_t index) {
  nlohmann::json j =
      engine::MakeCompileRequest(s, seed, index, engine::DefaultLevelChoice()).ToJson();
  j["category"] = s.program.category;
  nlohmann::json outputs = nlohmann::json::array();
  for (const ir::TensorType& t : s.outputs) {
    outputs.push_back({{"shape", t.shape}, {"dtype", std::string(ir::NumpyName(t.dtype))}});
  }
  j["expected_outputs"] = std::move(outputs);
  // The interval the generator inferred for each output (tests/py/test_op_ranges.py checks JAX's
  // values against it).
  nlohmann::json ranges = nlohmann::json::array();
  for (const ir::Interval& r : synth::OutputRanges(s)) {
    ranges.push_back({{"low", r.lo}, {"high", r.hi}});
  }
  j["output_ranges"] = std::move(ranges);
  nlohmann::json ops = nlohmann::json::array();
  for (ir::OpId op : ir::OpsUsed(s.program)) ops.push_back(ir::Info(op).name);
  j["ops"] = std::move(ops);
  return j;
}

}  // namespace

void AddSample(CLI::App& app, Action& action) {
  struct Flags {
    std::string count = "10", seed = "0", start = "0", policy, family;
    bool cover_ops = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "sample",
      "Print generated programs as JSON lines, without compiling them. Each line is the\n"
      "worker's compile request (python, entry, args with input ranges, x64, grad) plus the\n"
      "category, the output types the verifier inferred and the ops used.");
  cmd->add_option("--count", flags->count, "number of samples (default 10)");
  cmd->add_option("--seed", flags->seed, "run seed (default 0)");
  cmd->add_option("--start", flags->start, "first sample index (default 0)");
  cmd->add_option("--policy", flags->policy, "generation policy (TOML)");
  cmd->add_option("--family", flags->family, "only this kernel family");
  cmd->add_flag("--cover-ops", flags->cover_ops,
                "instead, a few samples that together use every op in the table (each op found "
                "with its weight boosted; differentiable ops in samples with a backward pass)");
  cmd->footer("Example:\n  jitsynth sample --count 3 --seed 7 --family loop");
  cmd->callback([&action, flags] {
    action = [flags]() -> Status {
      ASSIGN_OR_RETURN(uint64_t count, ParsePositive("--count", flags->count));
      ASSIGN_OR_RETURN(uint64_t seed, ParsePositive("--seed", flags->seed, /*allow_zero=*/true));
      ASSIGN_OR_RETURN(uint64_t start, ParsePositive("--start", flags->start, /*allow_zero=*/true));
      synth::Policy policy = synth::Policy::Default();
      if (!flags->policy.empty()) {
        ASSIGN_OR_RETURN(policy, synth::Policy::Load(flags->policy));
      }
      if (flags->cover_ops) {
        ASSIGN_OR_RETURN(std::vector<synth::Covering> cover, synth::CoverOps(policy, seed));
        for (const synth::Covering& c : cover) {
          nlohmann::json j = SampleJson(c.sample, seed, c.index);
          j["boosted_op"] = c.boosted_op;
          nlohmann::json covers = nlohmann::json::array();
          for (ir::OpId op : c.covers) covers.push_back(ir::Info(op).name);
          j["covers"] = std::move(covers);
          fmt::print("{}\n", j.dump());
        }
        return Status::Ok();
      }
      const synth::Generator generator(policy, seed);
      for (uint64_t index = start; index < start + count; ++index) {
        Result<synth::Sample> s = flags->family.empty() ? generator.Generate(index)
                                                        : generator.Generate(index, flags->family);
        if (!s.ok()) {
          if (s.status().code() == StatusCode::kInvalidArgument) return s.status();
          return Internal(fmt::format("sample {}: {}", index, s.status().message()));
        }
        fmt::print("{}\n", SampleJson(*s, seed, index).dump());
      }
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
