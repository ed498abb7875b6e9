// One long-lived Python worker process and the framed protocol spoken with it
// (docs/worker-protocol.md).
//
//   WorkerOptions options;
//   options.python = "/path/to/.venv/bin/python";
//   ASSIGN_OR_RETURN(std::unique_ptr<Worker> worker, Worker::Start(options));
//   ASSIGN_OR_RETURN(nlohmann::json raw, worker->Call(request.ToJson()));  // driver/protocol.h
//   ASSIGN_OR_RETURN(CompileReply reply, CompileReply::FromJson(raw));
//
// A Worker is used by one thread at a time. Requests and replies travel on dedicated pipes
// (fds 3 and 4 in the worker), never on stdout/stderr, where JAX and XLA print.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/fd.h"
#include "driver/frame.h"

namespace jitsynth::driver {

struct WorkerOptions {
  // Interpreter that runs the worker; a name without '/' is looked up on PATH.
  std::string python;
  std::vector<std::string> args = {"-m", "jitsynth_worker"};
  // Set in the worker's environment, on top of the driver's (later entries win).
  std::vector<std::pair<std::string, std::string>> extra_env;
  // The worker's stdout and stderr are appended here.
  std::string log_path = "/dev/null";
  // Deadline for one request; a worker that misses it is killed.
  std::chrono::milliseconds timeout{120000};
  // Deadline for the first ping, which waits for the JAX import.
  std::chrono::milliseconds start_timeout{120000};
};

class Worker {
 public:
  // Spawns the worker and waits for its answer to {"op":"ping"}.
  // Errors: kFailedPrecondition naming the interpreter, the reason and the log path; kCancelled
  // when `interrupt_fd` becomes readable while it waits (the worker is killed).
  //
  // The worker gets PR_SET_PDEATHSIG(SIGKILL), which Linux fires when the *thread* that forked it
  // exits, not only the process: call Start on a thread that outlives the worker (the Pool forks
  // from its long-lived slot threads).
  static Result<std::unique_ptr<Worker>> Start(const WorkerOptions& options,
                                                int interrupt_fd = -1);

  ~Worker();  // Shutdown()
  Worker(Worker&& other) noexcept;
  Worker& operator=(Worker&& other) noexcept;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Sends one request and waits up to `timeout` for its reply (ok true or false).
  // Errors: kTimeout (the worker was killed), kCrashed (it died, or sent a malformed reply and was
  // killed; the message gives its exit status or signal), kCancelled (`interrupt_fd` became
  // readable; the worker was killed), kInvalidArgument (the request cannot be serialized; the
  // worker is unharmed). After kTimeout, kCrashed or kCancelled the worker is gone: start another.
  Result<nlohmann::json> Call(const nlohmann::json& request, int interrupt_fd = -1);

  // Whether the process is still running (it is checked, not remembered).
  bool alive() const;
  pid_t pid() const { return pid_; }
  // Replies received to Call (the start-up ping is not counted).
  uint64_t requests_served() const { return requests_served_; }
  // Resident set size from /proc/PID/statm; 0 when the worker is gone.
  int64_t rss_bytes() const;
  // The "versions" object of the ping reply: jax, jaxlib, python, backend.
  const nlohmann::json& versions() const { return versions_; }

  // Asks the worker to exit, waits up to 2 s, then kills it. Idempotent.
  void Shutdown();

 private:
  Worker(WorkerOptions options, pid_t pid, UniqueFd request, UniqueFd reply);

  // One request/reply with an explicit deadline; on failure the worker is reaped.
  Result<nlohmann::json> Exchange(const nlohmann::json& request, Deadline deadline,
                                  int interrupt_fd);
  // Turns a frame error into the worker-level Status, killing and reaping the worker.
  Status Fail(const Status& frame_status);
  // Waits until the process has exited, without reaping it; false at the deadline.
  bool WaitForExit(Deadline deadline) const;
  // SIGKILLs the worker's process group and reaps the worker; records how it ended.
  void KillAndReap();

  WorkerOptions options_;
  pid_t pid_ = -1;
  UniqueFd request_fd_;  // we write requests
  UniqueFd reply_fd_;    // we read replies
  uint64_t requests_served_ = 0;
  nlohmann::json versions_;
  std::string exit_description_;  // how the worker ended, once reaped
};

}  // namespace jitsynth::driver
