#include "store/writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "store/files.h"

namespace jitsynth::store {
namespace fs = std::filesystem;

namespace {

Status CloseSynced(std::FILE*& file, const fs::path& path) {
  if (file == nullptr) return Status::Ok();
  const bool ok = std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const int rc = std::fclose(file);
  file = nullptr;
  if (!ok || rc != 0) return ErrnoError("cannot write", path);
  return Status::Ok();
}

std::FILE* OpenNoFollow(const fs::path& path, int flags, const char* mode) {
  const int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) return nullptr;
  std::FILE* file = ::fdopen(fd, mode);
  if (file == nullptr) ::close(fd);
  return file;
}

// zstd level of data chunks: level 3 (zstd's default) keeps compression far below the cost of
// compiling a record; docs/performance.md has the sizes it gives.
constexpr int kChunkZstdLevel = 3;

Status WriteLine(std::FILE* file, const std::string& line, const fs::path& path) {
  if (std::fwrite(line.data(), 1, line.size(), file) != line.size() ||
      std::fputc('\n', file) == EOF) {
    return ErrnoError("cannot write", path);
  }
  return Status::Ok();
}

}  // namespace

RunWriter::RunWriter(fs::path dir, uint64_t chunk_size, uint64_t end_index,
                     std::vector<ChunkInfo> committed, uint64_t start_index,
                     Compression compression)
    : dir_(std::move(dir)),
      chunk_size_(chunk_size),
      end_index_(end_index),
      next_index_(committed.empty() ? start_index : committed.back().end_index),
      hash_(XXH64_createState()),
      compression_(compression),
      chunks_(std::move(committed)) {
  if (compression_ == Compression::kZstd) {
    zstd_ = ZSTD_createCCtx();
    compressed_.resize(ZSTD_CStreamOutSize());
  }
}

RunWriter::~RunWriter() {
  // An unfinished chunk stays under its temporary name: never mistaken for data.
  if (data_ != nullptr) std::fclose(data_);
  if (failures_ != nullptr) std::fclose(failures_);
  XXH64_freeState(hash_);
  ZSTD_freeCCtx(zstd_);
}

Status RunWriter::Begin(uint64_t index) {
  if (index != next_index_) {
    return Internal(fmt::format("records arrive out of order: {} after {}", index, next_index_));
  }
  if (data_ == nullptr) {
    const uint64_t chunk = index / chunk_size_;
    current_ = ChunkInfo{};
    current_.file = ChunkName(chunk, compression_);
    current_.first_index = chunk * chunk_size_;
    current_.end_index = std::min((chunk + 1) * chunk_size_, end_index_);
    const fs::path tmp = dir_ / (current_.file + ".tmp");
    // Never through a link that someone planted in the directory.
    data_ = OpenNoFollow(tmp, O_WRONLY | O_CREAT | O_TRUNC, "wb");
    if (data_ == nullptr) return ErrnoError("cannot create", tmp);
    XXH64_reset(hash_, 0);
    if (zstd_ != nullptr) {
      if (ZSTD_isError(ZSTD_CCtx_reset(zstd_, ZSTD_reset_session_and_parameters)) ||
          ZSTD_isError(ZSTD_CCtx_setParameter(zstd_, ZSTD_c_compressionLevel, kChunkZstdLevel)) ||
          ZSTD_isError(ZSTD_CCtx_setParameter(zstd_, ZSTD_c_checksumFlag, 1))) {
        return Internal("zstd: cannot set up the compressor");
      }
    }
  }
  if (failures_ == nullptr) {
    const fs::path path = dir_ / "failures.jsonl";
    failures_ = OpenNoFollow(path, O_WRONLY | O_CREAT | O_APPEND, "ab");
    if (failures_ == nullptr) return ErrnoError("cannot open", path);
  }
  return Status::Ok();
}

Status RunWriter::AddRecord(uint64_t index, const std::string& line) {
  RETURN_IF_ERROR(Begin(index));
  RETURN_IF_ERROR(WriteData(line, false));
  RETURN_IF_ERROR(WriteData("\n", false));
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

Status RunWriter::WriteData(std::string_view bytes, bool end) {
  const fs::path tmp = dir_ / (current_.file + ".tmp");
  if (zstd_ == nullptr) {
    if (bytes.empty()) return Status::Ok();
    if (std::fwrite(bytes.data(), 1, bytes.size(), data_) != bytes.size()) {
      return ErrnoError("cannot write", tmp);
    }
    XXH64_update(hash_, bytes.data(), bytes.size());
    current_.bytes += bytes.size();
    return Status::Ok();
  }
  current_.jsonl_bytes += bytes.size();
  ZSTD_inBuffer in = {bytes.data(), bytes.size(), 0};
  const ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
  while (true) {
    ZSTD_outBuffer out = {compressed_.data(), compressed_.size(), 0};
    const size_t left = ZSTD_compressStream2(zstd_, &out, &in, mode);
    if (ZSTD_isError(left)) return Internal(fmt::format("zstd: {}", ZSTD_getErrorName(left)));
    if (out.pos > 0) {
      if (std::fwrite(compressed_.data(), 1, out.pos, data_) != out.pos) {
        return ErrnoError("cannot write", tmp);
      }
      XXH64_update(hash_, compressed_.data(), out.pos);
      current_.bytes += out.pos;
    }
    if (end ? left == 0 : in.pos == in.size) return Status::Ok();
  }
}

Status RunWriter::Commit() {
  const fs::path tmp = dir_ / (current_.file + ".tmp");
  if (zstd_ != nullptr) RETURN_IF_ERROR(WriteData("", /*end=*/true));
  RETURN_IF_ERROR(CloseSynced(data_, tmp));
  if (failures_ != nullptr) {
    if (std::fflush(failures_) != 0 || ::fsync(fileno(failures_)) != 0) {
      return ErrnoError("cannot write", dir_ / "failures.jsonl");
    }
  }
  if (std::rename(tmp.c_str(), (dir_ / current_.file).c_str()) != 0) {
    return ErrnoError("cannot rename to", dir_ / current_.file);
  }
  RETURN_IF_ERROR(SyncDirectory(dir_));
  current_.xxh64 = fmt::format("{:016x}", XXH64_digest(hash_));
  chunks_.push_back(current_);
  return on_commit ? on_commit() : Status::Ok();
}

}  // namespace jitsynth::store
