#include "post/text.h"

#include <algorithm>
#include <cctype>

#include "post/python.h"

namespace jitsynth::post {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool IsOp(const PyToken& t, std::string_view op) {
  return t.kind == PyTokenKind::kOp && t.text == op;
}

}  // namespace

std::vector<std::string> JaxApiCalls(std::string_view python) {
  const std::vector<PyToken> tokens = TokenizePython(python);
  std::vector<std::string> calls;
  for (size_t i = 0; i < tokens.size(); ++i) {
    // A dotted name that starts here (not after '.') and is followed by '('.
    if (tokens[i].kind != PyTokenKind::kName || (i > 0 && IsOp(tokens[i - 1], "."))) continue;
    std::string name(tokens[i].text);
    size_t end = i + 1;
    while (end + 1 < tokens.size() && IsOp(tokens[end], ".") &&
           tokens[end + 1].kind == PyTokenKind::kName) {
      name += ".";
      name += tokens[end + 1].text;
      end += 2;
    }
    i = end - 1;
    if (end >= tokens.size() || !IsOp(tokens[end], "(")) continue;
    for (const auto& [from, to] :
         {std::pair{"jax.numpy.", "jnp."}, std::pair{"jax.lax.", "lax."}}) {
      if (name.starts_with(from)) name = to + name.substr(std::string_view(from).size());
    }
    if (name.starts_with("jnp.") || name.starts_with("lax.") || name.starts_with("jax.")) {
      calls.push_back(std::move(name));
    }
  }
  return calls;
}

std::vector<std::string> HloOpcodes(std::string_view hlo) {
  std::vector<std::string> opcodes;
  while (!hlo.empty()) {
    const size_t eol = hlo.find('\n');
    std::string_view line = hlo.substr(0, eol);
    hlo.remove_prefix(eol == std::string_view::npos ? hlo.size() : eol + 1);
    line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
    if (line.starts_with("ROOT ")) line.remove_prefix(5);
    // An instruction: NAME = TYPE OPCODE(OPERANDS), ATTRIBUTES; the name has no blank.
    const size_t eq = line.find(" = ");
    if (eq == std::string_view::npos || line.substr(0, eq).find(' ') != std::string_view::npos) {
      continue;
    }
    std::string_view rest = line.substr(eq + 3);
    size_t type_end = 0;
    if (rest.starts_with("(")) {  // a tuple type, possibly nested, with blanks inside
      int depth = 0;
      do {
        if (rest[type_end] == '(') ++depth;
        if (rest[type_end] == ')') --depth;
        ++type_end;
      } while (type_end < rest.size() && depth > 0);
    } else {
      type_end = std::min(rest.find(' '), rest.size());
    }
    rest.remove_prefix(std::min(type_end + 1, rest.size()));
    const size_t paren = rest.find('(');
    if (paren == 0 || paren == std::string_view::npos) continue;
    const std::string_view opcode = rest.substr(0, paren);
    if (std::all_of(opcode.begin(), opcode.end(), [](char ch) {
          return std::islower(static_cast<unsigned char>(ch)) != 0 ||
                 std::isdigit(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '_';
        })) {
      opcodes.emplace_back(opcode);
    }
  }
  return opcodes;
}

uint64_t ApproxTokens(std::string_view text) {
  uint64_t tokens = 0;
  bool in_word = false;
  for (char c : text) {
    if (IsWordChar(c)) {
      if (!in_word) ++tokens;
      in_word = true;
      continue;
    }
    in_word = false;
    if (std::isspace(static_cast<unsigned char>(c)) == 0) ++tokens;
  }
  return tokens;
}

namespace {

// Calls `visit(line)` for each line of `text`, without leading blanks.
template <typename Visit>
void ForEachTrimmedLine(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    const size_t start = line.find_first_not_of(" \t\r");
    visit(start == std::string_view::npos ? std::string_view() : line.substr(start));
  }
}

// The leading run of letters, digits, '_' and '.' of `s`.
std::string_view LeadingWord(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && (IsWordChar(s[n]) || s[n] == '.')) ++n;
  return s.substr(0, n);
}

