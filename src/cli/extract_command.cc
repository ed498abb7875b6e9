#include <fmt/format.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "engine/extract.h"
#include "store/files.h"

namespace jitsynth::cli {

void AddExtract(CLI::App& app, Action& action) {
  struct Flags {
    engine::ExtractOptions options;
    std::string out;
    std::string timeout = "120";
    LevelFlags levels;
    bool no_grad = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "extract",
      "Capture your own JAX function as one record of the usual schema: jaxpr, StableHLO, HLO\n"
      "and optimized HLO of the forward and the backward pass, with cost and provenance.\n"
      "Arguments are named after the function's parameters; the function is traced and\n"
      "compiled, never run.");
  cmd->add_option("TARGET", flags->options.target, "FILE.py:FUNC, the module and its function")
      ->required();
  cmd->add_option("--arg", flags->options.args,
                  "one per array argument, in order: DTYPE[DIMS] with an HLO or NumPy dtype name "
                  "(f32[16,8], s32[], pred[4], bf16[2,3], float32[8])")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--out", flags->out, "write the record (one JSON line) here, not to stdout");
  cmd->add_flag("--no-grad", flags->no_grad,
                "skip the backward pass (grad: null), e.g. for lax.while_loop, which JAX cannot "
                "differentiate in reverse");
  cmd->add_option("--timeout", flags->timeout, "seconds the capture may take (default 120)");
  AddPythonOption(*cmd, flags->options.python, "jitsynth_worker and JAX");
  AddLevelFlags(*cmd, flags->levels);
  cmd->footer(
      "Examples:\n"
      "  jitsynth extract examples/saxpy.py:saxpy --arg 'f32[]' --arg 'f32[1024]' --arg "
      "'f32[1024]'\n"
      "  jitsynth extract examples/dot.py:dot --arg 'float32[8]' --arg 'float32[8]' --out "
      "dot.json");
  cmd->callback([&action, flags] {
    action = [flags]() -> Status {
      engine::ExtractOptions& o = flags->options;
      ASSIGN_OR_RETURN(uint64_t timeout, ParsePositive("--timeout", flags->timeout));
      o.timeout = std::chrono::seconds(std::min<uint64_t>(timeout, 1ULL << 30));
      o.grad = !flags->no_grad;
      const char* xla_flags = std::getenv("XLA_FLAGS");
      o.xla_flags = xla_flags != nullptr ? xla_flags : "";
      RETURN_IF_ERROR(CheckPython(o.python, "jitsynth_worker"));
      ASSIGN_OR_RETURN(o.levels, ParseLevelFlags(flags->levels, o.python));
      if (!flags->out.empty()) {
        RETURN_IF_ERROR(store::CheckOutputFile(flags->out, "--out"));
        std::error_code ec;
        const std::string file = o.target.substr(0, o.target.rfind(':'));
        if (std::filesystem::equivalent(flags->out, file, ec)) {
          return InvalidArgument(fmt::format(
              "--out {}: is the Python file being extracted; choose another path", flags->out));
        }
      }
      ASSIGN_OR_RETURN(const store::Json record, engine::Extract(o));
      const std::string line = record.dump() + "\n";
      if (flags->out.empty()) {
        fmt::print("{}", line);
        return Status::Ok();
      }
      return store::WriteFileAtomic(flags->out, line);
    };
  });
}

}  // namespace jitsynth::cli
