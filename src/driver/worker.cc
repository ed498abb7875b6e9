#include "driver/worker.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string_view>
#include <thread>

#include "driver/resources.h"

extern char** environ;  // NOLINT: POSIX declares it nowhere

namespace jitsynth::driver {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// Where the worker finds its pipe ends (docs/worker-protocol.md passes them as arguments).
constexpr int kRequestFd = 3;
constexpr int kReplyFd = 4;
constexpr auto kShutdownGrace = std::chrono::seconds(2);
// After a worker closes its reply pipe it is usually exiting; waiting a moment lets it report its
// own exit status instead of the SIGKILL we would otherwise send.
constexpr auto kExitAfterEofGrace = std::chrono::seconds(1);

// Writing to a worker that has just died raises SIGPIPE, which would kill the driver. Ignored,
// write() fails with EPIPE instead and the request becomes kCrashed. The disposition is
// process-wide, so it is set once.
void IgnoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    return fmt::format("killed by signal {} (SIG{})", sig, name != nullptr ? name : "?");
  }
  return fmt::format("wait status {:#x}", status);
}

// execve() does not search PATH, and searching in the child would not be async-signal-safe. The
// search follows the PATH of the environment the worker gets, as execvpe would.
Result<std::string> ResolveExecutable(const std::string& name, const std::vector<std::string>& env) {
  if (name.empty()) return FailedPrecondition("no Python interpreter configured");
  if (name.find('/') != std::string::npos) return name;
  std::string_view dirs = "/usr/local/bin:/usr/bin:/bin";
  for (const std::string& entry : env) {
    if (entry.starts_with("PATH=")) dirs = std::string_view(entry).substr(5);
  }
  while (true) {
    const size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    std::string candidate = fmt::format("{}/{}", dir.empty() ? "." : dir, name);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return FailedPrecondition(fmt::format("`{}` not found on PATH", name));
}

// The driver's environment with `extra` set on top.
std::vector<std::string> BuildEnvironment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    env.emplace_back(*entry);
  }
  for (const auto& variable : extra) {
    const std::string& name = variable.first;
    // Replaces the driver's value, or an earlier entry of `extra`, as repeated setenv() would.
    std::erase_if(env, [&](const std::string& e) {
      return e.size() > name.size() && e.compare(0, name.size(), name) == 0 &&
             e[name.size()] == '=';
    });
    env.push_back(name + "=" + variable.second);
  }
  return env;
}

std::vector<char*> PointerArray(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// What the child reports on its error pipe when it cannot reach exec.
enum ChildStep : int {
  kStepSignals = 1,
  kStepDeathSignal,
  kStepProcessGroup,
  kStepRedirect,
  kStepExec
};

const char* StepName(int step) {
  switch (step) {
    case kStepSignals:
      return "resetting signals";
    case kStepDeathSignal:
      return "prctl(PR_SET_PDEATHSIG)";
    case kStepProcessGroup:
      return "setpgid";
    case kStepRedirect:
      return "redirecting descriptors";
    case kStepExec:
      return "exec";
  }
  return "child setup";
}

// Everything the child needs, prepared before fork().
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  int stdin_fd;
  int log_fd;
  int request_fd;
  int reply_fd;
  int error_fd;  // close-on-exec: EOF on its other end means exec succeeded
  pid_t parent;
};

[[noreturn]] void ReportAndExit(int error_fd, int step, int error) {
  const int message[2] = {step, error};
  [[maybe_unused]] const ssize_t ignored = ::write(error_fd, message, sizeof message);
  ::_exit(127);
}

