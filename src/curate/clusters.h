// Which records are one program: the shared core of dedup and split.
//
// Records are linked when they share an exact key or when their MinHash
// signatures say they are near-duplicates; a cluster is a connected component
// of these links, and its representative is its lowest index. Deterministic:
// nothing depends on hash-table order.
//
// The exact keys: the program key (the normalized Python with the dtypes and
// shapes of the entry's arguments: the same code at other shapes compiles to
// another program) and the fingerprint of the canonical optimized HLO. The
// near-duplicate signatures are over the Python's tokens alone (so the same
// code at other shapes is a near-duplicate) and over the HLO's tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/run_reader.h"

namespace jitsynth::curate {

// A field whose text links records: its canonical fingerprint is an exact key, its shingles a
// near-duplicate signature. The levels below optimized HLO (present when the run computed them)
// are canonicalized by post/canonical.h too: LLVM IR, x86-64 assembly and PTX (the record's
// gpu.ptx). A record whose level is "" (a program without kernels) has no key of that field.
enum class KeyField { kPython, kOptimizedHlo, kLlvmIrUnoptimized, kLlvmIr, kAsm, kPtx };

// Which fields link records; a pair of records is one program when any of them match.
struct DedupKey {
  std::vector<KeyField> fields;
  // python and optimized_hlo: the default of dedup and split.
  static DedupKey Both() { return {{KeyField::kPython, KeyField::kOptimizedHlo}}; }
  bool Has(KeyField f) const;
};

// "both" (python,optimized_hlo) or a comma-separated list of python, optimized_hlo,
// llvm_ir_unoptimized, llvm_ir, asm, ptx.
Result<DedupKey> ParseDedupKey(std::string_view text);
// "both", or the fields joined by commas.
std::string DedupKeyName(const DedupKey& key);
std::string_view KeyFieldName(KeyField field);

// The near-duplicate search: records whose shingle sets have an estimated
// Jaccard index of at least `threshold` are linked.
struct NearOptions {
  bool enabled = true;
  double threshold = 0.9;  // in (0, 1]
};

struct ClusterOptions {
  DedupKey key = DedupKey::Both();
  NearOptions near;
};

struct Clusters {
  std::vector<uint64_t> index;        // each record's index, in index order
  std::vector<size_t> root;           // position of each record's representative
  std::vector<uint64_t> program_key;  // each record's normalized Python and argument specs
  uint64_t exact_duplicates = 0;      // records linked to a lower index by an exact key
  uint64_t near_duplicates = 0;       // records linked to a lower index only as near-duplicates

  size_t count() const { return index.size() - exact_duplicates - near_duplicates; }
};

namespace detail {
struct KeyColumns;
}

// The keys of records, in the order they were added: what FindClusters links, and what dedup
// uses across several runs and against an evaluation set.
class KeyTable {
 public:
  explicit KeyTable(const ClusterOptions& options);
  ~KeyTable();
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  // A record without a string "python", an "args" list or (when the key needs it) a string
  // of that level is kParseError; `where` names it in the message ("record 12", "FILE:3").
  Status Add(const nlohmann::json& record, std::string_view where);
  size_t size() const { return program_keys_.size(); }
  const std::vector<uint64_t>& program_keys() const { return program_keys_; }

  // Each record's representative: the lowest position it is linked to, by exact keys and (when
  // enabled) near-duplicate signatures. `exact_roots`, when given, receives the representatives
  // by exact keys alone.
  std::vector<size_t> Link(std::vector<size_t>* exact_roots = nullptr) const;

  // For each record at a position >= `first`, a record below `first` it duplicates directly
  // ("exact python", "near optimized_hlo", ...; the first key that matches), if any.
  struct Match {
    std::string reason;  // empty: none
    size_t other = 0;
  };
  std::vector<Match> MatchesBelow(size_t first) const;

 private:
  ClusterOptions options_;
  std::unique_ptr<detail::KeyColumns> columns_;
  std::vector<uint64_t> program_keys_;
};

// Reads every record of `run` once. A record without a string "python", an
// "args" list or (when the key needs it) a string of that field is
// kParseError.
Result<Clusters> FindClusters(const store::Run& run, const ClusterOptions& options);

}  // namespace jitsynth::curate
