#include "post/machine_code.h"

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace jitsynth::post::detail {
namespace {

// Like canonical.cc, the rewrite works on tokens, never on a parse tree: it accepts any text.
// Unlike it, it works line by line (every construct of these formats that it renames fits on
// one line), so that a stray quote or comment opener never swallows the rest of a file.
enum class Kind { kSpace, kWord, kName, kNumber, kString, kComment, kRef, kPunct };

struct Token {
  Kind kind;
  std::string_view text;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool WordStarts(char c) { return IsAlpha(c) || c == '_' || c == '.' || c == '$'; }
bool WordContinues(char c, IrFormat f) {
  if (IsAlpha(c) || IsDigit(c) || c == '_' || c == '.' || c == '$') return true;
  if (f == IrFormat::kLlvmIr) return c == '-';
  if (f == IrFormat::kAsm) return c == '@';  // sinf@plt
  return false;
}

size_t SkipWord(std::string_view s, size_t i, IrFormat f) {
  while (i < s.size() && WordContinues(s[i], f)) ++i;
  return i;
}

// One past the closing quote (or the end of the line).
size_t SkipString(std::string_view s, size_t i) {
  const size_t end = s.find('"', i + 1);
  return end == std::string_view::npos ? s.size() : end + 1;
}

bool StartsComment(std::string_view s, size_t i, IrFormat f) {
  switch (f) {
    case IrFormat::kLlvmIr:
      return s[i] == ';';
    case IrFormat::kAsm:
      return s[i] == '#';
    case IrFormat::kPtx:
      return s[i] == '/' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '*');
    case IrFormat::kJaxpr:
    case IrFormat::kStableHlo:
    case IrFormat::kHlo:
      return false;
  }
  return false;
}

size_t SkipComment(std::string_view s, size_t i, IrFormat f) {
  if (f == IrFormat::kPtx && s[i + 1] == '*') {
    const size_t end = s.find("*/", i + 2);
    return end == std::string_view::npos ? s.size() : end + 2;
  }
  return s.size();
}

// The end of a sigil name starting at `i` (%x, @"x", !12, #3), or `i` when there is none.
size_t SkipName(std::string_view s, size_t i, IrFormat f) {
  if (i + 1 >= s.size()) return i;
  const char sigil = s[i];
  const char next = s[i + 1];
  if (f == IrFormat::kLlvmIr && (sigil == '!' || sigil == '#') && IsDigit(next)) {
    size_t j = i + 1;
    while (j < s.size() && IsDigit(s[j])) ++j;
    return j;
  }
  if (f == IrFormat::kLlvmIr && sigil == '!' && WordStarts(next)) return SkipWord(s, i + 1, f);
  const bool value_sigil = sigil == '%' || (f == IrFormat::kLlvmIr && sigil == '@');
  if (!value_sigil) return i;
  if (f == IrFormat::kLlvmIr && next == '"') return SkipString(s, i + 1);
  if (WordContinues(next, f)) return SkipWord(s, i + 1, f);
  return i;
}

std::vector<Token> LexLine(std::string_view s, IrFormat f) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const char c = s[i];
    Kind kind = Kind::kPunct;
    if (IsSpace(c)) {
      kind = Kind::kSpace;
      while (i < s.size() && IsSpace(s[i])) ++i;
    } else if (StartsComment(s, i, f)) {
      kind = Kind::kComment;
      i = SkipComment(s, i, f);
    } else if (c == '"') {
      kind = Kind::kString;
      i = SkipString(s, i);
    } else if (const size_t end = SkipName(s, i, f); end != i) {
      kind = Kind::kName;
      i = end;
    } else if (f == IrFormat::kAsm && c == '<' && s.find('>', i) != std::string_view::npos) {
      kind = Kind::kRef;
      i = s.find('>', i) + 1;
    } else if (IsDigit(c)) {
      kind = Kind::kNumber;
      i = SkipWord(s, i + 1, f);
    } else if (WordStarts(c)) {
      kind = Kind::kWord;
      i = SkipWord(s, i + 1, f);
    } else {
      ++i;
    }
    out.push_back({kind, s.substr(start, i - start)});
  }
  return out;
}