// Runs in the forked child. Only async-signal-safe calls from here to exec: the driver has other
// threads, and a lock one of them held at fork() (malloc's, say) stays held forever in this copy.
[[noreturn]] void RunChild(const ChildPlan& plan) {
  int error_fd = plan.error_fd;

  // The forking thread may block signals (a CLI that handles SIGINT on a dedicated thread does);
  // the mask and ignored dispositions survive exec, so reset both.
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) ReportAndExit(error_fd, kStepSignals, errno);
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  if (sigaction(SIGPIPE, &default_action, nullptr) != 0) {
    ReportAndExit(error_fd, kStepSignals, errno);
  }

  // No worker outlives the driver, even one killed with SIGKILL. If the driver died before the
  // prctl took effect, the signal will never come: leave now.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ReportAndExit(error_fd, kStepDeathSignal, errno);
  if (getppid() != plan.parent) _exit(127);

  // Its own process group: a Ctrl-C at the terminal reaches only the driver, which then shuts
  // the workers down in order; and killing the group also kills anything the worker spawned.
  if (setpgid(0, 0) != 0) ReportAndExit(error_fd, kStepProcessGroup, errno);

  // Move every descriptor above the targets first, so that no dup2() overwrites one still needed
  // (a driver started with stdin closed gets small numbers for its pipes).
  constexpr int kAbove = 10;
  const int sources[] = {plan.stdin_fd, plan.log_fd, plan.request_fd, plan.reply_fd};
  int moved[4];
  for (int i = 0; i < 4; ++i) {
    moved[i] = fcntl(sources[i], F_DUPFD_CLOEXEC, kAbove);
    if (moved[i] < 0) ReportAndExit(error_fd, kStepRedirect, errno);
  }
  error_fd = fcntl(error_fd, F_DUPFD_CLOEXEC, kAbove);
  if (error_fd < 0) ReportAndExit(plan.error_fd, kStepRedirect, errno);
  // dup2() clears close-on-exec on the copies, which are exactly the ones the worker keeps.
  const int targets[][2] = {{moved[0], STDIN_FILENO},
                            {moved[1], STDOUT_FILENO},
                            {moved[1], STDERR_FILENO},
                            {moved[2], kRequestFd},
                            {moved[3], kReplyFd}};
  for (const auto& [from, to] : targets) {
    if (dup2(from, to) < 0) ReportAndExit(error_fd, kStepRedirect, errno);
  }
  // Descriptors some library opened without O_CLOEXEC must not leak into the worker either.
  // Best effort: kernels before 5.11 lack the flag, and everything of ours is close-on-exec.
#if defined(SYS_close_range)
  syscall(SYS_close_range, 5u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
#endif

  execve(plan.path, plan.argv, plan.envp);
  ReportAndExit(error_fd, kStepExec, errno);
}

}  // namespace

