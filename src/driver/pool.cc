#include "driver/pool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "core/fd.h"

namespace jitsynth::driver {
namespace {

using nlohmann::json;
using MakeRequest = std::function<json(uint64_t)>;
using OnResult = std::function<Status(uint64_t, Outcome)>;

// How often Run looks at `stop` while it waits for a reply: an atomic cannot wake a condition
// variable, and a signal handler that sets it must not touch one.
constexpr auto kStopPollInterval = std::chrono::milliseconds(20);

Status Deliver(const OnResult& on_result, uint64_t index, Outcome outcome) {
  try {
    return on_result(index, std::move(outcome));
  } catch (const std::exception& e) {
    return Internal(fmt::format("on_result({}) threw: {}", index, e.what()));
  } catch (...) {
    return Internal(fmt::format("on_result({}) threw", index));
  }
}

}  // namespace

struct Pool::Impl {
  explicit Impl(PoolOptions pool_options) : options(std::move(pool_options)) {}

  // The life of one slot thread: start a worker, then serve indices until shutdown. The thread
  // forks every worker it uses and outlives them all, as PR_SET_PDEATHSIG requires.
  void SlotMain(int slot);
  // Builds the request for `index` and gets its outcome, retrying once on a fresh worker.
  // An error ends the run.
  Result<Outcome> Handle(int slot, uint64_t index, const MakeRequest& make_request,
                         std::unique_ptr<Worker>& worker);
  // Replaces `worker` (dead or alive) by a freshly started one, counting it in `counter`.
  Status Replace(int slot, std::unique_ptr<Worker>& worker, uint64_t PoolStats::*counter);
  // Notes the worker's memory and recycles it when it has served its quota or grown too large.
  void AfterRequest(int slot, std::unique_ptr<Worker>& worker, bool may_recycle);
  // The worker options of a slot: its worker pins itself to the slot-th allowed CPU (the
  // declared target compiles on one CPU; slots spread the workers over the cores).
  WorkerOptions SlotOptions(int slot) const {
    WorkerOptions o = options.worker;
    o.args.push_back(fmt::format("--cpu-slot={}", slot));
    return o;
  }

  bool HasWorkLocked() const {
    return running && !aborted && next_to_hand_out < end &&
           next_to_hand_out - next_to_deliver < window;
  }
  bool Aborted() const {
    std::lock_guard lock(mu);
    return aborted;
  }
  void AbortLocked(const Status& status) {
    if (run_error.ok()) run_error = status;
    aborted = true;
  }
  // The interrupt pipe is readable while a run is being torn down; pending Calls poll it.
  void Interrupt() {
    const char byte = 1;
    [[maybe_unused]] const ssize_t ignored = ::write(interrupt.write.get(), &byte, 1);
  }
  void ClearInterrupt() {
    char buffer[64];
    while (::read(interrupt.read.get(), buffer, sizeof buffer) > 0) {
    }
  }
  void StopThreads() {
    {
      std::lock_guard lock(mu);
      shutting_down = true;
    }
    // A slot may be starting a worker (at creation, or a recycle): no wait for its JAX import.
    Interrupt();
    work_cv.notify_all();
    for (std::thread& thread : threads) {
      if (thread.joinable()) thread.join();
    }
  }

  PoolOptions options;
  size_t window = 0;
  Pipe interrupt;  // non-blocking both ends

  mutable std::mutex mu;
  std::condition_variable work_cv;  // slots wait here for an index or for shutdown
  std::condition_variable done_cv;  // Create and Run wait here for the slots' progress

  // Guarded by mu.
  int slots_started = 0;
  Status start_error;
  json versions;
  bool shutting_down = false;
  bool running = false;
  bool aborted = false;
  Status run_error;
  uint64_t end = 0;
  uint64_t next_to_hand_out = 0;
  uint64_t next_to_deliver = 0;
  const MakeRequest* make_request = nullptr;
  int busy = 0;  // slots between taking an index and storing its outcome
  // Outcomes waiting to be delivered in order, at index % window.
  std::vector<std::optional<Outcome>> ring;
  PoolStats stats;