std::string_view HeaderPrefix(IrFormat f) {
  switch (f) {
    case IrFormat::kLlvmIr:
      return "; ---- kernel: ";
    case IrFormat::kAsm:
      return "# ---- kernel: ";
    case IrFormat::kPtx:
      return "// ---- kernel: ";
    case IrFormat::kJaxpr:
    case IrFormat::kStableHlo:
    case IrFormat::kHlo:
      break;
  }
  return "\n";  // matches no line
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool LooksCanonical(std::string_view s, char prefix) {
  if (s.size() < 2 || s[0] != prefix) return false;
  for (const char c : s.substr(1)) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool AllHex(std::string_view s) {
  for (const char c : s) {
    if (!IsHex(c)) return false;
  }
  return !s.empty();
}

// What objdump puts before an instruction or a function: "  1f:" and "0000000000000000 ".
std::string_view StripAddresses(std::string_view line) {
  size_t pos = 0;
  while (true) {
    size_t p = pos;
    while (p < line.size() && IsSpace(line[p])) ++p;
    size_t q = p;
    while (q < line.size() && IsHex(line[q])) ++q;
    if (q == p || q == line.size()) return line.substr(pos);
    if (line[q] == ':') {
      pos = q + 1;
      continue;
    }
    size_t r = q;
    while (r < line.size() && IsSpace(line[r])) ++r;
    if (r == q || r == line.size() || line[r] != '<') return line.substr(pos);
    pos = r;
  }
}

bool IsPunct(const Token* t, char c) {
  return t != nullptr && t->kind == Kind::kPunct && t->text.size() == 1 && t->text[0] == c;
}

// One line after stripping: a kernel header (kept whole, its name renamed) or tokens.
struct Line {
  bool header = false;
  std::string_view indent;       // a header's leading whitespace
  std::string_view header_name;  // trimmed
  std::string_view raw;          // a header line as it stood
  std::vector<Token> tokens;
};

// Drops what strip_metadata and canonical_names remove from one line's tokens.
class LineStripper {
 public:
  LineStripper(IrFormat f, const CanonicalOptions& o) : f_(f), o_(o) {}

  // False when the whole line goes.
  bool Strip(std::vector<Token>& tokens) const {
    std::vector<Token> out;
    bool had_comment = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      if (t.kind == Kind::kComment && o_.strip_metadata) {
        had_comment = true;
        continue;
      }
      if (f_ == IrFormat::kAsm && o_.canonical_names && IsRelocationOffset(tokens, i)) {
        // "23: R_X86_64_64": the offset, its colon and the blank after them.
        for (i += 2; i + 1 < tokens.size() && tokens[i + 1].kind == Kind::kSpace;) ++i;
        continue;
      }
      if (f_ == IrFormat::kAsm && o_.canonical_names && t.kind == Kind::kRef) DropTargetAddress(out);
      out.push_back(t);
      if (f_ == IrFormat::kAsm && o_.canonical_names && t.text.starts_with("R_X86_64_")) {
        i = KeepRelocationSymbol(tokens, i + 1, out);
      }
    }
    if (had_comment) {
      while (!out.empty() && out.back().kind == Kind::kSpace) out.pop_back();
      if (out.empty()) return false;
    }
    if (o_.strip_metadata && f_ == IrFormat::kLlvmIr) {
      const Token* first = FirstContent(out);
      if (first != nullptr && first->kind == Kind::kWord && first->text == "source_filename") {
        return false;
      }
    }
    tokens = std::move(out);
    return true;
  }

 private:
  static const Token* FirstContent(const std::vector<Token>& t) {
    for (const Token& tok : t) {
      if (tok.kind != Kind::kSpace) return &tok;
    }
    return nullptr;
  }

  // "23: R_X86_64_64" (objdump -r -w with addresses): the offset of a relocation.
  static bool IsRelocationOffset(const std::vector<Token>& t, size_t i) {
    if ((t[i].kind != Kind::kNumber && t[i].kind != Kind::kWord) || !AllHex(t[i].text) ||
        i + 1 >= t.size() || !IsPunct(&t[i + 1], ':')) {
      return false;
    }
    size_t j = i + 2;
    while (j < t.size() && t[j].kind == Kind::kSpace) ++j;
    return j < t.size() && t[j].text.starts_with("R_X86_64_");
  }

  // "jne    80 <f+0x80>": the address before a target, never the line's first token.
  static void DropTargetAddress(std::vector<Token>& out) {
    while (out.size() >= 3 && out.back().kind == Kind::kSpace &&
           (out[out.size() - 2].kind == Kind::kNumber || out[out.size() - 2].kind == Kind::kWord) &&
           AllHex(out[out.size() - 2].text) && FirstContent(out) != &out[out.size() - 2]) {
      out.pop_back();
      out.pop_back();
    }
  }

  // After "R_X86_64_PC32": spaces and the symbol stay, "+0x4" / "-0x4" offsets go. Returns the
  // last token consumed.
  static size_t KeepRelocationSymbol(const std::vector<Token>& t, size_t i,
                                     std::vector<Token>& out) {
    while (i < t.size() && t[i].kind == Kind::kSpace) out.push_back(t[i++]);
    if (i >= t.size() || t[i].kind == Kind::kComment) return i - 1;
    out.push_back(t[i++]);
    while (i + 1 < t.size() && t[i].kind == Kind::kPunct &&
           (t[i].text == "+" || t[i].text == "-") && t[i + 1].kind == Kind::kNumber) {
      i += 2;
    }
    return i - 1;
  }

  IrFormat f_;
  const CanonicalOptions& o_;
};

std::vector<Line> SplitAndStrip(std::string_view text, IrFormat f, const CanonicalOptions& o) {
  const std::string_view prefix = HeaderPrefix(f);
  const LineStripper stripper(f, o);
  std::vector<Line> lines;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('\n', start);
    std::string_view raw = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    Line line;
    const std::string_view body = TrimLeft(raw);
    if (body.starts_with(prefix)) {
      line.header = true;
      line.indent = raw.substr(0, raw.size() - body.size());
      line.header_name = TrimRight(body.substr(prefix.size()));
      line.raw = raw;
      lines.push_back(line);
    } else if (!(f == IrFormat::kAsm && o.strip_metadata &&
                 raw.find("file format") != std::string_view::npos)) {
      if (f == IrFormat::kAsm && o.canonical_names) raw = StripAddresses(raw);
      line.tokens = LexLine(raw, f);
      if (stripper.Strip(line.tokens)) lines.push_back(std::move(line));
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

// The namespaces names are numbered in, and how a renamed name is spelled.
enum class Space { kLocal, kGlobal, kType, kMeta, kAttr, kKernel, kLabel, kFunction, kCount };

class Namer {
 public:
  // The number of `key` in `space` (or in PTX register class `cls`), by first appearance.
  size_t Number(Space space, std::string_view key) {
    auto& map = maps_[static_cast<size_t>(space)];
    return map.emplace(std::string(key), map.size()).first->second;
  }
  size_t Register(std::string_view cls, std::string_view key) {
    auto& map = registers_[std::string(cls)];
    return map.emplace(std::string(key), map.size()).first->second;
  }
  void ResetFunction() {
    maps_[static_cast<size_t>(Space::kLocal)].clear();
    registers_.clear();
  }

 private:
  std::array<std::unordered_map<std::string, size_t>, static_cast<size_t>(Space::kCount)> maps_;
  std::unordered_map<std::string, std::unordered_map<std::string, size_t>> registers_;
};

// Definitions that decide whether a name is renamed: what the module defines is renamed,
// what it only declares or uses (an intrinsic, a library function) stays.
struct Definitions {
  std::unordered_set<std::string_view> globals;  // LLVM @x defined; PTX .entry/.func names
  std::unordered_set<std::string_view> types;    // LLVM %x = type
  std::unordered_set<std::string_view> functions;  // asm <f>:
};

std::vector<const Token*> Content(const Line& line) {
  std::vector<const Token*> out;
  for (const Token& t : line.tokens) {
    if (t.kind != Kind::kSpace) out.push_back(&t);
  }
  return out;
}


void CollectLine(const Line& line, IrFormat f, Definitions& d) {
  const std::vector<const Token*> c = Content(line);
  auto at = [&](size_t i) { return i < c.size() ? c[i] : nullptr; };
  if (c.empty()) return;
  if (f == IrFormat::kLlvmIr) {
    if (c[0]->kind == Kind::kName && IsPunct(at(1), '=')) {
      const Token* third = at(2);
      const bool type = third != nullptr && third->kind == Kind::kWord && third->text == "type";
      if (c[0]->text[0] == '%' && type) d.types.insert(c[0]->text.substr(1));
      if (c[0]->text[0] == '@') d.globals.insert(c[0]->text.substr(1));
    }
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i]->kind != Kind::kWord || c[i]->text != "define") continue;
      for (size_t j = i + 1; j < c.size(); ++j) {
        if (c[j]->kind == Kind::kName && c[j]->text[0] == '@') {
          d.globals.insert(c[j]->text.substr(1));
          break;
        }
      }
    }
  }
  if (f == IrFormat::kAsm && c[0]->kind == Kind::kRef && IsPunct(at(1), ':')) {
    d.functions.insert(c[0]->text.substr(1, c[0]->text.size() - 2));
  }
  if (f == IrFormat::kPtx) {
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i]->text != ".entry" && c[i]->text != ".func") continue;
      size_t j = i + 1;
      if (IsPunct(at(j), '(')) {
        while (j < c.size() && !IsPunct(c[j], ')')) ++j;
        ++j;
      }
      if (const Token* name = at(j); name != nullptr && name->kind == Kind::kWord) {
        d.globals.insert(name->text);
      }
    }
  }
}

