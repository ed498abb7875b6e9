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

}  // namespace jitsynth::post