Result<std::unique_ptr<Worker>> Worker::Start(const WorkerOptions& options, int interrupt_fd) {
  IgnoreSigpipe();
  std::string command = options.python;
  for (const std::string& arg : options.args) command += " " + arg;
  auto fail = [&](std::string_view reason) {
    return FailedPrecondition(fmt::format("cannot start worker `{}`: {} (worker output: {})",
                                          command, reason, options.log_path));
  };

  // argv and envp are built before fork(): the child may not allocate.
  std::vector<std::string> env_strings = BuildEnvironment(options.extra_env);
  Result<std::string> executable = ResolveExecutable(options.python, env_strings);
  if (!executable.ok()) return fail(executable.status().message());
  std::vector<std::string> arg_strings = {options.python};
  arg_strings.insert(arg_strings.end(), options.args.begin(), options.args.end());
  for (const char* extra : {"--request-fd", "3", "--reply-fd", "4"})
    arg_strings.emplace_back(extra);
  std::vector<char*> argv = PointerArray(arg_strings);
  std::vector<char*> envp = PointerArray(env_strings);

  UniqueFd stdin_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!stdin_fd.valid()) return fail("cannot open /dev/null: " + ErrnoMessage(errno));
  UniqueFd log_fd(
      ::open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!log_fd.valid()) return fail("cannot open the worker log: " + ErrnoMessage(errno));
  Result<Pipe> request = MakePipe();
  if (!request.ok()) return fail(request.status().message());
  Result<Pipe> reply = MakePipe();
  if (!reply.ok()) return fail(reply.status().message());
  Result<Pipe> exec_error = MakePipe();
  if (!exec_error.ok()) return fail(exec_error.status().message());

  const ChildPlan plan = {
      executable->c_str(), argv.data(),         envp.data(),        stdin_fd.get(),
      log_fd.get(),        request->read.get(), reply->write.get(), exec_error->write.get(),
      ::getpid()};
  const pid_t pid = ::fork();
  if (pid < 0) return fail("fork: " + ErrnoMessage(errno));
  if (pid == 0) RunChild(plan);

  // Also set here: whichever of parent and child runs first, the group exists before we could
  // signal it. Fails harmlessly (EACCES) once the child has exec'd.
  ::setpgid(pid, pid);
  request->read.reset();
  reply->write.reset();
  exec_error->write.reset();

  // The error pipe's write end closes on a successful exec: EOF means the interpreter is running.
  int message[2] = {0, 0};
  size_t got = 0;
  while (got < sizeof message) {
    const ssize_t n = ::read(exec_error->read.get(), reinterpret_cast<char*>(message) + got,
                             sizeof message - got);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  if (got == sizeof message) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return fail(
        fmt::format("{} {}: {}", StepName(message[0]), *executable, ErrnoMessage(message[1])));
  }

  // Non-blocking, so that a request larger than the pipe buffer, written to a worker that has
  // stopped reading, still honors the deadline.
  ::fcntl(request->write.get(), F_SETFL, O_NONBLOCK);
  std::unique_ptr<Worker> worker(
      new Worker(options, pid, std::move(request->write), std::move(reply->read)));

  // JAX imports for several seconds before the worker can answer: hence its own deadline.
  Result<json> pong =
      worker->Exchange(json{{"op", "ping"}}, Clock::now() + options.start_timeout, interrupt_fd);
  if (!pong.ok() && pong.status().code() == StatusCode::kCancelled) return pong.status();
  if (!pong.ok()) return fail(pong.status().message());
  const auto ok = pong->find("ok");
  if (ok == pong->end() || !ok->is_boolean() || !ok->get<bool>()) {
    worker->KillAndReap();
    return fail("unexpected reply to ping: " +
                pong->dump(-1, ' ', false, json::error_handler_t::replace));
  }
  const auto versions = pong->find("versions");
  worker->versions_ = versions != pong->end() ? *versions : json::object();
  return worker;
}

Worker::Worker(WorkerOptions options, pid_t pid, UniqueFd request, UniqueFd reply)
    : options_(std::move(options)),
      pid_(pid),
      request_fd_(std::move(request)),
      reply_fd_(std::move(reply)) {}

Worker::~Worker() { Shutdown(); }

Worker::Worker(Worker&& other) noexcept
    : options_(std::move(other.options_)),
      pid_(std::exchange(other.pid_, -1)),
      request_fd_(std::move(other.request_fd_)),
      reply_fd_(std::move(other.reply_fd_)),
      requests_served_(other.requests_served_),
      versions_(std::move(other.versions_)),
      exit_description_(std::move(other.exit_description_)) {}

Worker& Worker::operator=(Worker&& other) noexcept {
  if (this == &other) return *this;
  Shutdown();
  options_ = std::move(other.options_);
  pid_ = std::exchange(other.pid_, -1);
  request_fd_ = std::move(other.request_fd_);
  reply_fd_ = std::move(other.reply_fd_);
  requests_served_ = other.requests_served_;
  versions_ = std::move(other.versions_);
  exit_description_ = std::move(other.exit_description_);
  return *this;
}

Result<json> Worker::Call(const json& request, int interrupt_fd) {
  Result<json> reply = Exchange(request, Clock::now() + options_.timeout, interrupt_fd);
  if (reply.ok()) ++requests_served_;
  return reply;
}