// A renamed token's new spelling, or "" to keep it.
class Renamer {
 public:
  Renamer(IrFormat f, const Definitions& d) : f_(f), d_(d) {}

  std::string Rename(const Line& line, size_t i) {
    const Token& t = line.tokens[i];
    switch (f_) {
      case IrFormat::kLlvmIr:
        return LlvmName(line, i);
      case IrFormat::kAsm:
        return AsmName(t);
      case IrFormat::kPtx:
        return PtxName(t);
      case IrFormat::kJaxpr:
      case IrFormat::kStableHlo:
      case IrFormat::kHlo:
        break;
    }
    return "";
  }
  std::string Header(std::string_view name) {
    return "k" + std::to_string(namer_.Number(Space::kKernel, name));
  }

 private:
  std::string Numbered(std::string_view prefix, Space space, std::string_view key) {
    return std::string(prefix) + std::to_string(namer_.Number(space, key));
  }

  std::string LlvmName(const Line& line, size_t i) {
    const Token& t = line.tokens[i];
    if (t.kind == Kind::kWord && t.text == "define") namer_.ResetFunction();
    const bool first = i == 0 || (i == 1 && line.tokens[0].kind == Kind::kSpace);
    if (first && (t.kind == Kind::kWord || t.kind == Kind::kNumber) &&
        i + 1 < line.tokens.size() && IsPunct(&line.tokens[i + 1], ':')) {
      return Numbered("v", Space::kLocal, t.text);  // a label: "7:", "vector.body:"
    }
    if (t.kind == Kind::kString && i > 0 && IsPunct(&line.tokens[i - 1], '!')) {
      return MetadataString(t.text);
    }
    if (t.kind != Kind::kName) return "";
    const std::string_view key = t.text.substr(1);
    // A quoted name stays quoted: %"x"y is two tokens, %v0y would be one.
    const bool quoted = key.starts_with('"');
    auto spell = [&](char sigil, std::string_view prefix, Space space) {
      const std::string number = Numbered(prefix, space, key);
      std::string name(1, sigil);
      if (quoted) name.push_back('"');
      name.append(number);
      if (quoted) name.push_back('"');
      return name;
    };
    switch (t.text[0]) {
      case '%':
        if (d_.types.contains(key) || LooksCanonical(key, 't')) return spell('%', "t", Space::kType);
        return spell('%', "v", Space::kLocal);
      case '@':
        if (d_.globals.contains(key) || LooksCanonical(key, 'g')) {
          return spell('@', "g", Space::kGlobal);
        }
        return "";
      case '!':
        return IsDigit(key[0]) ? Numbered("!", Space::kMeta, key) : "";
      case '#':
        return Numbered("#", Space::kAttr, key);
      default:
        return "";
    }
  }

