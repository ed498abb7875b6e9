// Canonical text of jaxpr, StableHLO and HLO (and, through post/machine_code.h, of LLVM IR,
// x86-64 assembly and PTX): what is left when everything
// that does not change the program is removed or renamed.
//
// Two programs that differ only in the names their author chose (function,
// argument and temporary names, hence module, computation and instruction
// names) and in metadata (op_name, source locations) get one canonical text
// and one fingerprint:
//
//   std::string a = post::Canonicalize(hlo_text, post::IrFormat::kHlo,
//                                      post::CanonicalOptions::Canonical());
//   uint64_t key = post::IrFingerprint(hlo_text, post::IrFormat::kHlo);
//
// The rewrite is lexical, never fails, and is idempotent: canonicalizing a
// canonical text returns it unchanged (fuzzed: fuzz/fuzz_canonicalize.cc).
// Names are numbered by first appearance: values v0, v1, ... (StableHLO: %0,
// %1, ...), computations c0, ... (jaxpr and StableHLO functions: f0, ...),
// blocks ^bb0, ...; the module is called m.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jitsynth::post {

enum class IrFormat {
  kJaxpr,      // str(jax.make_jaxpr(f)(*specs))
  kStableHlo,  // lowered.as_text()
  kHlo,        // lowered.as_text(dialect="hlo") and compiled.as_text()
  // Below HLO (post/machine_code.h says what each keeps and renames):
  kLlvmIr,  // XLA's kernels as LLVM IR (*.ir-no-opt.ll, *.ir-with-opt.ll)
  kAsm,     // x86-64: objdump -d -r -w --no-show-raw-insn [--no-addresses]
  kPtx,     // NVIDIA PTX
};

// What to print, as XLA's HloPrintOptions: fields to adjust, presets to start
// from.
struct CanonicalOptions {
  // Drop what only describes where an instruction came from: HLO
  // metadata={...} (op_name, source lines) and /*index=N*/ comments,
  // StableHLO loc(...) and #loc lines.
  bool strip_metadata = true;
  // Drop HLO backend_config={...}: XLA's notes to the backend (trip counts,
  // fusion kinds already in the opcode), derived from the program itself.
  bool strip_backend_config = false;
  // Rename values, computations, functions and the module by first appearance.
  bool canonical_names = true;
  // One space between tokens, no indentation, no blank lines.
  bool compact_whitespace = false;

  // Readable and name-free: for reading diffs and golden files.
  static CanonicalOptions Canonical() { return {}; }
  // Everything a hash should ignore: the basis of IrFingerprint.
  static CanonicalOptions Fingerprint() {
    CanonicalOptions o;
    o.strip_backend_config = true;
    o.compact_whitespace = true;
    return o;
  }
};

std::string Canonicalize(std::string_view text, IrFormat format, const CanonicalOptions& options);

// Hash64 of the Fingerprint() canonical text: equal for renamed copies.
uint64_t IrFingerprint(std::string_view text, IrFormat format);

// The lines of the Fingerprint() canonical text (an instruction, a
// computation's header), every name replaced by a placeholder of its kind
// ("$v", "$c", ...): the tokens near-duplicate detection compares. Whole
// instructions, because the shapes, layouts and punctuation around an
// opcode would otherwise make a + b and a * b look 95% alike; placeholders,
// so that one inserted instruction does not renumber the rest.
std::vector<std::string> IrShingleTokens(std::string_view text, IrFormat format);

}  // namespace jitsynth::post
