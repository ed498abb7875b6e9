// The lines of zstd-compressed JSONL (a data-NNNNN.jsonl.zst chunk), decompressed as the bytes
// arrive: memory holds zstd's window, one output buffer and the line being assembled, whatever
// the size of the chunk. The run reader feeds it a file block by block; the fuzz target feeds
// it arbitrary bytes (fuzz/fuzz_zstd_lines.cc).
//
//   ZstdLines lines(path.string(), [](size_t n, std::string_view line) { ...; return Ok(); });
//   RETURN_IF_ERROR(lines.Feed(block));  // as often as there are blocks
//   RETURN_IF_ERROR(lines.Finish());
#pragma once

#include <zstd.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jitsynth::store {

class ZstdLines {
 public:
  // `visit(line_number, line)` for each newline-terminated line, without its newline; the
  // first non-Ok answer stops the reading and is returned. `name` begins every message.
  using Visit = std::function<Status(size_t, std::string_view)>;
  ZstdLines(std::string name, Visit visit);

  // Decompresses `compressed` (the next bytes of the file). kParseError names the file when
  // the bytes are not zstd, a frame's checksum fails, or a line exceeds kMaxLineBytes.
  Status Feed(std::string_view compressed);
  // After the last Feed: kParseError when no frame was read, the last frame is cut short, or
  // the last line has no newline.
  Status Finish();

  // A line longer than this is corruption (or a decompression bomb), not a record: reading
  // stops instead of growing without bound.
  static constexpr size_t kMaxLineBytes = size_t{1} << 30;

 private:
  Status Corrupt(std::string_view what) const;
  Status Split(std::string_view produced);

  std::string name_;
  Visit visit_;
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx_;
  std::vector<char> output_;
  std::string pending_;  // the start of a line whose newline has not come yet
  size_t line_number_ = 0;
  size_t frame_left_ = 0;  // ZSTD_decompressStream's last answer: 0 when a frame has ended
  bool any_input_ = false;
};

// ZstdLines over the file at `path`, read in blocks.
Status ForEachZstdLine(const std::string& path, const ZstdLines::Visit& visit);

}  // namespace jitsynth::store
