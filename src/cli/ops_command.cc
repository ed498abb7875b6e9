#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "ir/ops.h"

namespace jitsynth::cli {

void AddOps(CLI::App& app, Action& action) {
  CLI::App* cmd =
      app.add_subcommand("ops",
                         "List the op table, one JSON object per op: name, group, JAX spellings,\n"
                         "arity, whether a gradient flows through it, default policy weight.");
  cmd->callback([&action] {
    action = []() -> Status {
      for (const ir::OpInfo& op : ir::AllOps()) {
        nlohmann::json spellings = nlohmann::json::array();
        for (int i = 0; i < op.spelling_count(); ++i) spellings.push_back(op.spellings[i]);
        nlohmann::json j = {{"name", op.name},
                            {"group", ir::GroupName(op.group)},
                            {"spellings", std::move(spellings)},
                            {"arity", op.arity},
                            {"differentiable", op.differentiable},
                            {"weight", op.weight}};
        fmt::print("{}\n", j.dump());
      }
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
