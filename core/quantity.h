#pragma once
// Quantity is a Kubernetes resource quantity (`500m`, `1Gi`, `1e3`, `0.5`) parsed with the API server's
// grammar and compared exactly: the value is held as a count of nano-units in a 128-bit integer, never as a
// double, so `1000m == 1`, `0.5 == 500m` and `1Gi > 1G` hold without rounding surprises.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sessiongate {

// Int128 is the exact integer the quantity arithmetic uses (a GCC/Clang extension, hence __extension__).
__extension__ using Int128 = __int128;

// Quantity is a parsed resource quantity. Like the API server, values finer than one nano-unit are rounded
// away from zero to the next nano-unit (`0.1n` is `1n`); magnitudes above about 1e26 are rejected.
class Quantity {
 public:
  // Format is the notation the quantity was written in; str() keeps it, as the API server does.
  enum class Format { DecimalSI, BinarySI, DecimalExponent };

  Quantity() = default;

  // parse reads the text of a quantity. The error is the API server's reason (without the value), e.g.
  // "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".
  static Result<Quantity> parse(std::string_view text);

  // fromMilli makes a DecimalSI quantity of the given number of milli-units.
  static Quantity fromMilli(std::int64_t milli);

  // str renders the canonical form the API server stores: "1000m" is "1", "1536Mi" stays "1536Mi",
  // "1.5Gi" is "1536Mi", "0.5" is "500m".
  std::string str() const;

  // nanoValue is the exact value in nano-units (1 is 1e9).
  Int128 nanoValue() const { return nanos_; }
  // milliValue is the value in milli-units rounded up (as Quantity.MilliValue), saturated to int64.
  std::int64_t milliValue() const;
  // value is the value in units rounded up (as Quantity.Value), saturated to int64.
  std::int64_t value() const;
  bool isZero() const { return nanos_ == 0; }
  Format format() const { return format_; }

  friend bool operator==(const Quantity& a, const Quantity& b) { return a.nanos_ == b.nanos_; }
  friend std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.nanos_ < b.nanos_   ? std::strong_ordering::less
           : a.nanos_ > b.nanos_ ? std::strong_ordering::greater
                                 : std::strong_ordering::equal;
  }

 private:
  Int128 nanos_ = 0;
  Format format_ = Format::DecimalSI;
};

// kQuantityFormatError is the API server's message for text that is not a quantity at all.
inline constexpr std::string_view kQuantityFormatError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

}  // namespace sessiongate
