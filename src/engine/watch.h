// A run's watchdog: a thread that, every 50 ms, looks at the caller's stop flag and at the
// driver's own resident memory, and turns either into one stop flag for the pool. Should the
// run still be going kStuckGrace after that flag rose (a callback that does not return, such as
// a generator that keeps allocating), it hands the reason to `on_stuck`, which is expected to
// end the process; the caller's signal or memory budget is then honored all the same.
//
//   Watch watch(stop, options.max_driver_rss_bytes, options.on_stuck, options.out);
//   pool.Run(..., watch.stop());
//   if (watch.over_budget()) return watch.BudgetStatus();
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/status.h"

namespace jitsynth::engine {

class Watch {
 public:
  // From the stop flag rising to on_stuck: within the 5 s a signal is promised to take.
  static constexpr std::chrono::milliseconds kStuckGrace{3500};

  // `stop` may be null; `budget_bytes` 0 means no budget; `on_stuck` may be empty; `out` is
  // the run's directory, for the messages.
  Watch(const std::atomic<bool>* stop, int64_t budget_bytes,
        std::function<void(const Status&)> on_stuck, std::string out);
  ~Watch();  // stops the thread
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // True once the caller's flag rose or the driver went over its budget.
  const std::atomic<bool>* stop() const { return &stop_; }
  bool over_budget() const { return over_budget_.load(); }
  // kFailedPrecondition naming the memory, the budget and the fix.
  Status BudgetStatus() const;
  // The largest resident set of the driver seen.
  int64_t peak_bytes() const { return peak_bytes_.load(); }

 private:
  void Loop();

  const std::atomic<bool>* caller_stop_;
  const int64_t budget_bytes_;
  std::function<void(const Status&)> on_stuck_;
  const std::string out_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> over_budget_{false};
  std::atomic<int64_t> peak_bytes_{0};
  std::atomic<int64_t> bytes_at_stop_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace jitsynth::engine
