#include "curate/clusters.h"

#include <algorithm>
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

// The keys of one field for the records that have one, by position (a program without
// kernels has no machine-level key: its empty text would make every such program one).
struct KeyColumn {
  KeyField field;
  std::vector<size_t> position;
  std::vector<uint64_t> fingerprints;
  std::vector<post::MinHashSignature> signatures;

  void LinkExact(LowestRootForest& forest) const {
    std::unordered_map<uint64_t, size_t> first;
    for (size_t i = 0; i < fingerprints.size(); ++i) {
      const auto [it, fresh] = first.emplace(fingerprints[i], position[i]);
      if (!fresh) forest.Unite(it->second, position[i]);
    }
  }
  void LinkNear(LowestRootForest& forest, double threshold) const {
    for (const auto& [a, b] : post::NearDuplicatePairs(signatures, threshold)) {
      forest.Unite(position[a], position[b]);
    }
  }
};

// One table of the key fields: name, where the text is, how it is canonicalized.
struct KeyFieldInfo {
  KeyField field;
  std::string_view name;
  post::IrFormat format;  // unused for Python
};
constexpr KeyFieldInfo kKeyFields[] = {
    {KeyField::kPython, "python", post::IrFormat::kHlo},
    {KeyField::kOptimizedHlo, "optimized_hlo", post::IrFormat::kHlo},
    {KeyField::kLlvmIrUnoptimized, "llvm_ir_unoptimized", post::IrFormat::kLlvmIr},
    {KeyField::kLlvmIr, "llvm_ir", post::IrFormat::kLlvmIr},
    {KeyField::kAsm, "asm", post::IrFormat::kAsm},
    {KeyField::kPtx, "ptx", post::IrFormat::kPtx},
};

const KeyFieldInfo& InfoOf(KeyField field) {
  for (const KeyFieldInfo& info : kKeyFields) {
    if (info.field == field) return info;
  }
  return kKeyFields[0];
}

// The text of a level: a field of the record (or of its "levels" object);
// ptx is gpu.ptx. Null when the record has none.
const nlohmann::json* LevelOf(const nlohmann::json& record, KeyField field) {
  const nlohmann::json* holder = &record;
  if (field == KeyField::kPtx) {
    const auto gpu = record.find("gpu");
    if (gpu == record.end() || !gpu->is_object()) return nullptr;
    holder = &*gpu;
  }
  const std::string name(InfoOf(field).name);
  if (const auto it = holder->find(name); it != holder->end()) return &*it;
  if (const auto levels = holder->find("levels"); levels != holder->end() && levels->is_object()) {
    if (const auto it = levels->find(name); it != levels->end()) return &*it;
  }
  return nullptr;
}

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

// Adds the record at `position` to the column of a level field (not Python).
Status AddLevelKey(const nlohmann::json& r, std::string_view where, size_t position, bool near,
                   KeyColumn& column) {
  const KeyFieldInfo& info = InfoOf(column.field);
  const nlohmann::json* level = LevelOf(r, info.field);
  if (level == nullptr || !level->is_string()) {
    return ParseError(fmt::format(
        "{}: no string field '{}' for --key {}; the run was made without that level "
        "(choose another --key, or generate with the level)",
        where, info.field == KeyField::kPtx ? "gpu.ptx" : info.name, info.name));
  }
  const std::string& text = level->get_ref<const std::string&>();
  if (text.empty()) return Status::Ok();  // no kernels: nothing to compare
  column.position.push_back(position);
  column.fingerprints.push_back(post::IrFingerprint(text, info.format));
  if (near) column.signatures.push_back(post::MinHash(post::IrShingleTokens(text, info.format)));
  return Status::Ok();
}

// One column per key field, in the order of the key.
struct KeyColumns {
  std::vector<KeyColumn> columns;
};

}  // namespace detail
using detail::InfoOf;
using detail::KeyColumn;
using detail::KeyFieldInfo;
using detail::LowestRootForest;
using detail::ProgramKey;
using detail::TextField;
using detail::kKeyFields;

bool DedupKey::Has(KeyField f) const {
  return std::find(fields.begin(), fields.end(), f) != fields.end();
}