  std::vector<std::thread> threads;  // touched only by Create and the destructor
};

void Pool::Impl::SlotMain(int slot) {
  std::unique_ptr<Worker> worker;
  {
    Result<std::unique_ptr<Worker>> started = Worker::Start(SlotOptions(slot), interrupt.read.get());
    std::lock_guard lock(mu);
    if (started.ok()) {
      worker = std::move(started).value();
      if (slot == 0) versions = worker->versions();
    } else if (start_error.ok()) {
      start_error = started.status();
    }
    ++slots_started;
    done_cv.notify_all();
  }

  std::unique_lock lock(mu);
  while (true) {
    work_cv.wait(lock, [&] { return shutting_down || HasWorkLocked(); });
    if (shutting_down) break;
    const uint64_t index = next_to_hand_out++;
    const MakeRequest& make = *make_request;
    ++busy;
    lock.unlock();

    Result<Outcome> outcome = Handle(slot, index, make, worker);

    lock.lock();
    --busy;
    if (outcome.ok()) {
      ring[index % window] = std::move(outcome).value();
    } else {
      AbortLocked(outcome.status());
    }
    const bool may_recycle = !aborted && !shutting_down;
    done_cv.notify_all();
    lock.unlock();
    AfterRequest(slot, worker, may_recycle);
    lock.lock();
  }
  lock.unlock();
  worker.reset();  // orderly shutdown, from the thread that forked it
}

Result<Outcome> Pool::Impl::Handle(int slot, uint64_t index, const MakeRequest& make_request,
                                   std::unique_ptr<Worker>& worker) {
  json request;
  try {
    request = make_request(index);
  } catch (const std::exception& e) {
    return Internal(fmt::format("make_request({}) threw: {}", index, e.what()));
  } catch (...) {
    return Internal(fmt::format("make_request({}) threw", index));
  }
  // Empty after a recycle that could not start, dead after a failure or an interrupted run.
  if (!worker || !worker->alive()) RETURN_IF_ERROR(Replace(slot, worker, &PoolStats::restarts));
  {
    std::lock_guard lock(mu);
    ++stats.requests;
  }

  std::string first_failure;
  for (int attempt = 0;; ++attempt) {
    // Not strictly needed (the interrupt pipe would stop the call) but spares the worker.
    if (Aborted()) return Status(StatusCode::kCancelled, "run ended");
    Result<json> reply = worker->Call(request, interrupt.read.get());
    if (reply.ok()) {
      Outcome outcome;
      outcome.reply = std::move(reply).value();
      return outcome;
    }
    const Status& failure = reply.status();
    const bool timed_out = failure.code() == StatusCode::kTimeout;
    // kCancelled (the run is ending) or a request that cannot be sent: not the program's fault.
    if (!timed_out && failure.code() != StatusCode::kCrashed) return failure;
    {
      std::lock_guard lock(mu);
      ++(timed_out ? stats.timeouts : stats.crashes);
    }
    if (attempt == 1) {
      Outcome outcome;
      outcome.failure_stage = timed_out ? "timeout" : "crash";
      outcome.failure_message =
          fmt::format("{}; retried on a fresh worker: {}", first_failure, failure.message());
      return outcome;
    }
    // One retry on a fresh worker tells a program that kills JAX from a worker that was already
    // unwell (a leak, an earlier request's damage).
    first_failure = failure.message();
    RETURN_IF_ERROR(Replace(slot, worker, &PoolStats::restarts));
    std::lock_guard lock(mu);
    ++stats.retries;
  }
}

Status Pool::Impl::Replace(int slot, std::unique_ptr<Worker>& worker,
                           uint64_t PoolStats::*counter) {
  worker.reset();
  Result<std::unique_ptr<Worker>> fresh = Worker::Start(SlotOptions(slot), interrupt.read.get());
  if (!fresh.ok()) return fresh.status();
  worker = std::move(fresh).value();
  std::lock_guard lock(mu);
  ++(stats.*counter);
  return Status::Ok();
}

void Pool::Impl::AfterRequest(int slot, std::unique_ptr<Worker>& worker, bool may_recycle) {
  if (!worker || !worker->alive()) return;  // replaced when next needed
  const int64_t rss = worker->rss_bytes();
  {
    std::lock_guard lock(mu);
    stats.peak_rss_bytes = std::max(stats.peak_rss_bytes, rss);
  }
  const bool served_quota =
      options.max_requests_per_worker > 0 &&
      worker->requests_served() >= static_cast<uint64_t>(options.max_requests_per_worker);
  const bool too_large = options.max_rss_bytes > 0 && rss > options.max_rss_bytes;
  // A run that is ending leaves the worker as it is: the process may be about to exit.
  if (!may_recycle || !(served_quota || too_large)) return;
  // On failure the slot stays empty; its next index tries again and ends the run if it must.
  (void)Replace(slot, worker, &PoolStats::recycles);
}

Pool::Pool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Pool::~Pool() {
  if (impl_) impl_->StopThreads();
}

Result<std::unique_ptr<Pool>> Pool::Create(PoolOptions options, const std::atomic<bool>* stop) {
  if (options.workers < 1) {
    return InvalidArgument(
        fmt::format("a pool needs at least one worker, not {}", options.workers));
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  Impl& state = *impl;
  const int workers = state.options.workers;
  state.window =
      state.options.window != 0 ? state.options.window : 4 * static_cast<size_t>(workers);
  ASSIGN_OR_RETURN(state.interrupt, MakePipe(O_NONBLOCK));

  // One thread per worker, each starting its own: the JAX imports overlap, and each worker's
  // PR_SET_PDEATHSIG is tied to a thread that lives as long as the pool.
  try {
    for (int slot = 0; slot < workers; ++slot) {
      state.threads.emplace_back([&state, slot] { state.SlotMain(slot); });
    }
  } catch (const std::system_error& e) {
    // Each slot still counts itself in, so wait for the ones running, then stop them.
    {
      std::unique_lock lock(state.mu);
      state.done_cv.wait(
          lock, [&] { return state.slots_started == static_cast<int>(state.threads.size()); });
    }
    state.StopThreads();
    return Internal(fmt::format("cannot start a pool thread: {}", e.what()));
  }

  Status start_error;
  {
    std::unique_lock lock(state.mu);
    bool interrupted = false;
    while (state.slots_started < workers) {
      state.done_cv.wait_for(lock, kStopPollInterval);
      if (!interrupted && stop != nullptr && stop->load()) {
        // The slots' pings fail with kCancelled, their workers killed, and they count in.
        interrupted = true;
        state.Interrupt();
      }
    }
    start_error = interrupted ? Status(StatusCode::kCancelled, "stopped while workers started")
                              : state.start_error;
  }
  if (!start_error.ok()) {
    state.StopThreads();
    return start_error;
  }
  return std::unique_ptr<Pool>(new Pool(std::move(impl)));
}

const nlohmann::json& Pool::versions() const { return impl_->versions; }

int Pool::size() const { return impl_->options.workers; }

PoolStats Pool::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

Status Pool::Run(uint64_t begin, uint64_t end, const MakeRequest& make_request,
                 const OnResult& on_result, const std::atomic<bool>* stop) {
  Impl& state = *impl_;
  std::unique_lock lock(state.mu);
  if (state.running) return FailedPrecondition("Pool::Run is already running");
  if (begin >= end) return Status::Ok();
  state.running = true;
  state.aborted = false;
  state.run_error = Status::Ok();
  state.end = end;
  state.next_to_hand_out = begin;
  state.next_to_deliver = begin;
  state.make_request = &make_request;
  state.ring.assign(state.window, std::nullopt);
  state.work_cv.notify_all();

  Status result;
  while (true) {
    if (!state.run_error.ok()) {  // a slot could not go on
      result = state.run_error;
      break;
    }
    if (stop != nullptr && stop->load()) {
      result = Status(StatusCode::kCancelled, "run stopped");
      break;
    }
    if (state.next_to_deliver == end) break;
    std::optional<Outcome>& cell = state.ring[state.next_to_deliver % state.window];
    if (!cell.has_value()) {
      state.done_cv.wait_for(lock, kStopPollInterval);
      continue;
    }
    Outcome outcome = std::move(*cell);
    cell.reset();
    const uint64_t index = state.next_to_deliver;
    lock.unlock();
    Status delivered = Deliver(on_result, index, std::move(outcome));
    lock.lock();
    if (!delivered.ok()) {
      result = delivered;
      break;
    }
    ++state.next_to_deliver;
    state.work_cv.notify_all();  // the window moved
  }

  if (!result.ok()) {
    state.AbortLocked(result);
    // Waiting out a 120 s compile after Ctrl-C would be no way to stop: interrupt the calls.
    if (state.busy > 0) state.Interrupt();
  }
  // The callbacks are the caller's: no slot may still be using them when Run returns.
  state.done_cv.wait(lock, [&] { return state.busy == 0; });
  state.ClearInterrupt();
  state.running = false;
  state.make_request = nullptr;
  state.ring.clear();
  return result;
}

}  // namespace jitsynth::driver
