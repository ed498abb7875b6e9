#include "post/canonical.h"

#include "post/scan.h"

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "post/hash.h"
#include "post/machine_code.h"

namespace jitsynth::post {
namespace {

// The rewrite works on tokens, never on a parse tree: it must accept any text
// (a truncated file, a new XLA attribute) and stay idempotent. Concatenating
// the tokens of Lex(s) gives s back byte for byte.
enum class Kind { kSpace, kNewline, kIdent, kName, kString, kNumber, kComment, kPunct };

struct Token {
  Kind kind;
  std::string_view text;
};

bool IsBlank(const Token& t) { return t.kind == Kind::kSpace || t.kind == Kind::kNewline; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsWord(char c) { return IsAlpha(c) || IsDigit(c) || c == '_'; }

// HLO names carry dots and dashes (get-tuple-element.4); MLIR operation and
// attribute names carry dots (stablehlo.add, mhlo.num_partitions).
bool IdentContinues(char c, IrFormat f) {
  if (IsWord(c)) return true;
  if (f == IrFormat::kHlo) return c == '.' || c == '-';
  if (f == IrFormat::kStableHlo) return c == '.' || c == '$';
  return false;
}

// HLO: %name. MLIR: %value, @symbol, ^block, each followed by a suffix-id.
bool IsSigil(char c, IrFormat f) {
  if (f == IrFormat::kHlo) return c == '%';
  if (f == IrFormat::kStableHlo) return c == '%' || c == '@' || c == '^';
  return false;
}

bool SigilContinues(char c, IrFormat f) {
  if (f == IrFormat::kHlo) return IdentContinues(c, f);
  return IsWord(c) || c == '$' || c == '.' || c == '-';
}

size_t SkipNumber(std::string_view s, size_t i) {
  while (i < s.size()) {
    const char c = s[i];
    // 1e-05, 0xFF800000, 11x16xf32 (an MLIR shape), 0.5
    const bool exponent_sign = (c == '+' || c == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
                               i + 1 < s.size() && IsDigit(s[i + 1]);
    if (!IsWord(c) && c != '.' && !exponent_sign) break;
    ++i;
  }
  return i;
}

std::vector<Token> Lex(std::string_view s, IrFormat f) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const char c = s[i];
    Kind kind = Kind::kPunct;
    if (c == '\n') {
      kind = Kind::kNewline;
      ++i;
    } else if (IsSpace(c)) {
      kind = Kind::kSpace;
      while (i < s.size() && IsSpace(s[i])) ++i;
    } else if (c == '"' || (c == '\'' && f == IrFormat::kJaxpr)) {
      kind = Kind::kString;
      i = detail::SkipQuoted(s, i, {}).first;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      kind = Kind::kComment;
      const size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else if (IsSigil(c, f) && i + 1 < s.size() &&
               (SigilContinues(s[i + 1], f) || (c == '@' && s[i + 1] == '"'))) {
      kind = Kind::kName;
      if (s[i + 1] == '"') {
        i = detail::SkipQuoted(s, i + 1, {}).first;
      } else {
        ++i;
        while (i < s.size() && SigilContinues(s[i], f)) ++i;
      }
    } else if (IsAlpha(c) || c == '_') {
      kind = Kind::kIdent;
      ++i;
      while (i < s.size() && IdentContinues(s[i], f)) ++i;
    } else if (IsDigit(c)) {
      kind = Kind::kNumber;
      i = SkipNumber(s, i + 1);
    } else {
      ++i;
    }
    out.push_back({kind, s.substr(start, i - start)});
  }
  return out;
}

// Collects the tokens that survive stripping. Where something was removed
// between two tokens that would fuse into one when the output is read again
// ("a" and "b", "/" and "*"), it puts a space between them.
class TokenSink {
 public:
  explicit TokenSink(IrFormat f) : format_(f) {}

  void Push(const Token& t) {
    if (removed_ && !out_.empty() && WouldFuse(out_.back(), t)) {
      out_.push_back({Kind::kSpace, " "});
    }
    removed_ = false;
    out_.push_back(t);
  }
  // Before removing an attribute: also drop the ", " that introduced it.
  void DropTrailingSpace() {
    while (!out_.empty() && out_.back().kind == Kind::kSpace) out_.pop_back();
  }
  void DropTrailingSeparator() {
    DropTrailingSpace();
    if (!out_.empty() && out_.back().kind == Kind::kPunct && out_.back().text == ",") {
      out_.pop_back();
    }
  }
  bool AtLineStart() const {
    for (auto it = out_.rbegin(); it != out_.rend(); ++it) {
      if (it->kind == Kind::kNewline) return true;
      if (it->kind != Kind::kSpace) return false;
    }
    return true;
  }
  void MarkRemoved() { removed_ = true; }
  std::vector<Token> Take() { return std::move(out_); }

 private:
  bool WouldFuse(const Token& a, const Token& b) const {
    const std::string joined = std::string(a.text) + std::string(b.text);
    const std::vector<Token> t = Lex(joined, format_);
    return t.size() != 2 || t[0].text.size() != a.text.size();
  }

  IrFormat format_;
  std::vector<Token> out_;
  bool removed_ = false;
};

bool IsPunct(const std::vector<Token>& t, size_t i, char c) {
  return i < t.size() && t[i].kind == Kind::kPunct && t[i].text[0] == c;
}

// One past the bracket that closes the one at `i` (or the end).
size_t SkipBalanced(const std::vector<Token>& t, size_t i, char open, char close) {
  int depth = 0;
  for (; i < t.size(); ++i) {
    if (IsPunct(t, i, open)) ++depth;
    if (IsPunct(t, i, close) && --depth == 0) return i + 1;
  }
  return t.size();
}

bool IsStrippedAttribute(std::string_view name, const CanonicalOptions& o) {
  return (name == "metadata" && o.strip_metadata) ||
         (name == "backend_config" && o.strip_backend_config);
}

std::vector<Token> Strip(const std::vector<Token>& t, IrFormat f, const CanonicalOptions& o) {
  TokenSink sink(f);
  size_t i = 0;
  while (i < t.size()) {
    const Token& tok = t[i];
    if (f == IrFormat::kHlo && tok.kind == Kind::kIdent && IsStrippedAttribute(tok.text, o) &&
        IsPunct(t, i + 1, '=')) {
      size_t end = i + 2;
      if (IsPunct(t, end, '{')) {
        end = SkipBalanced(t, end, '{', '}');
      } else if (end < t.size() && !IsBlank(t[end])) {
        ++end;
      }
      sink.DropTrailingSeparator();
      sink.MarkRemoved();
      i = end;
      continue;
    }
    if (f == IrFormat::kHlo && tok.kind == Kind::kComment && o.strip_metadata) {
      sink.MarkRemoved();
      ++i;
      continue;
    }
    if (f == IrFormat::kStableHlo && o.strip_metadata && tok.kind == Kind::kIdent &&
        tok.text == "loc" && IsPunct(t, i + 1, '(')) {
      sink.DropTrailingSpace();
      sink.MarkRemoved();
      i = SkipBalanced(t, i + 1, '(', ')');
      continue;
    }
    // "#loc3 = loc(...)": a location alias, one per line.
    if (f == IrFormat::kStableHlo && o.strip_metadata && IsPunct(t, i, '#') && i + 1 < t.size() &&
        t[i + 1].kind == Kind::kIdent && t[i + 1].text.starts_with("loc") && sink.AtLineStart()) {
      sink.DropTrailingSpace();
      while (i < t.size() && t[i].kind != Kind::kNewline) ++i;
      i = std::min(i + 1, t.size());
      continue;
    }
    sink.Push(tok);
    ++i;
  }
  return sink.Take();
}

// One space between tokens, no indentation, no blank lines. (No newline is
// added at the end: after an unclosed string it would become part of it.)
std::vector<Token> Compact(const std::vector<Token>& t) {
  std::vector<Token> out;
  bool line_has_content = false;
  bool space_pending = false;
  for (const Token& tok : t) {
    if (tok.kind == Kind::kSpace) {
      space_pending = line_has_content;
      continue;
    }
    if (tok.kind == Kind::kNewline) {
      if (line_has_content) out.push_back(tok);
      line_has_content = space_pending = false;
      continue;
    }
    if (space_pending) out.push_back({Kind::kSpace, " "});
    space_pending = false;
    out.push_back(tok);
    line_has_content = true;
  }
  return out;
}

// What a renamed token names; each kind is numbered on its own.
enum class NameKind { kNone, kValue, kComputation, kBlock, kModule };
constexpr size_t kNameKinds = 5;

// How a token's role is decided. Sigil names (%x, @f) and positions that can
// only hold a name (a definition, a jaxpr name= parameter) are renamed
// wherever they stand; a bare identifier elsewhere (an HLO operand, a jaxpr
// argument) is renamed when some definition gives it that name, or when it
// already looks like a canonical name: that keeps the rewrite idempotent when
// the input happens to use one.
enum class Role {
  kKeep,
  kValueDef,
  kComputationDef,
  kValueRef,
  kComputationRef,
  kByDefinitions,
  kBlock,
  kModule
};

class Roles {
 public:
  explicit Roles(const std::vector<Token>& t) : t_(t), roles_(t.size(), Role::kKeep) {}

  void Assign(IrFormat f) {
    for (size_t i = 0; i < t_.size(); ++i) {
      if (f == IrFormat::kHlo) roles_[i] = HloRole(i);
      if (f == IrFormat::kJaxpr) roles_[i] = JaxprRole(i);
      if (f == IrFormat::kStableHlo) roles_[i] = StableHloRole(i);
      if (roles_[i] == Role::kValueDef) value_defs_.insert(Key(i));
      if (roles_[i] == Role::kComputationDef) computation_defs_.insert(Key(i));
    }
  }

  // `computation_prefix` and 'v' begin the canonical names of the format.
  NameKind Resolve(size_t i, char computation_prefix) const {
    const std::string_view key = Key(i);
    const bool computation = computation_defs_.contains(key);
    switch (roles_[i]) {
      case Role::kKeep:
        return NameKind::kNone;
      case Role::kComputationDef:
      case Role::kComputationRef:
        return NameKind::kComputation;
      case Role::kBlock:
        return NameKind::kBlock;
      case Role::kModule:
        return NameKind::kModule;
      case Role::kValueDef:
      case Role::kValueRef:
        return computation ? NameKind::kComputation : NameKind::kValue;
      case Role::kByDefinitions:
        if (computation) return NameKind::kComputation;
        if (value_defs_.contains(key)) return NameKind::kValue;
        if (LooksCanonical(key, computation_prefix)) return NameKind::kComputation;
        if (LooksCanonical(key, 'v')) return NameKind::kValue;
        return NameKind::kNone;
    }
    return NameKind::kNone;
  }

  // The name without its sigil.
  std::string_view Key(size_t i) const {
    return t_[i].kind == Kind::kName ? t_[i].text.substr(1) : t_[i].text;
  }

 private:
  size_t Prev(size_t i) const {
    while (i-- > 0) {
      if (t_[i].kind != Kind::kSpace) return i;
    }
    return std::string_view::npos;
  }
  size_t Next(size_t i) const {
    for (++i; i < t_.size(); ++i) {
      if (t_[i].kind != Kind::kSpace) return i;
    }
    return std::string_view::npos;
  }
  bool Is(size_t i, Kind kind, std::string_view text) const {
    return i < t_.size() && t_[i].kind == kind && t_[i].text == text;
  }
  bool AtLineStart(size_t i) const {
    const size_t p = Prev(i);
    return p == std::string_view::npos || t_[p].kind == Kind::kNewline;
  }

  static bool LooksCanonical(std::string_view s, char prefix) {
    if (s.size() < 2 || s[0] != prefix) return false;
    for (char c : s.substr(1)) {
      if (!IsDigit(c)) return false;
    }
    return true;
  }

  Role HloRole(size_t i) const {
    const Token& tok = t_[i];
    if (tok.kind != Kind::kIdent && tok.kind != Kind::kName) return Role::kKeep;
    if (tok.kind == Kind::kIdent &&
        (tok.text == "ROOT" || tok.text == "ENTRY" || tok.text == "HloModule")) {
      return Role::kKeep;
    }
    const size_t prev = Prev(i);
    if (Is(prev, Kind::kIdent, "HloModule")) return Role::kModule;
    // "[ROOT] name = ..." defines an instruction; "[ENTRY] name {" or
    // "[ENTRY] name (params) -> shape {" a computation.
    const bool line_head =
        AtLineStart(i) ||
        ((Is(prev, Kind::kIdent, "ROOT") || Is(prev, Kind::kIdent, "ENTRY")) && AtLineStart(prev));
    const size_t next = Next(i);
    if (line_head && IsPunct(t_, next, '=')) return Role::kValueDef;
    if (line_head && (IsPunct(t_, next, '(') || IsPunct(t_, next, '{'))) {
      return Role::kComputationDef;
    }
    if (IsPunct(t_, i + 1, ':')) return Role::kValueDef;  // "(param_0.1: f32[4]) -> ..."
    if (tok.kind == Kind::kName) return Role::kValueRef;
    // An opcode "add(", an attribute "to_apply=", a shape "f32[".
    if (IsPunct(t_, i + 1, '(') || IsPunct(t_, i + 1, '=') || IsPunct(t_, i + 1, '[')) {
      return Role::kKeep;
    }
    return Role::kByDefinitions;
  }

  Role JaxprRole(size_t i) const {
    const Token& tok = t_[i];
    if (tok.kind != Kind::kIdent) return Role::kKeep;
    static const std::unordered_set<std::string_view> kKeywords = {"lambda", "let",  "in",  "True",
                                                                   "False",  "None", "inf", "nan"};
    if (kKeywords.contains(tok.text)) return Role::kKeep;
    // A shape "f32[", a primitive with parameters "scan[", a parameter "axes=".
    if (IsPunct(t_, i + 1, '[') || IsPunct(t_, i + 1, '=')) return Role::kKeep;
    const size_t prev = Prev(i);
    if (IsPunct(t_, prev, '=') && prev + 1 == i && prev > 0 && Is(prev - 1, Kind::kIdent, "name")) {
      return Role::kComputationRef;  // jit[name=relu ...]
    }
    if (IsPunct(t_, i + 1, ':')) return Role::kValueDef;  // "a:f32[16]"
    if (Is(prev, Kind::kIdent, "let") && IsPunct(t_, Next(i), '=')) return Role::kComputationDef;
    // "c:f32[] = max a b": the primitive follows a spaced "=".
    if (IsPunct(t_, prev, '=') && prev + 1 < i) return Role::kKeep;
    return Role::kByDefinitions;
  }

  Role StableHloRole(size_t i) const {
    const Token& tok = t_[i];
    if (tok.kind != Kind::kName) return Role::kKeep;
    switch (tok.text[0]) {
      case '%':
        return Role::kValueRef;
      case '^':
        return Role::kBlock;
      default:
        return Is(Prev(i), Kind::kIdent, "module") ? Role::kModule : Role::kComputationRef;
    }
  }

  const std::vector<Token>& t_;
  std::vector<Role> roles_;
  std::unordered_set<std::string_view> value_defs_;
  std::unordered_set<std::string_view> computation_defs_;
};

// The canonical spelling of each kind of name, per format.
struct NameStyle {
  char computation_prefix;  // also what LooksCanonical recognises
  std::array<std::string_view, kNameKinds> prefix;
};

NameStyle StyleOf(IrFormat f) {
  switch (f) {
    case IrFormat::kHlo:
      return {'c', {"", "v", "c", "bb", "m"}};
    case IrFormat::kStableHlo:
      return {'f', {"", "", "f", "bb", "m"}};
    case IrFormat::kJaxpr:
      return {'f', {"", "v", "f", "bb", "m"}};
    case IrFormat::kLlvmIr:
    case IrFormat::kAsm:
    case IrFormat::kPtx:
      break;  // machine_code.cc
  }
  return {'c', {"", "v", "c", "bb", "m"}};
}

// The stripped token stream: `kinds[i]` says what token i names, if
// anything, and `names[i]` is then its canonical spelling.
struct Rewritten {
  std::vector<Token> tokens;
  std::vector<NameKind> kinds;
  std::vector<std::string> names;  // the canonical name (with sigil) of named tokens
};

Rewritten Rewrite(std::string_view text, IrFormat f, const CanonicalOptions& o) {
  Rewritten r;
  r.tokens = Strip(Lex(text, f), f, o);
  if (o.compact_whitespace) r.tokens = Compact(r.tokens);
  r.kinds.assign(r.tokens.size(), NameKind::kNone);
  r.names.resize(r.tokens.size());
  if (!o.canonical_names) return r;
  Roles roles(r.tokens);
  roles.Assign(f);
  const NameStyle style = StyleOf(f);
  std::array<std::unordered_map<std::string_view, size_t>, kNameKinds> numbers;
  for (size_t i = 0; i < r.tokens.size(); ++i) {
    // An MLIR function is isolated from above: its values are numbered afresh,
    // as MLIR's printer numbers them, so renaming inside one function does not
    // renumber the next.
    if (f == IrFormat::kStableHlo && r.tokens[i].kind == Kind::kIdent &&
        r.tokens[i].text == "func.func") {
      numbers[static_cast<size_t>(NameKind::kValue)].clear();
      numbers[static_cast<size_t>(NameKind::kBlock)].clear();
    }
    const NameKind kind = roles.Resolve(i, style.computation_prefix);
    if (kind == NameKind::kNone) continue;
    r.kinds[i] = kind;
    const auto k = static_cast<size_t>(kind);
    const std::string_view original = r.tokens[i].text;
    std::string name(style.prefix[k]);
    if (kind != NameKind::kModule) {
      const auto [it, fresh] = numbers[k].emplace(roles.Key(i), numbers[k].size());
      name += std::to_string(it->second);
    }
    // A quoted symbol stays quoted: @"x"y is two tokens, @f0y would be one.
    if (original.size() > 1 && original[1] == '"') name = '"' + name + '"';
    if (r.tokens[i].kind == Kind::kName) name.insert(name.begin(), original[0]);
    r.names[i] = std::move(name);
  }
  return r;
}

}  // namespace

namespace {
bool IsMachineCode(IrFormat f) {
  return f == IrFormat::kLlvmIr || f == IrFormat::kAsm || f == IrFormat::kPtx;
}
}  // namespace

std::string Canonicalize(std::string_view text, IrFormat format, const CanonicalOptions& options) {
  if (IsMachineCode(format)) return detail::CanonicalizeMachineCode(text, format, options);
  const Rewritten r = Rewrite(text, format, options);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < r.tokens.size(); ++i) {
    out += r.kinds[i] == NameKind::kNone ? r.tokens[i].text : std::string_view(r.names[i]);
  }
  return out;
}

uint64_t IrFingerprint(std::string_view text, IrFormat format) {
  return Hash64(Canonicalize(text, format, CanonicalOptions::Fingerprint()));
}

std::vector<std::string> IrShingleTokens(std::string_view text, IrFormat format) {
  if (IsMachineCode(format)) return detail::MachineCodeShingleTokens(text, format);
  static constexpr std::array<std::string_view, kNameKinds> kPlaceholder = {"", "$v", "$c", "$b",
                                                                            "$m"};
  const Rewritten r = Rewrite(text, format, CanonicalOptions::Fingerprint());
  std::vector<std::string> lines(1);
  for (size_t i = 0; i < r.tokens.size(); ++i) {
    if (r.tokens[i].kind == Kind::kNewline) {
      if (!lines.back().empty()) lines.emplace_back();
      continue;
    }
    const NameKind kind = r.kinds[i];
    lines.back() +=
        kind == NameKind::kNone ? r.tokens[i].text : kPlaceholder[static_cast<size_t>(kind)];
  }
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace jitsynth::post
