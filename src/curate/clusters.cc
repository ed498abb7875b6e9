#include "curate/clusters.h"

#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "post/canonical.h"
#include "post/hash.h"
#include "post/minhash.h"
#include "post/python.h"

namespace jitsynth::curate {
using store::Run;
using store::ForEachRecord;
using store::RecordLine;
namespace {

// Union-find whose root is always the lowest position, which (records being
// read in index order) is the lowest index: the record dedup keeps.
class LowestRootForest {
 public:
  explicit LowestRootForest(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Unite(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (a < b)
      parent_[b] = a;
    else
      parent_[a] = b;
  }
  size_t Roots() {
    size_t n = 0;
    for (size_t i = 0; i < parent_.size(); ++i) n += Find(i) == i;
    return n;
  }

 private:
  std::vector<size_t> parent_;
};

// The keys of one kind (Python or optimized HLO) for every record.
struct KeyColumn {
  bool used = false;
  std::vector<uint64_t> fingerprints;
  std::vector<post::MinHashSignature> signatures;

  void LinkExact(LowestRootForest& forest) const {
    std::unordered_map<uint64_t, size_t> first;
    for (size_t i = 0; i < fingerprints.size(); ++i) {
      const auto [it, fresh] = first.emplace(fingerprints[i], i);
      if (!fresh) forest.Unite(it->second, i);
    }
  }
  void LinkNear(LowestRootForest& forest, double threshold) const {
    for (const auto& [a, b] : post::NearDuplicatePairs(signatures, threshold)) forest.Unite(a, b);
  }
};

Result<std::string_view> TextField(const RecordLine& r, const char* field) {
  const auto it = r.json.find(field);
  if (it == r.json.end() || !it->is_string()) {
    return ParseError(fmt::format("record {}: no string field '{}'", r.index, field));
  }
  return std::string_view(it->get_ref<const std::string&>());
}

// PythonFingerprint, extended by the dtype and shape of each argument.
Result<uint64_t> ProgramKey(const RecordLine& r, std::string_view source) {
  const auto args = r.json.find("args");
  if (args == r.json.end() || !args->is_array()) {
    return ParseError(fmt::format("record {}: no 'args' list", r.index));
  }
  std::string specs;
  for (const nlohmann::json& arg : *args) {
    if (!arg.is_object()) return ParseError(fmt::format("record {}: malformed 'args'", r.index));
    specs +=
        arg.value("dtype", nlohmann::json()).dump() + arg.value("shape", nlohmann::json()).dump();
  }
  return post::Hash64(specs, post::PythonFingerprint(source));
}

}  // namespace

Result<DedupKey> ParseDedupKey(std::string_view text) {
  if (text == "python") return DedupKey::kPython;
  if (text == "optimized_hlo") return DedupKey::kOptimizedHlo;
  if (text == "both") return DedupKey::kBoth;
  return InvalidArgument(
      fmt::format("--key must be python, optimized_hlo or both, got '{}'", text));
}

std::string_view DedupKeyName(DedupKey key) {
  switch (key) {
    case DedupKey::kPython:
      return "python";
    case DedupKey::kOptimizedHlo:
      return "optimized_hlo";
    case DedupKey::kBoth:
      return "both";
  }
  return "both";
}

Result<Clusters> FindClusters(const Run& run, const ClusterOptions& options) {
  Clusters c;
  KeyColumn python, hlo;
  python.used = options.key != DedupKey::kOptimizedHlo;
  hlo.used = options.key != DedupKey::kPython;
  RETURN_IF_ERROR(ForEachRecord(run, [&](const RecordLine& r) -> Status {
    ASSIGN_OR_RETURN(const std::string_view source, TextField(r, "python"));
    ASSIGN_OR_RETURN(const uint64_t program_key, ProgramKey(r, source));
    c.index.push_back(r.index);
    c.program_key.push_back(program_key);
    if (python.used) {
      python.fingerprints.push_back(program_key);
      if (options.near.enabled) {
        python.signatures.push_back(post::MinHash(post::PythonShingleTokens(source)));
      }
    }
    if (hlo.used) {
      ASSIGN_OR_RETURN(const std::string_view text, TextField(r, "optimized_hlo"));
      hlo.fingerprints.push_back(post::IrFingerprint(text, post::IrFormat::kHlo));
      if (options.near.enabled) {
        hlo.signatures.push_back(post::MinHash(post::IrShingleTokens(text, post::IrFormat::kHlo)));
      }
    }
    return Status::Ok();
  }));
  LowestRootForest forest(c.index.size());
  python.LinkExact(forest);
  hlo.LinkExact(forest);
  const size_t exact_clusters = forest.Roots();
  if (options.near.enabled) {
    python.LinkNear(forest, options.near.threshold);
    hlo.LinkNear(forest, options.near.threshold);
  }
  const size_t clusters = forest.Roots();
  c.exact_duplicates = c.index.size() - exact_clusters;
  c.near_duplicates = exact_clusters - clusters;
  c.root.resize(c.index.size());
  for (size_t i = 0; i < c.index.size(); ++i) c.root[i] = forest.Find(i);
  return c;
}

}  // namespace jitsynth::curate
