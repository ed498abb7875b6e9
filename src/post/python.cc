#include "post/python.h"

#include "post/scan.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <unordered_map>
#include <unordered_set>

#include "post/hash.h"

namespace jitsynth::post {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Bytes of a UTF-8 sequence count as letters: Python identifiers may be non-ASCII.
bool IsNameChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

// One past a line break at `i` ("\n", "\r\n" or "\r").
size_t SkipLineEnd(std::string_view s, size_t i) {
  return i + ((s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1);
}

// Letters that may prefix a string literal: r, b, u, f in either case, two at most.
size_t StringPrefixLength(std::string_view s, size_t i) {
  static constexpr std::string_view kPrefix = "rRbBuUfF";
  size_t n = 0;
  while (n < 2 && i + n < s.size() && kPrefix.find(s[i + n]) != std::string_view::npos) ++n;
  if (i + n < s.size() && (s[i + n] == '\'' || s[i + n] == '"')) return n;
  return std::string_view::npos;
}

size_t SkipNumber(std::string_view s, size_t i) {
  const bool hex = s.substr(i, 2) == "0x" || s.substr(i, 2) == "0X";
  size_t j = i;
  while (j < s.size()) {
    const char c = s[j];
    const bool exponent_sign =
        !hex && (c == '+' || c == '-') && j > i && (s[j - 1] == 'e' || s[j - 1] == 'E');
    if (!IsNameChar(c) && c != '.' && !exponent_sign) break;
    ++j;
  }
  return j;
}

size_t OperatorLength(std::string_view s, size_t i) {
  static constexpr std::array<std::string_view, 5> kThree = {"**=", "//=", ">>=", "<<=", "..."};
  static constexpr std::array<std::string_view, 19> kTwo = {
      "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=",
      ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|="};
  for (std::string_view op : kThree) {
    if (s.substr(i, 3) == op) return 3;
  }
  for (std::string_view op : kTwo) {
    if (s.substr(i, 2) == op) return 2;
  }
  static constexpr std::string_view kOne = "()[]{}:,;.+-*/%&|^~<>=@";
  return kOne.find(s[i]) != std::string_view::npos ? 1 : 0;
}

}  // namespace

std::vector<PyToken> TokenizePython(std::string_view s) {
  std::vector<PyToken> out;
  std::vector<size_t> indents = {0};
  int depth = 0;                   // open brackets: line breaks inside them join lines
  bool line_start = true;          // at the first character of a physical line
  bool logical_line_open = false;  // a token since the last kNewline
  auto push = [&](PyTokenKind kind, size_t begin, size_t end) {
    out.push_back({kind, s.substr(begin, end - begin)});
    logical_line_open = true;
  };
  size_t i = 0;
  while (i < s.size()) {
    if (line_start && depth == 0) {
      line_start = false;
      size_t column = 0;
      size_t j = i;
      for (; j < s.size(); ++j) {
        if (s[j] == ' ')
          ++column;
        else if (s[j] == '\t')
          column = (column / 8 + 1) * 8;
        else if (s[j] == '\f')
          column = 0;
        else
          break;
      }
      i = j;
      // Blank and comment-only lines leave the indentation alone.
      if (j == s.size() || IsLineEnd(s[j]) || s[j] == '#') continue;
      while (column < indents.back()) {
        indents.pop_back();
        out.push_back({PyTokenKind::kDedent, {}});
      }
      if (column > indents.back()) {
        indents.push_back(column);
        out.push_back({PyTokenKind::kIndent, {}});
      }
      continue;
    }
    const char c = s[i];
    if (IsLineEnd(c)) {
      i = SkipLineEnd(s, i);
      if (depth > 0) continue;
      if (logical_line_open) out.push_back({PyTokenKind::kNewline, {}});
      logical_line_open = false;
      line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\f') {
      ++i;
      continue;
    }
    if (c == '#') {
      size_t j = i;
      while (j < s.size() && !IsLineEnd(s[j])) ++j;
      out.push_back({PyTokenKind::kComment, s.substr(i, j - i)});
      i = j;
      continue;
    }
    if (c == '\\') {
      size_t j = i + 1;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
      if (j < s.size() && IsLineEnd(s[j])) {
        i = SkipLineEnd(s, j);  // an explicit line join
      } else {
        push(PyTokenKind::kError, i, i + 1);
        ++i;
      }
      continue;
    }
    if (const size_t prefix = StringPrefixLength(s, i); prefix != std::string_view::npos) {
      const auto [end, closed] = detail::SkipQuoted(s, i + prefix, {.triple = true, .ends_at_line_end = true});
      push(closed ? PyTokenKind::kString : PyTokenKind::kError, i, end);
      i = end;
      continue;
    }
    if (IsDigit(c) || (c == '.' && i + 1 < s.size() && IsDigit(s[i + 1]))) {
      const size_t end = SkipNumber(s, i);
      push(PyTokenKind::kNumber, i, end);
      i = end;
      continue;
    }
    if (IsNameChar(c)) {
      size_t j = i;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      push(PyTokenKind::kName, i, j);
      i = j;
      continue;
    }
    const size_t op = OperatorLength(s, i);
    if (op == 0) {
      push(PyTokenKind::kError, i, i + 1);
      ++i;
      continue;
    }
    if (op == 1 && (c == '(' || c == '[' || c == '{')) ++depth;
    if (op == 1 && (c == ')' || c == ']' || c == '}')) depth = std::max(0, depth - 1);
    push(PyTokenKind::kOp, i, i + op);
    i += op;
  }
  if (logical_line_open) out.push_back({PyTokenKind::kNewline, {}});
  for (size_t k = 1; k < indents.size(); ++k) out.push_back({PyTokenKind::kDedent, {}});
  return out;
}

namespace {

bool IsKeyword(std::string_view name) {
  static const std::unordered_set<std::string_view> kKeywords = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  return kKeywords.contains(name);
}

bool IsBuiltin(std::string_view name) {
  static const std::unordered_set<std::string_view> kBuiltins = {
      "abs",      "all",        "any",        "ascii",
      "bin",      "bool",       "bytearray",  "bytes",
      "callable", "chr",        "complex",    "dict",
      "dir",      "divmod",     "enumerate",  "filter",
      "float",    "format",     "frozenset",  "getattr",
      "hasattr",  "hash",       "hex",        "id",
      "int",      "isinstance", "issubclass", "iter",
      "len",      "list",       "map",        "max",
      "min",      "next",       "object",     "oct",
      "ord",      "pow",        "print",      "range",
      "repr",     "reversed",   "round",      "set",
      "setattr",  "slice",      "sorted",     "str",
      "sum",      "super",      "tuple",      "type",
      "vars",     "zip",        "Ellipsis",   "NotImplemented",
      "__name__", "__file__",   "Exception",  "ValueError",
      "TypeError"};
  return kBuiltins.contains(name);
}

// A token of the normal form: its text, or the canonical name of a renamed
// identifier.
struct Piece {
  std::string_view text;
  bool renamed = false;
};

struct Line {
  size_t level = 0;
  std::vector<PyToken> tokens;
  std::vector<Piece> pieces;
};

// Statements in order: comments, malformed tokens, empty statements and
// string-only statements (docstrings) dropped; ';' ends a statement.
std::vector<Line> Statements(const std::vector<PyToken>& tokens) {
  std::vector<Line> lines;
  size_t level = 0;
  Line current;
  int depth = 0;
  auto finish = [&] {
    const bool docstring =
        std::all_of(current.tokens.begin(), current.tokens.end(),
                    [](const PyToken& t) { return t.kind == PyTokenKind::kString; });
    if (!docstring) {
      // Never deeper than one step below the previous statement, so that the
      // printed form reads back at the same levels.
      const size_t limit = lines.empty() ? 1 : lines.back().level + 1;
      current.level = std::min(current.level, limit);
      lines.push_back(std::move(current));
    }
    current = Line{};
    depth = 0;
  };
  for (const PyToken& t : tokens) {
    switch (t.kind) {
      case PyTokenKind::kIndent:
        ++level;
        continue;
      case PyTokenKind::kDedent:
        level = level > 0 ? level - 1 : 0;
        continue;
      case PyTokenKind::kComment:
      case PyTokenKind::kError:
        continue;
      case PyTokenKind::kNewline:
        finish();
        continue;
      default:
        break;
    }
    if (t.kind == PyTokenKind::kOp && t.text == ";" && depth == 0) {
      finish();
      continue;
    }
    if (t.kind == PyTokenKind::kOp && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
    if (t.kind == PyTokenKind::kOp && (t.text == ")" || t.text == "]" || t.text == "}")) {
      depth = std::max(0, depth - 1);
    }
    if (current.tokens.empty()) current.level = level;
    current.tokens.push_back(t);
  }
  finish();
  return lines;
}

bool IsOp(const std::vector<PyToken>& t, size_t i, std::string_view op) {
  return i < t.size() && t[i].kind == PyTokenKind::kOp && t[i].text == op;
}

bool IsOpen(const PyToken& t) {
  return t.kind == PyTokenKind::kOp && (t.text == "(" || t.text == "[" || t.text == "{");
}
bool IsClose(const PyToken& t) {
  return t.kind == PyTokenKind::kOp && (t.text == ")" || t.text == "]" || t.text == "}");
}

// Whether the value of an assignment or a return statement follows t[i] (at bracket depth 0).
bool ValueFollows(const std::vector<PyToken>& t, size_t i) {
  if (i == 0 && t[i].kind == PyTokenKind::kName && t[i].text == "return") return true;
  if (t[i].kind != PyTokenKind::kOp || !t[i].text.ends_with('=')) return false;
  return t[i].text != "==" && t[i].text != "<=" && t[i].text != ">=" && t[i].text != "!=";
}

// The value starting at t[first], to the end of the statement, without what means nothing
// around it: parentheses around the whole of it ("x = (a + b)", "return ((y))"; "x = (a, b)"
// is "x = a, b") and a trailing comma after two or more items. Parenthesizing a program's
// expressions then leaves its normal form alone. "x = (a,)" keeps its comma (a tuple).
void DropWrapping(std::vector<PyToken>& t, size_t first) {
  while (first + 2 < t.size() && IsOp(t, first, "(") && IsOp(t, t.size() - 1, ")")) {
    int depth = 0;
    size_t close = first;
    for (; close < t.size(); ++close) {
      if (IsOpen(t[close])) ++depth;
      if (IsClose(t[close]) && --depth == 0) break;
    }
    if (close != t.size() - 1) break;
    t.pop_back();
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(first));
  }
  if (t.size() <= first || !IsOp(t, t.size() - 1, ",")) return;
  int depth = 0;
  for (size_t i = first; i + 1 < t.size(); ++i) {
    if (IsOpen(t[i])) ++depth;
    if (IsClose(t[i])) depth = std::max(0, depth - 1);
    if (depth == 0 && IsOp(t, i, ",")) {
      t.pop_back();
      return;
    }
  }
}

void DropWrappingParens(std::vector<PyToken>& t) {
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (IsOpen(t[i])) ++depth;
    if (IsClose(t[i])) depth = std::max(0, depth - 1);
    if (depth == 0 && ValueFollows(t, i)) DropWrapping(t, i + 1);
  }
}

// An open bracket, for deciding what a trailing comma means.
struct Bracket {
  bool parameters = false;  // def f(...)
  bool call = false;     // f(...), x[...]: a trailing comma after one item makes a tuple in x[...]
  bool display = false;  // [...] and {...} displays: a trailing comma never matters
  char open = '(';
  int commas = 0;
};

Bracket Open(const std::vector<PyToken>& t, size_t i) {
  Bracket b;
  b.open = t[i].text[0];
  const bool after_operand =
      i > 0 &&
      ((t[i - 1].kind == PyTokenKind::kName && !IsKeyword(t[i - 1].text)) ||
       t[i - 1].kind == PyTokenKind::kString || IsOp(t, i - 1, ")") || IsOp(t, i - 1, "]"));
  b.parameters = b.open == '(' && i > 1 && t[i - 1].kind == PyTokenKind::kName &&
                 t[i - 2].kind == PyTokenKind::kName && t[i - 2].text == "def";
  b.call = after_operand;
  b.display = b.open == '{' || (b.open == '[' && !after_operand);
  return b;
}

// A trailing comma that changes nothing: in a call or parameter list, in a
// display, or after the second item of a tuple or subscript; "(a,)" and
// "x[a,]" keep theirs.
bool RedundantComma(const Bracket& b) {
  if (b.display || b.parameters) return true;
  if (b.open == '(' && b.call) return true;
  return b.commas > 0;
}

bool IsImport(const Line& line) {
  const PyToken& first = line.tokens[0];
  return first.kind == PyTokenKind::kName && (first.text == "import" || first.text == "from");
}

class Normalizer {
 public:
  explicit Normalizer(std::string_view source) : tokens_(TokenizePython(source)) {
    lines_ = Statements(tokens_);
    for (const Line& line : lines_) {
      if (!IsImport(line)) continue;
      for (const PyToken& t : line.tokens) {
        if (t.kind == PyTokenKind::kName) imported_.insert(t.text);
      }
    }
    for (Line& line : lines_) {
      DropWrappingParens(line.tokens);
      Rewrite(line);
    }
  }

  const std::vector<Line>& lines() const { return lines_; }

 private:
  void Rewrite(Line& line) {
    const std::vector<PyToken>& t = line.tokens;
    std::vector<Bracket> open;
    for (size_t i = 0; i < t.size(); ++i) {
      const PyToken& tok = t[i];
      if (tok.kind == PyTokenKind::kOp && (tok.text == "(" || tok.text == "[" || tok.text == "{")) {
        open.push_back(Open(t, i));
      } else if (tok.kind == PyTokenKind::kOp &&
                 (tok.text == ")" || tok.text == "]" || tok.text == "}")) {
        if (!open.empty()) open.pop_back();
      } else if (IsOp(t, i, ",") && !open.empty()) {
        const bool closes = IsOp(t, i + 1, ")") || IsOp(t, i + 1, "]") || IsOp(t, i + 1, "}");
        if (closes && RedundantComma(open.back())) {
          // "f(a,,)" is no Python; dropping the whole run keeps the form idempotent.
          while (!line.pieces.empty() && line.pieces.back().text == ",") line.pieces.pop_back();
          continue;
        }
        ++open.back().commas;
      } else if (tok.kind == PyTokenKind::kName && Renamed(t, i, open)) {
        line.pieces.push_back({NameFor(tok.text), true});
        continue;
      }
      line.pieces.push_back({tok.text, false});
    }
  }

  bool Renamed(const std::vector<PyToken>& t, size_t i, const std::vector<Bracket>& open) const {
    const std::string_view name = t[i].text;
    if (IsKeyword(name) || IsBuiltin(name) || imported_.contains(name)) return false;
    if (i > 0 && IsOp(t, i - 1, ".")) return false;  // an attribute: the API's name
    const bool keyword_argument =
        IsOp(t, i + 1, "=") && !open.empty() && open.back().open == '(' && !open.back().parameters;
    return !keyword_argument;
  }

  std::string_view NameFor(std::string_view name) {
    auto it = names_.find(name);
    if (it != names_.end()) return it->second;
    std::string fresh;
    do {
      fresh = 'v';  // (not "v" + ...: GCC 12 warns falsely about that)
      fresh += std::to_string(next_++);
    } while (imported_.contains(fresh));
    return names_.emplace(name, std::move(fresh)).first->second;
  }

  std::vector<PyToken> tokens_;
  std::vector<Line> lines_;
  std::unordered_set<std::string_view> imported_;
  std::unordered_map<std::string_view, std::string> names_;
  size_t next_ = 0;
};

}  // namespace

std::string NormalizePython(std::string_view source) {
  const Normalizer n(source);
  std::string out;
  for (const Line& line : n.lines()) {
    out.append(4 * line.level, ' ');
    for (size_t i = 0; i < line.pieces.size(); ++i) {
      if (i > 0) out += ' ';
      out += line.pieces[i].text;
    }
    out += '\n';
  }
  return out;
}

uint64_t PythonFingerprint(std::string_view source) { return Hash64(NormalizePython(source)); }

std::vector<std::string> PythonShingleTokens(std::string_view source) {
  const Normalizer n(source);
  std::vector<std::string> out;
  for (const Line& line : n.lines()) {
    if (IsImport(line)) continue;  // boilerplate that every program shares
    for (const Piece& p : line.pieces) out.emplace_back(p.renamed ? "$id" : p.text);
    out.emplace_back("\n");
  }
  return out;
}

}  // namespace jitsynth::post
