#include "store/zstd_lines.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>

#include "store/files.h"

namespace jitsynth::store {

ZstdLines::ZstdLines(std::string name, Visit visit)
    : name_(std::move(name)),
      visit_(std::move(visit)),
      dctx_(ZSTD_createDCtx(), ZSTD_freeDCtx),
      output_(ZSTD_DStreamOutSize()) {}

Status ZstdLines::Corrupt(std::string_view what) const {
  return ParseError(fmt::format("{}: {} (a corrupt or truncated zstd chunk; regenerate it or "
                                "restore it from a copy)",
                                name_, what));
}

Status ZstdLines::Feed(std::string_view compressed) {
  if (!dctx_) return Internal("zstd: cannot create a decompression context");
  if (!compressed.empty()) any_input_ = true;
  ZSTD_inBuffer in = {compressed.data(), compressed.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out = {output_.data(), output_.size(), 0};
    frame_left_ = ZSTD_decompressStream(dctx_.get(), &out, &in);
    if (ZSTD_isError(frame_left_)) return Corrupt(ZSTD_getErrorName(frame_left_));
    RETURN_IF_ERROR(Split(std::string_view(output_.data(), out.pos)));
  }
  // The input is used up, but the decompressor may still hold output for a full buffer.
  while (frame_left_ != 0) {
    ZSTD_outBuffer out = {output_.data(), output_.size(), 0};
    ZSTD_inBuffer none = {nullptr, 0, 0};
    frame_left_ = ZSTD_decompressStream(dctx_.get(), &out, &none);
    if (ZSTD_isError(frame_left_)) return Corrupt(ZSTD_getErrorName(frame_left_));
    if (out.pos == 0) break;
    RETURN_IF_ERROR(Split(std::string_view(output_.data(), out.pos)));
  }
  return Status::Ok();
}

Status ZstdLines::Split(std::string_view produced) {
  while (!produced.empty()) {
    const size_t newline = produced.find('\n');
    if (newline == std::string_view::npos) {
      if (pending_.size() + produced.size() > kMaxLineBytes) {
        return Corrupt(
            fmt::format("line {} is longer than {} bytes", line_number_ + 1, kMaxLineBytes));
      }
      pending_.append(produced);
      return Status::Ok();
    }
    ++line_number_;
    if (pending_.empty()) {
      RETURN_IF_ERROR(visit_(line_number_, produced.substr(0, newline)));
    } else {
      pending_.append(produced.substr(0, newline));
      RETURN_IF_ERROR(visit_(line_number_, pending_));
      pending_.clear();
    }
    produced.remove_prefix(newline + 1);
  }
  return Status::Ok();
}

Status ZstdLines::Finish() {
  if (!any_input_) return Corrupt("the file is empty, not a zstd frame");
  if (frame_left_ != 0) return Corrupt("the zstd frame ends early");
  if (!pending_.empty()) {
    return ParseError(
        fmt::format("{}:{}: truncated: the line has no newline", name_, line_number_ + 1));
  }
  return Status::Ok();
}

Status ForEachZstdLine(const std::string& path, const ZstdLines::Visit& visit) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             std::fclose);
  if (!file) return ErrnoError("cannot read", path);
  ZstdLines lines(path, visit);
  std::vector<char> block(ZSTD_DStreamInSize());
  while (true) {
    const size_t got = std::fread(block.data(), 1, block.size(), file.get());
    if (got == 0) {
      if (std::ferror(file.get())) return ErrnoError("cannot read", path);
      break;
    }
    RETURN_IF_ERROR(lines.Feed(std::string_view(block.data(), got)));
  }
  return lines.Finish();
}

}  // namespace jitsynth::store
