#include "driver/frame.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>

#include "core/fd.h"

namespace jitsynth::driver {
namespace {

// Milliseconds until `deadline`, rounded up so that poll() never wakes just before it.
int PollTimeoutMs(Deadline deadline) {
  if (deadline == kNoDeadline) return -1;
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

// Waits until `fd` is ready for `events`. The interrupt descriptor is checked first so that a
// cancelled run stops even when the peer keeps answering.
Status WaitReady(int fd, short events, Deadline deadline, int interrupt_fd) {
  while (true) {
    std::array<pollfd, 2> fds = {pollfd{fd, events, 0}, pollfd{interrupt_fd, POLLIN, 0}};
    const nfds_t count = interrupt_fd >= 0 ? 2 : 1;
    const int n = ::poll(fds.data(), count, PollTimeoutMs(deadline));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("poll: " + ErrnoMessage(errno));
    }
    if (count == 2 && fds[1].revents != 0) return Status(StatusCode::kCancelled, "interrupted");
    if (fds[0].revents & POLLNVAL) return IoError("poll: descriptor is not open");
    // POLLHUP and POLLERR count as ready: the read or write that follows reports what happened.
    if (fds[0].revents != 0) return Status::Ok();
    // poll() may return a little early; only a deadline that has really passed is a timeout.
    if (deadline != kNoDeadline && Clock::now() >= deadline) {
      return Status(StatusCode::kTimeout, "deadline passed");
    }
  }
}

Status WriteAll(int fd, const char* data, size_t size, Deadline deadline, int interrupt_fd) {
  size_t done = 0;
  while (done < size) {
    RETURN_IF_ERROR(WaitReady(fd, POLLOUT, deadline, interrupt_fd));
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n >= 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR || errno == EAGAIN) continue;
    if (errno == EPIPE) return Status(StatusCode::kCrashed, "the reader closed the pipe");
    return IoError("write: " + ErrnoMessage(errno));
  }
  return Status::Ok();
}

// Reads exactly `size` bytes; `what` names the part of the frame for the end-of-stream message.
Status ReadAll(int fd, char* data, size_t size, Deadline deadline, int interrupt_fd,
               const char* what) {
  size_t done = 0;
  while (done < size) {
    RETURN_IF_ERROR(WaitReady(fd, POLLIN, deadline, interrupt_fd));
    const ssize_t n = ::read(fd, data + done, size - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n == 0) {
      return Status(StatusCode::kCrashed, done == 0
                                              ? std::string("end of stream before the ") + what
                                              : std::string("end of stream inside the ") + what);
    }
    if (errno == EINTR || errno == EAGAIN) continue;
    return IoError("read: " + ErrnoMessage(errno));
  }
  return Status::Ok();
}

}  // namespace

Status WriteFrame(int fd, std::string_view payload, Deadline deadline, int interrupt_fd) {
  if (payload.size() > kMaxFrameBytes) {
    return InvalidArgument("frame of " + std::to_string(payload.size()) +
                           " bytes exceeds the 512 MiB limit");
  }
  const auto size = static_cast<uint32_t>(payload.size());
  const std::array<char, 4> header = {
      static_cast<char>(size & 0xff), static_cast<char>((size >> 8) & 0xff),
      static_cast<char>((size >> 16) & 0xff), static_cast<char>((size >> 24) & 0xff)};
  RETURN_IF_ERROR(WriteAll(fd, header.data(), header.size(), deadline, interrupt_fd));
  return WriteAll(fd, payload.data(), payload.size(), deadline, interrupt_fd);
}

Result<std::string> ReadFrame(int fd, Deadline deadline, int interrupt_fd) {
  std::array<unsigned char, 4> header{};
  RETURN_IF_ERROR(ReadAll(fd, reinterpret_cast<char*>(header.data()), header.size(), deadline,
                          interrupt_fd, "frame header"));
  const uint32_t size = static_cast<uint32_t>(header[0]) | static_cast<uint32_t>(header[1]) << 8 |
                        static_cast<uint32_t>(header[2]) << 16 |
                        static_cast<uint32_t>(header[3]) << 24;
  if (size > kMaxFrameBytes) {
    return ParseError("frame length " + std::to_string(size) + " exceeds the 512 MiB limit");
  }
  std::string payload(size, '\0');
  RETURN_IF_ERROR(
      ReadAll(fd, payload.data(), payload.size(), deadline, interrupt_fd, "frame payload"));
  return payload;
}

}  // namespace jitsynth::driver