  // !"fusion_wrapped: argument 0": alias scopes are named after the functions they came from,
  // inlined or not. Each run of name characters that is a global's name, or begins with one
  // followed by '_', gets the global's canonical name. "" when nothing changes.
  std::string MetadataString(std::string_view text) {
    std::string out;
    bool changed = false;
    size_t i = 0;
    while (i < text.size()) {
      if (!WordContinues(text[i], IrFormat::kLlvmIr)) {
        out += text[i++];
        continue;
      }
      size_t end = i;
      while (end < text.size() && WordContinues(text[end], IrFormat::kLlvmIr)) ++end;
      const std::string_view run = text.substr(i, end - i);
      size_t prefix = 0;  // the longest global that the run is or begins with, then '_'
      for (size_t cut = run.size(); cut > 0; cut = run.rfind('_', cut - 1)) {
        const std::string_view candidate = run.substr(0, cut);
        if (d_.globals.contains(candidate) || LooksCanonical(candidate, 'g')) {
          prefix = cut;
          break;
        }
        if (cut == 0 || run.rfind('_', cut - 1) == std::string_view::npos) break;
      }
      if (prefix == 0) {
        out += run;
      } else {
        out += Numbered("g", Space::kGlobal, run.substr(0, prefix));
        out += run.substr(prefix);
        changed = true;
      }
      i = end;
    }
    return changed ? out : "";
  }

