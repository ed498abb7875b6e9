// Policies are data: named, commented weights that shift the distribution of
// generated programs. Every random choice the generator makes that is worth
// steering reads its weight from here. A policy dumps to TOML and loads back
// unchanged; a file may set any subset of the keys.
//
//   synth::Policy policy = synth::Policy::Default();
//   double w = policy.Get("family.loop");
//   Result<synth::Policy> mine = synth::Policy::Load("policy.toml");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace jitsynth::synth {

struct PolicyEntry {
  std::string key;  // "family.loop", "op.sin", "dtype.float16", "shape.max_rank"
  double value = 0;
  std::string comment;  // what the key steers and why the default is what it is
  double min = 0;       // the values a file may set
  double max = 1e9;
  bool integer = false;
};

class Policy {
 public:
  static Policy Default();
  // The default policy with the keys that `text` sets replaced. `source`
  // names the text in messages ("policy.toml:12: unknown policy key 'op.sinn'").
  static Result<Policy> FromToml(std::string_view text, std::string_view source);
  static Result<Policy> Load(const std::string& path);

  // The value of a key the default policy declares; an unknown key is a bug.
  double Get(std::string_view key) const;
  // Weight of key `prefix + name` (e.g. Weight("op.", "sin")).
  double Weight(std::string_view prefix, std::string_view name) const;
  Status Set(std::string_view key, double value);

  const std::vector<PolicyEntry>& entries() const { return entries_; }
  // The policy as TOML: one table per key prefix, a comment above each key.
  std::string ToToml() const;
  // A stable hash of the policy's values (xxh64 of its TOML form).
  uint64_t Hash() const;

  bool operator==(const Policy& other) const;

 private:
  void Add(std::string key, double value, std::string comment, double min = 0, double max = 1e9,
           bool integer = false);
  const PolicyEntry* Find(std::string_view key) const;

  std::vector<PolicyEntry> entries_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace jitsynth::synth
