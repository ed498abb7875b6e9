// Files that are either whole or absent: atomic replacement, checked output paths, hashes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace jitsynth::store {

// kIoError "WHAT PATH: strerror(errno)".
Status ErrnoError(std::string_view what, const std::filesystem::path& path);

// fsync of a directory, so that a rename in it is durable.
Status SyncDirectory(const std::filesystem::path& dir);

// Writes `content` to `path` through a temporary file, fsync and rename.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

// The temporary file WriteFileAtomic and the tools write before CommitFile: beside `path`, so
// that the rename stays on one file system.
std::filesystem::path TemporaryPath(const std::filesystem::path& path);

// Makes the finished file `tmp` durable and renames it to `path`: fsync, rename, fsync of the
// directory. A reader sees either the old `path` or the complete new one.
Status CommitFile(const std::filesystem::path& tmp, const std::filesystem::path& path);

// Checks that `out` can receive a file (replacing one that is there): not a directory, in a
// writable directory that exists. `flag` names the option in the messages (kInvalidArgument).
Status CheckOutputFile(const std::filesystem::path& out, std::string_view flag);

// Checks that `dir` can receive a new run: absent, or an empty directory.
// Creates it. Bad input comes back as kInvalidArgument with the fix named.
Status PrepareNewOutputDir(const std::filesystem::path& dir);

// The xxh64 of a file's bytes as 16 hex digits, and its size.
Result<std::pair<std::string, uint64_t>> HashFile(const std::filesystem::path& path);

// The whole content of a file (kIoError naming it when it cannot be read).
Result<std::string> ReadWhole(const std::filesystem::path& path);

}  // namespace jitsynth::store
