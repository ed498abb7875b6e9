#include "store/levels.h"

#include <fmt/format.h>

#include <algorithm>

namespace jitsynth::store {
namespace {

bool IsAlways(std::string_view name) {
  return std::find(kAlwaysLevels.begin(), kAlwaysLevels.end(), name) != kAlwaysLevels.end();
}

}  // namespace

bool LevelSet::Has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool LevelSet::HasKernelLevel() const {
  return std::any_of(kKernelLevels.begin(), kKernelLevels.end(), [&](std::string_view level) {
    return Has(level) || Has(fmt::format("grad.{}", level));
  });
}

std::vector<std::string> LevelSet::Optional() const {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (!IsAlways(name)) out.push_back(name);
  }
  return out;
}

std::string LevelSet::Joined() const { return fmt::format("{}", fmt::join(names, ",")); }

Result<LevelSet> ParseLevels(std::string_view list) {
  std::vector<std::string_view> asked;
  while (true) {
    const size_t comma = list.find(',');
    asked.push_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  for (std::string_view name : asked) {
    if (std::find(kLevelNames.begin(), kLevelNames.end(), name) == kLevelNames.end()) {
      return InvalidArgument(fmt::format("--levels: unknown level '{}'; the levels are {}", name,
                                         fmt::join(kLevelNames, ",")));
    }
  }
  LevelSet set;
  for (std::string_view name : kLevelNames) {
    if (IsAlways(name) || std::find(asked.begin(), asked.end(), name) != asked.end()) {
      set.names.emplace_back(name);
    }
  }
  return set;
}

}  // namespace jitsynth::store
