#include "post/scan.h"

#include <algorithm>
#include <string>

namespace jitsynth::post::detail {

std::pair<size_t, bool> SkipQuoted(std::string_view s, size_t q, QuoteRules rules) {
  const char quote = s[q];
  const bool triple = rules.triple && s.substr(q, 3) == std::string(3, quote);
  size_t i = q + (triple ? 3 : 1);
  while (i < s.size()) {
    if (s[i] == '\\') {
      i = std::min(i + 2, s.size());
      continue;
    }
    if (triple && s.substr(i, 3) == std::string(3, quote)) return {i + 3, true};
    if (!triple && s[i] == quote) return {i + 1, true};
    if (!triple && rules.ends_at_line_end && (s[i] == '\n' || s[i] == '\r')) return {i, false};
    ++i;
  }
  return {s.size(), false};
}

}  // namespace jitsynth::post::detail