Result<json> Worker::Exchange(const json& request, Deadline deadline, int interrupt_fd) {
  if (pid_ <= 0) {
    return Status(StatusCode::kCrashed,
                  exit_description_.empty()
                      ? std::string("worker is not running")
                      : fmt::format("worker is not running ({})", exit_description_));
  }
  std::string payload;
  try {
    payload = request.dump();
  } catch (const json::exception& e) {  // invalid UTF-8 in a string
    return InvalidArgument(fmt::format("request cannot be serialized: {}", e.what()));
  }
  // A worker that died while idle shows up here, as EPIPE on the write or EOF on the read.
  const Status written = WriteFrame(request_fd_.get(), payload, deadline, interrupt_fd);
  if (!written.ok()) return Fail(written);
  Result<std::string> frame = ReadFrame(reply_fd_.get(), deadline, interrupt_fd);
  if (!frame.ok()) return Fail(frame.status());

  json reply = json::parse(*frame, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object()) {
    // The stream can no longer be trusted to be in step with our requests.
    const pid_t pid = pid_;
    KillAndReap();
    return Status(
        StatusCode::kCrashed,
        fmt::format("worker pid {} sent a malformed reply ({} bytes); killed", pid, frame->size()));
  }
  return reply;
}

Status Worker::Fail(const Status& frame_status) {
  const pid_t pid = pid_;
  switch (frame_status.code()) {
    case StatusCode::kCrashed:
      WaitForExit(Clock::now() + kExitAfterEofGrace);
      KillAndReap();
      return Status(StatusCode::kCrashed, fmt::format("worker pid {} died: {} ({})", pid,
                                                      exit_description_, frame_status.message()));
    case StatusCode::kTimeout:
      KillAndReap();
      return Status(StatusCode::kTimeout,
                    fmt::format("worker pid {} missed its deadline; killed", pid));
    case StatusCode::kCancelled:
      KillAndReap();
      return Status(StatusCode::kCancelled,
                    fmt::format("request to worker pid {} interrupted; worker killed", pid));
    default:
      KillAndReap();
      return Status(frame_status.code(),
                    fmt::format("worker pid {}: {}; worker killed", pid, frame_status.message()));
  }
}

bool Worker::alive() const { return pid_ > 0 && !WaitForExit(Deadline::min()); }

bool Worker::WaitForExit(Deadline deadline) const {
  if (pid_ <= 0) return true;
  // Polls rather than blocks: waitid() has no timeout. WNOWAIT leaves the zombie in place, so the
  // pid stays ours until KillAndReap() and signalling its group stays safe.
  milliseconds pause(1);
  while (true) {
    siginfo_t info = {};
    const int r = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    if (r != 0 && errno != EINTR) return true;  // ECHILD: there is nothing left to wait for
    if (r == 0 && info.si_pid == pid_) return true;
    const auto now = Clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, milliseconds(20));
  }
}

void Worker::KillAndReap() {
  if (pid_ <= 0) return;
  // The group first, so that anything the worker spawned goes too. Until it is reaped the worker
  // holds its pid, so neither id can belong to another process yet.
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t reaped;
  do {
    reaped = ::waitpid(pid_, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  exit_description_ = reaped == pid_ ? DescribeExit(status)
                                     : fmt::format("exit status unknown: {}", ErrnoMessage(errno));
  pid_ = -1;
  request_fd_.reset();
  reply_fd_.reset();
}

void Worker::Shutdown() {
  if (pid_ <= 0) return;
  const Deadline deadline = Clock::now() + kShutdownGrace;
  if (request_fd_.valid()) {
    // Failure only means the worker is already gone, which the steps below handle.
    (void)WriteFrame(request_fd_.get(), R"({"op":"shutdown"})", deadline);
  }
  // EOF on its request pipe also tells the worker to stop.
  request_fd_.reset();
  WaitForExit(deadline);
  KillAndReap();
}

int64_t Worker::rss_bytes() const { return pid_ > 0 ? ResidentBytes(pid_) : 0; }

}  // namespace jitsynth::driver
