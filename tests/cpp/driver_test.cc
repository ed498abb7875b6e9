// Tests for driver::WriteFrame/ReadFrame, Worker and Pool, against tests/cpp/fake_worker.py: a
// stdlib-only stand-in that speaks the worker protocol and crashes, hangs or misbehaves on demand.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/fd.h"
#include "driver/frame.h"
#include "driver/pool.h"
#include "driver/worker.h"

#ifndef JITSYNTH_FAKE_WORKER
#error "define JITSYNTH_FAKE_WORKER as the path of tests/cpp/fake_worker.py"
#endif
#ifndef JITSYNTH_TEST_PYTHON
#define JITSYNTH_TEST_PYTHON "python3"
#endif

namespace jitsynth::driver {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Processes whose parent is `parent`, zombies included: after each test there must be none.
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t paren = line.rfind(')');  // the command name may contain anything
    if (paren == std::string::npos) continue;
    std::istringstream fields(line.substr(paren + 2));
    char state = 0;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid == parent) children.push_back(std::stoi(name));
  }
  return children;
}

// Gone, or a zombie waiting for a parent that is not us.
bool ProcessGone(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

WorkerOptions FakeWorker() {
  WorkerOptions options;
  options.python = JITSYNTH_TEST_PYTHON;
  options.args = {JITSYNTH_FAKE_WORKER};
  options.timeout = 10s;
  options.start_timeout = 30s;
  return options;
}

json Compile(uint64_t id, const std::string& python) {
  return {{"op", "compile"}, {"id", id}, {"python", python}};
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class DriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Frame tests write to pipes without a Worker, which is what normally ignores SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    dir_ = std::filesystem::path(::testing::TempDir()) /
           fmt::format("driver_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    EXPECT_TRUE(ChildrenOf(::getpid()).empty()) << "a worker was left running or unreaped";
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

// ---------------------------------------------------------------------------------------------
// Frames

TEST_F(DriverTest, FrameRoundTripIncludingLargePayloadAndEof) {
  Result<Pipe> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok()) << pipe.status().ToString();
  std::string large(3 * 65536 + 17, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>('a' + i % 26);
  const std::vector<std::string> sent = {"", R"({"op":"ping"})", large, std::string(1, '\0')};

  // A pipe holds 64 KiB: the writer must run beside the reader.
  std::thread writer([&] {
    for (const std::string& payload : sent) {
      EXPECT_TRUE(WriteFrame(pipe->write.get(), payload).ok());
    }
    pipe->write.reset();
  });
  for (const std::string& expected : sent) {
    Result<std::string> got = ReadFrame(pipe->read.get(), Clock::now() + 10s);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, expected);
  }
  writer.join();
  Result<std::string> eof = ReadFrame(pipe->read.get(), Clock::now() + 10s);
  ASSERT_FALSE(eof.ok());
  EXPECT_EQ(eof.status().code(), StatusCode::kCrashed) << eof.status().ToString();
}

TEST_F(DriverTest, FrameReadTimesOutWhenNothingArrives) {
  Result<Pipe> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  const auto start = Clock::now();
  Result<std::string> got = ReadFrame(pipe->read.get(), start + 150ms);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kTimeout);
  EXPECT_GE(SecondsSince(start), 0.15);
  EXPECT_LT(SecondsSince(start), 2.0);
}

TEST_F(DriverTest, FrameRejectsOversizedLength) {
  Result<Pipe> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  const unsigned char header[4] = {0xff, 0xff, 0xff, 0xff};
  ASSERT_EQ(::write(pipe->write.get(), header, 4), 4);
  Result<std::string> got = ReadFrame(pipe->read.get(), Clock::now() + 1s);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kParseError);
}

