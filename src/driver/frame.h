// Length-prefixed frames on a pipe: a 4-byte little-endian length, then that many bytes
// (docs/worker-protocol.md). Every wait has a deadline, so a hung peer shows up as kTimeout
// rather than a driver that blocks forever.
//
//   RETURN_IF_ERROR(WriteFrame(fd, R"({"op":"ping"})"));
//   ASSIGN_OR_RETURN(std::string reply, ReadFrame(fd, Clock::now() + std::chrono::seconds(5)));
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jitsynth::driver {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;
inline constexpr Deadline kNoDeadline = Deadline::max();

// Larger frames are a protocol error: a corrupt length must not make the driver allocate 4 GiB.
inline constexpr uint32_t kMaxFrameBytes = 512u << 20;

// Writes one frame. Works on blocking and non-blocking descriptors; only a non-blocking one can
// honor the deadline once the pipe is full.
// Errors: kCrashed when the reader has gone (EPIPE; the caller must ignore SIGPIPE), kTimeout at
// the deadline, kCancelled when `interrupt_fd` (if >= 0) becomes readable, kInvalidArgument for a
// payload over kMaxFrameBytes, kIoError otherwise.
Status WriteFrame(int fd, std::string_view payload, Deadline deadline = kNoDeadline,
                  int interrupt_fd = -1);

// Reads one frame. Errors: kCrashed at end of stream (before or inside a frame), kTimeout at the
// deadline, kCancelled when `interrupt_fd` (if >= 0) becomes readable, kParseError for a length
// over kMaxFrameBytes, kIoError otherwise.
Result<std::string> ReadFrame(int fd, Deadline deadline = kNoDeadline, int interrupt_fd = -1);

}  // namespace jitsynth::driver