std::string_view KeyFieldName(KeyField field) { return InfoOf(field).name; }

Result<DedupKey> ParseDedupKey(std::string_view text) {
  if (text == "both") return DedupKey::Both();
  DedupKey key;
  std::string_view rest = text;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    const KeyFieldInfo* found = nullptr;
    for (const KeyFieldInfo& info : kKeyFields) {
      if (info.name == name) found = &info;
    }
    if (found == nullptr) {
      return InvalidArgument(fmt::format(
          "--key must be both or a comma-separated list of python, optimized_hlo, "
          "llvm_ir_unoptimized, llvm_ir, asm, ptx; '{}' is none of them (in '{}')",
          name, text));
    }
    if (!key.Has(found->field)) key.fields.push_back(found->field);
    if (comma == std::string_view::npos) return key;
    rest = rest.substr(comma + 1);
  }
}

std::string DedupKeyName(const DedupKey& key) {
  const DedupKey both = DedupKey::Both();
  if (key.fields.size() == 2 && key.Has(both.fields[0]) && key.Has(both.fields[1])) return "both";
  std::string name;
  for (const KeyField f : key.fields) {
    if (!name.empty()) name += ',';
    name += KeyFieldName(f);
  }
  return name;
}

KeyTable::KeyTable(const ClusterOptions& options)
    : options_(options), columns_(std::make_unique<detail::KeyColumns>()) {
  for (const KeyField f : options.key.fields) columns_->columns.push_back(KeyColumn{f, {}, {}, {}});
}
KeyTable::~KeyTable() = default;

Status KeyTable::Add(const nlohmann::json& r, std::string_view where) {
  ASSIGN_OR_RETURN(const std::string_view source, TextField(r, where, "python"));
  ASSIGN_OR_RETURN(const uint64_t program_key, ProgramKey(r, where, source));
  const size_t position = program_keys_.size();
  for (KeyColumn& column : columns_->columns) {
    if (column.field != KeyField::kPython) {
      RETURN_IF_ERROR(detail::AddLevelKey(r, where, position, options_.near.enabled, column));
      continue;
    }
    column.position.push_back(position);
    column.fingerprints.push_back(program_key);
    if (options_.near.enabled) {
      column.signatures.push_back(post::MinHash(post::PythonShingleTokens(source)));
    }
  }
  program_keys_.push_back(program_key);
  return Status::Ok();
}

std::vector<size_t> KeyTable::Link(std::vector<size_t>* exact_roots) const {
  LowestRootForest forest(size());
  for (const KeyColumn& column : columns_->columns) column.LinkExact(forest);
  std::vector<size_t> roots(size());
  if (exact_roots != nullptr) {
    for (size_t i = 0; i < size(); ++i) roots[i] = forest.Find(i);
    *exact_roots = roots;
  }
  if (options_.near.enabled) {
    for (const KeyColumn& column : columns_->columns) {
      column.LinkNear(forest, options_.near.threshold);
    }
  }
  for (size_t i = 0; i < size(); ++i) roots[i] = forest.Find(i);
  return roots;
}

std::vector<KeyTable::Match> KeyTable::MatchesBelow(size_t first) const {
  std::vector<Match> matches(size());
  for (const KeyColumn& column : columns_->columns) {
    const std::string_view name = InfoOf(column.field).name;
    std::unordered_map<uint64_t, size_t> below;
    for (size_t i = 0; i < column.position.size(); ++i) {
      if (column.position[i] < first) below.emplace(column.fingerprints[i], column.position[i]);
    }
    for (size_t i = 0; i < column.position.size(); ++i) {
      const size_t p = column.position[i];
      if (p < first || !matches[p].reason.empty()) continue;
      const auto it = below.find(column.fingerprints[i]);
      if (it != below.end()) matches[p] = {fmt::format("exact {}", name), it->second};
    }
    if (!options_.near.enabled) continue;
    for (const auto& [a, b] : post::NearDuplicatePairs(column.signatures, options_.near.threshold)) {
      const size_t pa = column.position[a], pb = column.position[b];
      if (pa < first && pb >= first && matches[pb].reason.empty()) {
        matches[pb] = {fmt::format("near {}", name), pa};
      }
    }
  }
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
