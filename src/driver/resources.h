// What the machine can hold: cores, available memory, a process's resident set; and how many
// JAX workers fit in it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace jitsynth::driver {

// The resident set of one jitsynth_worker over a long run: 140-300 MiB once JAX is imported,
// growing to a peak of 498 MiB over 20,000 samples (docs/performance.md, "Worker memory over a
// long run": bench/memory.py, seed 1, 2 workers, recycled every 500 requests; the 2-core,
// 24 GiB development machine, JAX 0.10.2 on CPU). Rounded to 500 MiB.
constexpr int64_t kWorkerRssEstimateBytes = 500LL << 20;

// MemAvailable of /proc/meminfo in bytes; 0 when it cannot be read.
int64_t MemAvailableBytes();

// Resident set of process `pid` (0: this process) from /proc/PID/statm; 0 when it is gone.
int64_t ResidentBytes(pid_t pid = 0);

// How many workers the machine can hold: no more than its cores, and no more than fit, at
// kWorkerRssEstimateBytes each, in half of the memory available now. At least 1.
struct WorkerLimit {
  int workers = 1;
  // Why: "2 cores" or "only 3 workers of ~500 MiB fit in half of the 3.1 GiB of memory available".
  std::string reason;
};
WorkerLimit MachineWorkerLimit();

}  // namespace jitsynth::driver