  std::string AsmName(const Token& t) {
    if (t.kind == Kind::kWord && (d_.functions.contains(t.text) || LooksCanonical(t.text, 'f'))) {
      return Numbered("f", Space::kFunction, t.text);  // a relocation against an own function
    }
    if (t.kind != Kind::kRef) return "";
    const std::string_view inside = t.text.substr(1, t.text.size() - 2);
    if (inside.find_first_of("+-", 1) != std::string_view::npos || LooksCanonical(inside, 'L')) {
      return Bracketed(Numbered("L", Space::kLabel, inside));
    }
    if (d_.functions.contains(inside) || LooksCanonical(inside, 'f')) {
      return Bracketed(Numbered("f", Space::kFunction, inside));
    }
    return "";
  }

  static std::string Bracketed(const std::string& name) {
    std::string out(1, '<');
    out.append(name).push_back('>');
    return out;
  }

  bool IsKernel(std::string_view name) const {
    return d_.globals.contains(name) || LooksCanonical(name, 'k');
  }

  std::string PtxName(const Token& t) {
    if (t.text == ".entry" || t.text == ".func") namer_.ResetFunction();
    if (t.kind == Kind::kName) {
      // %r12, %rd3, %f7, %p1: a class of letters and a number. %tid.x and the like stay.
      const std::string_view reg = t.text.substr(1);
      size_t letters = 0;
      while (letters < reg.size() && reg[letters] >= 'a' && reg[letters] <= 'z') ++letters;
      if (letters == 0 || letters == reg.size()) return "";
      for (const char c : reg.substr(letters)) {
        if (!IsDigit(c)) return "";
      }
      const std::string_view cls = reg.substr(0, letters);
      std::string name(1, '%');
      name.append(cls).append(std::to_string(namer_.Register(cls, reg)));
      return name;
    }
    if (t.kind != Kind::kWord) return "";
    if (t.text.starts_with("$L")) return Numbered("$L__BB", Space::kLabel, t.text);
    if (IsKernel(t.text)) return Numbered("k", Space::kKernel, t.text);
    const size_t param = t.text.rfind("_param_");
    if (param == std::string_view::npos || param == 0) return "";
    const std::string_view index = t.text.substr(param + 7);
    if (index.empty() || index.find_first_not_of("0123456789") != std::string_view::npos) return "";
    const std::string_view kernel = t.text.substr(0, param);
    if (!IsKernel(kernel)) return "";
    std::string name = Numbered("k", Space::kKernel, kernel);
    name.append("_param_").append(index);
    return name;
  }