TEST_F(DriverTest, FrameTruncatedByEofIsCrash) {
  Result<Pipe> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  const char partial[] = {10, 0, 0, 0, 'a', 'b', 'c'};
  ASSERT_EQ(::write(pipe->write.get(), partial, sizeof partial), 7);
  pipe->write.reset();
  Result<std::string> got = ReadFrame(pipe->read.get(), Clock::now() + 1s);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCrashed);
  EXPECT_NE(got.status().message().find("inside"), std::string::npos);
}

TEST_F(DriverTest, FrameWaitStopsWhenInterrupted) {
  Result<Pipe> pipe = MakePipe();
  Result<Pipe> interrupt = MakePipe();
  ASSERT_TRUE(pipe.ok() && interrupt.ok());
  ASSERT_EQ(::write(interrupt->write.get(), "x", 1), 1);
  Result<std::string> got = ReadFrame(pipe->read.get(), Clock::now() + 10s, interrupt->read.get());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCancelled);
}

TEST_F(DriverTest, FrameWriteReportsGoneReaderAndFullPipe) {
  {
    Result<Pipe> pipe = MakePipe();
    ASSERT_TRUE(pipe.ok());
    pipe->read.reset();
    const Status written = WriteFrame(pipe->write.get(), "hello");
    EXPECT_EQ(written.code(), StatusCode::kCrashed) << written.ToString();
  }
  {
    // Nobody reads: a non-blocking writer still honors its deadline once the pipe is full.
    Result<Pipe> pipe = MakePipe(O_NONBLOCK);
    ASSERT_TRUE(pipe.ok());
    const Status written =
        WriteFrame(pipe->write.get(), std::string(1 << 20, 'x'), Clock::now() + 100ms);
    EXPECT_EQ(written.code(), StatusCode::kTimeout) << written.ToString();
  }
}

// ---------------------------------------------------------------------------------------------
// Worker

TEST_F(DriverTest, WorkerAnswersPingAndRequests) {
  Result<std::unique_ptr<Worker>> started = Worker::Start(FakeWorker());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Worker& worker = **started;
  const pid_t pid = worker.pid();
  EXPECT_GT(pid, 0);
  EXPECT_TRUE(worker.alive());
  EXPECT_EQ(worker.versions().value("jax", ""), "fake");
  EXPECT_EQ(worker.versions().value("backend", ""), "cpu");
  // Its own process group: a terminal's Ctrl-C goes to the driver only.
  EXPECT_EQ(::getpgid(pid), pid);
  EXPECT_EQ(worker.requests_served(), 0u);

  for (int i = 0; i < 3; ++i) {
    Result<json> reply = worker.Call(Compile(i, fmt::format("program {}", i)));
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ((*reply)["ok"], true);
    EXPECT_EQ((*reply)["id"], i);
    EXPECT_EQ((*reply)["echo"], fmt::format("program {}", i));
    EXPECT_EQ((*reply)["pid"], pid);
  }
  EXPECT_EQ(worker.requests_served(), 3u);
  EXPECT_GT(worker.rss_bytes(), 0);

  worker.Shutdown();
  EXPECT_FALSE(worker.alive());
  EXPECT_EQ(worker.rss_bytes(), 0);
  EXPECT_TRUE(ProcessGone(pid));
  worker.Shutdown();  // idempotent
}

TEST_F(DriverTest, WorkerOutputGoesToLogAndEnvironmentIsPassed) {
  WorkerOptions options = FakeWorker();
  options.log_path = dir_ / "worker.log";
  options.extra_env = {{"JITSYNTH_FAKE_MARK", "first"}, {"JITSYNTH_FAKE_MARK", "marked"}};
  {
    Result<std::unique_ptr<Worker>> worker = Worker::Start(options);
    ASSERT_TRUE(worker.ok()) << worker.status().ToString();
    Result<json> reply = (*worker)->Call(Compile(1, "ENV:JITSYNTH_FAKE_MARK"));
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ((*reply)["env"], "marked");
  }
  std::ifstream log(options.log_path);
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("request: compile ENV:JITSYNTH_FAKE_MARK"), std::string::npos) << text;
  EXPECT_NE(text.find("stderr line"), std::string::npos) << text;
}

