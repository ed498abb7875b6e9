// Running a Python tool of python/jitsynth_tools to its end (export's and tasks' Parquet).
//
//   RETURN_IF_ERROR(RunTool({python, "-m", "jitsynth_tools.export", "--out", tmp, chunk}));
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace jitsynth::publish {

// Runs `argv` (argv[0] looked up on PATH; at least three entries) to its end with stdin from
// /dev/null. What it prints on stdout and stderr is collected; a failure (kInternal, or
// kFailedPrecondition when it cannot start) ends its message with the tool's last line.
Status RunTool(std::vector<std::string> argv);

}  // namespace jitsynth::publish
