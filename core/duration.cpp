#include "core/duration.h"

#include <array>
#include <cstdint>

namespace sessiongate {
namespace {

constexpr std::uint64_t kNanosecond = 1;
constexpr std::uint64_t kMicrosecond = 1000 * kNanosecond;
constexpr std::uint64_t kMillisecond = 1000 * kMicrosecond;
constexpr std::uint64_t kSecond = 1000 * kMillisecond;
constexpr std::uint64_t kMinute = 60 * kSecond;
constexpr std::uint64_t kHour = 60 * kMinute;
constexpr std::uint64_t kLimit = std::uint64_t(1) << 63;

struct Unit {
  std::string_view name;
  std::uint64_t nanos;
};
constexpr std::array<Unit, 8> kUnits{{{"ns", kNanosecond},
                                      {"us", kMicrosecond},
                                      {"\xC2\xB5s", kMicrosecond},  // U+00B5 micro sign
                                      {"\xCE\xBCs", kMicrosecond},  // U+03BC Greek letter mu
                                      {"ms", kMillisecond},
                                      {"s", kSecond},
                                      {"m", kMinute},
                                      {"h", kHour}}};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// quote is Go's time.quote: double quotes, `"` and `\` escaped, control and non-ASCII bytes as \xNN.
std::string quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c < ' ') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

Error invalidDuration(std::string_view orig) {
  return Error{"time: invalid duration " + quote(orig)};
}

// leadingInt consumes [0-9]*; false on overflow past 2^63.
bool leadingInt(std::string_view& s, std::uint64_t& x) {
  std::size_t i = 0;
  x = 0;
  for (; i < s.size() && isDigit(s[i]); ++i) {
    if (x > kLimit / 10) return false;
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > kLimit) return false;
  }
  s.remove_prefix(i);
  return true;
}

// leadingFraction consumes [0-9]*, keeping only the digits that fit (Go drops the rest silently).
void leadingFraction(std::string_view& s, std::uint64_t& x, double& scale) {
  std::size_t i = 0;
  x = 0;
  scale = 1;
  bool overflow = false;
  for (; i < s.size() && isDigit(s[i]); ++i) {
    if (overflow) continue;
    if (x > (kLimit - 1) / 10) {
      overflow = true;
      continue;
    }
    std::uint64_t y = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (y > kLimit) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// fmtFrac writes the fraction of v/10^prec (".25", trailing zeros and an empty fraction omitted) in front of
// buf's tail and returns v/10^prec.
std::uint64_t fmtFrac(std::string& out, std::uint64_t v, int prec) {
  bool print = false;
  std::string frac;
  for (int i = 0; i < prec; ++i) {
    auto digit = static_cast<char>(v % 10);
    print = print || digit != 0;
    if (print) frac.insert(frac.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  if (print) out.insert(0, "." + frac);
  return v;
}

void fmtInt(std::string& out, std::uint64_t v) {
  out.insert(0, std::to_string(v));
}

}  // namespace

Result<Duration> parseDuration(std::string_view text) {
  const std::string_view orig = text;
  std::string_view s = text;
  std::uint64_t total = 0;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration(0);
  if (s.empty()) return invalidDuration(orig);
  while (!s.empty()) {
    if (!(s[0] == '.' || isDigit(s[0]))) return invalidDuration(orig);
    std::uint64_t v = 0;
    const std::size_t before = s.size();
    if (!leadingInt(s, v)) return invalidDuration(orig);
    const bool pre = before != s.size();
    std::uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const std::size_t fractionStart = s.size();
      leadingFraction(s, f, scale);
      post = fractionStart != s.size();
    }
    if (!pre && !post) return invalidDuration(orig);
    std::size_t i = 0;
    while (i < s.size() && s[i] != '.' && !isDigit(s[i])) ++i;
    if (i == 0) return Error{"time: missing unit in duration " + quote(orig)};
    const std::string_view unitName = s.substr(0, i);
    s.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (u.name == unitName) unit = &u;
    }
    if (unit == nullptr) {
      return Error{"time: unknown unit " + quote(unitName) + " in duration " + quote(orig)};
    }
    if (v > kLimit / unit->nanos) return invalidDuration(orig);
    v *= unit->nanos;
    if (f > 0) {
      // Go computes the fraction in float64 too; doing the same keeps results bit-identical.
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(unit->nanos) / scale));
      if (v > kLimit) return invalidDuration(orig);
    }
    total += v;
    if (total > kLimit) return invalidDuration(orig);
  }
  if (negative) return Duration(static_cast<std::int64_t>(0 - total));
  if (total > kLimit - 1) return invalidDuration(orig);
  return Duration(static_cast<std::int64_t>(total));
}

std::string formatDuration(Duration d) {
  const std::int64_t count = d.count();
  const bool negative = count < 0;
  std::uint64_t u = static_cast<std::uint64_t>(count);
  if (negative) u = 0 - u;
  std::string out;
  if (u < kSecond) {
    int prec = 0;
    if (u == 0) return "0s";
    if (u < kMicrosecond) {
      out = "ns";
    } else if (u < kMillisecond) {
      prec = 3;
      out = "\xC2\xB5s";
    } else {
      prec = 6;
      out = "ms";
    }
    u = fmtFrac(out, u, prec);
    fmtInt(out, u);
  } else {
    out = "s";
    u = fmtFrac(out, u, 9);
    fmtInt(out, u % 60);
    u /= 60;
    if (u > 0) {
      out.insert(0, "m");
      fmtInt(out, u % 60);
      u /= 60;
      if (u > 0) {
        out.insert(0, "h");
        fmtInt(out, u);
      }
    }
  }
  if (negative) out.insert(0, "-");
  return out;
}

}  // namespace sessiongate
