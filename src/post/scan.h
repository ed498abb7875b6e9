// Scanning helpers shared by the tokenizers of post (Python source, IR text).
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>

namespace jitsynth::post::detail {

struct QuoteRules {
  bool triple = false;            // Python: ''' and """ open strings that span lines
  bool ends_at_line_end = false;  // Python: a single-quoted string ends, unclosed, at a line end
};

// The quoted string whose quote is at `q` (backslash escapes): one past its end, and whether it
// was closed (an unclosed string runs to the end of `s`, or to a line end under the rules).
std::pair<size_t, bool> SkipQuoted(std::string_view s, size_t q, QuoteRules rules);

}  // namespace jitsynth::post::detail
