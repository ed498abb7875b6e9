// Files that are either whole or absent: atomic replacement, checked output paths, hashes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "core/fd.h"
#include "core/status.h"

namespace jitsynth::store {

// kIoError "WHAT PATH: strerror(errno)".
Status ErrnoError(std::string_view what, const std::filesystem::path& path);

// fsync of a directory, so that a rename in it is durable.
Status SyncDirectory(const std::filesystem::path& dir);

// Writes `content` to `path` through a temporary file, fsync and rename.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

// A new, empty file that WriteFileAtomic and the tools write before CommitFile: beside `path`
// (so that the rename stays on one file system), named `NAME.PID-N.tmp` and created with
// O_CREAT|O_EXCL, so that it is never a file, link or device that was there before. Open for
// writing in `fd`; mode 0666 less the umask, like any file the user creates.
struct TemporaryFile {
  std::filesystem::path path;
  UniqueFd fd;
};
Result<TemporaryFile> CreateTemporary(const std::filesystem::path& path);

// Makes the finished file `tmp` durable and renames it to `path`: fsync, rename, fsync of the
// directory. A reader sees either the old `path` or the complete new one.
Status CommitFile(const std::filesystem::path& tmp, const std::filesystem::path& path);

// Checks that `out` can receive a file (replacing one that is there): absent or a regular file
// (never a symbolic link, directory, device, FIFO or socket), in a writable directory that
// exists. `flag` names the option in the messages (kInvalidArgument).
Status CheckOutputFile(const std::filesystem::path& out, std::string_view flag);

// Refuses an `out` that is a symbolic link (kInvalidArgument naming `flag`): an output written
// through one would land outside the path the user named.
Status CheckNotLink(const std::filesystem::path& out, std::string_view flag);

// Checks that `dir` can receive a new run: absent, or an empty directory (not a link).
// Creates it. Bad input comes back as kInvalidArgument with the fix named.
Status PrepareNewOutputDir(const std::filesystem::path& dir);

// The xxh64 of a file's bytes as 16 hex digits, and its size.
Result<std::pair<std::string, uint64_t>> HashFile(const std::filesystem::path& path);

// The whole content of a file (kIoError naming it when it cannot be read).
Result<std::string> ReadWhole(const std::filesystem::path& path);

}  // namespace jitsynth::store
