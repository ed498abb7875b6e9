#include "curate/clusters.h"

#include <memory>
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
namespace detail {

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

Result<std::string_view> TextField(const nlohmann::json& r, std::string_view where,
                                   const char* field) {
  const auto it = r.find(field);
  if (it == r.end() || !it->is_string()) {
    return ParseError(fmt::format("{}: no string field '{}'", where, field));
  }
  return std::string_view(it->get_ref<const std::string&>());
}

// PythonFingerprint, extended by the dtype and shape of each argument.
Result<uint64_t> ProgramKey(const nlohmann::json& r, std::string_view where,
                            std::string_view source) {
  const auto args = r.find("args");
  if (args == r.end() || !args->is_array()) {
    return ParseError(fmt::format("{}: no 'args' list", where));
  }
  std::string specs;
  for (const nlohmann::json& arg : *args) {
    if (!arg.is_object()) return ParseError(fmt::format("{}: malformed 'args'", where));
    specs +=
        arg.value("dtype", nlohmann::json()).dump() + arg.value("shape", nlohmann::json()).dump();
  }
  return post::Hash64(specs, post::PythonFingerprint(source));
}

}  // namespace detail
using detail::KeyColumn;
using detail::LowestRootForest;
using detail::ProgramKey;
using detail::TextField;

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

KeyTable::KeyTable(const ClusterOptions& options)
    : options_(options),
      python_(std::make_unique<KeyColumn>()),
      hlo_(std::make_unique<KeyColumn>()) {
  python_->used = options.key != DedupKey::kOptimizedHlo;
  hlo_->used = options.key != DedupKey::kPython;
}
KeyTable::~KeyTable() = default;

Status KeyTable::Add(const nlohmann::json& r, std::string_view where) {
  ASSIGN_OR_RETURN(const std::string_view source, TextField(r, where, "python"));
  ASSIGN_OR_RETURN(const uint64_t program_key, ProgramKey(r, where, source));
  program_keys_.push_back(program_key);
  if (python_->used) {
    python_->fingerprints.push_back(program_key);
    if (options_.near.enabled) {
      python_->signatures.push_back(post::MinHash(post::PythonShingleTokens(source)));
    }
  }
  if (hlo_->used) {
    ASSIGN_OR_RETURN(const std::string_view text, TextField(r, where, "optimized_hlo"));
    hlo_->fingerprints.push_back(post::IrFingerprint(text, post::IrFormat::kHlo));
    if (options_.near.enabled) {
      hlo_->signatures.push_back(post::MinHash(post::IrShingleTokens(text, post::IrFormat::kHlo)));
    }
  }
  return Status::Ok();
}

std::vector<size_t> KeyTable::Link(std::vector<size_t>* exact_roots) const {
  LowestRootForest forest(size());
  python_->LinkExact(forest);
  hlo_->LinkExact(forest);
  std::vector<size_t> roots(size());
  if (exact_roots != nullptr) {
    for (size_t i = 0; i < size(); ++i) roots[i] = forest.Find(i);
    *exact_roots = roots;
  }
  if (options_.near.enabled) {
    python_->LinkNear(forest, options_.near.threshold);
    hlo_->LinkNear(forest, options_.near.threshold);
  }
  for (size_t i = 0; i < size(); ++i) roots[i] = forest.Find(i);
  return roots;
}

std::vector<KeyTable::Match> KeyTable::MatchesBelow(size_t first) const {
  std::vector<Match> matches(size());
  auto link = [&](const KeyColumn& column, std::string_view name) {
    if (!column.used) return;
    std::unordered_map<uint64_t, size_t> below;
    for (size_t i = 0; i < first; ++i) below.emplace(column.fingerprints[i], i);
    for (size_t i = first; i < size(); ++i) {
      const auto it = below.find(column.fingerprints[i]);
      if (it != below.end() && matches[i].reason.empty()) {
        matches[i] = {fmt::format("exact {}", name), it->second};
      }
    }
    if (!options_.near.enabled) return;
    for (const auto& [a, b] : post::NearDuplicatePairs(column.signatures, options_.near.threshold)) {
      if (a < first && b >= first && matches[b].reason.empty()) {
        matches[b] = {fmt::format("near {}", name), a};
      }
    }
  };
  link(*python_, "python");
  link(*hlo_, "optimized_hlo");
  return matches;
}

Result<Clusters> FindClusters(const Run& run, const ClusterOptions& options) {
  Clusters c;
  KeyTable keys(options);
  RETURN_IF_ERROR(ForEachRecord(run, [&](const RecordLine& r) -> Status {
    c.index.push_back(r.index);
    return keys.Add(r.json, fmt::format("record {}", r.index));
  }));
  c.program_key = keys.program_keys();
  std::vector<size_t> exact_roots;
  c.root = keys.Link(&exact_roots);
  for (size_t i = 0; i < c.index.size(); ++i) {
    if (exact_roots[i] != i) {
      ++c.exact_duplicates;
    } else if (c.root[i] != i) {
      ++c.near_duplicates;
    }
  }
  return c;
}

}  // namespace jitsynth::curate
