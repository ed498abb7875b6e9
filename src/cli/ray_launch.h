// `jitsynth generate ... --ray ADDRESS`: the arguments are checked here, then the CLI execs the
// Ray launcher (python/jitsynth_cluster) with the project's Python; it runs one Ray task per
// chunk, each running this same CLI with `--chunks K:K+1` on its node.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace jitsynth::cli {

struct RayLaunch {
  std::string address;  // "local", or a cluster address ("auto", "ray://HOST:10001", "HOST:6379")
  std::string python;   // the interpreter that has ray (the project's .venv)
  std::string out;      // a path every node sees, or s3://BUCKET/PREFIX[?endpoint_override=...]
  uint64_t count = 0;
  uint64_t seed = 0;
  uint64_t chunk_size = 0;
  uint64_t cpus_per_task = 1;
  uint64_t max_retries = 3;
  std::string policy_path;             // empty: the default policy
  std::string policy_hash;             // 16 hex digits, as the manifest records it
  std::vector<std::string> cli_flags;  // passed to every task's CLI (--timeout=...)
  std::vector<std::string> command;    // this command line, for the manifest
  bool quiet = false;
  std::string test_fail_chunk;  // test only ($JITSYNTH_TEST_RAY_FAIL_CHUNK): its CLI always fails
};

// Whether OUT names an object store rather than a path ("s3://...").
bool IsObjectStoreUri(const std::string& out);

// Replaces this process by the launcher; returns only when exec failed (kFailedPrecondition).
Status ExecRayLauncher(const RayLaunch& launch);

}  // namespace jitsynth::cli
