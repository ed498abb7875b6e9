// `jitsynth extract`: the seed's IR extractor for a user's own function. One worker captures it
// as generate captures a sample, and the result is one record of the usual schema.
//
//   ExtractOptions o;
//   o.target = "examples/saxpy.py:saxpy";
//   o.args = {"f32[]", "f32[1024]", "f32[1024]"};
//   o.python = ".venv/bin/python";
//   ASSIGN_OR_RETURN(store::Json record, Extract(o));
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/request.h"
#include "ir/dtype.h"
#include "store/record.h"

namespace jitsynth::engine {

struct ExtractOptions {
  std::string target;             // "FILE.py:FUNC"
  std::vector<std::string> args;  // one spec per array argument, in order: "f32[16,8]"
  bool grad = true;               // capture the backward pass too
  std::string python;             // interpreter with jitsynth_worker and JAX
  std::chrono::milliseconds timeout{120000};
  std::string xla_flags;  // what the worker's XLA_FLAGS hold, for provenance
  LevelChoice levels = DefaultLevelChoice();  // --levels, --gpu-target
};

// The record of FUNC: `python` is FILE's source, `entry` FUNC, `args` named after FUNC's
// parameters, all four levels forward and (unless !grad) backward, cost and provenance.
// Extracted records have category "extracted", seed and index 0, an id "extract-<16 hex
// digits>" (xxh64 of the source, the function name, the argument types and the grad choice) and
// an empty policy_hash. The function is traced only, never run: it need not be finite on random
// inputs.
//
// Bad input is kInvalidArgument with a message naming the problem: a target without ":FUNC", a
// missing or unreadable file, a malformed spec, a file that does not run (a syntax error), a
// missing function, a wrong number of specs, a function JAX cannot trace or lower, a backward
// pass JAX cannot build.
Result<store::Json> Extract(const ExtractOptions& options);

// A spec DTYPE[DIMS]: DTYPE a NumPy name (float32, bool) or an HLO name (f32, pred), DIMS
// comma-separated non-negative integers, empty for a scalar: "f32[16,8]", "s32[]",
// "bfloat16[2,3]".
Result<ir::TensorType> ParseArgSpec(std::string_view spec);

}  // namespace jitsynth::engine
