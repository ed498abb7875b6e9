// Text analysis of records for the card and the curation tools: the JAX API calls of a program,
// the opcodes of an HLO module, an approximate token count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jitsynth::post {

// The JAX API calls of Python source, in order: dotted names under jnp, lax or jax directly
// followed by "(", with jax.numpy and jax.lax spelled jnp and lax. Comments and string literals
// are skipped (TokenizePython reads them). Method calls on values (x.astype) are not API calls.
//
//   JaxApiCalls("y = jax.numpy.sum(x)  # jnp.f(x)") == {"jnp.sum"}
std::vector<std::string> JaxApiCalls(std::string_view python);

// The opcodes of the instructions of HLO text, in order ("parameter", "add",
// "get-tuple-element").
std::vector<std::string> HloOpcodes(std::string_view hlo);

// Approximate tokens: every maximal run of letters, digits and '_' counts one, and so does every
// other character that is not blank. Close to what a code tokenizer makes of IR text, where names
// and numbers are short and punctuation is dense; no vocabulary needed.
uint64_t ApproxTokens(std::string_view text);

}  // namespace jitsynth::post
