#include "synth/policy.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ir/ops.h"
#include "synth/choices.h"
#include "synth/families.h"

namespace jitsynth::synth {

void Policy::Add(std::string key, double value, std::string comment, double min, double max,
                 bool integer) {
  index_.emplace(key, entries_.size());
  entries_.push_back({std::move(key), value, std::move(comment), min, max, integer});
}

Policy Policy::Default() {
  Policy p;
  auto count = [&p](std::string key, double value, std::string comment, double min, double max) {
    p.Add(std::move(key), value, std::move(comment), min, max, /*integer=*/true);
  };
  auto probability = [&p](std::string key, double value, std::string comment) {
    p.Add(std::move(key), value, std::move(comment), 0, 1);
  };
  // Kernel families: the category of each sample.
  for (const FamilyInfo& f : kFamilyTable) {
    p.Add(fmt::format("family.{}", f.name), f.weight, std::string(f.description));
  }
  // Element types.
  p.Add("dtype.float32", 6.0, "floating-point dtype of a program: the common case");
  p.Add("dtype.float16", 1.0, "half precision: a tighter value budget");
  p.Add("dtype.bfloat16", 1.0, "bfloat16: what accelerators train in");
  p.Add("dtype.float64", 0.8, "double precision; the program runs with jax_enable_x64");
  p.Add("dtype.int32", 3.0, "integer dtype of a program's integer values: JAX's default int");
  p.Add("dtype.int8", 1.0, "8-bit integers: quantized data, wrapping arithmetic");
  p.Add("dtype.uint8", 1.0, "unsigned bytes: images, masks");
  // Shapes.
  count("shape.max_rank", 4, "highest rank of a drawn array", 0, 4);
  count("shape.max_elements", 1024, "largest number of elements of one array", 1, 1 << 20);
  count("shape.max_dim", 16, "largest extent of one axis", 1, 4096);
  count("shape.max_args", 6, "most array arguments of an entry function", 1, 16);
  // Expressions.
  count("expr.max_depth", 3, "deepest expression tree before a leaf", 1, 8);
  count("expr.max_ops", 24, "most op applications in one program (keeps compile times short)", 4,
        1000);
  probability("expr.leaf_probability", 0.25,
              "chance that a subexpression stops early at a variable");
  probability("expr.literal_probability", 0.3, "chance that a scalar operand is a Python literal");
  // Control flow.
  count("control.max_depth", 3,
        "deepest nesting of lax control flow (a branch in a loop in a branch)", 1, 3);
  count("control.max_trip_count", 12,
        "largest trip count of lax.fori_loop, lax.scan and lax.while_loop", 1, 64);
  probability("control.dynamic_fori", 0.4,
              "chance that a non-differentiable loop is a fori_loop over a traced bound rather "
              "than a while_loop");
  probability("control.scan_reverse", 0.2, "chance that a lax.scan runs backwards");
  probability("control.nested", 0.35,
              "chance that a control-flow body holds control flow itself, depth permitting");
  // Style: how the Python reads.
  probability("style.temporaries", 0.5,
              "chance that a program names subexpressions as temporaries");
  probability("style.docstring", 0.25, "chance that the entry function carries a docstring");
  probability("style.alt_spelling", 0.3,
              "chance that an op takes an alternative spelling (lax, method, function for "
              "operator) where one applies");
  probability("style.typed_literal", 0.1,
              "chance that a scalar constant is written as a typed scalar (jnp.float32(2.0))");
  // Which variable a leaf reads, against weight 1.
  p.Add("leaf.unused_weight", 4.0,
        "weight factor of a variable nothing has read yet: every argument should matter");
  p.Add("leaf.closure_weight", 0.25,
        "weight factor of a variable of an enclosing function: closures are the exception");
  p.Add("read.same_type_weight", 8.0,
        "when a value derives from some variable in scope, weight of one of exactly the wanted type");
  p.Add("read.same_dtype_weight", 3.0, "... and of one of the wanted dtype (others weigh 1)");
  p.Add("read.body_same_dtype_weight", 4.0,
        "weight of a body parameter of the result's dtype, as the one the body must read (others 1)");
  // The yes/no choices of the builder, the families and the planner, by name
  // in the choice table (choices.h); tables that already exist gain keys.
  for (const ChoiceInfo& c : kChoiceTable) probability(std::string(c.key), c.probability, std::string(c.comment));
  // Op groups: how much of each a family draws (families.h).
  for (const GroupScale& g : kBaselineFocus) {
    p.Add(fmt::format("focus.{}", ir::GroupName(g.group)), g.scale,
          fmt::format("scale of every {} op's weight in every family, unless the family sets its own",
                      ir::GroupName(g.group)));
  }
  for (const FocusScale& f : kFamilyFocus) {
    const FamilyInfo& info = kFamilyTable[static_cast<size_t>(f.family)];
    p.Add(fmt::format("family_{}.focus_{}", info.name, ir::GroupName(f.group)), f.scale,
          fmt::format("scale of {} op weights in this family (replaces focus.{})",
                      ir::GroupName(f.group), ir::GroupName(f.group)));
  }
  // Ops, by name in the op table; a family scales whole groups up or down.
  for (const ir::OpInfo& op : ir::AllOps()) {
    p.Add(fmt::format("op.{}", op.name), op.weight,
          fmt::format("{} ({})", op.spellings[0], ir::GroupName(op.group)));
  }
  return p;
}

const PolicyEntry* Policy::Find(std::string_view key) const {
  auto it = index_.find(std::string(key));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

double Policy::Get(std::string_view key) const {
  if (const PolicyEntry* e = Find(key)) return e->value;
  fmt::print(stderr, "jitsynth: internal error: policy key {} is not declared\n", key);
  std::abort();
}

double Policy::Weight(std::string_view prefix, std::string_view name) const {
  return Get(fmt::format("{}{}", prefix, name));
}

Status Policy::Set(std::string_view key, double value) {
  const PolicyEntry* found = Find(key);
  if (found == nullptr) return InvalidArgument(fmt::format("unknown policy key '{}'", key));
  PolicyEntry& e = entries_[static_cast<size_t>(found - entries_.data())];
  if (!std::isfinite(value) || value < e.min || value > e.max) {
    return InvalidArgument(
        fmt::format("policy key '{}' takes values in [{}, {}], got {}", key, e.min, e.max, value));
  }
  if (e.integer && value != std::trunc(value)) {
    return InvalidArgument(fmt::format("policy key '{}' takes an integer, got {}", key, value));
  }
  e.value = value;
  return Status::Ok();
}

Result<Policy> Policy::FromToml(std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return ParseError(
        fmt::format("{}:{}: malformed TOML: {}", source, e.source().begin.line, e.description()));
  }
  Policy policy = Default();
  auto fail = [&](const toml::node& node, std::string_view message) {
    return ParseError(fmt::format("{}:{}: {}", source, node.source().begin.line, message));
  };
  for (const auto& [prefix, node] : root) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return fail(
          node,
          fmt::format("unknown policy key '{}'; keys live in tables such as [family] and [op]",
                      prefix.str()));
    }
    for (const auto& [name, value] : *table) {
      const std::string key = fmt::format("{}.{}", prefix.str(), name.str());
      if (policy.Find(key) == nullptr)
        return fail(value, fmt::format("unknown policy key '{}'", key));
      std::optional<double> number = value.value<double>();
      if (!value.is_number() || !number)
        return fail(value, fmt::format("policy key '{}' takes a number", key));
      if (Status s = policy.Set(key, *number); !s.ok()) return fail(value, s.message());
    }
  }
  auto any_positive = [&](std::string_view prefix, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
      if (policy.Weight(prefix, n) > 0) return true;
    }
    return false;
  };
  bool family = false;
  for (const FamilyInfo& f : kFamilyTable) family |= policy.Weight("family.", f.name) > 0;
  if (!family) return ParseError(fmt::format("{}: every [family] weight is zero", source));
  if (!any_positive("dtype.", {"float32", "float16", "bfloat16", "float64"})) {
    return ParseError(fmt::format("{}: every floating-point [dtype] weight is zero", source));
  }
  if (!any_positive("dtype.", {"int32", "int8", "uint8"})) {
    return ParseError(fmt::format("{}: every integer [dtype] weight is zero", source));
  }
  return policy;
}

