// Policies are data: named, commented weights that shift the distribution of
// generated programs. Every random choice the generator makes that is worth
// steering reads its weight from here.
//
//   synth::Policy policy = synth::Policy::Default();
//   double w = policy.Get("family.loop");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jitsynth::synth {

struct PolicyEntry {
  std::string key;      // "family.loop", "op.sin", "dtype.float16", "shape.max_rank"
  double value = 0;
  std::string comment;  // why the default is what it is
};

class Policy {
 public:
  static Policy Default();

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

 private:
  std::vector<PolicyEntry> entries_;
};

}  // namespace jitsynth::synth