  IrFormat f_;
  const Definitions& d_;
  Namer namer_;
};

// Each line's pieces: a piece is a token's text or its new name (renamed = true).
struct Piece {
  Kind kind;
  std::string text;
  bool renamed = false;
};

std::vector<std::vector<Piece>> Rewrite(std::string_view text, IrFormat f,
                                        const CanonicalOptions& o) {
  const std::vector<Line> lines = SplitAndStrip(text, f, o);
  Definitions d;
  for (const Line& line : lines) CollectLine(line, f, d);
  Renamer renamer(f, d);
  std::vector<std::vector<Piece>> out;
  for (const Line& line : lines) {
    std::vector<Piece> pieces;
    if (line.header) {
      if (!o.compact_whitespace) pieces.push_back({Kind::kSpace, std::string(line.indent)});
      if (!o.canonical_names) {
        pieces.push_back({Kind::kComment, std::string(TrimLeft(line.raw))});
      } else {
        pieces.push_back({Kind::kComment, std::string(HeaderPrefix(f))});
        pieces.push_back({Kind::kWord, renamer.Header(line.header_name), true});
      }
      out.push_back(std::move(pieces));
      continue;
    }
    for (size_t i = 0; i < line.tokens.size(); ++i) {
      const Token& t = line.tokens[i];
      std::string name = o.canonical_names ? renamer.Rename(line, i) : std::string();
      const bool renamed = !name.empty();
      pieces.push_back({t.kind, renamed ? std::move(name) : std::string(t.text), renamed});
    }
    out.push_back(std::move(pieces));
  }
  return out;
}

// One space between tokens, no indentation, no blank lines.
std::vector<Piece> Compact(const std::vector<Piece>& line) {
  std::vector<Piece> out;
  bool space_pending = false;
  for (const Piece& p : line) {
    if (p.kind == Kind::kSpace) {
      space_pending = !out.empty();
      continue;
    }
    if (space_pending) out.push_back({Kind::kSpace, " "});
    space_pending = false;
    out.push_back(p);
  }
  return out;
}

std::vector<std::vector<Piece>> RewriteAndLayOut(std::string_view text, IrFormat f,
                                                 const CanonicalOptions& o) {
  std::vector<std::vector<Piece>> lines = Rewrite(text, f, o);
  if (!o.compact_whitespace) return lines;
  std::vector<std::vector<Piece>> out;
  for (const auto& line : lines) {
    std::vector<Piece> compact = Compact(line);
    if (!compact.empty()) out.push_back(std::move(compact));
  }
  return out;
}

}  // namespace

std::string CanonicalizeMachineCode(std::string_view text, IrFormat format,
                                    const CanonicalOptions& options) {
  std::string out;
  out.reserve(text.size());
  bool first = true;
  for (const auto& line : RewriteAndLayOut(text, format, options)) {
    if (!first) out += '\n';
    first = false;
    for (const Piece& p : line) out += p.text;
  }
  return out;
}

std::vector<std::string> MachineCodeShingleTokens(std::string_view text, IrFormat format) {
  std::vector<std::string> out;
  for (const auto& line : RewriteAndLayOut(text, format, CanonicalOptions::Fingerprint())) {
    std::string shingle;
    for (const Piece& p : line) {
      if (!p.renamed) {
        shingle += p.text;
        continue;
      }
      for (size_t i = 0; i < p.text.size(); ++i) {
        if (!IsDigit(p.text[i])) {
          shingle += p.text[i];
        } else if (i == 0 || !IsDigit(p.text[i - 1])) {
          shingle += '$';
        }
      }
    }
    if (!shingle.empty()) out.push_back(std::move(shingle));
  }
  return out;
}

}  // namespace jitsynth::post::detail
