// Checking that a JSON value is a record of docs/schema.json, field by field: what `jitsynth
// import` asks of every line before it makes a run of them.
//
//   if (Status s = store::CheckRecord(json); !s.ok()) Refuse(line_number, s.message());
#pragma once

#include "store/record.h"

#include "core/status.h"

namespace jitsynth::store {

// kInvalidArgument naming the first field that breaks docs/schema.json ("field 'args[1].dtype':
// 'float31' is not a dtype"). Follows the schema in everything but `category`, which may be any
// non-empty string (the kernel families grow; the schema's enum lists today's).
// tests/py/test_import.py checks the verdicts against the schema with jsonschema.
Status CheckRecord(const Json& record);

}  // namespace jitsynth::store
