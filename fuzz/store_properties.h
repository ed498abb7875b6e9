// What the storage fuzzer checks (fuzz/fuzz_zstd_lines.cc), shared with the bounded loop and
// the corpus replay in tests/cpp/zstd_chunks_test.cc. Returns "" when every property holds.
#pragma once

#include <string>
#include <string_view>

#include "store/zstd_lines.h"

namespace jitsynth::fuzz {

// Any bytes given to the chunk reader (store/zstd_lines.h), whole or in pieces of 1 and 97
// bytes: no crash, Ok or kParseError, and the same lines and the same answer every time.
inline std::string CheckZstdLines(std::string_view data) {
  std::string first_lines;
  Status first_status;
  for (const size_t piece : {data.size() + 1, size_t{1}, size_t{97}}) {
    std::string lines;
    store::ZstdLines reader("fuzz", [&](size_t, std::string_view line) {
      lines.append(line).push_back('\n');
      return Status::Ok();
    });
    Status st;
    for (size_t at = 0; at < data.size() && st.ok(); at += piece) {
      st = reader.Feed(data.substr(at, piece));
    }
    if (st.ok()) st = reader.Finish();
    if (!st.ok() && st.code() != StatusCode::kParseError) return "an error other than kParseError";
    if (piece == data.size() + 1) {
      first_lines = lines;
      first_status = st;
      continue;
    }
    if (st.ok() != first_status.ok()) return "the answer depends on how the bytes arrive";
    if (st.ok() && lines != first_lines) return "the lines depend on how the bytes arrive";
  }
  return "";
}

}  // namespace jitsynth::fuzz
