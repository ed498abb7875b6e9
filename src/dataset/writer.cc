#include "dataset/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace jitsynth::dataset {
namespace fs = std::filesystem;

namespace {

Status Errno(std::string_view what, const fs::path& path) {
  return IoError(fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("cannot sync directory", dir);
  return Status::Ok();
}

Status CloseSynced(std::FILE*& file, const fs::path& path) {
  if (file == nullptr) return Status::Ok();
  const bool ok = std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const int rc = std::fclose(file);
  file = nullptr;
  if (!ok || rc != 0) return Errno("cannot write", path);
  return Status::Ok();
}

Status WriteLine(std::FILE* file, const std::string& line, const fs::path& path) {
  if (std::fwrite(line.data(), 1, line.size(), file) != line.size() || std::fputc('\n', file) == EOF) {
    return Errno("cannot write", path);
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomic(const fs::path& path, std::string_view content) {
  const fs::path tmp = TemporaryPath(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Errno("cannot create", tmp);
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  if (std::fclose(f) != 0 || !written) return Errno("cannot write", tmp);
  return CommitFile(tmp, path);
}

fs::path TemporaryPath(const fs::path& path) { return path.string() + ".tmp"; }

Status CommitFile(const fs::path& tmp, const fs::path& path) {
  // Whoever wrote `tmp` (this process or a child) closed it; a new descriptor syncs its data.
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", tmp);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("cannot sync", tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename to", path);
  return SyncDirectory(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

Status CheckOutputFile(const fs::path& out, std::string_view flag) {
  if (out.empty()) return InvalidArgument(fmt::format("{} must name a file", flag));
  std::error_code ec;
  if (fs::is_directory(out, ec)) {
    return InvalidArgument(
        fmt::format("{} {}: is a directory; name the file to write", flag, out.string()));
  }
  const fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  if (!fs::is_directory(parent, ec)) {
    return InvalidArgument(fmt::format("{} {}: the directory {} does not exist", flag,
                                       out.string(), parent.string()));
  }
  if (::access(parent.c_str(), W_OK) != 0) {
    return InvalidArgument(fmt::format("{} {}: the directory {} is not writable", flag,
                                       out.string(), parent.string()));
  }
  return Status::Ok();
}

std::string ChunkName(uint64_t chunk) { return fmt::format("data-{:05}.jsonl", chunk); }

Status PrepareNewOutputDir(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return InvalidArgument(
          fmt::format("--out {}: is an existing file, not a directory; choose a new path", dir.string()));
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
  if (f == nullptr) return Errno("cannot open", path);
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

RunWriter::RunWriter(fs::path dir, uint64_t chunk_size, uint64_t end_index,
                     std::vector<ChunkInfo> committed)
    : dir_(std::move(dir)),
      chunk_size_(chunk_size),
      end_index_(end_index),
      next_index_(committed.empty() ? 0 : committed.back().end_index),
      hash_(XXH64_createState()),
      chunks_(std::move(committed)) {}

RunWriter::~RunWriter() {
  // An unfinished chunk stays under its temporary name: never mistaken for data.
  if (data_ != nullptr) std::fclose(data_);
  if (failures_ != nullptr) std::fclose(failures_);
  XXH64_freeState(hash_);
}

Status RunWriter::Begin(uint64_t index) {
  if (index != next_index_) {
    return Internal(fmt::format("records arrive out of order: {} after {}", index, next_index_));
  }
  if (data_ == nullptr) {
    const uint64_t chunk = index / chunk_size_;
    current_ = ChunkInfo{};
    current_.file = ChunkName(chunk);
    current_.first_index = chunk * chunk_size_;
    current_.end_index = std::min((chunk + 1) * chunk_size_, end_index_);
    const fs::path tmp = dir_ / (current_.file + ".tmp");
    data_ = std::fopen(tmp.c_str(), "wb");
    if (data_ == nullptr) return Errno("cannot create", tmp);
    XXH64_reset(hash_, 0);
  }
  if (failures_ == nullptr) {
    const fs::path path = dir_ / "failures.jsonl";
    failures_ = std::fopen(path.c_str(), "ab");
    if (failures_ == nullptr) return Errno("cannot open", path);
  }
  return Status::Ok();
}

Status RunWriter::AddRecord(uint64_t index, const std::string& line) {
  RETURN_IF_ERROR(Begin(index));
  RETURN_IF_ERROR(WriteLine(data_, line, dir_ / (current_.file + ".tmp")));
  XXH64_update(hash_, line.data(), line.size());
  XXH64_update(hash_, "\n", 1);
  current_.bytes += line.size() + 1;
  ++current_.records;
  return Advance();
}

Status RunWriter::AddFailure(uint64_t index, const std::string& line) {
  RETURN_IF_ERROR(Begin(index));
  RETURN_IF_ERROR(WriteLine(failures_, line, dir_ / "failures.jsonl"));
  ++current_.failures;
  return Advance();
}

Status RunWriter::Skip(uint64_t index) {
  RETURN_IF_ERROR(Begin(index));
  return Advance();
}

Status RunWriter::Advance() {
  ++next_index_;
  return next_index_ == current_.end_index ? Commit() : Status::Ok();
}

Status RunWriter::Commit() {
  const fs::path tmp = dir_ / (current_.file + ".tmp");
  RETURN_IF_ERROR(CloseSynced(data_, tmp));
  if (failures_ != nullptr) {
    if (std::fflush(failures_) != 0 || ::fsync(fileno(failures_)) != 0) {
      return Errno("cannot write", dir_ / "failures.jsonl");
    }
  }
  if (std::rename(tmp.c_str(), (dir_ / current_.file).c_str()) != 0) {
    return Errno("cannot rename to", dir_ / current_.file);
  }
  RETURN_IF_ERROR(SyncDirectory(dir_));
  current_.xxh64 = fmt::format("{:016x}", XXH64_digest(hash_));
  chunks_.push_back(current_);
  return on_commit ? on_commit() : Status::Ok();
}

nlohmann::ordered_json ChunkJson(const ChunkInfo& c) {
  return {{"file", c.file},         {"first_index", c.first_index}, {"end_index", c.end_index},
          {"records", c.records},   {"failures", c.failures},       {"bytes", c.bytes},
          {"xxh64", c.xxh64}};
}

}  // namespace jitsynth::dataset
