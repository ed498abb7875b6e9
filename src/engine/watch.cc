#include "engine/watch.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "driver/resources.h"

namespace jitsynth::engine {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);

}  // namespace

Watch::Watch(const std::atomic<bool>* stop, int64_t budget_bytes,
             std::function<void(const Status&)> on_stuck, std::string out)
    : caller_stop_(stop),
      budget_bytes_(budget_bytes),
      on_stuck_(std::move(on_stuck)),
      out_(std::move(out)) {
  thread_ = std::thread([this] { Loop(); });
}

Watch::~Watch() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status Watch::BudgetStatus() const {
  return FailedPrecondition(fmt::format(
      "the driver's memory reached {} MiB, over its budget of {} MiB (--max-driver-rss); "
      "stopped, committed chunks and the manifest in {} are intact: raise --max-driver-rss or "
      "use a less demanding --policy, then continue with --resume",
      bytes_at_stop_.load() >> 20, budget_bytes_ >> 20, out_));
}

void Watch::Loop() {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> stopped_at;
  bool handed_over = false;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, kPollInterval, [&] { return done_; })) {
    const int64_t bytes = driver::ResidentBytes();
    peak_bytes_.store(std::max(peak_bytes_.load(), bytes));
    if (!stop_.load()) {
      if (budget_bytes_ > 0 && bytes > budget_bytes_) {
        bytes_at_stop_.store(bytes);
        over_budget_.store(true);
      }
      if (over_budget_.load() || (caller_stop_ != nullptr && caller_stop_->load())) {
        stop_.store(true);
        stopped_at = Clock::now();
      }
      continue;
    }
    if (handed_over || !on_stuck_ || Clock::now() - *stopped_at < kStuckGrace) continue;
    handed_over = true;
    // The reason is the budget if that was it, else the caller's signal.
    on_stuck_(over_budget_.load()
                  ? BudgetStatus()
                  : Status(StatusCode::kCancelled,
                           fmt::format("interrupted; the run did not wind down within 3.5 s, so "
                                       "it ended at once; committed chunks in {} are intact "
                                       "(continue with --resume)",
                                       out_)));
  }
}

}  // namespace jitsynth::engine
