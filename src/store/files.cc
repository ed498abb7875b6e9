#include "store/files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace jitsynth::store {
namespace fs = std::filesystem;

Status ErrnoError(std::string_view what, const fs::path& path) {
  return IoError(fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return ErrnoError("cannot sync directory", dir);
  return Status::Ok();
}

Status WriteFileAtomic(const fs::path& path, std::string_view content) {
  ASSIGN_OR_RETURN(TemporaryFile tmp, CreateTemporary(path));
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(tmp.fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status error = ErrnoError("cannot write", tmp.path);
      ::unlink(tmp.path.c_str());
      return error;
    }
    done += static_cast<size_t>(n);
  }
  tmp.fd.reset();
  const Status committed = CommitFile(tmp.path, path);
  if (!committed.ok()) ::unlink(tmp.path.c_str());
  return committed;
}

Result<TemporaryFile> CreateTemporary(const fs::path& path) {
  // The counter tells apart the temporaries of one process (threads, several files).
  static std::atomic<uint64_t> counter{0};
  for (int attempt = 0;; ++attempt) {
    fs::path tmp = path;
    tmp += fmt::format(".{}-{}.tmp", ::getpid(), counter.fetch_add(1));
    const int fd =
        ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return TemporaryFile{std::move(tmp), UniqueFd(fd)};
    // EEXIST: a file left by an earlier process of the same pid; try the next name.
    if (errno != EEXIST || attempt >= 100) return ErrnoError("cannot create", tmp);
  }
}

Status CommitFile(const fs::path& tmp, const fs::path& path) {
  // Whoever wrote `tmp` (this process or a child) closed it; a new descriptor syncs its data.
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", tmp);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return ErrnoError("cannot sync", tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoError("cannot rename to", path);
  return SyncDirectory(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

Status CheckNotLink(const fs::path& out, std::string_view flag) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(out, ec))) {
    return InvalidArgument(fmt::format(
        "{} {}: is a symbolic link; name the real path (jitsynth never writes through a link)",
        flag, out.string()));
  }
  return Status::Ok();
}

Status CheckOutputFile(const fs::path& out, std::string_view flag) {
  if (out.empty()) return InvalidArgument(fmt::format("{} must name a file", flag));
  RETURN_IF_ERROR(CheckNotLink(out, flag));
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(out, ec);
  if (fs::is_directory(st)) {
    return InvalidArgument(
        fmt::format("{} {}: is a directory; name the file to write", flag, out.string()));
  }
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    return InvalidArgument(fmt::format(
        "{} {}: exists and is not a regular file (a device, FIFO or socket); name a new file",
        flag, out.string()));
  }
  const fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  if (!fs::is_directory(parent, ec)) {
    return InvalidArgument(
        fmt::format("{} {}: the directory {} does not exist", flag, out.string(), parent.string()));
  }
  if (::access(parent.c_str(), W_OK) != 0) {
    return InvalidArgument(fmt::format("{} {}: the directory {} is not writable", flag,
                                       out.string(), parent.string()));
  }
  return Status::Ok();
}

Status PrepareNewOutputDir(const fs::path& dir) {
  RETURN_IF_ERROR(CheckNotLink(dir, "--out"));
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return InvalidArgument(fmt::format(
          "--out {}: is an existing file, not a directory; choose a new path", dir.string()));
    }
    if (fs::exists(dir / "manifest.json")) {
      return InvalidArgument(fmt::format(
          "--out {}: already holds a jitsynth run; choose a new directory (or continue it with "
          "--resume)",
          dir.string()));
    }
    if (!fs::is_empty(dir, ec)) {
      return InvalidArgument(fmt::format(
          "--out {}: is a non-empty directory that is not a jitsynth output; choose a new or "
          "empty directory",
          dir.string()));
    }
  } else {
    fs::create_directories(dir, ec);
    if (ec) {
      return InvalidArgument(
          fmt::format("--out {}: cannot create the directory: {}", dir.string(), ec.message()));
    }
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    return InvalidArgument(fmt::format("--out {}: is not writable", dir.string()));
  }
  return Status::Ok();
}

Result<std::pair<std::string, uint64_t>> HashFile(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return ErrnoError("cannot open", path);
  XXH64_state_t* state = XXH64_createState();
  XXH64_reset(state, 0);
  std::vector<char> buf(1 << 16);
  uint64_t bytes = 0;
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), f)) > 0;) {
    XXH64_update(state, buf.data(), n);
    bytes += n;
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  const uint64_t digest = XXH64_digest(state);
  XXH64_freeState(state);
  if (failed) return IoError(fmt::format("cannot read {}", path.string()));
  return std::make_pair(fmt::format("{:016x}", digest), bytes);
}

Result<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}", path.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace jitsynth::store
