#include "core/quantity.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>

namespace sessiongate {
namespace {

constexpr std::string_view kSuffixError = "unable to parse quantity's suffix";
constexpr std::string_view kTooLarge = "quantity is too large (the limit is about 1e26)";
constexpr std::string_view kSuffixChars = "eEinumkKMGTP";
constexpr int kMaxSignificantDigits = 36;
constexpr Int128 kInt128Max = ~(Int128(1) << 127);
constexpr Int128 kNanosPerUnit = 1'000'000'000;

// Suffix is a parsed quantity suffix: the value is multiplied by 10^decimalExponent * 2^binaryExponent.
struct Suffix {
  int decimalExponent = 0;
  int binaryExponent = 0;
  Quantity::Format format = Quantity::Format::DecimalSI;
};

struct DecimalSuffix {
  std::string_view text;
  int exponent;
};
constexpr std::array<DecimalSuffix, 10> kDecimalSuffixes{{{"n", -9},
                                                          {"u", -6},
                                                          {"m", -3},
                                                          {"", 0},
                                                          {"k", 3},
                                                          {"M", 6},
                                                          {"G", 9},
                                                          {"T", 12},
                                                          {"P", 15},
                                                          {"E", 18}}};
constexpr std::array<std::string_view, 7> kBinarySuffixes{"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<Suffix> interpretSuffix(std::string_view s) {
  for (const auto& d : kDecimalSuffixes) {
    if (s == d.text) return Suffix{d.exponent, 0, Quantity::Format::DecimalSI};
  }
  for (std::size_t i = 1; i < kBinarySuffixes.size(); ++i) {
    if (s == kBinarySuffixes[i]) return Suffix{0, static_cast<int>(i) * 10, Quantity::Format::BinarySI};
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view digits = s.substr(1);
    if (digits.front() == '+') digits.remove_prefix(1);
    int exponent = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return Suffix{exponent, 0, Quantity::Format::DecimalExponent};
  }
  return std::nullopt;
}

Int128 pow10(int n) {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// roundedDivide divides a magnitude by 10^n, rounding a non-zero remainder away from zero.
Int128 roundedDivide(Int128 magnitude, int n) {
  if (n > 38) return magnitude == 0 ? 0 : 1;
  Int128 divisor = pow10(n);
  return magnitude / divisor + (magnitude % divisor != 0 ? 1 : 0);
}

std::string toString(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  std::string s;
  while (v != 0) {
    int digit = static_cast<int>(v % 10);
    s.push_back(static_cast<char>('0' + (negative ? -digit : digit)));
    v /= 10;
  }
  if (negative) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

std::int64_t saturate(Int128 v) {
  if (v > std::numeric_limits<std::int64_t>::max()) return std::numeric_limits<std::int64_t>::max();
  if (v < std::numeric_limits<std::int64_t>::min()) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(v);
}

Int128 divideAwayFromZero(Int128 v, Int128 divisor) {
  Int128 q = v / divisor;
  if (v % divisor != 0) q += v < 0 ? -1 : 1;
  return q;
}

// decimalCanonical splits nanos into a mantissa and a power of ten that is a multiple of 3, the largest that
// keeps the mantissa whole, at most maxExponent.
std::pair<Int128, int> decimalCanonical(Int128 nanos, int maxExponent) {
  Int128 mantissa = nanos;
  int exponent = -9;
  while (exponent + 3 <= maxExponent && mantissa % 1000 == 0) {
    mantissa /= 1000;
    exponent += 3;
  }
  return {mantissa, exponent};
}

}  // namespace

Result<Quantity> Quantity::parse(std::string_view text) {
  const Error formatError{std::string(kQuantityFormatError)};
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative = text[pos++] == '-';
  std::string digits;  // integer and fraction digits, without the point
  int fractionDigits = 0;
  bool sawDigit = false;
  while (pos < text.size() && isDigit(text[pos])) digits.push_back(text[pos++]), sawDigit = true;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && isDigit(text[pos])) {
      digits.push_back(text[pos++]);
      ++fractionDigits;
      sawDigit = true;
    }
  }
  if (!sawDigit) return formatError;
  const std::size_t suffixStart = pos;
  while (pos < text.size() && kSuffixChars.find(text[pos]) != std::string_view::npos) ++pos;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  while (pos < text.size() && isDigit(text[pos])) ++pos;
  if (pos != text.size()) return formatError;

  auto suffix = interpretSuffix(text.substr(suffixStart));
  if (!suffix) return Error{std::string(kSuffixError)};

  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  Int128 magnitude = 0;
  if (!digits.empty()) {
    if (static_cast<int>(digits.size()) > kMaxSignificantDigits) {
      return Error{"quantity has more than " + std::to_string(kMaxSignificantDigits) + " significant digits"};
    }
    for (char c : digits) magnitude = magnitude * 10 + (c - '0');
    if (magnitude > (kInt128Max >> suffix->binaryExponent)) return Error{std::string(kTooLarge)};
    magnitude <<= suffix->binaryExponent;
    const long long scale = static_cast<long long>(suffix->decimalExponent) - fractionDigits + 9;
    if (scale >= 0) {
      for (long long i = 0; i < scale; ++i) {
        if (magnitude > kInt128Max / 10) return Error{std::string(kTooLarge)};
        magnitude *= 10;
      }
    } else {
      magnitude = roundedDivide(magnitude, static_cast<int>(std::min<long long>(-scale, 39)));
    }
    // Keep headroom so that canonical rendering and comparisons never overflow: about 1e26 units.
    if (magnitude > kInt128Max / 1000) return Error{std::string(kTooLarge)};
  }
  Quantity q;
  q.nanos_ = negative ? -magnitude : magnitude;
  q.format_ = suffix->format;
  return q;
}

Quantity Quantity::fromMilli(std::int64_t milli) {
  Quantity q;
  q.nanos_ = Int128(milli) * 1'000'000;
  return q;
}

std::int64_t Quantity::milliValue() const {
  return saturate(divideAwayFromZero(nanos_, 1'000'000));
}

std::int64_t Quantity::value() const {
  return saturate(divideAwayFromZero(nanos_, kNanosPerUnit));
}

std::string Quantity::str() const {
  if (nanos_ == 0) return "0";
  Format format = format_;
  if (format == Format::BinarySI) {
    const bool whole = nanos_ % kNanosPerUnit == 0;
    const Int128 units = nanos_ / kNanosPerUnit;
    if (!whole || (units > -1024 && units < 1024)) format = Format::DecimalSI;
  }
  if (format == Format::BinarySI) {
    Int128 number = nanos_ / kNanosPerUnit;
    std::size_t exponent = 0;
    while (exponent + 1 < kBinarySuffixes.size() && number % 1024 == 0 &&
           (number >= 1024 || number <= -1024)) {
      number /= 1024;
      ++exponent;
    }
    return toString(number) + std::string(kBinarySuffixes[exponent]);
  }
  if (format == Format::DecimalExponent) {
    auto [mantissa, exponent] = decimalCanonical(nanos_, 1000);
    return toString(mantissa) + (exponent == 0 ? "" : "e" + std::to_string(exponent));
  }
  auto [mantissa, exponent] = decimalCanonical(nanos_, 18);
  for (const auto& d : kDecimalSuffixes) {
    if (d.exponent == exponent) return toString(mantissa) + std::string(d.text);
  }
  return toString(mantissa);
}

}  // namespace sessiongate
