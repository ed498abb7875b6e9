#include "ir/dtype.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace jitsynth::ir {
namespace {

struct DTypeInfo {
  DType dtype;
  std::string_view numpy;
  std::string_view hlo;
  DTypeClass cls;
  int bytes;
};

constexpr std::array kDTypes = {
#define JITSYNTH_DTYPE_INFO(e, np, hlo, cls, bytes) DTypeInfo{DType::e, np, hlo, cls, bytes},
    JITSYNTH_DTYPES(JITSYNTH_DTYPE_INFO)
#undef JITSYNTH_DTYPE_INFO
};

constexpr std::array kAllDTypes = {
#define JITSYNTH_DTYPE_LIST(e, np, hlo, cls, bytes) DType::e,
    JITSYNTH_DTYPES(JITSYNTH_DTYPE_LIST)
#undef JITSYNTH_DTYPE_LIST
};

const DTypeInfo& Info(DType t) { return kDTypes[static_cast<size_t>(t)]; }

}  // namespace

std::span<const DType> AllDTypes() { return kAllDTypes; }
std::string_view NumpyName(DType t) { return Info(t).numpy; }
std::string_view HloName(DType t) { return Info(t).hlo; }
DTypeClass ClassOf(DType t) { return Info(t).cls; }
int ByteSize(DType t) { return Info(t).bytes; }

std::optional<DType> ParseDType(std::string_view name) {
  for (const DTypeInfo& info : kDTypes) {
    if (name == info.numpy || name == info.hlo) return info.dtype;
  }
  return std::nullopt;
}

double MagnitudeBudget(DType t) {
  switch (t) {
    case DType::kFloat16:
      return 1e3;
    case DType::kBFloat16:
      return 1e4;
    case DType::kFloat32:
      return 1e4;
    case DType::kFloat64:
      return 1e6;
    case DType::kInt32:
    case DType::kInt8:
    case DType::kUInt8:
    case DType::kUInt32:
    case DType::kBool:
      return 0;  // integers and bool have no float budget: see ValueBudget
  }
  return 0;
}

Interval ValueBudget(DType t) {
  switch (t) {
    case DType::kInt8:
      return {-128, 127};
    case DType::kUInt8:
      return {0, 255};
    case DType::kInt32:
      return {-2147483648.0, 2147483647.0};
    case DType::kUInt32:
      return {0, 4294967295.0};
    case DType::kBool:
      return {0, 1};
    case DType::kFloat32:
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kFloat64:
      return {-MagnitudeBudget(t), MagnitudeBudget(t)};
  }
  return {-MagnitudeBudget(t), MagnitudeBudget(t)};
}

int64_t NumElements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string ShapeToString(const Shape& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

std::string TensorType::ToString() const {
  return fmt::format("{}{}[{}]", weak ? "weak " : "", HloName(dtype), fmt::join(shape, ","));
}

double Interval::MaxAbs() const { return std::max(std::fabs(lo), std::fabs(hi)); }

Interval Interval::Hull(const Interval& a, const Interval& b) {
  return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

}  // namespace jitsynth::ir