Result<Policy> Policy::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument(fmt::format("cannot read policy file {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return FromToml(text.str(), path);
}

std::string Policy::ToToml() const {
  std::string out =
      "# jitsynth generation policy. Weights are relative within a table; probabilities are in [0, "
      "1].\n"
      "# Load an edited copy with `jitsynth generate --policy FILE`; keys left out keep these "
      "defaults.\n";
  // One TOML table per key prefix, in order of first appearance: a table
  // appears once even when its keys are declared in several places.
  std::vector<std::string> tables;
  for (const PolicyEntry& e : entries_) {
    std::string prefix = e.key.substr(0, e.key.find('.'));
    if (std::find(tables.begin(), tables.end(), prefix) == tables.end())
      tables.push_back(std::move(prefix));
  }
  for (const std::string& table : tables) {
    out += fmt::format("\n[{}]\n", table);
    for (const PolicyEntry& e : entries_) {
      if (e.key.size() <= table.size() || e.key.compare(0, table.size(), table) != 0 ||
          e.key[table.size()] != '.')
        continue;
      out += fmt::format("# {}\n{} = {}\n", e.comment, e.key.substr(table.size() + 1), e.value);
    }
  }
  return out;
}

uint64_t Policy::Hash() const {
  const std::string text = ToToml();
  return XXH64(text.data(), text.size(), 0);
}

bool Policy::operator==(const Policy& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].key != other.entries_[i].key || entries_[i].value != other.entries_[i].value)
      return false;
  }
  return true;
}

}  // namespace jitsynth::synth
