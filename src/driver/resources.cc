#include "driver/resources.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <thread>

namespace jitsynth::driver {

int64_t MemAvailableBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  int64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

int64_t ResidentBytes(pid_t pid) {
  std::ifstream statm(pid == 0 ? std::string("/proc/self/statm")
                               : fmt::format("/proc/{}/statm", pid));
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

WorkerLimit MachineWorkerLimit() {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  WorkerLimit limit{cores, fmt::format("this machine has {} cores", cores)};
  const int64_t available = MemAvailableBytes();
  if (available <= 0) return limit;  // unknown: cores alone
  const int fit =
      static_cast<int>(std::max<int64_t>(1, available / 2 / kWorkerRssEstimateBytes));
  if (fit < limit.workers) {
    limit = {fit, fmt::format("only {} workers of ~{} MiB fit in half of the {:.1f} GiB of "
                              "memory available",
                              fit, kWorkerRssEstimateBytes >> 20,
                              static_cast<double>(available) / (1 << 30))};
  }
  return limit;
}

}  // namespace jitsynth::driver