std::string_view SkipBlanks(std::string_view s) {
  const size_t start = s.find_first_not_of(" \t");
  return start == std::string_view::npos ? std::string_view() : s.substr(start);
}

bool IsLower(std::string_view word) {
  return !word.empty() && std::islower(static_cast<unsigned char>(word[0])) != 0;
}

}  // namespace

std::vector<std::string> LlvmIrOpcodes(std::string_view llvm_ir) {
  std::vector<std::string> opcodes;
  bool in_function = false;
  ForEachTrimmedLine(llvm_ir, [&](std::string_view line) {
    if (line.starts_with("define ")) {
      in_function = true;
      return;
    }
    if (line.starts_with("}")) {
      in_function = false;
      return;
    }
    if (!in_function || line.empty() || line[0] == ';') return;
    std::string_view rest = line;
    if (line[0] == '%') {  // %x = OPCODE ...
      const size_t eq = line.find(" = ");
      if (eq == std::string_view::npos) return;
      rest = line.substr(eq + 3);
    }
    std::string_view word = LeadingWord(rest);
    for (std::string_view prefix : {"tail", "musttail", "notail"}) {
      if (word == prefix) word = LeadingWord(SkipBlanks(rest.substr(word.size())));
    }
    // A label ("vector.body:") is no instruction.
    if (!IsLower(word) || rest.substr(word.size()).starts_with(":")) return;
    opcodes.emplace_back(word);
  });
  return opcodes;
}

std::vector<std::string> AsmMnemonics(std::string_view objdump) {
  std::vector<std::string> mnemonics;
  const auto all_hex = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
  };
  while (!objdump.empty()) {
    const size_t eol = objdump.find('\n');
    std::string_view line = objdump.substr(0, eol);
    objdump.remove_prefix(eol == std::string_view::npos ? objdump.size() : eol + 1);
    // objdump indents instructions ("\tvmulps ...", or "  1f:\tvmulps ..." with addresses);
    // function labels, section titles and kernel headers start in the first column.
    if (line.empty() || (line[0] != '\t' && line[0] != ' ')) continue;
    line = SkipBlanks(line);
    if (const size_t colon = line.find(':'); colon != std::string_view::npos &&
                                             all_hex(line.substr(0, colon))) {
      line = SkipBlanks(line.substr(colon + 1));
    }
    const std::string_view word = LeadingWord(line);
    if (!IsLower(word) || word.starts_with("R_")) continue;
    mnemonics.emplace_back(word);
  }
  return mnemonics;
}

std::vector<std::string> PtxOpcodes(std::string_view ptx) {
  std::vector<std::string> opcodes;
  int depth = 0;  // inside a function body: between its braces
  ForEachTrimmedLine(ptx, [&](std::string_view line) {
    if (line.starts_with("//")) return;
    const int before = depth;
    for (const char c : line) depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (before <= 0 || line.empty() || line[0] == '.' || line[0] == '{' || line[0] == '}') return;
    if (line[0] == '@') {  // @%p1 bra ...: the predicate guards the instruction
      const size_t blank = line.find_first_of(" \t");
      if (blank == std::string_view::npos) return;
      line = SkipBlanks(line.substr(blank));
    }
    std::string_view word = LeadingWord(line);
    if (!IsLower(word) || line.substr(word.size()).starts_with(":")) return;  // a label
    opcodes.emplace_back(word.substr(0, word.find('.')));
  });
  return opcodes;
}

uint64_t KernelCount(std::string_view text, std::string_view header) {
  uint64_t n = 0;
  ForEachTrimmedLine(text, [&](std::string_view line) { n += line.starts_with(header); });
  return n;
}

}  // namespace jitsynth::post
