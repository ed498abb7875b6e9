// Canonical text of the levels below HLO: LLVM IR (XLA's kernels before and after LLVM's
// passes), x86-64 assembly as `objdump -d -r -w --no-show-raw-insn` prints it, and PTX.
// Reached through post/canonical.h (IrFormat::kLlvmIr, kAsm, kPtx); this header is the detail.
//
// What changes and what stays, per format (names are numbered by first appearance):
// - LLVM IR: local values and labels (%0, %name, "7:") become %vN / vN: (afresh in each
//   function), functions and globals the module defines @gN, named types %tN, metadata
//   numbers !N and attribute groups #N renumbered; declared functions (@llvm.sin.f32, @sinf)
//   and named metadata (!invariant.load) stay. strip_metadata drops comments and the
//   ModuleID / source_filename lines.
// - Assembly: addresses (line prefixes "  1f:", jump-target addresses), the functions of the
//   object <fN>, local targets <f+0x80> as <LN>, relocation offsets (sym+0x4 -> sym) go;
//   mnemonics, registers, immediates and external symbols stay. strip_metadata drops
//   comments and objdump's "file format" lines.
// - PTX: registers renumbered per class (%r7 -> %rN, %rd3 -> %rdN; afresh in each function),
//   labels $L__BB0_2 -> $L__BBN, entry and function names kN (their parameters kN_param_M);
//   special registers (%tid.x) stay. strip_metadata drops comments.
// Every format: a kernel header line ("; ---- kernel: NAME", "# ...", "// ...") keeps its
// place, its NAME numbered kN. The rewrite works line by line on tokens, never fails, and is
// idempotent (fuzzed: fuzz/fuzz_machine_code.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "post/canonical.h"

namespace jitsynth::post::detail {

// `format` is kLlvmIr, kAsm or kPtx.
std::string CanonicalizeMachineCode(std::string_view text, IrFormat format,
                                    const CanonicalOptions& options);

// The lines of the Fingerprint() canonical text, each renamed token's digits replaced by "$"
// (%v12 -> %v$, %rd3 -> %rd$).
std::vector<std::string> MachineCodeShingleTokens(std::string_view text, IrFormat format);

}  // namespace jitsynth::post::detail
