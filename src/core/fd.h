// Owned file descriptors and pipes (the worker driver, the tools that run a subprocess).
//
//   ASSIGN_OR_RETURN(Pipe pipe, MakePipe());
//   write(pipe.write.get(), "x", 1);   // both ends close themselves
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "core/status.h"

namespace jitsynth {

// A file descriptor closed on destruction; move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    // close() is not retried on EINTR: on Linux the descriptor is gone either way.
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// The message for an errno value; thread-safe, unlike strerror().
inline std::string ErrnoMessage(int error) { return std::system_category().message(error); }

// A pipe whose ends close on exec. O_CLOEXEC must be set atomically at creation: the pool forks
// workers from several threads at once, and a pipe end leaked into a sibling worker would keep
// the pipe open after its own worker dies, hiding the EOF that reports the crash.
inline Result<Pipe> MakePipe(int extra_flags = 0) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | extra_flags) != 0) {
    return IoError("pipe2: " + ErrnoMessage(errno));
  }
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace jitsynth