TEST_F(DriverTest, WorkerTimeoutKillsItQuickly) {
  WorkerOptions options = FakeWorker();
  options.timeout = 500ms;
  Result<std::unique_ptr<Worker>> started = Worker::Start(options);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Worker& worker = **started;
  const pid_t pid = worker.pid();

  const auto start = Clock::now();
  Result<json> reply = worker.Call(Compile(1, "HANG"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kTimeout) << reply.status().ToString();
  EXPECT_GE(SecondsSince(start), 0.5);
  EXPECT_LT(SecondsSince(start), 1.5);
  EXPECT_FALSE(worker.alive());
  EXPECT_TRUE(ProcessGone(pid));

  Result<json> again = worker.Call(Compile(2, "fine"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kCrashed);
  EXPECT_NE(again.status().message().find("not running"), std::string::npos);
}

TEST_F(DriverTest, WorkerCrashReportsExitStatus) {
  Result<std::unique_ptr<Worker>> started = Worker::Start(FakeWorker());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Result<json> reply = (*started)->Call(Compile(1, "CRASH"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kCrashed);
  EXPECT_NE(reply.status().message().find("exit status 3"), std::string::npos)
      << reply.status().message();
  EXPECT_FALSE((*started)->alive());
}

TEST_F(DriverTest, WorkerKilledWhileIdleIsNoticed) {
  Result<std::unique_ptr<Worker>> started = Worker::Start(FakeWorker());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_EQ(::kill((*started)->pid(), SIGKILL), 0);
  Result<json> reply = (*started)->Call(Compile(1, "fine"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kCrashed);
  EXPECT_NE(reply.status().message().find("SIGKILL"), std::string::npos)
      << reply.status().message();
}

TEST_F(DriverTest, WorkerMalformedReplyIsCrash) {
  Result<std::unique_ptr<Worker>> started = Worker::Start(FakeWorker());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Result<json> reply = (*started)->Call(Compile(1, "GARBAGE"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kCrashed);
  EXPECT_NE(reply.status().message().find("malformed"), std::string::npos);
  EXPECT_FALSE((*started)->alive());
}

TEST_F(DriverTest, WorkerStartFailuresNameInterpreterAndLog) {
  WorkerOptions options = FakeWorker();
  options.log_path = dir_ / "start.log";

  options.python = "/nonexistent/python3";
  Result<std::unique_ptr<Worker>> missing = Worker::Start(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("/nonexistent/python3"), std::string::npos);
  EXPECT_NE(missing.status().message().find(options.log_path), std::string::npos);
  EXPECT_NE(missing.status().message().find("No such file"), std::string::npos)
      << missing.status().message();

  options.python = "jitsynth-no-such-python";
  Result<std::unique_ptr<Worker>> not_on_path = Worker::Start(options);
  ASSERT_FALSE(not_on_path.ok());
  EXPECT_NE(not_on_path.status().message().find("not found on PATH"), std::string::npos);

  // Runs, but exits without answering.
  options.python = "/bin/false";
  Result<std::unique_ptr<Worker>> exits = Worker::Start(options);
  ASSERT_FALSE(exits.ok());
  EXPECT_EQ(exits.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(exits.status().message().find("exit status 1"), std::string::npos)
      << exits.status().message();

  // Runs, but never answers the ping.
  options.python = JITSYNTH_TEST_PYTHON;
  options.args = {"-c", "import time; time.sleep(60)"};
  options.start_timeout = 300ms;
  const auto start = Clock::now();
  Result<std::unique_ptr<Worker>> silent = Worker::Start(options);
  ASSERT_FALSE(silent.ok());
  EXPECT_EQ(silent.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(silent.status().message().find("deadline"), std::string::npos)
      << silent.status().message();
  EXPECT_LT(SecondsSince(start), 2.0);
}

TEST_F(DriverTest, WorkerMoveTransfersTheProcess) {
  Result<std::unique_ptr<Worker>> started = Worker::Start(FakeWorker());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const pid_t pid = (*started)->pid();
  Worker moved = std::move(**started);
  EXPECT_EQ(moved.pid(), pid);
  EXPECT_EQ((*started)->pid(), -1);
  EXPECT_FALSE((*started)->alive());
  Result<json> reply = moved.Call(Compile(1, "still here"));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ((*reply)["pid"], pid);
}

TEST_F(DriverTest, WorkerDiesWithItsDriver) {
  // "fast" style: the child is a fork of this process (no threads run now), so it shares dir_.
  GTEST_FLAG_SET(death_test_style, "fast");
  const std::filesystem::path pid_file = dir_ / "worker.pid";
  // As a subreaper this process inherits the orphaned worker, so it can see how the worker ended
  // and reap it (the container's init might not).
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  // The child plays a driver that exits without shutting its worker down.
  EXPECT_EXIT(
      {
        Result<std::unique_ptr<Worker>> worker = Worker::Start(FakeWorker());
        if (!worker.ok()) _exit(2);
        std::ofstream(pid_file) << (*worker)->pid() << std::endl;
        _exit(0);
      },
      ::testing::ExitedWithCode(0), "");
  pid_t pid = 0;
  std::ifstream(pid_file) >> pid;
  ASSERT_GT(pid, 0);
  int status = 0;
  pid_t reaped = 0;
  const auto deadline = Clock::now() + 5s;
  while ((reaped = ::waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  if (reaped == 0) {  // it survived: clean up, then fail
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  ASSERT_EQ(reaped, pid) << "worker " << pid << " outlived its driver";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "wait status " << status;
}

// ---------------------------------------------------------------------------------------------
// Pool

PoolOptions FakePool(int workers) {
  PoolOptions options;
  options.workers = workers;
  options.worker = FakeWorker();
  return options;
}

// Runs [begin, end) with `program(i)` as each request's python; returns the outcomes in delivery
// order and checks that the order is the index order.
struct Delivered {
  std::vector<uint64_t> indices;
  std::vector<Outcome> outcomes;
};

Status RunPrograms(Pool& pool, uint64_t begin, uint64_t end,
                   const std::function<std::string(uint64_t)>& program, Delivered& delivered) {
  return pool.Run(
      begin, end, [&](uint64_t i) { return Compile(i, program(i)); },
      [&](uint64_t i, Outcome outcome) {
        delivered.indices.push_back(i);
        delivered.outcomes.push_back(std::move(outcome));
        return Status::Ok();
      });
}

TEST_F(DriverTest, PoolDeliversInOrder) {
  Result<std::unique_ptr<Pool>> pool = Pool::Create(FakePool(2));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  EXPECT_EQ((*pool)->versions().value("jax", ""), "fake");
  EXPECT_EQ((*pool)->size(), 2);

  const auto caller = std::this_thread::get_id();
  std::atomic<int> made_on_caller{0};
  std::vector<uint64_t> delivered;
  std::set<int> pids;
  const Status status = (*pool)->Run(
      0, 50,
      [&](uint64_t i) {
        if (std::this_thread::get_id() == caller) ++made_on_caller;
        return Compile(i, fmt::format("p{}", i));
      },
      [&](uint64_t i, Outcome outcome) {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        EXPECT_TRUE(outcome.reply.has_value());
        EXPECT_TRUE(outcome.failure_stage.empty());
        if (outcome.reply) {
          EXPECT_EQ((*outcome.reply)["echo"], fmt::format("p{}", i));
          EXPECT_EQ((*outcome.reply)["id"], i);
          pids.insert((*outcome.reply)["pid"].get<int>());
        }
        delivered.push_back(i);
        return Status::Ok();
      });
  ASSERT_TRUE(status.ok()) << status.ToString();
  std::vector<uint64_t> expected(50);
  for (uint64_t i = 0; i < 50; ++i) expected[i] = i;
  EXPECT_EQ(delivered, expected);
  EXPECT_EQ(made_on_caller.load(), 0);
  EXPECT_EQ(pids.size(), 2u) << "both workers should have served";
  const PoolStats stats = (*pool)->stats();
  EXPECT_EQ(stats.requests, 50u);
  EXPECT_EQ(stats.restarts + stats.recycles + stats.crashes + stats.timeouts, 0u);
  EXPECT_GT(stats.peak_rss_bytes, 0);

  // The pool can run again, from any index.
  Delivered second;
  ASSERT_TRUE(RunPrograms(
                  **pool, 100, 105, [](uint64_t) { return "x"; }, second)
                  .ok());
  EXPECT_EQ(second.indices, (std::vector<uint64_t>{100, 101, 102, 103, 104}));
  Delivered none;
  ASSERT_TRUE(RunPrograms(
                  **pool, 7, 7, [](uint64_t) { return "x"; }, none)
                  .ok());
  EXPECT_TRUE(none.indices.empty());
}

TEST_F(DriverTest, PoolRetriesACrashOnceOnAFreshWorker) {
  Result<std::unique_ptr<Pool>> pool = Pool::Create(FakePool(2));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  const std::string flag = dir_ / "crashed-once";
  Delivered delivered;
  const Status status = RunPrograms(
      **pool, 0, 10, [&](uint64_t i) { return i == 3 ? "CRASH_ONCE:" + flag : "fine"; }, delivered);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(delivered.outcomes.size(), 10u);
  const Outcome& retried = delivered.outcomes[3];
  ASSERT_TRUE(retried.reply.has_value()) << retried.failure_message;
  EXPECT_EQ((*retried.reply)["echo"], "CRASH_ONCE:" + flag);
  const PoolStats stats = (*pool)->stats();
  EXPECT_EQ(stats.crashes, 1u);
  EXPECT_EQ(stats.retries, 1u);
  EXPECT_EQ(stats.restarts, 1u);
}

TEST_F(DriverTest, PoolReportsAlwaysCrashingRequestAndGoesOn) {
  Result<std::unique_ptr<Pool>> pool = Pool::Create(FakePool(2));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  Delivered delivered;
  const Status status = RunPrograms(
      **pool, 0, 20, [](uint64_t i) { return i == 5 ? "CRASH" : "fine"; }, delivered);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(delivered.outcomes.size(), 20u);
  for (uint64_t i = 0; i < 20; ++i) {
    EXPECT_EQ(delivered.indices[i], i);
    const Outcome& outcome = delivered.outcomes[i];
    if (i == 5) {
      EXPECT_FALSE(outcome.reply.has_value());
      EXPECT_EQ(outcome.failure_stage, "crash");
      EXPECT_NE(outcome.failure_message.find("exit status 3"), std::string::npos)
          << outcome.failure_message;
    } else {
      EXPECT_TRUE(outcome.reply.has_value()) << i << ": " << outcome.failure_message;
    }
  }
  const PoolStats stats = (*pool)->stats();
  EXPECT_EQ(stats.crashes, 2u);
  EXPECT_EQ(stats.retries, 1u);
  EXPECT_GE(stats.restarts, 1u);  // the second dead worker is replaced when next needed
}

TEST_F(DriverTest, PoolTurnsAHangIntoATimeout) {
  PoolOptions options = FakePool(2);
  options.worker.timeout = 300ms;
  Result<std::unique_ptr<Pool>> pool = Pool::Create(options);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  Delivered delivered;
  const auto start = Clock::now();
  const Status status = RunPrograms(
      **pool, 0, 10, [](uint64_t i) { return i == 2 ? "HANG" : "fine"; }, delivered);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_LT(SecondsSince(start), 5.0);
  ASSERT_EQ(delivered.outcomes.size(), 10u);
  EXPECT_FALSE(delivered.outcomes[2].reply.has_value());
  EXPECT_EQ(delivered.outcomes[2].failure_stage, "timeout");
  for (uint64_t i : {0, 1, 3, 4, 5, 6, 7, 8, 9}) {
    EXPECT_TRUE(delivered.outcomes[i].reply.has_value()) << i;
  }
  EXPECT_EQ((*pool)->stats().timeouts, 2u);
}

TEST_F(DriverTest, PoolRecyclesWorkersAfterTheirQuota) {
  PoolOptions options = FakePool(1);
  options.max_requests_per_worker = 3;
  Result<std::unique_ptr<Pool>> pool = Pool::Create(options);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  Delivered delivered;
  ASSERT_TRUE(RunPrograms(
                  **pool, 0, 10, [](uint64_t) { return "fine"; }, delivered)
                  .ok());
  std::vector<int> pids;
  for (const Outcome& outcome : delivered.outcomes) {
    ASSERT_TRUE(outcome.reply.has_value());
    pids.push_back((*outcome.reply)["pid"].get<int>());
  }
  // Requests 0-2, 3-5, 6-8 and 9 each on their own worker.
  for (size_t i = 1; i < pids.size(); ++i) {
    EXPECT_EQ(pids[i] == pids[i - 1], i % 3 != 0) << "request " << i;
  }
  EXPECT_EQ(std::set<int>(pids.begin(), pids.end()).size(), 4u);
  const PoolStats stats = (*pool)->stats();
  EXPECT_EQ(stats.recycles, 3u);
  EXPECT_EQ(stats.restarts, 0u);
}

TEST_F(DriverTest, PoolRecyclesWorkersAboveTheMemoryLimit) {
  PoolOptions options = FakePool(1);
  options.max_rss_bytes = 1;  // every worker is too large
  Result<std::unique_ptr<Pool>> pool = Pool::Create(options);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  Delivered delivered;
  ASSERT_TRUE(RunPrograms(
                  **pool, 0, 4, [](uint64_t) { return "fine"; }, delivered)
                  .ok());
  std::set<int> pids;
  for (const Outcome& outcome : delivered.outcomes) {
    ASSERT_TRUE(outcome.reply.has_value());
    pids.insert((*outcome.reply)["pid"].get<int>());
  }
  EXPECT_EQ(pids.size(), 4u);
  EXPECT_GE((*pool)->stats().recycles, 3u);
  EXPECT_GT((*pool)->stats().peak_rss_bytes, 1);
}

TEST_F(DriverTest, PoolCreateFailsForABadInterpreter) {
  PoolOptions options = FakePool(3);
  options.worker.python = "/nonexistent/bin/python";
  options.worker.log_path = dir_ / "pool.log";
  Result<std::unique_ptr<Pool>> pool = Pool::Create(options);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(pool.status().message().find("/nonexistent/bin/python"), std::string::npos);
  EXPECT_NE(pool.status().message().find(options.worker.log_path), std::string::npos);

  options.workers = 0;
  EXPECT_EQ(Pool::Create(options).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DriverTest, PoolCreateStopsWhenAskedWhileWorkersStart) {
  // Workers that never answer their ping, as JAX workers still importing: a stop must not wait
  // for their 30 s start deadline.
  PoolOptions options = FakePool(2);
  options.worker.python = "/bin/sh";
  options.worker.args = {"-c", "sleep 60"};
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stop.store(true);
  });
  const auto started = Clock::now();
  Result<std::unique_ptr<Pool>> pool = Pool::Create(options, &stop);
  stopper.join();
  EXPECT_EQ(pool.status().code(), StatusCode::kCancelled) << pool.status().ToString();
  EXPECT_LT(Clock::now() - started, 3s);
}

TEST_F(DriverTest, PoolKeepsWithinTheWindow) {
  PoolOptions options = FakePool(2);
  options.window = 3;
  Result<std::unique_ptr<Pool>> pool = Pool::Create(options);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> widest{0};
  const Status status = (*pool)->Run(
      0, 40,
      [&](uint64_t i) {
        // `delivered` counts on_result calls begun, so it is never behind the pool's own count.
        const uint64_t gap = i - delivered.load();
        uint64_t seen = widest.load();
        while (gap > seen && !widest.compare_exchange_weak(seen, gap)) {
        }
        return Compile(i, "fine");
      },
      [&](uint64_t, Outcome) {
        ++delivered;
        std::this_thread::sleep_for(2ms);  // a slow consumer: the window fills up
        return Status::Ok();
      });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(delivered.load(), 40u);
  EXPECT_LT(widest.load(), 3u);
}

TEST_F(DriverTest, PoolStopsWhenAskedAndRunsAgain) {
  Result<std::unique_ptr<Pool>> pool = Pool::Create(FakePool(2));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    stop = true;
  });
  int delivered = 0;
  const auto start = Clock::now();
  const Status status = (*pool)->Run(
      0, 10, [](uint64_t i) { return Compile(i, "SLEEP:60"); },
      [&](uint64_t, Outcome) {
        ++delivered;
        return Status::Ok();
      },
      &stop);
  stopper.join();
  EXPECT_EQ(status.code(), StatusCode::kCancelled) << status.ToString();
  EXPECT_EQ(delivered, 0);
  EXPECT_LT(SecondsSince(start), 3.0) << "in-flight requests should be interrupted";

  // The interrupted workers are replaced when next needed.
  Delivered again;
  ASSERT_TRUE(RunPrograms(
                  **pool, 0, 6, [](uint64_t) { return "fine"; }, again)
                  .ok());
  EXPECT_EQ(again.indices.size(), 6u);
  EXPECT_EQ((*pool)->stats().restarts, 2u);
}

TEST_F(DriverTest, PoolStopsAtTheFirstFailedDelivery) {
  Result<std::unique_ptr<Pool>> pool = Pool::Create(FakePool(2));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  std::vector<uint64_t> delivered;
  const Status status = (*pool)->Run(
      0, 30, [](uint64_t i) { return Compile(i, "fine"); },
      [&](uint64_t i, Outcome) {
        delivered.push_back(i);
        return i == 10 ? IoError("disk full") : Status::Ok();
      });
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_EQ(status.message(), "disk full");
  ASSERT_FALSE(delivered.empty());
  EXPECT_EQ(delivered.back(), 10u);
  EXPECT_EQ(delivered.size(), 11u);

  Delivered again;
  ASSERT_TRUE(RunPrograms(
                  **pool, 0, 3, [](uint64_t) { return "fine"; }, again)
                  .ok());
  EXPECT_EQ(again.indices.size(), 3u);
}

TEST_F(DriverTest, PoolTurnsCallbackExceptionsIntoErrors) {
  Result<std::unique_ptr<Pool>> pool = Pool::Create(FakePool(1));
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  const Status from_make = (*pool)->Run(
      0, 5,
      [](uint64_t i) -> json {
        if (i == 2) throw std::runtime_error("no program");
        return Compile(i, "fine");
      },
      [](uint64_t, Outcome) { return Status::Ok(); });
  EXPECT_EQ(from_make.code(), StatusCode::kInternal);
  EXPECT_NE(from_make.message().find("no program"), std::string::npos);

  const Status from_result = (*pool)->Run(
      0, 5, [](uint64_t i) { return Compile(i, "fine"); },
      [](uint64_t, Outcome) -> Status { throw std::runtime_error("cannot write"); });
  EXPECT_EQ(from_result.code(), StatusCode::kInternal);
  EXPECT_NE(from_result.message().find("cannot write"), std::string::npos);
}

}  // namespace
}  // namespace jitsynth::driver
