#include <fmt/format.h>

#include "cli/commands.h"
#include "synth/policy.h"

namespace jitsynth::cli {

void AddPolicy(CLI::App& app, Action& action) {
  struct Flags {
    bool dump = false;
    std::string from;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "policy", "Show or check a generation policy: the named weights that steer synthesis.");
  cmd->add_flag("--dump", flags->dump,
                "print the policy as TOML: the default, or FILE's with --from");
  cmd->add_option("--from", flags->from, "a policy file to check (and dump with --dump)");
  cmd->footer(
      "Examples:\n  jitsynth policy --dump > policy.toml\n  jitsynth policy --from policy.toml");
  cmd->callback([&action, flags] {
    action = [flags]() -> Status {
      if (!flags->dump && flags->from.empty())
        return InvalidArgument("policy: nothing to do; use --dump or --from FILE");
      synth::Policy policy = synth::Policy::Default();
      if (!flags->from.empty()) {
        ASSIGN_OR_RETURN(policy, synth::Policy::Load(flags->from));
      }
      if (flags->dump) {
        fmt::print("{}", policy.ToToml());
      } else {
        fmt::print("{}: a valid policy (hash {:016x})\n", flags->from, policy.Hash());
      }
      return Status::Ok();
    };
  });
}

}  // namespace jitsynth::cli
