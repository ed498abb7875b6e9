#include "dataset/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
  const fs::path tmp = path.string() + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Errno("cannot create", tmp);
  if (std::fwrite(content.data(), 1, content.size(), f) != content.size()) {
    std::fclose(f);
    return Errno("cannot write", tmp);
  }
  RETURN_IF_ERROR(CloseSynced(f, tmp));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename to", path);
  return SyncDirectory(path.parent_path().empty() ? fs::path(".") : path.parent_path());
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

RunWriter::RunWriter(fs::path dir, uint64_t chunk_size, uint64_t end_index)
    : dir_(std::move(dir)), chunk_size_(chunk_size), end_index_(end_index) {}

RunWriter::~RunWriter() {
  // An unfinished chunk stays under its temporary name: never mistaken for data.
  if (data_ != nullptr) std::fclose(data_);
  if (failures_ != nullptr) std::fclose(failures_);
}

Status RunWriter::Begin(uint64_t index) {
  if (index != next_index_) {
    return Internal(fmt::format("records arrive out of order: {} after {}", index, next_index_));
  }
  if (data_ == nullptr) {
    const uint64_t chunk = index / chunk_size_;
    current_ = ChunkInfo{ChunkName(chunk), chunk * chunk_size_,
                         std::min((chunk + 1) * chunk_size_, end_index_), 0, 0};
    const fs::path tmp = dir_ / (current_.file + ".tmp");
    data_ = std::fopen(tmp.c_str(), "wb");
    if (data_ == nullptr) return Errno("cannot create", tmp);
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
  chunks_.push_back(current_);
  return on_commit ? on_commit() : Status::Ok();
}

}  // namespace jitsynth::dataset
