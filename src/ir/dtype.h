// Element types. Declared once in JITSYNTH_DTYPES; the enum, names and
// predicates are generated from that list.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jitsynth::ir {

enum class DTypeClass { kFloat, kSigned, kUnsigned, kBool };

// clang-format off
// X(enumerator, numpy name, HLO short name, class, bytes)
#define JITSYNTH_DTYPES(X)                              \
  X(kFloat32, "float32", "f32", DTypeClass::kFloat, 4)   \
  X(kFloat16, "float16", "f16", DTypeClass::kFloat, 2)   \
  X(kBFloat16, "bfloat16", "bf16", DTypeClass::kFloat, 2) \
  X(kFloat64, "float64", "f64", DTypeClass::kFloat, 8)   \
  X(kInt32, "int32", "s32", DTypeClass::kSigned, 4)      \
  X(kInt8, "int8", "s8", DTypeClass::kSigned, 1)         \
  X(kUInt8, "uint8", "u8", DTypeClass::kUnsigned, 1)     \
  X(kUInt32, "uint32", "u32", DTypeClass::kUnsigned, 4)  \
  X(kBool, "bool", "pred", DTypeClass::kBool, 1)
// clang-format on

enum class DType : uint8_t {
#define JITSYNTH_DTYPE_ENUM(e, np, hlo, cls, bytes) e,
  JITSYNTH_DTYPES(JITSYNTH_DTYPE_ENUM)
#undef JITSYNTH_DTYPE_ENUM
};

constexpr size_t kNumDTypes = 0
#define JITSYNTH_DTYPE_COUNT(...) +1
    JITSYNTH_DTYPES(JITSYNTH_DTYPE_COUNT)
#undef JITSYNTH_DTYPE_COUNT
    ;

std::span<const DType> AllDTypes();
std::string_view NumpyName(DType t);  // "float32"
std::string_view HloName(DType t);    // "f32"
DTypeClass ClassOf(DType t);
int ByteSize(DType t);
inline bool IsFloat(DType t) { return ClassOf(t) == DTypeClass::kFloat; }
inline bool IsInteger(DType t) {
  return ClassOf(t) == DTypeClass::kSigned || ClassOf(t) == DTypeClass::kUnsigned;
}
// Accepts numpy names ("float32") and HLO names ("f32").
std::optional<DType> ParseDType(std::string_view name);
// The largest magnitude a floating-point value may reach while staying
// comfortably finite (and its gradients too).
double MagnitudeBudget(DType t);

using Shape = std::vector<int64_t>;

int64_t NumElements(const Shape& shape);
std::string ShapeToString(const Shape& shape);  // "(4, 3)", "()"

struct TensorType {
  DType dtype = DType::kFloat32;
  Shape shape;
  // A Python scalar literal: JAX types it weakly, so it takes the dtype of the
  // array it meets and cannot set a result's dtype on its own.
  bool weak = false;

  int rank() const { return static_cast<int>(shape.size()); }
  bool operator==(const TensorType&) const = default;
  std::string ToString() const;  // "f32[4,3]", "weak f32[]"
};

// A closed interval of values: what the generator knows about an expression's
// values, so that every op it emits stays finite and in its domain.
struct Interval {
  double lo = 0;
  double hi = 0;

  double MaxAbs() const;
  bool Contains(double x) const { return lo <= x && x <= hi; }
  bool Within(const Interval& other) const { return other.lo <= lo && hi <= other.hi; }
  static Interval Hull(const Interval& a, const Interval& b);
  bool operator==(const Interval&) const = default;
};

// The values a dtype may hold in a generated program: the magnitude budget
// for floating point, every representable value for integers, {0, 1} for bool.
Interval ValueBudget(DType t);

}  // namespace jitsynth::ir
