// A fixed set of workers, each served by its own thread, that runs a range of sample indices
// and hands the replies back in index order.
//
//   PoolOptions options;
//   options.workers = 8;
//   options.worker.python = python;
//   ASSIGN_OR_RETURN(std::unique_ptr<Pool> pool, Pool::Create(options));
//   RETURN_IF_ERROR(pool->Run(
//       0, 1000,
//       // on a pool thread:
//       [&](uint64_t i) { return engine::MakeCompileRequest(Sample(i), seed, i, levels).ToJson(); },
//       // on the calling thread, in index order:
//       [&](uint64_t i, Outcome outcome) { return Write(i, std::move(outcome)); },
//       &stop_requested));
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status.h"
#include "driver/worker.h"

namespace jitsynth::driver {

struct PoolOptions {
  int workers = 1;
  WorkerOptions worker;
  // JAX's caches only grow: a worker is replaced by a fresh one after this many requests, or as
  // soon as its resident set exceeds max_rss_bytes (checked after each request). 0 disables.
  int max_requests_per_worker = 500;
  int64_t max_rss_bytes = 4LL << 30;
  // At most this many indices between the next to hand out and the next to deliver, which bounds
  // the replies held for reordering. 0 means 4 * workers.
  size_t window = 0;
};

// What became of one index.
struct Outcome {
  // The worker's reply, {"ok": true, ...} or {"ok": false, "stage": ...}; empty on failure.
  std::optional<nlohmann::json> reply;
  // "timeout" or "crash" when there is no reply: the request failed on two workers in a row.
  std::string failure_stage;
  std::string failure_message;
};

struct PoolStats {
  uint64_t requests = 0;  // indices sent to a worker
  uint64_t retries = 0;   // second attempts after a timeout or crash
  uint64_t timeouts = 0;  // calls that missed their deadline (a retried index may count twice)
  uint64_t crashes = 0;   // calls whose worker died
  uint64_t restarts = 0;  // workers started to replace one that timed out, crashed or was stopped
  uint64_t recycles = 0;  // workers replaced on schedule (request count or memory)
  int64_t peak_rss_bytes = 0;  // largest worker resident set seen after a request
};

class Pool {
 public:
  // Starts all workers in parallel (each waits for its JAX import).
  // Errors: kInvalidArgument for workers < 1; kFailedPrecondition when a worker cannot start,
  // naming the interpreter and the log path; kCancelled when `stop` becomes true first (looked
  // at every 20 ms; the workers started so far are killed).
  static Result<std::unique_ptr<Pool>> Create(PoolOptions options,
                                              const std::atomic<bool>* stop = nullptr);

  ~Pool();  // shuts every worker down; a worker still starting (a recycle) is killed
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // The first worker's ping reply "versions": jax, jaxlib, python, backend.
  const nlohmann::json& versions() const;
  int size() const;

  // Runs indices [begin, end). make_request(i) is called on a pool thread, so that generating
  // the next program overlaps the compiles; on_result(i, outcome) is called on the calling
  // thread, strictly in increasing index order. A request whose worker times out or crashes is
  // retried once on a fresh worker; failing again, its outcome has failure_stage "timeout" or
  // "crash", and the run goes on.
  //
  // on_result returning an error, `stop` becoming true, an exception from a callback
  // (kInternal), or a replacement worker that cannot start ends the run: nothing more is
  // delivered, in-flight requests are interrupted (their workers killed, to be restarted when
  // next needed), and Run returns that status (kCancelled for `stop`). When Run returns, no
  // callback is running or will run. Not reentrant.
  Status Run(uint64_t begin, uint64_t end,
             const std::function<nlohmann::json(uint64_t)>& make_request,
             const std::function<Status(uint64_t, Outcome)>& on_result,
             const std::atomic<bool>* stop = nullptr);

  PoolStats stats() const;

 private:
  struct Impl;
  explicit Pool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jitsynth::driver
