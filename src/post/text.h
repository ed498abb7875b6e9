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

// The instruction mix of the levels below HLO, one name per instruction, in order:
// LLVM IR opcodes inside function bodies ("getelementptr", "fadd", "call", "br"; a `tail call`
// counts as "call"), x86-64 mnemonics of objdump's listing ("vmulps", "jne"), PTX opcodes
// without their type and state suffixes ("ld" for ld.global.f32; predicates skipped).
//
//   LlvmIrOpcodes("define void @f() {\n  %1 = fadd float 1.0, 2.0\n  ret void\n}") ==
//       {"fadd", "ret"}
std::vector<std::string> LlvmIrOpcodes(std::string_view llvm_ir);
std::vector<std::string> AsmMnemonics(std::string_view objdump);
std::vector<std::string> PtxOpcodes(std::string_view ptx);

// How many kernels a level's text holds: its lines that begin with `header`
// ("; ---- kernel: ", "# ---- kernel: ", "// ---- kernel: ").
uint64_t KernelCount(std::string_view text, std::string_view header);

// Approximate tokens: every maximal run of letters, digits and '_' counts one, and so does every
// other character that is not blank. Close to what a code tokenizer makes of IR text, where names
// and numbers are short and punctuation is dense; no vocabulary needed.
uint64_t ApproxTokens(std::string_view text);

}  // namespace jitsynth::post
